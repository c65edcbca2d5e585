"""Start-up benchmark for `mbc`: whole processes, timed against floors measured in the same run.

Run it from an ordinary (non-editable) install, so that it measures what users get:

    pip install .
    python benchmarks/startup.py                 # 30 rounds; --runs N for more or fewer (at least 15)
    python benchmarks/startup.py --with-tldr     # also compare with the tldr client (installed in a temp venv)
    python benchmarks/startup.py --json out.json # also write the raw medians
    python benchmarks/startup.py --instructions  # also count instructions with valgrind (a few minutes more)

By default it times the `mbc` next to the running interpreter (`Path(sys.executable).parent / "mbc"`)
and that interpreter; `--mbc PATH` times another one (its floors then use the Python of its shebang).
`--data FILE` uses another knowledge file in place of the shipped one (the caller's MBC_DATA is
ignored, like the rest of the caller's environment).

Every case runs once per round, in a newly shuffled order, so drift of the machine falls on all
cases alike; each runs once before timing, which also warms mbc's cache. Every process gets the
same clean environment: a fresh XDG_CACHE_HOME shared by all runs, bytecode writing allowed (no
PYTHONDONTWRITEBYTECODE), no NO_COLOR, COLUMNS=80 and MBC_LOCAL empty (no user overlay).

Wall-clock medians on a shared or virtual machine still move by some 10% from one invocation to the
next, which is enough to flip a verdict. `--instructions` adds a deterministic complement: after the
timed rounds, each case runs once more under `valgrind --tool=callgrind --callgrind-out-file=/dev/null`,
from the same helper, in the same environment, with stdin and stdout as when timed (a pipe, or the
pseudo-terminal); stderr, which carries valgrind's "Collected : N" line, goes to the pipe too. The
table then gains an "instr ratio" column, the case's instruction count over its floor's, with its
own verdict against the same target. Instruction counts are repeatable for the same binary, inputs
and environment (to within about 0.3%, as Python randomizes string hashing in every process), but they
leave out I/O, page faults and cache misses, and the targets are stated on medians: the timed
medians remain the primary figures. Without valgrind on PATH the column is skipped, with a note.

Targets are reported as PASS or MISS. This is a benchmark, not a test: it exits 0 whatever it
measures, and 2 only when it is misused (a bad option, or no `mbc` to run). Linux and macOS only.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MIN_RUNS = 15
DEFAULT_RUNS = 30
CALLGRIND = ("--tool=callgrind", "--callgrind-out-file=/dev/null")
COLLECTED = re.compile(rb"==\d+== Collected : (\d+)")  # valgrind's total of instructions run
TLDR_VERSION = "3.4.4"
BIG_COPIES = 100
MEMORY_TARGET_MIB = 40.0
TABLES = ("sites", "therapies", "drugs", "regimens", "trials", "biomarkers", "subtypes", "glossary", "sources")
# Fields that hold ids of other entries, wherever they appear (lists, or one id for us_label)
REF_KEYS = frozenset(
    {"sources", "therapies", "drugs", "subtypes", "regimens", "trials", "biomarkers", "biomarkers_any", "sites"}
    | {"after", "not_after", "not_biomarkers", "guidelines", "us_label"}
)
NAME_KEYS = frozenset({"name", "title", "aliases", "brands"})  # suffixed in an entry's copies

MINIMAL_APP = '''\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = typer.Argument("world", help="Who to greet.")) -> None:
    """Say hello."""
    print(f"hello {name}")


if __name__ == "__main__":
    app()
'''

VERSIONS = """\
import importlib.metadata as m, platform
def v(name):
    try:
        return m.version(name)
    except m.PackageNotFoundError:
        return "not installed"
print(platform.python_version(), v("typer"), v("rich"), v("mbc-cli"), sep="\\n")
"""

# The helper that starts and times every measured process (see Runner). Requests on stdin, one a
# line: a mode ("pipe"; "both": stderr on the pipe too; "pty"), then the argv, NUL-separated.
# Replies: "ns maxrss code size\n", then `size` bytes of output.
SPAWNER = r"""
import fcntl, os, struct, sys, termios, time


