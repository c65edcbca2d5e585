"""Domain errors and the exit codes they map to; the CLI turns them into messages once."""


class ExitCode:
    """The exit codes, by name (plain ints: an IntEnum costs start-up time on every run)."""

    OK = 0
    NOTHING_FOUND = 1  # a search or filter found nothing (or the output could not be written)
    USAGE = 2  # bad option or value, unknown site/therapy/drug name
    KNOWLEDGE = 3  # knowledge file missing, unreadable or invalid
    INTERNAL = 70  # a bug in mbc (EX_SOFTWARE); never expected
    INTERRUPTED = 130  # Ctrl-C


class MbcError(Exception):
    """An error the user can act on; `code` is the exit code it ends with."""

    code: int = ExitCode.USAGE


class KnowledgeError(MbcError):
    """A knowledge file is missing, unreadable or invalid; `problems` lists each one."""

    code = ExitCode.KNOWLEDGE

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class UnknownNameError(MbcError):
    """A site, therapy, drug or subtype name that matches nothing."""

    code = ExitCode.USAGE

    def __init__(self, what: str, name: str, suggestions: tuple[str, ...], listing: str) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {what} '{name}'.{hint} See 'mbc {listing}'.")


class OutputError(MbcError):
    """The output could not be written (a full disk, say)."""

    code = ExitCode.NOTHING_FOUND


class NothingFoundError(MbcError):
    """A search or a filter that matched nothing."""

    code = ExitCode.NOTHING_FOUND
