"""The installed `mbc` in real processes: piped and on a pseudo-terminal, colours and links, the pager,
closed pipes and full disks, odd encodings, homes and paths, completion, Ctrl-C."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from cases import CASES

from conftest import GOLDEN, MINI, TODAY, Installed, golden

SGR = re.compile(r"\x1b\[([0-9;]*)m")
OSC8 = re.compile(r"\x1b\]8;;[^\x1b]*\x1b\\")
ANY_ESCAPE = re.compile(r"\x1b")
BAD_COLOURS = {"33", "34", "36", "93", "94", "96", "43", "44", "46"}  # hard to read on white or on black


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLORTERM", "PAGER", "LESS")}
    env.update({"COLUMNS": "80", "MBC_LOCAL": "", "TERM": "xterm-256color", "MBC_TODAY": TODAY, "MBC_PAGER": ""})
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def piped(installed: Installed, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(installed.mbc), *args], capture_output=True, text=True, env=environment(**env), timeout=60, check=False
    )


def on_terminal(installed: Installed, *args: str, rows: int = 200, columns: int = 80, **env: str) -> tuple[int, str]:
    """Run on a pseudo-terminal of `rows` x `columns` (stdin, stdout and stderr); return the exit code
    and what it showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        [str(installed.mbc), *args], stdin=follower, stdout=follower, stderr=follower, env=environment(**env)
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
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
    return process.wait(timeout=60), b"".join(chunks).decode().replace("\r\n", "\n")


# ---------------------------------------------------------------- the same answers, piped and on a terminal


@pytest.mark.parametrize("case", CASES)
def test_every_command_piped_prints_its_plain_text_golden_file(installed: Installed, case: str) -> None:
    result = piped(installed, "--data", str(MINI), *CASES[case])
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / f"{case}.txt").read_text()


@pytest.mark.parametrize("case", ["site-liver", "site-cord-brief", "drug-femara", "options-after", "sites", "matrix"])
def test_on_a_terminal_output_is_styled(installed: Installed, case: str) -> None:
    code, shown = on_terminal(installed, "--data", str(MINI), *CASES[case])
    assert code == 0
    golden(f"{case}.pty", shown)
    assert OSC8.sub("", SGR.sub("", shown)).splitlines()[0] == (GOLDEN / f"{case}.txt").read_text().splitlines()[0]


def test_colours_read_on_light_and_dark_backgrounds(installed: Installed) -> None:
    used: set[str] = set()
    for args in CASES.values():
        _, shown = on_terminal(installed, "--data", str(MINI), *args)
        for codes in SGR.findall(shown):
            used.update(codes.split(";"))
    assert used & BAD_COLOURS == set()
    assert used <= {"", "0", "1", "2", "3", "4", "31", "32", "35"}, used


def test_links_are_clickable_on_a_terminal_only(installed: Installed) -> None:
    _, shown = on_terminal(installed, "--data", str(MINI), "site", "liver")
    assert "\x1b]8;;https://example.org/a\x1b\\https://example.org/a\x1b]8;;\x1b\\" in shown
    assert not OSC8.search(on_terminal(installed, "--data", str(MINI), "site", "liver", TERM="dumb")[1])
    forced = piped(installed, "--data", str(MINI), "site", "liver", FORCE_COLOR="1").stdout
    assert SGR.search(forced) and not OSC8.search(forced)
    assert not ANY_ESCAPE.search(piped(installed, "--data", str(MINI), "site", "liver").stdout)


def test_no_color_keeps_bold_and_drops_colour(installed: Installed) -> None:
    _, shown = on_terminal(installed, "--data", str(MINI), "drug", "ribociclib", NO_COLOR="1")
    codes = {c for found in SGR.findall(shown) for c in found.split(";")}
    assert "1" in codes and not codes & {"31", "32", "35"}


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_an_explicit_format_on_a_terminal_has_no_escape_codes(installed: Installed, fmt: str) -> None:
    code, shown = on_terminal(installed, "--data", str(MINI), "site", "liver", "--format", fmt)
    assert code == 0 and not ANY_ESCAPE.search(shown)


def test_prose_wraps_at_100_columns_on_a_wide_terminal(installed: Installed, tmp_path: Path) -> None:
    long = tmp_path / "long.toml"
    long.write_text(MINI.read_text().replace("Test liver summary.", "Test liver summary " + "word " * 60 + "."))
    code, shown = on_terminal(installed, "--data", str(long), "site", "liver", columns=160, COLUMNS="160", NO_COLOR="1")
    widths = [len(OSC8.sub("", SGR.sub("", line))) for line in shown.splitlines()]
    assert code == 0 and 90 < max(widths) <= 100


# ---------------------------------------------------------------- the pager

RECORDER = """import sys
data = sys.stdin.buffer.read()
open(sys.argv[1], "wb").write(data)
"""