def drain(fd):
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def run(mode, argv, env):
    null = os.open(os.devnull, os.O_RDWR)
    pty = mode == "pty"
    read, write = os.openpty() if pty else os.pipe()
    if pty:
        fcntl.ioctl(write, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    dup2 = os.POSIX_SPAWN_DUP2
    actions = [(dup2, null, 0), (dup2, write, 1), (dup2, null if mode == "pipe" else write, 2)]
    start = time.perf_counter_ns()
    try:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    except OSError:
        os.close(read)
        raise
    finally:
        os.close(write)
        os.close(null)
    output = drain(read)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    return elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status), output


for line in sys.stdin.buffer:
    mode, extra, *argv = line.rstrip(b"\n").decode("utf-8", "surrogateescape").split("\0")
    env = dict(os.environ)
    env.update(item.split("=", 1) for item in extra.split("\x1f") if item)
    try:
        elapsed, maxrss, code, output = run(mode, argv, env)
    except OSError as error:
        elapsed, maxrss, code, output = 0, 0, 127, str(error).encode()
    sys.stdout.buffer.write(b"%d %d %d %d\n" % (elapsed, maxrss, code, len(output)) + output)
    sys.stdout.buffer.flush()
"""


# ---------------------------------------------------------------- options


@dataclass(frozen=True)
class Options:
    runs: int
    mbc: Path
    python: Path
    data: Path | None
    with_tldr: bool
    json_file: Path | None
    seed: int
    instructions: bool


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="Time mbc's start-up against Python and Typer floors (reports only).")
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help=f"timed runs of each case (default {DEFAULT_RUNS}, at least {MIN_RUNS})",
    )
    parser.add_argument("--mbc", type=Path, help="the mbc executable (default: the one next to this Python)")
    parser.add_argument("--data", type=Path, help="a knowledge file to use instead of the shipped one")
    parser.add_argument("--with-tldr", action="store_true", help=f"install tldr=={TLDR_VERSION} in a temp venv")
    parser.add_argument("--json", dest="json_file", type=Path, help="also write the raw medians to this file")
    parser.add_argument("--seed", type=int, default=0, help="seed for the order of the cases in each round")
    parser.add_argument(
        "--instructions", action="store_true", help="also count each case's instructions once with valgrind (callgrind)"
    )
    args = parser.parse_args(argv)
    if args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS}")
    mbc = (args.mbc or Path(sys.executable).parent / "mbc").absolute()
    if not (mbc.is_file() and os.access(mbc, os.X_OK)):
        parser.error(f"no mbc executable at {mbc} (install mbc in this environment, or give --mbc PATH)")
    python = _shebang_python(mbc) if args.mbc else None
    data = args.data.absolute() if args.data else None
    if data is not None and not data.is_file():
        parser.error(f"--data {data}: no such file")
    python = python or Path(sys.executable)
    return Options(args.runs, mbc, python, data, args.with_tldr, args.json_file, args.seed, args.instructions)


def _shebang_python(script: Path) -> Path | None:
    """The interpreter an installed console script runs under, if its first line names one."""
    try:
        with script.open("rb") as handle:
            first = handle.readline(4096).decode("utf-8", "replace").strip()
    except OSError:
        return None
    found = re.match(r"#!\s*(\S+)$", first)
    if found and Path(found[1]).name.startswith("python") and Path(found[1]).is_file():
        return Path(found[1])
    return None


# ---------------------------------------------------------------- running one process


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    floor: str | None = None  # the case this one is compared with
    target: float | None = None  # the highest acceptable ratio to the floor
    pty: bool = False
    env: tuple[tuple[str, str], ...] = ()  # set for this case only (MBC_PAGER for the pager cases)


@dataclass(frozen=True)
class Sample:
    ms: float
    maxrss_kib: int
    code: int
    output: bytes = b""


def clean_env(tmp: Path, python: Path) -> dict[str, str]:
    """The one environment every process runs in."""
    return {
        "PATH": os.pathsep.join([str(python.parent), os.environ.get("PATH", os.defpath)]),
        "HOME": str(tmp / "home"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "MBC_LOCAL": "",
        "MBC_PAGER": "",  # no pager, except in the cases that time it (they give their own)
    }


class Runner:
    """Starts, drains and times every measured process from a small helper process (`python -I -S`).

    On Linux a child's ru_maxrss is at least the peak RSS of the process it was spawned from, so
    spawning from this script (16 MiB of imports, far more while it writes the big file) would hide
    the memory of anything smaller. The helper is no bigger than `python -c pass`, and it times each
    run itself: posix_spawn, read stdout to the end (a pipe, or for `pty` cases a 24 x 80
    pseudo-terminal that stderr goes to as well), then os.wait4 for the exit status and the rusage.
    """

    def __init__(self, env: dict[str, str]) -> None:
        command = [sys.executable, "-I", "-S", "-c", SPAWNER]
        self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

    def run(self, case: Case, keep: bool = False) -> Sample:
        """One run of the case. Its output is kept (with stderr) when asked for, else only when it failed."""
        extra = "\x1f".join(f"{k}={v}" for k, v in case.env)
        request = "\0".join(["pty" if case.pty else "both" if keep else "pipe", extra, *case.argv])
        if "\n" in request:
            raise ValueError(f"{case.name}: an argument holds a newline")
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(request.encode("utf-8", "surrogateescape") + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline()
        if not header:
            raise RuntimeError("the helper process that runs the cases has died")
        elapsed_ns, maxrss, code, size = map(int, header.split())
        output = self._proc.stdout.read(size)
        kib = maxrss // 1024 if sys.platform == "darwin" else maxrss  # bytes on macOS, KiB on Linux
        return Sample(elapsed_ns / 1e6, kib, code, output if keep or code else b"")

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()


def last_line(output: bytes | str, limit: int = 100) -> str:
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][-limit:] if lines else ""


# ---------------------------------------------------------------- the environment under test


def describe(python: Path, mbc: Path, env: dict[str, str]) -> dict[str, str]:
    """Versions as the Python under test sees them, and the machine."""
    done = subprocess.run([str(python), "-c", VERSIONS], env=env, capture_output=True, text=True, check=False)
    found = done.stdout.split("\n") if done.returncode == 0 else []
    py, typer, rich, mbc_version = (found + ["?"] * 4)[:4]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "python": f"{py} ({python})",
        "typer": typer,
        "rich": rich,
        "mbc": f"{mbc_version} ({mbc})",
        "machine": f"{platform.platform()}, {cpus} of {os.cpu_count()} CPUs available, {_cpu_model()}",
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
    }


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found[1].strip() if found else platform.machine()


def knowledge_file(mbc: Path, env: dict[str, str]) -> tuple[Path | None, str]:
    """The knowledge file mbc uses by default (from `mbc validate --format json`), and its state."""
    command = [str(mbc), "validate", "--format", "json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    try:
        result = json.loads(done.stdout)
        path = Path(result["files"][0])
    except (ValueError, KeyError, IndexError, TypeError):
        return None, last_line(done.stderr) or f"mbc validate exited {done.returncode}"
    problems = result.get("problems") or []
    return path, "valid" if not problems else f"INVALID: {len(problems)} problems, first: {problems[0]}"


# ---------------------------------------------------------------- a knowledge file 100 times the size


def _suffixed(value: Any, suffix: str) -> Any:
    if isinstance(value, list):
        return [f"{item} {suffix}" for item in value]
    return f"{value} {suffix}"


def _copy(value: Any, copy: int, top: bool = False) -> Any:
    """One copy of an entry: its references point to the same copy's ids, its own names are suffixed."""
    if isinstance(value, list):
        return [_copy(item, copy) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in REF_KEYS and isinstance(item, list):
            out[key] = [f"{ref}-c{copy}" for ref in item]
        elif key in REF_KEYS and isinstance(item, str) and item:
            out[key] = f"{item}-c{copy}"
        elif key == "groups" and isinstance(item, list):  # a group's id is named by regimens' `after`
            out[key] = [{**_copy(g, copy), "id": f"{g['id']}-c{copy}", "aliases": []} for g in item]
        elif top and key in NAME_KEYS:
            out[key] = _suffixed(item, f"c{copy}")
        else:
            out[key] = _copy(item, copy)
    return out


def multiply(document: dict[str, Any], copies: int) -> dict[str, Any]:
    """`copies` copies of every entry: copy 0 keeps the original ids, copy n has ids ending in `-cn`."""
    out = {key: value for key, value in document.items() if key not in TABLES}
    for table in TABLES:
        entries = document.get(table, {})
        out[table] = dict(entries)
        for n in range(1, copies):
            out[table].update({f"{key}-c{n}": _copy(entry, n, top=True) for key, entry in entries.items()})
    return out


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that DEL must be escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any, top: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (datetime.date, datetime.time)):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        if top and any(isinstance(item, dict) for item in value):  # inline tables, one per line
            return "[\n" + "".join(f"  {_toml_value(item)},\n" for item in value) + "]"
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_lines(path: list[str], table: dict[str, Any]) -> Iterator[str]:
    """A table of tables: recurse into each. Any other table: its header, then `key = value` lines."""
    if table and all(isinstance(v, dict) for v in table.values()):
        for key, value in table.items():
            yield from _toml_lines([*path, key], value)
        return
    yield f"\n[{'.'.join(_toml_key(p) for p in path)}]"
    for key, value in table.items():
        yield f"{_toml_key(key)} = {_toml_value(value, top=True)}"


