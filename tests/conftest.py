"""Shared fixtures: the checkout under test, a fixed environment and clock, the small test knowledge
file, golden files, and a real install of this checkout for the tests of the installed command."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

import mbc_cli

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
MINI = TESTS / "data" / "mini.toml"
GOLDEN = TESTS / "golden"
TODAY = "2026-12-01"  # every test runs on this day (MBC_TODAY), whatever the clock says

# Hypothesis draws the same examples on every run ("default"); `pytest --hypothesis-profile=long`
# draws new ones, many more, to look for new failures (see README, Development).
settings.register_profile(
    "default", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


def pytest_sessionstart(session: pytest.Session) -> None:
    """`pytest` in a checkout tests that checkout, not an installed copy of mbc."""
    where = Path(mbc_cli.__file__).resolve()
    assert where.is_relative_to(ROOT), f"mbc_cli was imported from {where}, not from the checkout {ROOT}"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the user's cache, config or overlays, or depends on the terminal or the date."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("MBC_LOCAL", "")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("MBC_TODAY", TODAY)
    for name in ("MBC_DATA", "NO_COLOR", "FORCE_COLOR", "MBC_NO_CACHE", "MBC_DEBUG", "MBC_PAGER", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    yield


class Result(NamedTuple):
    code: int
    stdout: str
    stderr: str


def run(*args: str, data: Path | None = MINI, env: dict[str, str] | None = None) -> Result:
    """`mbc ARGS` in-process, through `mbc_cli.main` inside Typer's CliRunner isolation (captured
    streams, not a terminal), by default on the small test knowledge file."""
    prefix = ["--data", str(data)] if data is not None else []
    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        code = mbc_cli.main([*prefix, *args])
        sys.stdout.flush()
        sys.stderr.flush()
        return Result(code, stdout.getvalue().decode(), stderr.getvalue().decode())


def golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME. A difference writes NAME.new beside it and fails with the
    diff; `python tests/golden.py accept` takes the .new files once a person has read them."""
    path = GOLDEN / name
    new = path.with_name(path.name + ".new")
    expected = path.read_text(encoding="utf-8") if path.exists() else None
    if actual == expected:
        new.unlink(missing_ok=True)
        return
    new.write_text(actual, encoding="utf-8")
    diff = "".join(
        difflib.unified_diff((expected or "").splitlines(True), actual.splitlines(True), name, name + ".new")
    )
    pytest.fail(f"{name} differs (written to {new.name}; review, then `python tests/golden.py accept`):\n{diff}")


# ---------------------------------------------------------------- the installed command


class Installed(NamedTuple):
    mbc: Path
    python: Path


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """This checkout installed the way a user installs it (a wheel built from the tree, not an
    editable install), in a new virtual environment that borrows the test environment's packages."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "_test_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps"]
    subprocess.run(
        [*pip, "--no-build-isolation", "--no-index", "--no-cache-dir", str(ROOT)],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    where = package_of(python, venv)  # not from the checkout, whose mbc_cli `python -c` would import first
    assert where.is_relative_to(venv), f"the installed command would use mbc_cli from {where}"
    return Installed(venv / "bin" / "mbc", python)


def package_of(python: Path, cwd: Path) -> Path:
    """The mbc_cli package directory that `python`, run in `cwd`, imports."""
    done = subprocess.run(
        [str(python), "-c", "import mbc_cli; print(mbc_cli.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    return Path(done.stdout.strip()).parent