def recorder(tmp_path: Path) -> tuple[str, Path]:
    script = tmp_path / "pager.py"
    script.write_text(RECORDER)
    record = tmp_path / "got.txt"
    return f"{sys.executable} {script} {record}", record


def test_tall_output_goes_through_the_pager(installed: Installed, tmp_path: Path) -> None:
    command, record = recorder(tmp_path)
    code, shown = on_terminal(installed, "--data", str(MINI), "drug", "femara", rows=10, MBC_PAGER=command)
    assert code == 0
    got = record.read_text()
    assert got.startswith("\x1b[1;4mLetrozole\x1b[0m") and "Sources" in got  # styled, all of it
    assert "Sources" not in shown  # the pager showed it, not mbc


def test_the_pager_is_chosen_from_mbc_pager_then_pager(installed: Installed, tmp_path: Path) -> None:
    command, record = recorder(tmp_path)
    code, _ = on_terminal(installed, "--data", str(MINI), "drug", "femara", rows=10, MBC_PAGER=None, PAGER=command)  # type: ignore[arg-type]
    assert code == 0 and record.exists()


@pytest.mark.parametrize("how", ["short output", "--no-pager", "empty MBC_PAGER", "piped"])
def test_no_pager_when_it_fits_or_is_turned_off(installed: Installed, tmp_path: Path, how: str) -> None:
    command, record = recorder(tmp_path)
    args = ["--data", str(MINI), "drug", "femara"]
    if how == "piped":
        assert piped(installed, *args, MBC_PAGER=command).returncode == 0
    elif how == "short output":
        assert on_terminal(installed, *args, rows=200, MBC_PAGER=command)[0] == 0
    elif how == "--no-pager":
        assert on_terminal(installed, *args, "--no-pager", rows=10, MBC_PAGER=command)[0] == 0
    else:
        assert on_terminal(installed, *args, rows=10, MBC_PAGER="", PAGER=command)[0] == 0
    assert not record.exists()


@pytest.mark.parametrize(("term", "paged"), [("xterm-256color", True), ("dumb", False)])
def test_the_default_pager_is_less_but_not_on_a_dumb_terminal(
    installed: Installed, tmp_path: Path, term: str, paged: bool
) -> None:
    command, record = recorder(tmp_path)
    (tmp_path / "bin").mkdir()
    less = tmp_path / "bin" / "less"
    less.write_text(f"#!/bin/sh\nexec {command}\n")
    less.chmod(0o755)
    path = f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"
    code, _ = on_terminal(
        installed, "--data", str(MINI), "drug", "femara", rows=10, MBC_PAGER=None, PATH=path, TERM=term
    )  # type: ignore[arg-type]
    assert code == 0 and record.exists() == paged


@pytest.mark.parametrize("pager", ["/nonexistent/pager", "false", "'unclosed"])
def test_a_pager_that_is_missing_or_fails_falls_back_to_printing(installed: Installed, pager: str) -> None:
    code, shown = on_terminal(installed, "--data", str(MINI), "drug", "femara", rows=10, MBC_PAGER=pager)
    assert code == 0
    assert "Sources" in shown and "Traceback" not in shown


def test_quitting_the_pager_early_ends_quietly(installed: Installed, tmp_path: Path) -> None:
    script = tmp_path / "quit.py"
    script.write_text("import sys\nsys.stdin.buffer.read(10)\n")
    long = ["--data", str(MINI), "search", "test"] * 1
    code, shown = on_terminal(installed, *long, rows=3, MBC_PAGER=f"{sys.executable} {script}")
    assert code == 0 and "Traceback" not in shown and "mbc:" not in shown


# ---------------------------------------------------------------- pipes, disks, signals


