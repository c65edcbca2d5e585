"""Golden files: `python tests/golden.py` lists the outputs that changed (NAME.new beside NAME);
`python tests/golden.py accept` takes them, after you have read the diffs the failing tests printed."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEW = [*sorted((ROOT / "tests" / "golden").glob("*.new")), *sorted(ROOT.glob("*.md.new"))]


def main(argv: list[str]) -> int:
    if argv == ["accept"]:
        for path in NEW:
            path.replace(path.with_suffix(""))
            print(f"accepted {path.with_suffix('').relative_to(ROOT)}")
        return 0
    if argv:
        print(__doc__)
        return 2
    for path in NEW:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
