"""The `mbc` command line: parse, look up, render, print once; every error becomes an exit code here.

Commands stay thin: lookups live in `queries`, what is shown in `document`, how in `render`.
Heavy modules are imported inside the commands that need them, so start-up stays close to
Typer's own.
"""

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from mbc_cli import __version__
from mbc_cli.errors import ExitCode, KnowledgeError, MbcError, OutputError

if TYPE_CHECKING:
    from mbc_cli.document import Block
    from mbc_cli.knowledge import Knowledge


class Format(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


class Group(TyperGroup):
    """The root command: runs Typer without its own exit handling and maps every outcome to a code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        from typer import _click

        try:
            code = super().main(args, prog_name or "mbc", complete_var, False, windows_expand_args, **extra)
        except MbcError as error:
            _fail(str(error), error.code)
        except _click.exceptions.NoArgsIsHelpError as error:  # plain `mbc`: the help, as a usage error
            if error.format_message():
                error.show()
            sys.exit(ExitCode.USAGE)
        except _click.exceptions.UsageError as error:
            where = error.ctx.command_path if error.ctx else "mbc"
            _fail(f"{error.format_message()} (see '{where} --help')", ExitCode.USAGE)
        except _click.exceptions.ClickException as error:
            _fail(error.format_message(), ExitCode.USAGE)
        except (KeyboardInterrupt, typer.Abort):
            sys.exit(ExitCode.INTERRUPTED)  # quietly, as Typer itself does for Ctrl-C
        except Exception as error:  # a bug: one line for the user, the traceback on request
            if os.environ.get("MBC_DEBUG"):
                raise
            _fail(f"internal error: {type(error).__name__}: {error} (set MBC_DEBUG=1 to see where)", ExitCode.INTERNAL)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _fail(message: str, code: int) -> NoReturn:
    from mbc_cli.safe import clean

    with contextlib.suppress(OSError):
        sys.stderr.write(f"mbc: {clean(message)}\n")
        sys.stderr.flush()
    sys.exit(code)


app = typer.Typer(
    cls=Group,
    name="mbc",
    epilog="Examples: mbc site liver   mbc therapy hormone --format markdown   mbc search oestrogen",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


# ---------------------------------------------------------------- shared plumbing


def _files(ctx: typer.Context, base: Path | None = None) -> list[Path]:
    """The knowledge files in use: the base (`--data`, MBC_DATA or the shipped file), then overlays."""
    from mbc_cli import knowledge

    base = base or ctx.find_root().params.get("data") or knowledge.packaged_path()
    return [Path(base), *knowledge.overlay_paths(os.environ)]


def _knowledge(ctx: typer.Context) -> "Knowledge":
    from mbc_cli import knowledge

    return knowledge.load(_files(ctx))


def _emit(text: str) -> None:
    """The one place output is written; a reader that went away (`| head`) ends it quietly."""
    if sys.stdout is None:  # started with stdout closed: there is nowhere to write
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's last flush cannot fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:  # a full disk, a device that refuses
        raise OutputError(f"cannot write the output: {error.strerror or error}") from None


Blocks = Callable[[ModuleType], "list[Block]"]  # given the document module, a command's blocks
Payload = Callable[[], tuple[str, dict[str, Any]]]  # a command's name and its JSON payload


def _show(kb: "Knowledge", fmt: Format | None, blocks: Blocks, payload: Payload) -> None:
    """Render in the chosen format (styled on a terminal, plain text in a pipe) and print.

    Both ways of showing are passed as functions, so JSON output never imports the document layer.
    """
    if fmt is Format.json:
        from mbc_cli.render import data

        _emit(data.render(*payload(), kb))
        return
    from mbc_cli import document

    if fmt is Format.markdown:
        from mbc_cli.render import markdown

        _emit(markdown.render(blocks(document)))
    else:
        import shutil

        from mbc_cli.render import terminal, text

        styled = terminal.paint(os.environ, sys.stdout is not None and sys.stdout.isatty()) if fmt is None else None
        _emit(text.render(blocks(document), shutil.get_terminal_size((80, 24)).columns, styled or text.PLAIN))


def _kind(systemic: bool, local: bool) -> str | None:
    if systemic and local:
        raise typer.BadParameter("choose one of --systemic and --local, or neither")
    return "systemic" if systemic else "local" if local else None


def _complete(table: str) -> Any:
    """Shell completion of a table's names and aliases, each with its entry's name as help."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from mbc_cli.knowledge import normalize
        from mbc_cli.safe import clean

        try:
            kb = _knowledge(ctx)
        except MbcError:
            return []
        prefix = normalize(incomplete)
        index = kb.index(table).items()
        return [(clean(name), clean(kb.name(table, key))) for name, key in index if name and name.startswith(prefix)]

    return complete


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: styled text on a terminal, plain text in a pipe.",
        case_sensitive=False,
    ),
]
SubtypeOption = Annotated[
    str | None,
    typer.Option(
        "--subtype",
        "-s",
        help="Keep what applies to one subtype: HR+/HER2-, HER2+, HER2-low, triple-negative (hr+, tnbc ...).",
        autocompletion=_complete("subtypes"),
    ),
]
SystemicOption = Annotated[bool, typer.Option("--systemic", help="Only systemic therapy (reaches the whole body).")]
LocalOption = Annotated[bool, typer.Option("--local", help="Only local therapy (treats one place).")]


