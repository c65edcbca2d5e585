"""The `mbc` commands: each parses its arguments, looks up, and returns an `Answer`; `show` renders
it in the chosen format and prints it, once. `mbc_cli.main` runs them and turns errors into codes.

Heavy modules are imported inside the commands that need them, so start-up stays close to Typer's.
"""

import datetime
import os
import typing
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mbc_cli import __version__
from mbc_cli.errors import KnowledgeError, MbcError, UnknownNameError
from mbc_cli.record import Record

if TYPE_CHECKING:
    from mbc_cli.knowledge import Knowledge


class Format(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    tsv = "tsv"


class Answer(Record):
    """What a command shows: its views, and how (`show` prints it)."""

    command: str
    kb: "Knowledge | None"
    views: tuple[Any, ...]
    fmt: Format | None
    entries: bool = False  # JSON: the views as a list of `entries` (commands that take several names)
    heading_level: int = 1
    page: bool = True
    failure: MbcError | None = None  # printed after the output (validate's problems)


app = typer.Typer(
    name="mbc",
    epilog="Examples: mbc site liver   mbc drug herceptin --brief   mbc options --subtype hr+ --after ai   "
    "mbc help site",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# ---------------------------------------------------------------- shared plumbing


def today() -> datetime.date:
    """Today, or the date in MBC_TODAY (to reproduce output as of a day: tests use it)."""
    fixed = os.environ.get("MBC_TODAY")
    if not fixed:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(fixed)
    except ValueError:
        raise UnknownNameError(f"MBC_TODAY must be a date such as 2026-12-01, not '{fixed}'") from None


def files(ctx: typer.Context, base: Path | None = None) -> list[Path]:
    """The knowledge files in use: the base (`--data`, MBC_DATA or the shipped file), then overlays."""
    from mbc_cli import knowledge, output

    root = ctx.find_root()
    base = base or root.params.get("data") or knowledge.packaged_path()
    overlays, warnings = knowledge.overlay_paths(os.environ)
    if not root.meta.get("mbc.warned"):
        root.meta["mbc.warned"] = True
        for warning in warnings:
            output.error(f"warning: {warning}")
    return knowledge.distinct([Path(base), *overlays])


def _each(kb: "Knowledge", table: str, words: list[str], view: Callable[[str], Any]) -> tuple[Any, ...]:
    """The view of each entry the words name, once each, in the order named."""
    from mbc_cli import names

    return tuple(view(key) for key in dict.fromkeys(names.find(kb, table, words)))


def load(ctx: typer.Context) -> "Knowledge":
    from mbc_cli import knowledge

    return knowledge.load(files(ctx), os.environ)


def show(answer: Answer) -> None:
    """Render the answer in its format (styled on a terminal, plain text in a pipe) and print it."""
    import shutil

    from mbc_cli import document, output

    kb = answer.kb
    age = None
    if kb is not None:
        try:
            age = (today() - datetime.date.fromisoformat(kb.reviewed)).days
        except ValueError:
            age = None
    closing = document.note(kb.reviewed, age) if kb is not None else ""
    terminal = output.is_terminal()
    if answer.fmt is Format.json:
        from mbc_cli.render import data

        payload = {"entries": answer.views} if answer.entries else answer.views[0]._asdict()
        text = data.render(answer.command, payload, kb, closing, ascii_only=not output.unicode_ok())
    elif answer.fmt is Format.tsv:
        from mbc_cli.render import tsv

        text = tsv.render(answer.views[0])
    elif answer.command == "validate":
        text = _validate_text(answer.views[0], answer.fmt is Format.markdown)
    else:
        assert kb is not None
        blocks = document.build(kb, list(answer.views), closing)
        if answer.fmt is Format.markdown:
            from mbc_cli.render import markdown

            text = markdown.render(blocks, answer.heading_level)
        else:
            from mbc_cli.render import terminal as styles
            from mbc_cli.render import text as plain

            paint = styles.paint(os.environ, terminal) if answer.fmt is None else None
            columns = shutil.get_terminal_size((80, 24)).columns
            width = min(columns, 100) if terminal else columns
            text = plain.render(blocks, width, paint or plain.PLAIN, grid_width=columns)
    output.write(text, os.environ, page=answer.page and terminal)
    if answer.failure is not None:
        raise answer.failure


def _validate_text(view: Any, markdown: bool) -> str:
    from mbc_cli.safe import clean

    lines = [f"problem: {p}" for p in view.problems] + [f"warning: {w}" for w in view.warnings]
    if view.valid:
        counts = ", ".join(f"{n} {table}" for table, n in view.counts.items())
        lines.append(f"ok: {' + '.join(view.files)}: {counts}")
    return "".join(("- " if markdown else "") + clean(line) + "\n" for line in lines)


def _kind(systemic: bool, local: bool) -> str | None:
    if systemic and local:
        raise typer.BadParameter("choose one of --systemic and --local, or neither")
    return "systemic" if systemic else "local" if local else None


def _complete(table: str) -> Any:
    """Shell completion of a table's typeable names (ids and aliases), each with its entry's name as
    help. Only names of letters, digits and `-+/.` are offered, so no completed word can hold
    anything a shell would act on, whatever a knowledge file says."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        import re

        from mbc_cli.safe import clean
        from mbc_cli.words import normalize

        try:
            with load(ctx) as kb:
                index = kb.index(table)
                names = kb.section(f"names/{table}") if table != "prior" else {}
        except (MbcError, OSError):
            return []
        prefix = normalize(incomplete)
        safe = re.compile(r"[^\W_][\w.+/-]*\Z")
        found = []
        for name, key in index.items():
            if name.startswith(prefix) and safe.match(name):
                label = clean(str(names.get(key, key if isinstance(key, str) else key[1])))
                found.append((name, re.sub(r"[^\w .,()+/-]", " ", label)))
        return found

    return complete


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="text, markdown, json (tsv for lists). Default: styled text on a terminal, plain text in a pipe.",
        case_sensitive=False,
    ),
]
NoPagerOption = Annotated[bool, typer.Option("--no-pager", help="Print straight to the terminal, without a pager.")]
BriefOption = Annotated[bool, typer.Option("--brief", "-b", help="The answer at a glance: one screen.")]
LevelOption = Annotated[
    int, typer.Option("--heading-level", min=1, max=6, help="Markdown: the level of the top headings (1 to 6).")
]
SubtypeOption = Annotated[
    str | None,
    typer.Option(
        "--subtype",
        "-s",
        help="Keep what applies to one subtype: hr+ (HR+/HER2-), her2+, her2-low, tnbc, and other spellings.",
        autocompletion=_complete("subtypes"),
    ),
]
SystemicOption = Annotated[bool, typer.Option("--systemic", help="Only systemic therapy (reaches the whole body).")]
LocalOption = Annotated[bool, typer.Option("--local", help="Only local therapy (treats one place).")]


def _list_format(fmt: Format | None) -> None:
    if fmt is Format.tsv:
        raise typer.BadParameter(
            "tsv is for lists (mbc sites, therapies, drugs, trials, biomarkers)", param_hint="'--format'"
        )


def _version(ctx: typer.Context, value: bool) -> None:
    if not value:
        return
    from mbc_cli import output
    from mbc_cli.safe import clean

    try:
        with load(ctx) as kb:
            about = f"knowledge reviewed {kb.reviewed}"
    except KnowledgeError as error:
        about = f"knowledge unavailable: {error}"
    output.write(clean(f"mbc {__version__} ({about})") + "\n", os.environ)
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
        bool, typer.Option("--version", callback=_version, help="Show the version and the knowledge's date.")
    ] = False,
) -> None:
    """Metastatic breast cancer treatment by site, therapy, drug and situation: a sourced reference, not medical advice.

    Exit codes: 0 found; 1 nothing found; 2 usage error or unknown name; 3 knowledge file unusable.
    'mbc help COMMAND' shows a command's help.
    """


# ---------------------------------------------------------------- entries


@app.command(
    epilog="Examples: mbc site liver   mbc site bone --local   mbc site spinal cord compression --brief   "
    "mbc site liver bone --format markdown"
)
def site(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            help="One or more sites or situations: liver, bone, lung, brain, cord compression ...",
            autocompletion=_complete("sites"),
        ),
    ],
    systemic: SystemicOption = False,
    local: LocalOption = False,
    subtype: SubtypeOption = None,
    brief: BriefOption = False,
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Metastasis sites or situations: what to do, the goal, treatments by kind, caveats, how common."""
    from mbc_cli import names, views

    _list_format(fmt)
    kind = _kind(systemic, local)
    kb = load(ctx)
    subtype_id = names.find_subtype(kb, subtype) if subtype is not None else None
    shown = _each(kb, "sites", name, lambda key: views.site(kb, key, kind, subtype_id, brief))
    return Answer("site", kb, shown, fmt, True, heading_level, not no_pager)


@app.command(
    epilog="Examples: mbc therapy hormone   mbc therapy radiation --site bone   mbc therapy adc --subtype her2-low"
)
def therapy(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            help="One or more therapy classes: hormone, cdk4/6, her2, chemo, adc, radiation, surgery, bone ...",
            autocompletion=_complete("therapies"),
        ),
    ],
    at_site: Annotated[
        str | None, typer.Option("--site", help="Only its use at this site.", autocompletion=_complete("sites"))
    ] = None,
    subtype: SubtypeOption = None,
    brief: BriefOption = False,
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Therapy classes: kind, subtypes, key points, drugs by group, where used, regimens."""
    from mbc_cli import names, views

    _list_format(fmt)
    kb = load(ctx)
    site_id = names.find_one(kb, "sites", at_site) if at_site is not None else None
    subtype_id = names.find_subtype(kb, subtype) if subtype is not None else None
    shown = _each(kb, "therapies", name, lambda key: views.therapy(kb, key, site_id, subtype_id, brief))
    return Answer("therapy", kb, shown, fmt, True, heading_level, not no_pager)


@app.command(
    epilog="Examples: mbc drug herceptin   mbc drug trastuzumab deruxtecan --brief   mbc drug elacestrant capivasertib"
)
def drug(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            help="One or more drugs by generic or brand name, abbreviation or prefix: Herceptin, T-DXd, palbo ...",
            autocompletion=_complete("drugs"),
        ),
    ],
    brief: BriefOption = False,
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Drugs: what each is for, boxed warnings and safety from the label, US and EU status, regimens, trials."""
    from mbc_cli import views

    _list_format(fmt)
    kb = load(ctx)
    shown = _each(kb, "drugs", name, lambda key: views.drug(kb, key, brief))
    return Answer("drug", kb, shown, fmt, True, heading_level, not no_pager)


@app.command(epilog="Examples: mbc trial emerald   mbc trial destiny breast04 --format markdown")
def trial(
    ctx: typer.Context,
    name: Annotated[
        list[str], typer.Argument(help="One or more trials: emerald, cleopatra ...", autocompletion=_complete("trials"))
    ],
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Clinical trials: population, arms, endpoint, results in numbers (final or interim), regimens."""
    from mbc_cli import views

    _list_format(fmt)
    kb = load(ctx)
    shown = _each(kb, "trials", name, lambda key: views.trial(kb, key))
    return Answer("trial", kb, shown, fmt, True, heading_level, not no_pager)


@app.command(epilog="Examples: mbc biomarker esr1   mbc biomarker pik3ca --format json")
def biomarker(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            help="One or more biomarkers: esr1, pik3ca, brca, pd-l1 ...", autocompletion=_complete("biomarkers")
        ),
    ],
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Biomarkers: what each is, how and when it is tested, and the options it opens."""
    from mbc_cli import views

    _list_format(fmt)
    kb = load(ctx)
    shown = _each(kb, "biomarkers", name, lambda key: views.biomarker(kb, key))
    return Answer("biomarker", kb, shown, fmt, True, heading_level, not no_pager)


@app.command(epilog="Examples: mbc glossary   mbc glossary visceral crisis   mbc glossary cps")
def glossary(
    ctx: typer.Context,
    term: Annotated[
        list[str] | None, typer.Argument(help="A term; none lists them all.", autocompletion=_complete("glossary"))
    ] = None,
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Terms the knowledge uses, in plain words, each with a source."""
    from mbc_cli import names, views

    _list_format(fmt)
    kb = load(ctx)
    keys = dict.fromkeys(names.find(kb, "glossary", term)) if term else kb.ids("glossary")
    if not keys:
        raise MbcError("the knowledge has no glossary")
    shown = views.TermsView(tuple(kb.term(k) for k in keys))
    return Answer("glossary", kb, (shown,), fmt, False, heading_level, not no_pager)


@app.command(epilog="Examples: mbc overview --brief   mbc overview --format markdown")
def overview(
    ctx: typer.Context,
    brief: BriefOption = False,
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """How stage IV breast cancer is treated in general: goal of care, subtypes, sequencing, local therapy."""
    from mbc_cli import views

    _list_format(fmt)
    kb = load(ctx)
    return Answer("overview", kb, (views.overview(kb, brief),), fmt, False, heading_level, not no_pager)


@app.command(
    epilog="Examples: mbc options --subtype hr+ --after ai --after ribociclib --biomarker esr1 --biomarker pik3ca   "
    "mbc options --subtype her2+ --site brain   mbc options --subtype tnbc --biomarker pd-l1 --line 1"
)
def options(
    ctx: typer.Context,
    subtype: SubtypeOption = None,
    biomarker: Annotated[
        list[str] | None,
        typer.Option(
            "--biomarker",
            "-m",
            help="A biomarker found (repeatable): esr1, pik3ca, brca, pd-l1 ...",
            autocompletion=_complete("biomarkers"),
        ),
    ] = None,
    after: Annotated[
        list[str] | None,
        typer.Option(
            "--after",
            "-a",
            help="A therapy already given (repeatable): a drug, a class or a group (ai, cdk4/6, taxane ...).",
            autocompletion=_complete("prior"),
        ),
    ] = None,
    line: Annotated[
        int | None, typer.Option("--line", "-l", min=1, max=9, help="The line of metastatic therapy (1 = first).")
    ] = None,
    at_site: Annotated[
        str | None,
        typer.Option(
            "--site",
            help="Put first the options with evidence at this site (brain ...).",
            autocompletion=_complete("sites"),
        ),
    ] = None,
    endocrine: Annotated[
        str | None,
        typer.Option("--endocrine", help="sensitive or resistant (relapse on or soon after endocrine therapy)."),
    ] = None,
    menopause: Annotated[str | None, typer.Option("--menopause", help="pre or post.")] = None,
    brief: BriefOption = False,
    fmt: FormatOption = None,
    heading_level: LevelOption = 1,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Options for a situation from guidelines and labels, by line, with tests that would open more.

    Each option shows what it requires, its key trial and its US and EU status. Not a recommendation
    for a patient."""
    from mbc_cli import names, views

    _list_format(fmt)
    for value, allowed, flag in (
        (endocrine, ("sensitive", "resistant"), "--endocrine"),
        (menopause, ("pre", "post"), "--menopause"),
    ):
        if value is not None and value not in allowed:
            raise typer.BadParameter(f"'{value}' is not one of {', '.join(allowed)}", param_hint=f"'{flag}'")
    kb = load(ctx)
    subtype_id = names.find_subtype(kb, subtype) if subtype is not None else None
    markers = list(dict.fromkeys(names.find_one(kb, "biomarkers", b) for b in biomarker or ()))
    prior = list(dict.fromkeys(names.find_prior(kb, a) for a in after or ()))
    site_id = names.find_one(kb, "sites", at_site) if at_site is not None else None
    view = views.options(kb, subtype_id, markers, prior, line, site_id, endocrine, menopause)
    shown = views.brief_options(view) if brief else view
    return Answer("options", kb, (shown,), fmt, False, heading_level, not no_pager)


# ---------------------------------------------------------------- lists and views


def _listing(ctx: typer.Context, table: str, fmt: Format | None, no_pager: bool, kind: str | None = None) -> Answer:
    from mbc_cli import views

    kb = load(ctx)
    return Answer(table, kb, (views.listing(kb, table, kind),), fmt, page=not no_pager)


@app.command(epilog="Example: mbc sites --format tsv")
def sites(ctx: typer.Context, fmt: FormatOption = None, no_pager: NoPagerOption = False) -> Answer:
    """Every metastasis site and situation, one per line."""
    return _listing(ctx, "sites", fmt, no_pager)


@app.command(epilog="Example: mbc therapies --local")
def therapies(
    ctx: typer.Context,
    systemic: SystemicOption = False,
    local: LocalOption = False,
    fmt: FormatOption = None,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Every therapy class, one per line, with its kind (systemic or local) and role."""
    return _listing(ctx, "therapies", fmt, no_pager, _kind(systemic, local))


@app.command(epilog="Example: mbc drugs --format json")
def drugs(ctx: typer.Context, fmt: FormatOption = None, no_pager: NoPagerOption = False) -> Answer:
    """Every drug, one per line, with its classes, brands and latest US decision."""
    return _listing(ctx, "drugs", fmt, no_pager)


@app.command(epilog="Example: mbc trials | grep -i destiny")
def trials(ctx: typer.Context, fmt: FormatOption = None, no_pager: NoPagerOption = False) -> Answer:
    """Every trial, one per line, with its year and headline result."""
    return _listing(ctx, "trials", fmt, no_pager)


@app.command(epilog="Example: mbc biomarkers")
def biomarkers(ctx: typer.Context, fmt: FormatOption = None, no_pager: NoPagerOption = False) -> Answer:
    """Every biomarker, one per line."""
    return _listing(ctx, "biomarkers", fmt, no_pager)


@app.command(epilog="Example: mbc matrix --format markdown")
def matrix(ctx: typer.Context, fmt: FormatOption = None, no_pager: NoPagerOption = False) -> Answer:
    """A grid of therapy classes against sites: where each class is a main option, a selected one or supportive."""
    from mbc_cli import views

    _list_format(fmt)
    kb = load(ctx)
    return Answer("matrix", kb, (views.matrix(kb),), fmt, page=not no_pager)


@app.command(epilog="""Examples: mbc search esr1 pik3ca   mbc search '"cord compression"'   mbc search onj --limit 3""")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(help='Words, all of which must appear, in any order; "quoted words" as a phrase.'),
    ],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show only the best N hits.")] = None,
    brief: BriefOption = False,
    fmt: FormatOption = None,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Search names and text for all the words, with synonyms (ONJ, hypocalcaemia ...), best hits first."""
    from mbc_cli import views

    _list_format(fmt)
    kb = load(ctx)
    view = views.search(kb, words, limit or (10 if brief else None))
    return Answer("search", kb, (view,), fmt, page=not no_pager)


@app.command(epilog="Examples: mbc sources --type regulator   mbc sources --type press --format markdown")
def sources(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option("--type", "-t", help="Only one type: guideline, regulator, journal, reference, press, other."),
    ] = None,
    fmt: FormatOption = None,
    no_pager: NoPagerOption = False,
) -> Answer:
    """Every source the knowledge cites: title, publisher, year, type and link."""
    from mbc_cli import model, views

    _list_format(fmt)
    types = typing.get_args(model.SourceType)
    kind = kind.strip().lower() if kind is not None else None  # as --format: `Press` is press
    if kind is not None and kind not in types:
        raise typer.BadParameter(f"'{kind}' is not one of {', '.join(types)}", param_hint="'--type'")
    kb = load(ctx)
    return Answer("sources", kb, (views.sources(kb, kind),), fmt, page=not no_pager)


@app.command(epilog="Examples: mbc changes   mbc changes --since 2026-01-01 --format markdown")
def changes(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="From this date (default: the last 12 months).")] = None,
    fmt: FormatOption = None,
    no_pager: NoPagerOption = False,
) -> Answer:
    """What changed: pending decisions, then approvals and withdrawals newest first, and entries re-reviewed."""
    from mbc_cli import views

    _list_format(fmt)
    kb = load(ctx)
    now = today()
    return Answer("changes", kb, (views.changes(kb, views.parse_since(since, now), now),), fmt, page=not no_pager)


@app.command(epilog="Examples: mbc validate   mbc validate my-file.toml   mbc validate --overlay new-notes.toml")
def validate(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="The knowledge file to check in place of the one in use.")] = None,
    overlay: Annotated[
        list[Path] | None, typer.Option("--overlay", help="Also merge this overlay file, last (repeatable).")
    ] = None,
    fmt: FormatOption = None,
) -> Answer:
    """Check a knowledge file and your overlays: format, references, content and source rules.

    Lists every problem with its location."""
    from mbc_cli import knowledge, schema, views

    _list_format(fmt)
    paths = knowledge.distinct([*files(ctx, path), *(overlay or ())])
    counts: dict[str, int] = {}
    try:
        merged = knowledge.merge(paths)
        kb = knowledge.Knowledge(knowledge.Memory(*knowledge.compile_knowledge(merged)), lambda: kb, paths)  # type: ignore[arg-type, return-value]
        problems, warnings = schema.rules(kb, today())
        counts = dict(kb.section("meta")["counts"])
    except KnowledgeError as error:
        kb = None
        problems, warnings = list(error.problems or (str(error),)), []
    view = views.ValidateView(tuple(map(str, paths)), not problems, tuple(problems), tuple(warnings), counts)
    failure = KnowledgeError(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found") if problems else None
    return Answer("validate", kb, (view,), fmt, page=False, failure=failure)
