"""README.md kept true: its example output and its command reference are generated from the checkout.

    python tests/docs.py          # rewrite README.md's examples and reference; review with `git diff`
    python tests/docs.py --check  # exit 1 and print the difference if README.md is behind (tests do this)

An example is a ```console block whose first line is `$ mbc ARGS` (optionally `| head -n N`); the
rest of the block is its output, run on the shipped knowledge in a pipe at 80 columns on the day
tests/conftest.py fixes. The reference sits between `<!-- reference -->` and `<!-- end reference -->`
and is built from the Typer commands themselves (sqlite-utils keeps its CLI reference true with cog;
this is the same idea without the dependency).
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TODAY = "2026-12-01"
EXAMPLE = re.compile(r"(```console\n\$ (mbc [^\n]*)\n)(.*?)(```)", re.S)
REFERENCE = re.compile(r"(<!-- reference -->\n).*?(<!-- end reference -->)", re.S)


def output(command: str) -> str:
    """What `command` prints in a pipe: the checkout's mbc, the shipped knowledge, a fixed day."""
    words, head = command, None
    if " | head -n " in command:
        words, count = command.split(" | head -n ")
        head = int(count)
    with tempfile.TemporaryDirectory() as home:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": home,
            "XDG_CACHE_HOME": home,
            "XDG_CONFIG_HOME": home,
            "MBC_LOCAL": "",
            "MBC_TODAY": TODAY,
            "COLUMNS": "80",
            "PYTHONPATH": str(ROOT),
            "LC_ALL": "C.UTF-8",
        }
        args = shlex.split(words)[1:]
        done = subprocess.run([sys.executable, "-m", "mbc_cli", *args], capture_output=True, text=True, env=env)
    text = done.stdout + done.stderr
    if head is not None:
        text = "".join(text.splitlines(keepends=True)[:head])
    return text


def reference() -> str:
    """Every command: its usage, what it does, and its options, from the Typer definitions."""
    import typer.main

    from mbc_cli.cli import app

    group = typer.main.get_command(app)
    out = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        arguments = " ".join(
            p.name.upper() + "..." * p.multiple for p in command.params if not p.opts[0].startswith("-")
        )
        out.append(f"### `mbc {name}{' ' + arguments if arguments else ''}`\n")
        out.append((command.help or "").strip().replace("\n\n", "\n").replace("\n", " ") + "\n")
        rows = []
        for p in command.params:
            if p.opts[0].startswith("-") and p.name != "help":
                flags = ", ".join(f"`{o}`" for o in (*p.opts, *p.secondary_opts))
                rows.append(f"| {flags} | {(getattr(p, 'help', '') or '').replace('|', '/')} |")
        if rows:
            out.append("| option | meaning |\n| --- | --- |\n" + "\n".join(rows) + "\n")
    return "\n".join(out)


def generate(text: str) -> str:
    text = EXAMPLE.sub(lambda m: m.group(1) + output(m.group(2)) + m.group(4), text)
    return REFERENCE.sub(lambda m: m.group(1) + "\n" + reference() + "\n" + m.group(2), text)


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = generate(current)
    if "--check" in argv:
        if wanted == current:
            return 0
        sys.stdout.writelines(
            difflib.unified_diff(current.splitlines(True), wanted.splitlines(True), "README.md", "generated")
        )
        print("\nREADME.md is behind the code: run `python tests/docs.py`, then review `git diff README.md`.")
        return 1
    README.write_text(wanted, encoding="utf-8")
    print("README.md rewritten: review `git diff README.md`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