def _version(ctx: typer.Context, value: bool) -> None:
    if not value:
        return
    from mbc_cli.safe import clean

    try:
        about = f"knowledge reviewed {_knowledge(ctx).reviewed}"
    except KnowledgeError as error:
        about = f"knowledge unavailable: {error}"
    _emit(clean(f"mbc {__version__} ({about})") + "\n")
    raise typer.Exit()


@app.callback()
def root(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", envvar="MBC_DATA", help="Use this knowledge file instead of the shipped one.", is_eager=True
        ),
    ] = None,
    version: Annotated[
        # not eager, so that --data, which is, is known by then whatever the order on the command line
        bool, typer.Option("--version", callback=_version, help="Show the version and exit.")
    ] = False,
) -> None:
    """Metastatic breast cancer treatment, by site, therapy and drug: a sourced reference, not medical advice.

    Exit codes: 0 found; 1 nothing found; 2 usage error or unknown name; 3 knowledge file unusable.
    """


# ---------------------------------------------------------------- entries


@app.command(
    epilog="Examples: mbc site liver   mbc site bone --local   mbc site brain --subtype her2+ --format markdown"
)
def site(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="A metastasis site or situation: liver, bone, lung, brain, cord-compression ...",
            autocompletion=_complete("sites"),
        ),
    ],
    systemic: SystemicOption = False,
    local: LocalOption = False,
    subtype: SubtypeOption = None,
    fmt: FormatOption = None,
) -> None:
    """One metastasis site: what it is, how common, the goal of treatment, and its treatments by kind."""
    from mbc_cli import queries

    kind = _kind(systemic, local)
    kb = _knowledge(ctx)
    site_id = queries.find(kb, "sites", name)
    subtype_id = queries.find(kb, "subtypes", subtype) if subtype is not None else None
    shown = queries.filtered_site(kb, site_id, kind, subtype_id)
    filters = ", ".join(
        filter(None, [f"{kind} therapy" if kind else "", kb.name("subtypes", subtype_id) if subtype_id else ""])
    )
    _show(
        kb,
        fmt,
        lambda doc: doc.entry(kb, doc.add_site, shown, filters),
        lambda: ("site", {"filters": {"kind": kind, "subtype": subtype_id}, "site": shown}),
    )


@app.command(
    epilog="Examples: mbc therapy hormone   mbc therapy radiation --site bone   mbc therapy adc --subtype her2-low"
)
def therapy(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="A therapy class: hormone, cdk4/6, her2, chemo, adc, radiation, surgery, bone ...",
            autocompletion=_complete("therapies"),
        ),
    ],
    at_site: Annotated[
        str | None, typer.Option("--site", help="Only its use at this site.", autocompletion=_complete("sites"))
    ] = None,
    subtype: SubtypeOption = None,
    fmt: FormatOption = None,
) -> None:
    """One therapy class: its kind, subtypes, the drugs in it and the sites where it is used."""
    from mbc_cli import queries

    kb = _knowledge(ctx)
    therapy_id = queries.find(kb, "therapies", name)
    site_id = queries.find(kb, "sites", at_site) if at_site is not None else None
    subtype_id = queries.find(kb, "subtypes", subtype) if subtype is not None else None
    view = queries.therapy_view(kb, therapy_id, site_id, subtype_id)

    def payload() -> tuple[str, dict[str, Any]]:
        drugs = [{"id": d.id, "name": d.name, "brands": d.brands, "target": d.target} for d in view.drugs]
        uses = [{"id": s.id, "name": s.name, "treatments": used} for s, used in view.uses]
        filters = {"site": site_id, "subtype": subtype_id}
        return "therapy", {"filters": filters, "therapy": view.therapy, "drugs": drugs, "sites": uses}

    _show(kb, fmt, lambda doc: doc.entry(kb, doc.add_therapy, view), payload)


