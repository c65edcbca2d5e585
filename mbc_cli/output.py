"""The one place output is written: any encoding, closed pipes, full disks, and a pager on a terminal."""

import contextlib
import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from mbc_cli.errors import OutputError


class Closed(Exception):
    """The reader went away (`mbc ... | head`): the run ends quietly."""


class Guard:
    """A text stream whose write errors become mbc's: a closed pipe ends the run quietly, a full
    disk is a one-line error. It stands in for sys.stdout, so Typer's own output (help, completion)
    gets the same treatment as mbc's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise Closed from None
        except OSError as error:
            raise OutputError(f"cannot write the output: {error.strerror or error}") from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise Closed from None
        except OSError as error:
            raise OutputError(f"cannot write the output: {error.strerror or error}") from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def prepare() -> None:
    """Make the standard streams safe for any text: characters the stream's encoding lacks are
    replaced, and stdout's errors become mbc's (see Guard)."""
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors=errors)  # type: ignore[union-attr]  # a TextIOWrapper
    if sys.stdout is not None and not isinstance(sys.stdout, Guard):
        sys.stdout = Guard(sys.stdout)  # type: ignore[assignment,unused-ignore]  # not a TextIO, but stands in for one


def unicode_ok() -> bool:
    """Whether stdout takes any character (so JSON may carry them unescaped)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf16", "utf32")


def is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):
        return False


def write(text: str, environ: Mapping[str, str], page: bool = False) -> None:
    """Print `text`; through a pager when asked and it is taller than the terminal."""
    if sys.stdout is None:  # started with stdout closed: there is nowhere to write
        return
    if page and _pager(text, environ):
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _pager(text: str, environ: Mapping[str, str]) -> bool:
    """Show `text` through MBC_PAGER, else PAGER, else `less -FRX` (not on a dumb terminal), when it
    does not fit the terminal; False if it fits or no pager could show it (it is then printed)."""
    import shutil

    if text.count("\n") < shutil.get_terminal_size().lines:
        return False
    command = environ.get("MBC_PAGER")
    if command is None:  # less on a dumb terminal only complains that it is not fully functional
        command = environ.get("PAGER") or ("" if environ.get("TERM") == "dumb" else "less -FRX")
    import shlex
    import signal
    import subprocess

    try:
        args = shlex.split(command)
    except ValueError:
        return False
    if not args:
        return False
    env = {**environ, "LESS": environ.get("LESS", "FRX"), "LV": environ.get("LV", "-c")}
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    sys.stdout.flush()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's while it runs
    try:
        process = subprocess.Popen(args, stdin=subprocess.PIPE, env=env)
    except (OSError, ValueError):
        signal.signal(signal.SIGINT, previous)
        return False
    try:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # quitting the pager early
            process.stdin.write(text.encode(encoding, "replace"))
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        return process.wait() == 0
    finally:
        signal.signal(signal.SIGINT, previous)


def error(message: str) -> None:
    """One line on stderr, whatever happened to stderr."""
    from mbc_cli.safe import clean

    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"mbc: {clean(message)}\n")
        sys.stderr.flush()


def leave(code: int) -> None:
    """Flush and leave without the interpreter's teardown, which only frees memory the operating
    system is about to take back: it saves about 20 ms a run (benchmarks/startup.py)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