def test_a_closed_pipe_ends_quietly(installed: Installed) -> None:
    for args in (["--data", str(MINI), "search", "test", "--format", "json"], ["--help"]):
        with subprocess.Popen(
            [str(installed.mbc), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment()
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            assert process.stdout.readline()
            process.stdout.close()
            assert process.wait(timeout=60) == 0
            assert process.stderr.read() == b""


@pytest.mark.parametrize("args", [["--data", str(MINI), "site", "liver"], ["--help"], ["site", "--help"]])
def test_output_that_cannot_be_written_is_one_line(installed: Installed, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(installed.mbc), *args], stdout=full, stderr=subprocess.PIPE, text=True, env=environment(), timeout=60
        )
    assert (result.returncode, result.stderr) == (1, "mbc: cannot write the output: No space left on device\n")


def test_a_closed_stdout_is_not_an_error(installed: Installed) -> None:
    closed = subprocess.run(
        [str(installed.mbc), "--data", str(MINI), "site", "liver"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert (closed.returncode, closed.stderr) == (0, "")


def test_ctrl_c_exits_130_quietly(installed: Installed) -> None:
    """The handler mbc's entry point installs, met by a real SIGINT: deterministic, no sleeping."""
    script = (
        "import os, signal, time, mbc_cli; mbc_cli.interrupts(); os.kill(os.getpid(), signal.SIGINT); time.sleep(30)"
    )
    done = subprocess.run([str(installed.python), "-c", script], capture_output=True, timeout=60, cwd="/")
    assert (done.returncode, done.stdout, done.stderr) == (130, b"", b"")


def test_python_m_runs_the_same_app(installed: Installed) -> None:
    done = subprocess.run(
        [str(installed.python), "-m", "mbc_cli", "--data", str(MINI), "sites"],
        capture_output=True,
        text=True,
        env=environment(),
        cwd="/",
        timeout=60,
    )
    assert done.stdout == (GOLDEN / "sites.txt").read_text()


# ---------------------------------------------------------------- encodings, homes, paths


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C"},
        {"PYTHONUTF8": "0", "LC_ALL": "POSIX"},
    ],
    ids=["ascii", "latin-1", "C", "POSIX"],
)
def test_any_output_encoding(installed: Installed, env: dict[str, str]) -> None:
    for fmt in ("text", "json"):
        result = subprocess.run(
            [str(installed.mbc), "--data", str(MINI), "site", "liver", "bone", "-f", fmt],
            capture_output=True,
            env=environment(**env),
            timeout=60,
        )
        assert (result.returncode, result.stderr) == (0, b""), fmt
        assert b"Liver" in result.stdout
    unicode = subprocess.run(
        [str(installed.mbc), "--data", str(MINI), "search", "\u0397\u0395\u03a12"],
        capture_output=True,
        env=environment(**env),
    )
    assert unicode.returncode == 1 and unicode.stderr.startswith(b"mbc: nothing found for '")


def test_an_unusable_config_directory_is_one_warning(installed: Installed, tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "mbc").write_text("a file where the directory should be")
    result = piped(installed, "--data", str(MINI), "sites", XDG_CONFIG_HOME=str(tmp_path / "config"), MBC_LOCAL=None)  # type: ignore[arg-type]
    assert result.returncode == 0
    assert result.stderr == (
        f"mbc: warning: cannot look for your overlay {tmp_path}/config/mbc/local.toml (Not a directory);"
        " carrying on without it\n"
    )
    assert piped(installed, "--version", XDG_CONFIG_HOME=str(tmp_path / "config"), MBC_LOCAL=None).returncode == 0  # type: ignore[arg-type]


def test_no_home_at_all(installed: Installed) -> None:
    result = piped(
        installed,
        "--data",
        str(MINI),
        "site",
        "liver",
        HOME=None,
        XDG_CACHE_HOME=None,
        XDG_CONFIG_HOME=None,
        MBC_LOCAL=None,
    )  # type: ignore[arg-type]
    assert (result.returncode, result.stderr) == (0, "")


def test_a_path_that_is_not_utf8(installed: Installed, tmp_path: Path) -> None:
    bad = os.fsencode(tmp_path) + b"/\xff.toml"
    result = subprocess.run([str(installed.mbc), b"--data", bad, b"sites"], capture_output=True, env=environment())
    assert result.returncode == 3
    assert result.stderr.count(b"\n") == 1 and result.stderr.endswith(b": knowledge file not found\n")


def test_installing_completion_into_an_unwritable_file_is_one_line(installed: Installed, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".bashrc").mkdir(parents=True)  # a directory where the file should be
    result = piped(installed, "--install-completion", "bash", HOME=str(home), SHELL="/bin/bash")
    assert result.returncode == 1
    assert result.stderr.startswith("mbc: ") and result.stderr.count("\n") == 1


# ---------------------------------------------------------------- completion


def complete(installed: Installed, shell: str, words: str, **env: str) -> str:
    base = {"_MBC_COMPLETE": f"complete_{shell}", "MBC_DATA": str(MINI)}
    if shell == "bash":
        base |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (not words.endswith(" ")))}
    else:
        base |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = piped(installed, **base, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("words", "expected"), [("mbc site li", "liver"), ("mbc therapy hor", "hormone"), ("mbc drug fem", "femara")]
)
def test_completion_completes_names(installed: Installed, words: str, expected: str) -> None:
    assert expected in complete(installed, "bash", words).split()


def test_completion_never_offers_a_word_a_shell_would_act_on(installed: Installed, tmp_path: Path) -> None:
    evil = tmp_path / "evil.toml"
    evil.write_text(
        '[drugs.letrozole]\nextend = true\naliases = ["zq>victim.txt", "zq$(touch x)", "zq;ls", "zq`id`"]\n'
        '[sites.liver]\nextend = true\nname = "Liver [bold]x[/bold] $(id)"\n'
    )
    for shell in ("bash", "zsh", "fish"):
        out = complete(installed, shell, "mbc drug zq", MBC_LOCAL=str(evil))
        assert not re.search(r"[>;$`]", out), (shell, out)
        sites = complete(installed, shell, "mbc site li", MBC_LOCAL=str(evil))
        assert "liver" in sites and not re.search(r"[\[\]$`]", sites.replace('"liver":', "")), (shell, sites)
