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


def benchmark(options: Options, tmp: Path) -> dict[str, Any]:
    """Set up, warm up, time and report; return the raw results."""
    env = clean_env(tmp, options.python)
    if options.data:
        env["MBC_DATA"] = str(options.data)
    about = describe(options.python, options.mbc, env)
    base, status = (options.data, "given") if options.data else knowledge_file(options.mbc, env)
    print_header(about, options, base, status)
    plan = plan_cases(options, base, status, tmp, env)
    runner = Runner(env)
    try:
        warm_up(plan, runner)
        samples = measure(plan.cases, runner, options.runs, options.seed)
    finally:
        runner.close()
    return report(plan, samples, about, options)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="mbc-startup-"))
    try:
        raw = benchmark(options, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if options.json_file:
        options.json_file.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
        print(f"Raw medians written to {options.json_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
