"""The installed `mbc` command in real processes: piped, on a pseudo-terminal, closed pipes, Ctrl-C."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CASES, GOLDEN, MINI, golden, installed_mbc

SGR = re.compile(r"\x1b\[[0-9;]*m")
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM")}
    env.update({"COLUMNS": "80", "MBC_LOCAL": "", "TERM": "xterm-256color", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra)
    return env


def piped(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_mbc(), *args], capture_output=True, text=True, env=environment(**env), timeout=60, check=False
    )


def on_terminal(*args: str, **env: str) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal; return the exit code and what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [installed_mbc(), *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=environment(**env)
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=30), b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.parametrize("case", CASES)
def test_every_command_piped_prints_its_plain_text_golden_file(case: str) -> None:
    result = piped("--data", str(MINI), *CASES[case])
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / f"{case}.txt").read_text()


@pytest.mark.parametrize("case", CASES)
def test_every_command_on_a_terminal_prints_its_styled_golden_file(case: str) -> None:
    code, shown = on_terminal("--data", str(MINI), *CASES[case])
    assert code == 0
    golden(f"{case}.pty", shown)


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_piped_formats_match_the_in_process_goldens(fmt: str) -> None:
    result = piped("--data", str(MINI), "site", "liver", "--format", fmt)
    assert result.stdout == (GOLDEN / f"site-liver.{'md' if fmt == 'markdown' else 'json'}").read_text()


def test_terminal_output_is_styled_with_colour() -> None:
    code, shown = on_terminal("--data", str(MINI), "site", "liver")
    assert code == 0
    assert COLOUR.search(shown)
    assert SGR.sub("", shown).startswith("Liver (metastasis site)\nTest liver summary.")


def test_no_color_turns_colour_off_on_a_terminal() -> None:
    code, shown = on_terminal("--data", str(MINI), "site", "liver", NO_COLOR="1")
    assert code == 0
    assert not COLOUR.search(shown)
    assert "Endocrine therapy" in SGR.sub("", shown)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_an_explicit_format_on_a_terminal_has_no_escape_codes(fmt: str) -> None:
    code, shown = on_terminal("--data", str(MINI), "site", "liver", "--format", fmt)
    assert code == 0
    assert "\x1b" not in shown


@pytest.mark.parametrize("columns", ["10", "20", "45", "80", "200", "500"])
@pytest.mark.parametrize("term", ["xterm-256color", "dumb"])
def test_any_width_and_terminal_type_works(columns: str, term: str) -> None:
    code, shown = on_terminal("--data", str(MINI), "matrix", COLUMNS=columns, TERM=term)
    assert code == 0
    assert "Traceback" not in shown
    assert "endocrine" in SGR.sub("", shown)
    result = piped("--data", str(MINI), "site", "liver", COLUMNS=columns, TERM=term)
    assert (result.returncode, result.stderr) == (0, "")
    assert "\x1b" not in result.stdout
    assert result.stdout.startswith("Liver (metastasis site)\n") or int(columns) < 30


def test_force_color_styles_a_pipe_and_no_color_still_wins_over_colour() -> None:
    forced = piped("--data", str(MINI), "site", "liver", FORCE_COLOR="1").stdout
    assert COLOUR.search(forced)
    assert SGR.sub("", forced) == SGR.sub("", on_terminal("--data", str(MINI), "site", "liver")[1])
    both = piped("--data", str(MINI), "site", "liver", FORCE_COLOR="1", NO_COLOR="1").stdout
    assert SGR.search(both) and not COLOUR.search(both)


def test_usage_error_is_one_line_on_stderr() -> None:
    result = piped("--data", str(MINI), "site", "--bogus")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "mbc: No such option: --bogus (see 'mbc site --help')\n"


def test_a_closed_pipe_ends_quietly() -> None:
    with subprocess.Popen(
        [installed_mbc(), "search", "the", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline()
        process.stdout.close()
        assert process.wait(timeout=60) == 0
        assert process.stderr.read() == b""


def big_knowledge(path: Path, copies: int) -> Path:
    """MINI with many extra sites: slow enough to parse that a Ctrl-C lands during the work."""
    text = MINI.read_text()
    start = text.index("[sites.cord-compression]")
    end = text.index("[therapies.endocrine]")
    block = text[start:end].replace('aliases = ["mscc"]\n', "")
    extra = "".join(
        block.replace("cord-compression", f"cc-{i}").replace('"Spinal cord', f'"Copy {i} spinal cord')
        for i in range(copies)
    )
    path.write_text(text[:end] + extra + text[end:])
    return path


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    data = big_knowledge(tmp_path / "big.toml", 60_000)
    process = subprocess.Popen(
        [installed_mbc(), "--data", str(data), "site", "liver"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(MBC_NO_CACHE="1"),
    )
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (130, b"", b"")


def test_python_m_runs_the_same_app() -> None:
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mbc_cli", "--data", str(MINI), "sites"],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
        check=False,
    )
    assert result.stdout == (GOLDEN / "sites.txt").read_text()


INVALID = sorted((MINI.parent / "invalid").glob("*.toml"))


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_broken_file_through_the_installed_command(path: Path) -> None:
    from test_knowledge import expected

    result = piped("validate", str(path))
    assert (result.returncode, result.stdout, result.stderr) == (
        3,
        f"problem: {expected(path)}\n",
        "mbc: 1 problem found\n",
    )
    lookup = piped("--data", str(path), "sites")
    assert (lookup.returncode, lookup.stdout, lookup.stderr) == (3, "", f"mbc: {expected(path)}\n")


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "not utf-8", "huge", "deep", "fifo"])
def test_unreadable_files_through_the_installed_command(tmp_path: Path, case: str) -> None:
    from test_knowledge import unreadable

    path, reason = unreadable(tmp_path)[case]
    result = piped("--data", str(path), "site", "liver", MBC_NO_CACHE="1")
    where = f"{path}:2" if case == "not utf-8" else str(path)
    assert (result.returncode, result.stdout, result.stderr) == (3, "", f"mbc: {where}: {reason}\n")


def test_hostile_text_in_data_is_shown_literally_on_a_terminal_and_in_a_pipe(tmp_path: Path) -> None:
    from test_hostile import hostile_knowledge

    evil = "[bold red]x[/] \x1b[2J\x07\x9b31m \u202etxt"
    data = hostile_knowledge(tmp_path, evil)
    code, shown = on_terminal("--data", str(data), "site", "liver")
    assert code == 0
    assert "[bold red]x[/] \u241b[2J\u2407\ufffd31m \ufffdtxt" in SGR.sub("", shown)
    assert "\x07" not in shown and "\x9b" not in shown and "\x1b[2J" not in shown
    for fmt in ("text", "markdown", "json"):
        result = piped("--data", str(data), "site", "liver", "--format", fmt)
        assert result.returncode == 0
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.stdout), fmt


@pytest.mark.parametrize("delay", [0.04, 0.05, 0.06, 0.08, 0.1, 0.12])
def test_ctrl_c_while_loading_exits_130_without_a_traceback(delay: float) -> None:
    # From 40 ms on: before that the interpreter itself and pip's wrapper script are still starting.
    process = subprocess.Popen(
        [installed_mbc(), "--data", str(MINI), "search", "test"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert b"Traceback" not in err
    assert process.returncode in (0, 130)  # 0 when it had already finished
    if process.returncode == 130:
        assert (out, err) == (b"", b"")


def test_output_that_cannot_be_written_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [installed_mbc(), "--data", str(MINI), "site", "liver"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            timeout=60,
            check=False,
        )
    assert (result.returncode, result.stderr) == (1, "mbc: cannot write the output: No space left on device\n")
    closed = subprocess.run(
        [installed_mbc(), "--data", str(MINI), "site", "liver"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert (closed.returncode, closed.stderr) == (0, "")


def test_version_reports_the_knowledge_in_use_whatever_the_order() -> None:
    expected = "mbc 0.1.0 (knowledge reviewed 2026-11-01)\n"
    assert piped("--version", "--data", str(MINI)).stdout == expected
    assert piped("--version", MBC_DATA=str(MINI)).stdout == expected