def toml_text(document: dict[str, Any]) -> str:
    lines = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in document.items() if not isinstance(v, dict)]
    for key, value in document.items():
        if isinstance(value, dict):
            lines.extend(_toml_lines([key], value))
    return "\n".join(lines) + "\n"


def write_big(source: Path, dest: Path, copies: int = BIG_COPIES) -> str | None:
    """Write `copies` copies of the knowledge in `source` to `dest`; None when done, else why not."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
        except ImportError:
            return "needs Python 3.11 (tomllib) or tomli to read the knowledge file"
    try:
        document = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"cannot read {source}: {error}"
    dest.write_text(toml_text(multiply(document, copies)), encoding="utf-8")
    return None


# ---------------------------------------------------------------- tldr, for a user's comparison


def find_tldr(options: Options, tmp: Path, env: dict[str, str]) -> tuple[Path | None, str]:
    """tldr from a throwaway venv (--with-tldr) or from PATH: its path and version, or why not."""
    if options.with_tldr:
        venv = tmp / "tldr-venv"
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        for step in ([str(options.python), "-m", "venv", str(venv)], [*pip, f"tldr=={TLDR_VERSION}"]):
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode:
                return None, f"could not be installed: {last_line(done.stderr)}"
        tldr = venv / "bin" / "tldr"
    else:
        found = shutil.which("tldr")
        if found is None:
            return None, "is not on PATH (give --with-tldr to install it in a temp venv)"
        tldr = Path(found)
    done = subprocess.run([str(tldr), "--version"], env=env, capture_output=True, text=True, check=False)
    return tldr, last_line(done.stdout) or last_line(done.stderr) or "unknown version"


# ---------------------------------------------------------------- the cases


@dataclass
class Plan:
    cases: list[Case]
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # case name -> why


PASS_FLOOR = "python -c pass"
TYPER_FLOOR = 'python -c "import typer"'
HELP_FLOOR = "minimal Typer app --help"
LIVER = "mbc site liver"
BIG = f"{LIVER} --data BIG"
TLDR = "tldr --render PAGE"
LOOKUPS = (
    ("site", "liver"),
    ("site", "liver", "--format", "json"),
    ("site", "liver", "--brief"),
    ("site", "liver", "bone", "--format", "markdown"),  # several entries, one document
    ("therapy", "hormone"),
    ("drug", "herceptin"),
    ("drug", "trastuzumab", "deruxtecan", "--brief"),
    ("trial", "emerald"),
    ("biomarker", "esr1"),
    (
        "options",
        "--subtype",
        "hr+",
        "--after",
        "ai",
        "--after",
        "ribociclib",
        "--biomarker",
        "esr1",
        "--biomarker",
        "pik3ca",
    ),
    ("search", "radiation"),
    ("search", "esr1", "pik3ca"),  # several words
    ("search", "onj"),  # a synonym
    ("sites",),
    ("drugs", "--format", "json"),
    ("changes",),
)
SEARCH_BIG = ("search", "esr1", "pik3ca")
OPTIONS_BIG = LOOKUPS[9]


def base_cases(options: Options, app: Path) -> list[Case]:
    python, mbc = str(options.python), str(options.mbc)
    cases = [
        Case(PASS_FLOOR, (python, "-c", "pass")),
        Case(TYPER_FLOOR, (python, "-c", "import typer"), PASS_FLOOR),
        Case(HELP_FLOOR, (python, str(app), "--help"), PASS_FLOOR),
    ]
    cases += [Case(f"mbc {' '.join(args)}", (mbc, *args), TYPER_FLOOR, 1.2) for args in LOOKUPS]
    cases.append(Case("mbc --help", (mbc, "--help"), HELP_FLOOR, 1.2))
    cases.append(Case(f"{LIVER} (terminal, styled)", (mbc, "site", "liver"), TYPER_FLOOR, 1.5, pty=True))
    # The default pager (less -FRX) is only started when the output is taller than the terminal, so a
    # brief view that fits pays nothing for it; a tall one is timed through a pager that exits at once.
    # (The brief view here must stay within the 24 rows of the pseudo-terminal, sources included, or
    # less would wait for a key: `mbc site prognosis --brief` is 20 lines.)
    brief = (mbc, "site", "prognosis", "--brief")
    cases.append(
        Case(
            "mbc site prognosis --brief (terminal, fits: no pager)",
            brief,
            TYPER_FLOOR,
            1.5,
            True,
            (("MBC_PAGER", "less -FRX"),),
        )
    )
    tall = (mbc, "site", "liver")
    cases.append(Case(f"{LIVER} (terminal, through a pager)", tall, TYPER_FLOOR, None, True, (("MBC_PAGER", "cat"),)))
    return cases


def add_big(plan: Plan, options: Options, base: Path, tmp: Path, env: dict[str, str]) -> None:
    """Write the big knowledge file, check it, and add the two cases that compare it with `base`."""
    big = tmp / "big.toml"
    print(f"Writing a knowledge file {BIG_COPIES} times the size of {base.name} ...", flush=True)
    started = time.perf_counter()
    why = write_big(base, big)
    if why is None:
        seconds = time.perf_counter() - started
        plan.notes.append(f"Knowledge files: {base.stat().st_size:,} bytes, BIG {big.stat().st_size:,} bytes.")
        command = [str(options.mbc), "--data", str(big), "validate", "--format", "json"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        try:
            result = json.loads(done.stdout)
        except ValueError:
            result = {"problems": [last_line(done.stderr) or f"exit {done.returncode}"]}
        # The copies' suffixed subtype names make some brief lines longer than 80 columns, a rule
        # about the shipped wording, not about scale: any other problem means BIG is not usable.
        problems = [p for p in result.get("problems") or [] if "too long for its one line" not in p]
        if problems:
            why = f"BIG does not validate: {problems[0]}"
        else:
            counts = ", ".join(f"{n} {table}" for table, n in (result.get("counts") or {}).items())
            plan.notes.append(f"BIG (written in {seconds:.1f} s) is valid but for the width of brief lines: {counts}.")
    same = f"{LIVER} --data {'FILE' if options.data else 'SHIPPED'}"
    plan.cases.append(Case(same, (str(options.mbc), "--data", str(base), "site", "liver"), TYPER_FLOOR))
    if why is None:
        plan.cases.append(Case(BIG, (str(options.mbc), "--data", str(big), "site", "liver"), same, 1.3))
        # search: within 1.5x `import typer` on the big file; options: within 1.3x of the shipped figure
        search = (str(options.mbc), "--data", str(big), *SEARCH_BIG)
        plan.cases.append(Case(f"mbc {' '.join(SEARCH_BIG)} --data BIG", search, TYPER_FLOOR, 1.5))
        shipped = f"mbc {' '.join(OPTIONS_BIG[:3])} ... --data {'FILE' if options.data else 'SHIPPED'}"
        plan.cases.append(Case(shipped, (str(options.mbc), "--data", str(base), *OPTIONS_BIG), TYPER_FLOOR))
        big_options = (str(options.mbc), "--data", str(big), *OPTIONS_BIG)
        plan.cases.append(Case(f"mbc {' '.join(OPTIONS_BIG[:3])} ... --data BIG", big_options, shipped, 1.3))
    else:
        plan.skipped[BIG] = why


def add_tldr(plan: Plan, options: Options, tmp: Path, env: dict[str, str]) -> None:
    """The user's comparison: tldr rendering a page as long as mbc's answer."""
    tldr, about = find_tldr(options, tmp, env)
    if tldr is None:
        plan.skipped[TLDR] = f"tldr {about}"
        return
    page = tmp / "page.md"
    command = [str(options.mbc), "site", "liver", "--format", "markdown"]
    page.write_bytes(subprocess.run(command, env=env, capture_output=True, check=False).stdout)
    size = page.stat().st_size
    plan.notes.append(f"tldr: {about}, {tldr}; PAGE: 'mbc site liver --format markdown', {size:,} bytes.")
    plan.cases.append(Case(TLDR, (str(tldr), "--render", str(page))))


def plan_cases(options: Options, base: Path | None, status: str, tmp: Path, env: dict[str, str]) -> Plan:
    app = tmp / "minimal_app.py"
    app.write_text(MINIMAL_APP, encoding="utf-8")
    plan = Plan(base_cases(options, app))
    if base is not None and base.is_file():
        add_big(plan, options, base, tmp, env)
    else:
        plan.skipped[BIG] = f"no knowledge file to copy ({status})"
    add_tldr(plan, options, tmp, env)
    return plan


# ---------------------------------------------------------------- timing


def warm_up(plan: Plan, runner: Runner) -> None:
    """Run every case once (building mbc's cache and the bytecode); note the ones that fail."""
    for case in plan.cases:
        sample = runner.run(case, keep=True)
        if sample.code:
            plan.notes.append(f"'{case.name}' exits {sample.code}: {last_line(sample.output)}")


def measure(cases: Sequence[Case], runner: Runner, runs: int, seed: int) -> dict[str, list[Sample]]:
    """`runs` rounds; each round runs every case once, in a newly shuffled order."""
    order = list(cases)
    shuffler = random.Random(seed)
    samples: dict[str, list[Sample]] = {case.name: [] for case in cases}
    for number in range(runs):
        shuffler.shuffle(order)
        for case in order:
            samples[case.name].append(runner.run(case))
        print(f"\rround {number + 1}/{runs}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return samples


# ---------------------------------------------------------------- counting instructions


def under_callgrind(case: Case, valgrind: str) -> Case:
    """The same case, run by callgrind (which follows the shebang of a script such as mbc)."""
    return dataclasses.replace(case, argv=(valgrind, *CALLGRIND, *case.argv))


def count_instructions(plan: Plan, runner: Runner, valgrind: str) -> dict[str, int]:
    """One run of every case under callgrind: the instructions it ran, by case name. Notes failures."""
    counts: dict[str, int] = {}
    for number, case in enumerate(plan.cases):
        sample = runner.run(under_callgrind(case, valgrind), keep=True)  # stderr, valgrind's report, kept
        found = COLLECTED.findall(sample.output)
        if found:
            counts[case.name] = int(found[-1])
        else:
            why = last_line(sample.output) or "no 'Collected' line"
            plan.notes.append(f"No instruction count for '{case.name}' (valgrind exited {sample.code}): {why}")
        print(f"\rcounting instructions {number + 1}/{len(plan.cases)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return counts


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Row:
    case: Case
    median_ms: float
    spread: float  # the interquartile range, as a fraction of the median
    ratio: float | None
    verdict: str
    instr_ratio: float | None  # of instruction counts, when they were counted
    instr_verdict: str
    rss_mib: float
    codes: str


def _verdict(ratio: float | None, target: float | None) -> str:
    return "" if target is None or ratio is None else "PASS" if ratio <= target else "MISS"


def _row(case: Case, runs: list[Sample], floor: list[Sample] | None, instr: tuple[int | None, int | None]) -> Row:
    """A row of the table; `instr` is the instruction count of the case and of its floor, if counted."""
    quartiles = statistics.quantiles([s.ms for s in runs], n=4)
    median = quartiles[1]
    ratio = median / statistics.median(s.ms for s in floor) if floor else None
    count, floor_count = instr
    instr_ratio = count / floor_count if count and floor_count else None
    return Row(
        case,
        median,
        (quartiles[2] - quartiles[0]) / median,
        ratio,
        _verdict(ratio, case.target),
        instr_ratio,
        _verdict(instr_ratio, case.target),
        max(s.maxrss_kib for s in runs) / 1024,
        ",".join(str(c) for c in sorted({s.code for s in runs})),
    )


def rows(plan: Plan, samples: dict[str, list[Sample]], counts: dict[str, int]) -> list[Row]:
    table = []
    for case in plan.cases:
        instr = counts.get(case.name), counts.get(case.floor or "")
        table.append(_row(case, samples[case.name], samples.get(case.floor or ""), instr))
    if TLDR in samples:  # the user's comparison: mbc over tldr
        instr = counts.get(LIVER), counts.get(TLDR)
        table.append(_row(Case(f"{LIVER} vs tldr", (), TLDR, 1.0), samples[LIVER], samples[TLDR], instr))
    return table


def format_table(table: list[Row], instructions: bool) -> str:
    """The table; with `instructions`, the instruction-count ratio and its verdict follow the timed ones."""
    header = ["case", "median ms", "IQR", "ratio", "to", "target", "", "instr ratio", "", "max RSS MiB", "exit"]
    lines = [header]
    for row in table:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        target = f"<= {row.case.target:.1f}x" if row.case.target is not None else ""
        floor = row.case.floor or ""
        spread = f"{row.spread:.0%}"
        instr = f"{row.instr_ratio:.2f}x" if row.instr_ratio is not None else ""
        rss = f"{row.rss_mib:.1f}"
        timed = [row.case.name, f"{row.median_ms:.1f}", spread, ratio, floor, target, row.verdict]
        lines.append([*timed, instr, row.instr_verdict, rss, row.codes])
    if not instructions:
        lines = [line[:7] + line[9:] for line in lines]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    right = {1, 2, 3, 7, 9} if instructions else {1, 2, 3, 7}
    out = []
    for line in lines:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def memory_verdict(samples: dict[str, list[Sample]]) -> tuple[str, str]:
    peak = max(s.maxrss_kib for s in samples[LIVER]) / 1024
    verdict = "PASS" if peak <= MEMORY_TARGET_MIB else "MISS"
    line = f"Peak memory of '{LIVER}' (max RSS, highest of all runs): {peak:.1f} MiB"
    return f"{line}; target <= {MEMORY_TARGET_MIB:.0f} MiB: {verdict}", verdict


INSTR_LINES = (
    "(instr ratio: of the instructions callgrind counted in one run of each case and of its floor; same targets)",
    "Instruction counts are repeatable for the same binary, inputs and environment (but for Python, which"
    " randomizes string hashing: within about 0.3%), unlike times; they leave out I/O, page faults and cache misses.",
)


def report(
    plan: Plan, samples: dict[str, list[Sample]], counts: dict[str, int] | None, about: dict[str, str], runs: int
) -> dict[str, Any]:
    """Print the table and the notes; return the raw results. `counts`: instruction counts, if asked for."""
    table = rows(plan, samples, counts or {})
    memory, memory_result = memory_verdict(samples)
    print(f"\n{format_table(table, counts is not None)}")
    print("(ratios are of medians; IQR is the spread of the middle half of the runs, as a share of the median)")
    if counts is not None:
        print("\n".join(INSTR_LINES))
    print(f"\n{memory}")
    for name, why in plan.skipped.items():
        print(f"Skipped '{name}': {why}")
    for note in plan.notes:
        print(note)
    verdicts = [row.verdict for row in table if row.verdict] + [memory_result]
    print(f"\n{verdicts.count('PASS')} of {len(verdicts)} targets met; {runs} interleaved runs of each case.")
    if counts is not None:
        instr = [row.instr_verdict for row in table if row.instr_verdict]
        met = f"{instr.count('PASS')} of {len(instr)}"
        print(f"By instruction counts, {met} ratio targets met (a complement: the targets are stated on medians).")
    return {
        "about": about,
        "runs": runs,
        "median_ms": {name: round(statistics.median(s.ms for s in done), 3) for name, done in samples.items()},
        "ratios": {row.case.name: round(row.ratio, 4) for row in table if row.ratio is not None},
        "targets": {**{row.case.name: row.verdict for row in table if row.verdict}, "max RSS": memory_result},
        "max_rss_kib": {name: max(s.maxrss_kib for s in done) for name, done in samples.items()},
        "samples_ms": {name: [round(s.ms, 3) for s in done] for name, done in samples.items()},
        "skipped": plan.skipped,
        "notes": plan.notes,
        **({} if counts is None else instruction_results(table, counts)),
    }


def instruction_results(table: list[Row], counts: dict[str, int]) -> dict[str, Any]:
    return {
        "instructions": counts,
        "instruction_ratios": {row.case.name: round(row.instr_ratio, 4) for row in table if row.instr_ratio},
        "instruction_targets": {row.case.name: row.instr_verdict for row in table if row.instr_verdict},
    }


def print_header(about: dict[str, str], options: Options, base: Path | None, status: str) -> None:
    print("mbc start-up benchmark")
    for key in ("python", "typer", "rich", "mbc", "machine", "date"):
        print(f"  {key + ':':9}{about[key]}")
    print(f"  {'data:':9}{base} ({'--data' if options.data else 'shipped'}; {status})")
    if os.environ.get("MBC_DATA"):
        print("  (MBC_DATA is set in your environment and ignored: use --data)")
    print(flush=True)


# ---------------------------------------------------------------- main


def benchmark(options: Options, tmp: Path) -> dict[str, Any]:
    """Set up, warm up, time and report; return the raw results."""
    env = clean_env(tmp, options.python)
    if options.data:
        env["MBC_DATA"] = str(options.data)
    about = describe(options.python, options.mbc, env)
    base, status = (options.data, "given") if options.data else knowledge_file(options.mbc, env)
    print_header(about, options, base, status)
    plan = plan_cases(options, base, status, tmp, env)
    valgrind = shutil.which("valgrind") if options.instructions else None
    if options.instructions and valgrind is None:
        plan.notes.append("--instructions: valgrind is not on PATH, so the instruction-count column is skipped.")
    runner = Runner(env)
    try:
        warm_up(plan, runner)
        samples = measure(plan.cases, runner, options.runs, options.seed)
        counts = count_instructions(plan, runner, valgrind) if valgrind else None
    finally:
        runner.close()
    return report(plan, samples, counts, about, options.runs)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="mbc-startup-"))
    try:
        raw = benchmark(options, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if options.json_file:
        options.json_file.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
        print(f"Raw results written to {options.json_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
