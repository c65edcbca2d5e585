"""Shared fixtures: the small test knowledge file, a CLI runner with a fixed environment, golden files."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mbc_cli.cli import app

TESTS = Path(__file__).parent
MINI = TESTS / "data" / "mini.toml"
GOLDEN = TESTS / "golden"
UPDATE = bool(os.environ.get("MBC_UPDATE_GOLDEN"))
COMMANDS = tuple(command.callback.__name__ for command in app.registered_commands if command.callback)

# Every command, with the small test knowledge file: name of the golden file -> arguments.
CASES = {
    "site-liver": ["site", "liver"],
    "site-liver-local": ["site", "hepatic", "--local"],
    "site-liver-tnbc": ["site", "LIVER", "--subtype", "tnbc"],
    "site-liver-systemic-hr": ["site", "liver", "--systemic", "--subtype", "hr+"],
    "site-cord": ["site", "mscc"],
    "therapy-hormone": ["therapy", "hormone"],
    "therapy-surgery-site": ["therapy", "surgery", "--site", "liver"],
    "drug-femara": ["drug", "Femara"],
    "sites": ["sites"],
    "therapies": ["therapies"],
    "therapies-local": ["therapies", "--local"],
    "drugs": ["drugs"],
    "overview": ["overview"],
    "matrix": ["matrix"],
    "search-oestrogen": ["search", "oestrogen"],
    "search-hypercalcemia": ["search", "hypercalcemia"],
    "search-phrase": ["search", "selected", "patients"],
    "search-name": ["search", "hormonal"],
    "sources": ["sources"],
}


def installed_mbc() -> str:
    """The `mbc` console script of the environment running the tests (README installs it)."""
    beside = Path(sys.executable).parent / "mbc"
    found = str(beside) if beside.exists() else shutil.which("mbc")
    assert found, "the mbc command is not installed: run the README's test command (pip install '.[test]')"
    return found


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the user's cache, config or overlays, or depends on the terminal."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("MBC_LOCAL", "")
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("MBC_DATA", "NO_COLOR", "FORCE_COLOR", "MBC_NO_CACHE", "MBC_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    yield


def run(*args: str, data: Path | None = MINI, env: dict[str, str] | None = None) -> Result:
    """Invoke the CLI in-process, by default on the small test knowledge file."""
    prefix = ["--data", str(data)] if data is not None else []
    return CliRunner().invoke(app, [*prefix, *args], env=env)


def golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; MBC_UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        assert UPDATE, f"no golden file {path}: run with MBC_UPDATE_GOLDEN=1 and review it"
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")
