"""README.md tells the truth: its examples are real output, it names every command, and its command
reference matches the code (tests/docs.py writes both)."""

from __future__ import annotations

import subprocess
import sys

import typer.main

from conftest import ROOT
from mbc_cli.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_examples_and_reference_are_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "docs.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_names_every_command() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert len(commands) >= 18
    for name in commands:
        assert f"`mbc {name}" in README, name


def test_the_readme_gives_the_two_setup_commands_and_ci_runs_the_second() -> None:
    install = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/mbc site liver"
    test = 'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/pytest'
    assert install in README and test in README
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