@app.command(epilog="Examples: mbc drug herceptin   mbc drug T-DXd --format json")
def drug(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="A generic or brand name, or an abbreviation: trastuzumab, Herceptin, T-DXd ...",
            autocompletion=_complete("drugs"),
        ),
    ],
    fmt: FormatOption = None,
) -> None:
    """One drug, by generic or brand name: class, target, subtype, line, key trials, US approval, safety."""
    from mbc_cli import queries

    kb = _knowledge(ctx)
    found = kb.drug(queries.find(kb, "drugs", name))
    _show(kb, fmt, lambda doc: doc.entry(kb, doc.add_drug, found), lambda: ("drug", {"drug": found}))


@app.command(epilog="Example: mbc overview --format markdown")
def overview(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """How stage IV breast cancer is treated in general: goal of care, subtypes, sequencing, local therapy."""
    kb = _knowledge(ctx)
    subtypes = [kb.subtype(k) for k in kb.ids("subtypes")]
    payload = {"overview": kb.overview(), "subtypes": subtypes}
    _show(kb, fmt, lambda doc: doc.entry(kb, doc.add_overview), lambda: ("overview", payload))


# ---------------------------------------------------------------- lists and views


def _list(ctx: typer.Context, table: str, fmt: Format | None, keep: Any = None) -> None:
    from mbc_cli.errors import NothingFoundError
    from mbc_cli.queries import NOUNS

    kb = _knowledge(ctx)
    keys = tuple(k for k in kb.ids(table) if keep is None or keep(kb, k))
    if not keys:
        raise NothingFoundError(f"no {table} match")

    def payload() -> tuple[str, dict[str, Any]]:
        rows = []
        for key in keys:
            entry = getattr(kb, NOUNS[table])(key)
            row = {"id": key, "name": entry.name, "aliases": entry.aliases}
            row |= {
                f: getattr(entry, f) for f in ("category", "kind", "role", "therapies", "brands") if hasattr(entry, f)
            }
            rows.append(row)
        return table, {table: rows}

    _show(kb, fmt, lambda doc: doc.listing(kb, table, keys), payload)


@app.command(epilog="Example: mbc sites")
def sites(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Every metastasis site and situation, one per line."""
    _list(ctx, "sites", fmt)


@app.command(epilog="Example: mbc therapies --local")
def therapies(
    ctx: typer.Context, systemic: SystemicOption = False, local: LocalOption = False, fmt: FormatOption = None
) -> None:
    """Every therapy class, one per line, with its kind (systemic or local) and role."""
    kind = _kind(systemic, local)
    _list(ctx, "therapies", fmt, None if kind is None else lambda kb, key: kb.therapy(key).kind == kind)


@app.command(epilog="Example: mbc drugs | grep -i mab")
def drugs(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Every drug, one per line, with its brand names."""
    _list(ctx, "drugs", fmt)


@app.command(epilog="Example: mbc matrix --format markdown")
def matrix(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """A grid of therapy classes against sites: where each class is a main option, a selected one or supportive."""
    from mbc_cli import queries

    kb = _knowledge(ctx)
    therapy_ids, rows = queries.matrix(kb)

    def payload() -> tuple[str, dict[str, Any]]:
        return "matrix", {
            "therapies": [{"id": t, "name": kb.name("therapies", t)} for t in therapy_ids],
            "sites": [
                {
                    "id": s,
                    "name": kb.name("sites", s),
                    "roles": {t: r or None for t, r in zip(therapy_ids, roles, strict=True)},
                }
                for s, roles in rows
            ],
        }

    _show(kb, fmt, lambda doc: doc.grid(kb, therapy_ids, rows), payload)


@app.command(epilog="Examples: mbc search oestrogen   mbc search spinal cord compression   mbc search radiation | head")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str], typer.Argument(help="One or more words, searched as a phrase (US and British spellings alike).")
    ],
    fmt: FormatOption = None,
) -> None:
    """Full-text search over names, aliases and text; a name hit shows the whole entry."""
    from mbc_cli import queries

    kb = _knowledge(ctx)
    result = queries.search(kb, words)

    def payload() -> tuple[str, dict[str, Any]]:
        entries = [{"type": queries.NOUNS[t], "entry": getattr(kb, queries.NOUNS[t])(k)} for t, k in result.entries]
        return "search", {"query": result.query, "entries": entries, "mentions": result.mentions}

    _show(kb, fmt, lambda doc: doc.search_results(kb, result), payload)


