"""Domain errors and the exit codes they end with; `mbc_cli.main` turns them into a message once."""


class ExitCode:
    """The exit codes, by name (plain ints: an IntEnum costs start-up time on every run)."""

    OK = 0
    NOTHING_FOUND = 1  # a search or filter found nothing, or the output could not be written
    USAGE = 2  # bad option or value, unknown or ambiguous name
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
    """A name that matches nothing, or more than one thing: the message says what it could be."""

    code = ExitCode.USAGE


class OutputError(MbcError):
    """The output could not be written (a full disk, say)."""

    code = ExitCode.NOTHING_FOUND


class NothingFoundError(MbcError):
    """A search or a filter that matched nothing."""

    code = ExitCode.NOTHING_FOUND
