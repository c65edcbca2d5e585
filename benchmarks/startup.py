"""Start-up benchmark for `mbc`: whole processes, timed against floors measured in the same run.

Run it from an ordinary (non-editable) install, so that it measures what users get:

    pip install .
    python benchmarks/startup.py                 # 20 rounds; --runs N for more (at least 15)
    python benchmarks/startup.py --with-tldr     # also compare with the tldr client (installed in a temp venv)
    python benchmarks/startup.py --json out.json # also write the raw medians

By default it times the `mbc` next to the running interpreter (`Path(sys.executable).parent / "mbc"`)
and that interpreter; `--mbc PATH` times another one (its floors then use the Python of its shebang).
`--data FILE` uses another knowledge file in place of the shipped one (the environment's MBC_DATA is
ignored, like the rest of the caller's environment).

Every case runs once per round, in a shuffled order, so drift of the machine falls on all cases
alike; each runs once before timing, which also warms mbc's cache. Every process gets the same
clean environment: a fresh XDG_CACHE_HOME shared by all runs, bytecode writing allowed (no
PYTHONDONTWRITEBYTECODE), no NO_COLOR, COLUMNS=80 and MBC_LOCAL empty (no user overlay).

The targets are reported as PASS or MISS; this is a benchmark, not a test, and it exits 0 whatever
it measures (2 only when it is misused: a bad option, or no `mbc` to run).
"""

from __future__ import annotations

import argparse
import datetime
import fcntl
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MIN_RUNS = 15
TLDR_VERSION = "3.4.4"
BIG_COPIES = 100
MEMORY_TARGET_MIB = 40.0
TABLES = ("sites", "therapies", "drugs", "subtypes", "sources")
REF_KEYS = frozenset({"sources", "therapies", "drugs", "subtypes"})  # lists of ids, wherever they appear
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


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="Time mbc's start-up against Python and Typer floors (reports only).")
    parser.add_argument(
        "--runs", type=int, default=20, help=f"timed runs of each case (default 20, at least {MIN_RUNS})"
    )
    parser.add_argument("--mbc", type=Path, help="the mbc executable (default: the one next to this Python)")
    parser.add_argument("--data", type=Path, help="a knowledge file to use instead of the shipped one")
    parser.add_argument(
        "--with-tldr", action="store_true", help=f"install tldr=={TLDR_VERSION} in a temp venv to compare"
    )
    parser.add_argument("--json", dest="json_file", type=Path, help="also write the raw medians to this file")
    parser.add_argument("--seed", type=int, default=0, help="seed for the order of cases in each round")
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
    return Options(args.runs, mbc, python or Path(sys.executable), data, args.with_tldr, args.json_file, args.seed)


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


@dataclass(frozen=True)
class Sample:
    ms: float
    maxrss_kib: int
    code: int
    output: bytes = b""