@app.command(epilog="Example: mbc sources --format markdown")
def sources(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Every source the knowledge cites: title, publisher, year and link."""
    kb = _knowledge(ctx)
    _show(
        kb,
        fmt,
        lambda doc: doc.sources(kb),
        lambda: ("sources", {"sources": [kb.source(k) for k in kb.ids("sources")]}),
    )


@app.command(epilog="Examples: mbc validate   mbc validate my-file.toml   mbc validate --overlay new-notes.toml")
def validate(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="The knowledge file to check in place of the one in use.")] = None,
    overlay: Annotated[
        list[Path] | None, typer.Option("--overlay", help="Also merge this overlay file, last (repeatable).")
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """Check a knowledge file, with the user's local overlays, and list every problem with its location."""
    import json

    from mbc_cli import knowledge

    files = [*_files(ctx, path), *(overlay or ())]
    try:
        compiled = knowledge.build(files)
        problems: tuple[str, ...] = ()
        warnings = tuple(compiled["header"]["warnings"])
    except KnowledgeError as error:
        problems, warnings = error.problems or (str(error),), ()
    if fmt is Format.json:
        result = {"mbc_json_version": 1, "command": "validate", "files": [str(f) for f in files], "valid": not problems}
        _emit(json.dumps({**result, "problems": problems, "warnings": warnings}, ensure_ascii=True, indent=2) + "\n")
    else:
        from mbc_cli.safe import clean

        lines = [f"problem: {p}" for p in problems] + [f"warning: {w}" for w in warnings]
        if not problems:
            counts = ", ".join(
                f"{len(compiled['entries'][t])} {t}" for t in ("sites", "therapies", "drugs", "subtypes", "sources")
            )
            lines.append(f"ok: {' + '.join(str(f) for f in files)}: {counts}")
        _emit("".join(clean(line) + "\n" for line in lines))
    if problems:
        _fail(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", ExitCode.KNOWLEDGE)


def main() -> NoReturn:
    """The console-script entry point."""
    _register_only(_command_in(sys.argv[1:]))
    try:
        app()
        code = ExitCode.OK
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else ExitCode.OK if exit.code is None else ExitCode.INTERNAL
    except KeyboardInterrupt:  # before or after Typer's own handling, e.g. while building commands
        code = ExitCode.INTERRUPTED
    _exit_now(code)


def _exit_now(code: int) -> NoReturn:
    """Flush and leave without the interpreter's teardown, which only frees memory the operating
    system is about to take back: about a tenth of the instructions of a whole run."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _command_in(args: list[str]) -> str | None:
    """The command these arguments run, when that is plain before parsing (`mbc --data F site ...`)."""
    if "_MBC_COMPLETE" in os.environ:  # completion reads its words from the environment
        return None
    values = iter(args)
    for arg in values:
        if arg == "--data":
            next(values, None)
        elif not arg.startswith("-"):
            return arg
        elif not arg.startswith("--data="):
            return None  # --help, --version or a mistake: Typer needs every command for those
    return None


def _register_only(command: str | None) -> None:
    """Keep only `command` when it is one of ours: Typer builds the parameters of every registered
    command on each run, which for all eleven costs about 3 ms of a 70 ms start."""
    chosen = [
        c for c in app.registered_commands if command is not None and c.callback and c.callback.__name__ == command
    ]
    if chosen:
        app.registered_commands = chosen
