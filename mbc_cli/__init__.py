"""mbc: a command-line reference for the treatment of metastatic breast cancer.

`main` is the entry point and the one exit path: it runs a command (`cli`), prints its answer, and
turns every outcome into an exit code: 0 found, 1 nothing found or output not written, 2 usage
error or unknown name, 3 knowledge file unusable, 70 a bug, 130 interrupted.
"""

import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typer.models import CommandInfo

    from mbc_cli.cli import Answer
    from mbc_cli.knowledge import Knowledge

__version__ = "0.2.0"
DISCLAIMER = "Reference information, not medical advice."
USAGE = 2


def interrupts() -> None:
    """Ctrl-C ends mbc at once, quietly, with 130: it changes nothing, so there is nothing to undo."""
    import signal

    signal.signal(signal.SIGINT, lambda *_: os._exit(130))


def main(argv: list[str] | None = None) -> int:
    """Run `mbc` with `argv` (default: the command line) and return its exit code."""
    from mbc_cli import output
    from mbc_cli.errors import ExitCode, MbcError

    args = list(sys.argv[1:] if argv is None else argv)
    output.prepare()
    kb = None
    try:
        code, answer = _run(args)
        if answer is not None:
            kb = answer.kb
            from mbc_cli.cli import show

            show(answer)
        return code
    except output.Closed:
        return ExitCode.OK
    except MbcError as error:
        output.error(str(error))
        return error.code
    except OSError as error:  # a file mbc was asked to write (completion), or a stream that failed
        output.error(f"{error.strerror or error}: {error.filename}" if error.filename else str(error.strerror or error))
        return ExitCode.NOTHING_FOUND
    except Exception as error:
        usage = _usage_error(error)
        if usage is not None:
            output.error(usage)
            return ExitCode.USAGE
        if os.environ.get("MBC_DEBUG"):
            raise
        output.error(f"internal error: {type(error).__name__}: {error} (set MBC_DEBUG=1 to see where)")
        return ExitCode.INTERNAL
    finally:
        if kb is not None:
            kb.__exit__()


def _run(args: list[str]) -> "tuple[int, Answer | None]":
    """Run Typer's command line; return the exit code and the command's answer, if any."""
    import typer

    from mbc_cli import cli

    code = 0
    at = _command_at(args)
    if at is None and not any(a.startswith("-") and not a.startswith("--data") for a in args):
        args, code = [*args, "--help"], USAGE  # plain `mbc`: the help, as a usage error (Click's convention)
    elif at is not None and args[at] == "help":  # `mbc help [COMMAND]`
        args = [*args[:at], *args[at + 1 : at + 2], "--help"]
    else:
        _check_command(args, at)
    # Typer builds the Click parameters of every registered command, about 4 ms with 18 commands
    # (benchmarks/startup.py): when the command is plain from the arguments, register that one
    # alone, and none for `mbc --version`. `mbc --help` and completion still see them all.
    registered = cli.app.registered_commands
    at = _command_at(args)
    if at is not None:
        only = [c for c in registered if _name(c) == args[at]]
        cli.app.registered_commands = only or registered
    elif "--version" in args and not {"-h", "--help"} & set(args) and "_MBC_COMPLETE" not in os.environ:
        cli.app.registered_commands = []
    try:
        result = typer.main.get_command(cli.app).main(args, prog_name="mbc", standalone_mode=False)
    except SystemExit as exit:  # completion ends with sys.exit
        return (exit.code if isinstance(exit.code, int) else 0), None
    finally:
        cli.app.registered_commands = registered
    if isinstance(result, cli.Answer):
        return code, result
    return (code or (result if isinstance(result, int) else 0)), None


def _name(command: "CommandInfo") -> str:
    return command.name or (command.callback.__name__ if command.callback else "")


def _command_at(args: list[str]) -> int | None:
    """Where the command stands in the arguments, when that is plain before parsing: after the root
    options (`mbc --data FILE site ...`); None if an option comes first or there is no command."""
    i = 0
    while i < len(args):
        if args[i] == "--data":
            i += 2
        elif args[i].startswith("--data="):
            i += 1
        elif args[i].startswith("-"):
            return None  # --help, --version or a mistake: Typer deals with those
        else:
            return i
    return None


def _check_command(args: list[str], at: int | None) -> None:
    """A name typed where a command goes (`mbc liver`): say which command finds it."""
    from mbc_cli import cli

    if at is None:
        return
    arg = args[at]
    commands = {_name(c) for c in cli.app.registered_commands}
    if arg in commands:
        return
    from mbc_cli import names
    from mbc_cli.errors import KnowledgeError, UnknownNameError

    try:
        with _lookups(args) as kb:
            found = names.commands_for(kb, arg)
    except KnowledgeError:
        found = []
    if found:
        raise UnknownNameError(f"'{arg}' is not a command. Did you mean: {', '.join(found)}?")
    import difflib

    near = difflib.get_close_matches(arg, sorted(commands), 3, 0.75)
    hint = f" Did you mean: {', '.join(f'mbc {n}' for n in near)}?" if near else ""
    raise UnknownNameError(f"no such command '{arg}'.{hint} See 'mbc --help'.")


def _lookups(args: list[str]) -> "Knowledge":
    """The knowledge the command line points to, for looking a name up before any command runs."""
    from pathlib import Path

    from mbc_cli import knowledge

    data = os.environ.get("MBC_DATA")
    for i, arg in enumerate(args):
        if arg == "--data" and i + 1 < len(args):
            data = args[i + 1]
        elif arg.startswith("--data="):
            data = arg.partition("=")[2]
    base = Path(data) if data else knowledge.packaged_path()
    overlays, _ = knowledge.overlay_paths(os.environ)
    return knowledge.load(knowledge.distinct([base, *overlays]), os.environ)


def _usage_error(error: Exception) -> str | None:
    """A usage error from Typer's command line, as one line; None for anything else. (Click's
    exceptions are recognised by what they offer, so mbc needs none of Typer's private names.)"""
    message = getattr(error, "format_message", None)
    if not callable(message) or not isinstance(getattr(error, "exit_code", None), int):
        return None
    context = getattr(error, "ctx", None)
    where = getattr(context, "command_path", "") or "mbc"
    text = " ".join(str(message()).split())
    return f"{text} (see '{where} --help')"


def run() -> None:
    """The console script: `main`, then leave at once (see output.leave)."""
    # A run lasts milliseconds and ends without the interpreter's teardown, so the cyclic garbage
    # collector, which runs dozens of times while Typer is imported, only costs time: 3.5 ms of a
    # 52 ms `mbc site liver`, with the same peak memory (compiling a knowledge file 100 times the
    # shipped one: 1.0 GB either way, 17.6 s instead of 21.9 s). Reference counting still frees
    # everything that is not in a cycle.
    gc.disable()
    interrupts()
    from mbc_cli import output

    output.leave(main())