def clean_env(tmp: Path, python: Path) -> dict[str, str]:
    """The one environment every process runs in."""
    path = os.pathsep.join([str(python.parent), os.environ.get("PATH", os.defpath)])
    return {
        "PATH": path,
        "HOME": str(tmp / "home"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "MBC_LOCAL": "",
    }


def _reap(proc: subprocess.Popen[bytes]) -> tuple[int, int]:
    """Wait for the process with os.wait4: its exit code and its peak resident set size (KiB on Linux)."""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    maxrss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS
    return proc.returncode, maxrss


def run_piped(argv: Sequence[str], env: dict[str, str], keep: bool = False) -> Sample:
    """Run with stdout on a pipe that is read to the end, stderr discarded."""
    start = time.perf_counter_ns()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    with proc.stdout:
        output = proc.stdout.read()
    code, maxrss = _reap(proc)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    return Sample(elapsed, maxrss, code, output if keep or code else b"")


def _drain(master: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every slave end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def run_pty(argv: Sequence[str], env: dict[str, str], keep: bool = False) -> Sample:
    """Run with stdout and stderr on a pseudo-terminal of 24 x 80, reading its master side to the end."""
    master, slave = os.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        start = time.perf_counter_ns()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
        finally:
            os.close(slave)
        output = _drain(master)
    finally:
        os.close(master)
    code, maxrss = _reap(proc)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    return Sample(elapsed, maxrss, code, output if keep or code else b"")


def run_case(case: Case, env: dict[str, str], keep: bool = False) -> Sample:
    return (run_pty if case.pty else run_piped)(case.argv, env, keep)


def last_line(output: bytes, limit: int = 100) -> str:
    lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip()[-limit:] if lines else ""


# ---------------------------------------------------------------- the environment under test


def describe(python: Path, mbc: Path, env: dict[str, str]) -> dict[str, str]:
    """Versions as seen by the Python under test, and the machine."""
    done = subprocess.run([str(python), "-c", VERSIONS], env=env, capture_output=True, text=True, check=False)
    found = done.stdout.split("\n") if done.returncode == 0 else []
    py, typer, rich, mbc_version = (found + ["?"] * 4)[:4]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "python": f"{py} ({python})",
        "typer": typer,
        "rich": rich,
        "mbc": f"{mbc_version} ({mbc})",
        "machine": f"{platform.platform()}, {cpus} CPUs available of {os.cpu_count()}, {_cpu_model()}",
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
    """The knowledge file mbc uses by default, from `mbc validate --format json`, and what validate said."""
    done = subprocess.run(
        [str(mbc), "validate", "--format", "json"], env=env, capture_output=True, text=True, check=False
    )
    try:
        report = json.loads(done.stdout)
        path = Path(report["files"][0])
    except (ValueError, KeyError, IndexError, TypeError):
        return None, last_line(done.stderr.encode()) or f"mbc validate exited {done.returncode}"
    problems = report.get("problems") or []
    return path, "valid" if not problems else f"INVALID: {len(problems)} problems, first: {problems[0]}"


# ---------------------------------------------------------------- a knowledge file 100 times the size


def _suffixed(value: Any, suffix: str) -> Any:
    if isinstance(value, list):
        return [f"{item} {suffix}" for item in value]
    return f"{value} {suffix}"


def _copy(value: Any, copy: int, top: bool = False) -> Any:
    """One copy of an entry: references point to the same copy's ids; its own names are suffixed."""
    if copy == 0:
        return value
    if isinstance(value, list):
        return [_copy(item, copy) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in REF_KEYS and isinstance(item, list):
            out[key] = [f"{ref}-c{copy}" for ref in item]
        elif top and key in NAME_KEYS:
            out[key] = _suffixed(item, f"c{copy}")
        else:
            out[key] = _copy(item, copy)
    return out


def multiply(document: dict[str, Any], copies: int) -> dict[str, Any]:
    """`copies` copies of every entry; copy 0 keeps the original ids, copy n has ids ending in `-cn`."""
    out = {key: value for key, value in document.items() if key not in TABLES}
    for table in TABLES:
        entries = document.get(table, {})
        out[table] = {
            (key if n == 0 else f"{key}-c{n}"): _copy(entry, n, top=True)
            for n in range(copies)
            for key, entry in entries.items()
        }
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
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        if top and any(isinstance(item, dict) for item in value):  # inline tables, one per line
            return "[\n" + "".join(f"  {_toml_value(item)},\n" for item in value) + "]"
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_lines(path: list[str], table: dict[str, Any]) -> Iterator[str]:
    """A table of tables as headers to recurse into; any other table as one header and its key = value lines."""
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


def in_child(function: Callable[..., str | None], *args: Any) -> str | None:
    """Call `function` in a forked child and return its result: the memory it takes never becomes this
    process's, whose peak RSS would otherwise show as every later child's (Linux counts the RSS of
    the process image that a child is forked from, or vforked from, in the child's ru_maxrss)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return
        os.close(read)
        try:
            result = function(*args) or ""
        except BaseException as error:
            result = f"failed: {type(error).__name__}: {error}"
        os.write(write, result.encode("utf-8", "replace"))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read().decode("utf-8", "replace")
    os.waitpid(pid, 0)
    return message or None


def write_big(source: Path, dest: Path, copies: int = BIG_COPIES) -> str | None:
    """Write the big file; None when it was written, else why not."""
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
    """tldr from a throwaway venv (--with-tldr) or from PATH; the path and its version, or why not."""
    if options.with_tldr:
        venv = tmp / "tldr-venv"
        steps = [
            [str(options.python), "-m", "venv", str(venv)],
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"tldr=={TLDR_VERSION}",
            ],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode:
                return None, f"install failed: {last_line(done.stderr.encode())}"
        tldr = venv / "bin" / "tldr"
    else:
        found = shutil.which("tldr")
        if found is None:
            return None, "not found on PATH (give --with-tldr to install it in a temp venv)"
        tldr = Path(found)
    done = subprocess.run([str(tldr), "--version"], env=env, capture_output=True, text=True, check=False)
    return tldr, (done.stdout.strip() or done.stderr.strip() or "unknown version")


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
LOOKUPS = (
    ("site", "liver"),
    ("site", "liver", "--format", "json"),
    ("therapy", "hormone"),
    ("drug", "herceptin"),
    ("search", "radiation"),
    ("sites",),
)


def base_cases(options: Options, app: Path) -> list[Case]:
    python, mbc = str(options.python), str(options.mbc)
    cases = [
        Case(PASS_FLOOR, (python, "-c", "pass")),
        Case(TYPER_FLOOR, (python, "-c", "import typer"), PASS_FLOOR),
        Case(HELP_FLOOR, (python, str(app), "--help"), PASS_FLOOR),
    ]
    cases += [Case(f"mbc {' '.join(args)}", (mbc, *args), TYPER_FLOOR, 1.2) for args in LOOKUPS]
    cases.append(Case("mbc --help", (mbc, "--help"), HELP_FLOOR, 1.2))
    cases.append(Case(f"{LIVER} (terminal, rich)", (mbc, "site", "liver"), TYPER_FLOOR, 1.5, pty=True))
    return cases


def add_big(plan: Plan, options: Options, base: Path, tmp: Path, env: dict[str, str]) -> None:
    """Generate the big knowledge file, check it, and add the pair of cases that compares the two files."""
    big = tmp / "big.toml"
    name = f"{LIVER} --data BIG"
    print(f"Writing a knowledge file {BIG_COPIES} times the size of {base} ...", flush=True)
    started = time.perf_counter()
    why = in_child(write_big, base, big)
    if why is None:
        sizes = f"{base.stat().st_size:,} bytes shipped, {big.stat().st_size:,} bytes BIG"
        plan.notes.append(f"Knowledge files: {sizes} (written in {time.perf_counter() - started:.1f} s).")
        done = subprocess.run(
            [str(options.mbc), "--data", str(big), "validate"], env=env, capture_output=True, check=False
        )
        if done.returncode:
            why = f"BIG does not validate: {last_line(done.stderr) or last_line(done.stdout)}"
        else:
            plan.notes.append(f"BIG validates: {last_line(done.stdout, 200)}")
    same = f"{LIVER} --data {'FILE' if options.data else 'SHIPPED'}"
    plan.cases.append(Case(same, (str(options.mbc), "--data", str(base), "site", "liver"), TYPER_FLOOR))
    if why is None:
        plan.cases.append(Case(name, (str(options.mbc), "--data", str(big), "site", "liver"), same, 1.3))
    else:
        plan.skipped[name] = why


def add_tldr(plan: Plan, options: Options, tmp: Path, env: dict[str, str]) -> None:
    """The user's comparison: tldr rendering a page as long as mbc's answer."""
    name = f"tldr --render PAGE (tldr {TLDR_VERSION})"
    tldr, about = find_tldr(options, tmp, env)
    if tldr is None:
        plan.skipped[name] = f"tldr {about}"
        return
    page = tmp / "page.md"
    answer = run_piped((str(options.mbc), "site", "liver", "--format", "markdown"), env, keep=True)
    page.write_bytes(answer.output)
    plan.notes.append(f"tldr: {tldr} ({about}); page: mbc site liver --format markdown, {len(answer.output):,} bytes.")
    plan.cases.append(Case(name, (str(tldr), "--render", str(page)), None))


# ---------------------------------------------------------------- timing


def warm_up(plan: Plan, env: dict[str, str]) -> None:
    """Run every case once (building caches and bytecode); note the ones that fail."""
    for case in plan.cases:
        sample = run_case(case, env, keep=True)
        if sample.code:
            plan.notes.append(f"{case.name}: exit {sample.code}: {last_line(sample.output)}")


def measure(cases: Sequence[Case], env: dict[str, str], runs: int, seed: int) -> dict[str, list[Sample]]:
    """`runs` rounds; each round runs every case once, in a newly shuffled order."""
    order = list(cases)
    shuffler = random.Random(seed)
    samples: dict[str, list[Sample]] = {case.name: [] for case in cases}
    for round_number in range(runs):
        shuffler.shuffle(order)
        for case in order:
            samples[case.name].append(run_case(case, env))
        print(f"\rround {round_number + 1}/{runs}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return samples


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Row:
    case: Case
    median_ms: float
    ratio: float | None
    verdict: str
    rss_mib: float
    codes: str


def rows(plan: Plan, samples: dict[str, list[Sample]]) -> list[Row]:
    medians = {name: statistics.median(s.ms for s in runs) for name, runs in samples.items()}
    result = []
    for case in plan.cases:
        median = medians[case.name]
        ratio = median / medians[case.floor] if case.floor else None
        verdict = ""
        if case.target is not None and ratio is not None:
            verdict = "PASS" if ratio <= case.target else "MISS"
        rss = statistics.median(s.maxrss_kib for s in samples[case.name]) / 1024
        codes = sorted({s.code for s in samples[case.name]})
        result.append(Row(case, median, ratio, verdict, rss, ",".join(map(str, codes))))
    return result


def _tldr_row(table: list[Row]) -> Row | None:
    tldr = next((row for row in table if row.case.name.startswith("tldr")), None)
    liver = next(row for row in table if row.case.name == LIVER)
    if tldr is None:
        return None
    ratio = liver.median_ms / tldr.median_ms
    case = Case(f"{LIVER} vs tldr", (), tldr.case.name, 1.0)
    return Row(case, liver.median_ms, ratio, "PASS" if ratio <= 1.0 else "MISS", liver.rss_mib, liver.codes)


def format_table(table: list[Row]) -> str:
    header = ("case", "median ms", "ratio", "to", "target", "", "max RSS MiB", "exit")
    lines = [header]
    for row in table:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        target = f"<= {row.case.target:.1f}x" if row.case.target is not None else ""
        lines.append(
            (
                row.case.name,
                f"{row.median_ms:.1f}",
                ratio,
                row.case.floor or "",
                target,
                row.verdict,
                f"{row.rss_mib:.1f}",
                row.codes,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    right = {1, 2, 6}
    out = []
    for number, line in enumerate(lines):
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if number == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def memory_line(samples: dict[str, list[Sample]]) -> tuple[str, bool]:
    peak = max(s.maxrss_kib for s in samples[LIVER]) / 1024
    ok = peak <= MEMORY_TARGET_MIB
    verdict = "PASS" if ok else "MISS"
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = f"Peak memory of '{LIVER}' (max RSS, highest of all runs): {peak:.1f} MiB"
    caveat = f"no child can read below this benchmark's own peak RSS, {own:.1f} MiB"
    return f"{line}; target <= {MEMORY_TARGET_MIB:.0f} MiB: {verdict}\n  ({caveat})", ok


def report(plan: Plan, samples: dict[str, list[Sample]], about: dict[str, str], options: Options) -> dict[str, Any]:
    table = rows(plan, samples)
    tldr = _tldr_row(table)
    shown = [*table, tldr] if tldr else table
    print()
    print(format_table(shown))
    print()
    memory, memory_ok = memory_line(samples)
    print(memory)
    for name, why in plan.skipped.items():
        print(f"Skipped '{name}': {why}")
    for note in plan.notes:
        print(note)
    verdicts = [row.verdict for row in shown if row.verdict] + ["PASS" if memory_ok else "MISS"]
    print(f"\n{verdicts.count('PASS')} of {len(verdicts)} targets met ({options.runs} interleaved runs of each case).")
    return {
        "about": about,
        "runs": options.runs,
        "median_ms": {row.case.name: round(row.median_ms, 3) for row in table},
        "ratios": {row.case.name: round(row.ratio, 4) for row in shown if row.ratio is not None},
        "targets": {row.case.name: row.verdict for row in shown if row.verdict},
        "max_rss_kib": {name: max(s.maxrss_kib for s in runs) for name, runs in samples.items()},
        "samples_ms": {name: [round(s.ms, 3) for s in runs] for name, runs in samples.items()},
        "skipped": plan.skipped,
    }


def print_header(about: dict[str, str], options: Options, base: Path | None, status: str) -> None:
    print("mbc start-up benchmark")
    for key in ("python", "typer", "rich", "mbc", "machine", "date"):
        print(f"  {key + ':':9}{about[key]}")
    source = "--data" if options.data else "shipped"
    print(f"  {'data:':9}{base} ({source}; {status})")
    if os.environ.get("MBC_DATA"):
        print("  (MBC_DATA is set in your environment and ignored: use --data)")
    print(flush=True)


# ---------------------------------------------------------------- main


def plan_cases(options: Options, base: Path | None, status: str, tmp: Path, env: dict[str, str]) -> Plan:
    app = tmp / "minimal_app.py"
    app.write_text(MINIMAL_APP, encoding="utf-8")
    plan = Plan(base_cases(options, app))
    if base is not None and base.is_file():
        add_big(plan, options, base, tmp, env)
    else:
        plan.skipped[f"{LIVER} --data BIG"] = f"no knowledge file to copy ({status})"
    add_tldr(plan, options, tmp, env)
    return plan


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="mbc-startup-"))
    try:
        env = clean_env(tmp, options.python)
        if options.data:
            env["MBC_DATA"] = str(options.data)
        about = describe(options.python, options.mbc, env)
        base, status = (options.data, "given") if options.data else knowledge_file(options.mbc, env)
        print_header(about, options, base, status)
        plan = plan_cases(options, base, status, tmp, env)
        warm_up(plan, env)
        samples = measure(plan.cases, env, options.runs, options.seed)
        raw = report(plan, samples, about, options)
        if options.json_file:
            options.json_file.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
            print(f"Raw medians written to {options.json_file}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
