"""What each command shows, as a format-neutral document: a list of blocks with numbered citations.

Builders here turn model objects into blocks; `render` turns blocks into text, Markdown or styled
output. Every string in a finished document has passed through `clean`, so no
renderer can ever print a control character from the data.
"""

from collections.abc import Callable
from typing import Any

from mbc_cli import DISCLAIMER, model
from mbc_cli.knowledge import Knowledge
from mbc_cli.queries import NOUNS, SearchResult, TherapyView, therapy_view
from mbc_cli.record import Record
from mbc_cli.safe import clean

ROLE_LABELS = {"main": "main option", "selected": "selected patients", "supportive": "supportive care"}
KIND_LABELS = {"systemic": "systemic (reaches the whole body)", "local": "local (treats one place)"}
STATUS_LABELS = {
    "approved": "approved",
    "accelerated": "accelerated approval",
    "pending": "pending",
    "not-approved": "not approved",
    "withdrawn": "withdrawn",
}
GRID_MARKS = {"main": "main", "selected": "sel", "supportive": "supp", "": "-"}


class Title(Record):
    text: str
    subtitle: str = ""


class Heading(Record):
    text: str


class Para(Record):
    text: str
    refs: tuple[int, ...] = ()
    label: str = ""


class Item(Record):
    name: str
    text: str = ""
    tags: tuple[str, ...] = ()
    refs: tuple[int, ...] = ()


class Row(Record):
    """One entry of a list: its id, short columns (kind, role ...) and its name."""

    key: str
    columns: tuple[str, ...]
    text: str


class Grid(Record):
    corner: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    legend: str


class Cited(Record):
    number: int
    source: model.Source


class Note(Record):
    text: str


Block = Title | Heading | Para | Item | Row | Grid | Cited | Note


class Document:
    """Blocks in order, and the sources cited so far (numbered by first citation)."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.blocks: list[Block] = []
        self.numbers: dict[str, int] = {}

    def cite(self, ids: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.numbers.setdefault(i, len(self.numbers) + 1) for i in ids)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def para(self, text: str, sources: tuple[str, ...] = (), label: str = "") -> None:
        if text:
            self.add(Para(text, self.cite(sources), label))

    def statement(self, statement: model.Statement | None, label: str = "") -> None:
        if statement is not None:
            self.para(statement.text, statement.sources, label or statement.label)

    def point(self, statement: model.Statement) -> None:
        """A statement in a list: its label, if any, as the item's name."""
        self.item(statement.label, statement.text, (), statement.sources)

    def item(self, name: str, text: str, tags: tuple[str, ...] = (), sources: tuple[str, ...] = ()) -> None:
        self.add(Item(name, text, tags, self.cite(sources)))

    def finish(self) -> list[Block]:
        """Close with the sources cited and the disclaimer line; every string made safe to print."""
        if self.numbers:
            self.add(Heading("Sources"))
            self.add(*(Cited(n, self.kb.source(i)) for i, n in self.numbers.items()))
        self.add(Note(f"{DISCLAIMER} Knowledge last reviewed {self.kb.reviewed}."))
        return [_safe(block) for block in self.blocks]


def _safe(value: Any) -> Any:
    """A block with `clean` applied to every string in it, however deeply nested."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, tuple):
        items = [_safe(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _subtype_names(kb: Knowledge, ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(kb.name("subtypes", s) for s in ids)


# ---------------------------------------------------------------- entries


def add_site(doc: Document, site: model.Site, filters: str = "") -> None:
    kb = doc.kb
    subtitle = "metastasis site" if site.category == "site" else "situation"
    doc.add(Title(site.name, subtitle))
    doc.para(site.summary, site.sources)
    doc.statement(site.frequency, "How common")
    doc.statement(site.goal, "Goal of treatment")
    if filters:
        doc.add(Para(filters, label="Showing"))
    for kind, heading in (("systemic", "Systemic therapy"), ("local", "Local therapy")):
        chosen = [t for t in site.treatments if t.kind == kind]
        if chosen:
            doc.add(Heading(heading))
        for t in chosen:
            doc.item(t.name, t.summary, (ROLE_LABELS[t.role], *_subtype_names(kb, t.subtypes)), t.sources)
    if site.caveats:
        doc.add(Heading("Caveats"))
        for caveat in site.caveats:
            doc.point(caveat)
    doc.add(Para(f"Reviewed {site.reviewed}."))


def add_therapy(doc: Document, view: TherapyView) -> None:
    kb, therapy = doc.kb, view.therapy
    doc.add(Title(therapy.name, f"{therapy.kind} therapy, {therapy.role}"))
    doc.para(therapy.summary, therapy.sources)
    doc.add(Para(KIND_LABELS[therapy.kind], label="Kind"))
    doc.add(Para(", ".join(_subtype_names(kb, therapy.subtypes)) or "any subtype", label="Subtypes"))
    if therapy.points:
        doc.add(Heading("Key points"))
        for point in therapy.points:
            doc.point(point)
    if view.drugs:
        doc.add(Heading("Drugs"))
        for drug in view.drugs:
            brands = f" ({', '.join(drug.brands)})" if drug.brands else ""
            doc.item(drug.name + brands, drug.target)
    if view.uses:
        doc.add(Heading("Where it is used"))
        for site, used in view.uses:
            text = "; ".join(f"{t.name} ({ROLE_LABELS[t.role]})" for t in used)
            doc.item(site.name, text)
    doc.add(Para(f"Reviewed {therapy.reviewed}."))


def add_drug(doc: Document, drug: model.Drug) -> None:
    kb = doc.kb
    doc.add(Title(drug.name, ", ".join(drug.brands)))
    classes = [kb.therapy(t) for t in drug.therapies]
    doc.add(Para(", ".join(c.name for c in classes), label="Class"))
    kinds = sorted({c.kind for c in classes})
    doc.add(Para(" and ".join(KIND_LABELS[k] for k in kinds), label="Kind"))
    doc.para(drug.target, label="Target")
    doc.para(", ".join(_subtype_names(kb, drug.subtypes)), label="Subtypes")
    doc.para(drug.biomarker, label="Biomarker")
    doc.para(drug.line, label="Line of therapy")
    doc.para(", ".join(drug.aliases), label="Also called")
    doc.para(drug.summary, drug.sources)
    if drug.trials:
        doc.add(Heading("Key trials"))
        for trial in drug.trials:
            doc.item(f"{trial.name} ({trial.year})", trial.text, (), trial.sources)
    if drug.approvals:
        checked = f" (checked {drug.approvals_checked})" if drug.approvals_checked else ""
        doc.add(Heading(f"US approval{checked}"))
        for approval in drug.approvals:
            when = f" {approval.date}" if approval.date else ""
            doc.item(STATUS_LABELS[approval.status] + when, approval.indication, (), approval.sources)
    if drug.safety:
        doc.add(Heading("Safety"))
        for point in drug.safety:
            doc.point(point)
    doc.add(Para(f"Reviewed {drug.reviewed}."))


def add_overview(doc: Document) -> None:
    kb = doc.kb
    overview = kb.overview()
    doc.add(Title("Metastatic breast cancer", "treatment overview"))
    if overview is not None:
        doc.para(overview.summary, overview.sources)
        for section in overview.sections:
            doc.point(section)
    if kb.ids("subtypes"):
        doc.add(Heading("Subtypes"))
        for key in kb.ids("subtypes"):
            subtype = kb.subtype(key)
            doc.item(subtype.name, subtype.summary, (), subtype.sources)
    if overview is not None:
        doc.add(Para(f"Reviewed {overview.reviewed}."))


# ---------------------------------------------------------------- lists, grid, search, sources


def listing(kb: Knowledge, table: str, keys: tuple[str, ...]) -> list[Block]:
    doc = Document(kb)
    for key in keys:
        entry = getattr(kb, NOUNS[table])(key)
        if isinstance(entry, model.Site):
            doc.add(Row(key, (entry.category,), entry.name))
        elif isinstance(entry, model.Therapy):
            doc.add(Row(key, (entry.kind, entry.role), entry.name))
        else:
            brands = f" ({', '.join(entry.brands)})" if entry.brands else ""
            doc.add(Row(key, (entry.therapies[0],), entry.name + brands))
    return doc.finish()


def grid(kb: Knowledge, therapies: tuple[str, ...], rows: tuple[tuple[str, tuple[str, ...]], ...]) -> list[Block]:
    doc = Document(kb)
    doc.add(Title("Where each therapy class is used", "sites by therapy class"))
    sites = tuple(sid for sid, _ in rows)
    cells = tuple((therapy, tuple(GRID_MARKS[row[1][i]] for row in rows)) for i, therapy in enumerate(therapies))
    legend = "main = a main option; sel = for selected patients; supp = supportive care; - = not listed"
    doc.add(Grid("therapy", sites, cells, legend))
    return doc.finish()


def search_results(kb: Knowledge, result: SearchResult) -> list[Block]:
    doc = Document(kb)
    found = f"{_count(len(result.entries), 'entry', 'entries')} by name, {_count(len(result.mentions), 'mention')}"
    doc.add(Title(f"Search: {result.query}", found))
    for table, key in result.entries:
        add_entry(doc, table, key)
    if result.mentions:
        doc.add(Heading(f"Mentions of '{result.query}'"))
        for m in result.mentions:
            doc.item(f"{m.name}: {m.where}", m.sentence, (), m.sources)
    return doc.finish()


def add_entry(doc: Document, table: str, key: str) -> None:
    """Any entry, whole, as its own command would show it."""
    kb = doc.kb
    if table == "sites":
        add_site(doc, kb.site(key))
    elif table == "drugs":
        add_drug(doc, kb.drug(key))
    elif table == "therapies":
        add_therapy(doc, therapy_view(kb, key, None, None))
    else:
        subtype = kb.subtype(key)
        doc.add(Title(subtype.name, "subtype"))
        doc.para(subtype.summary, subtype.sources)
        doc.add(Para(f"Reviewed {subtype.reviewed}."))


def sources(kb: Knowledge) -> list[Block]:
    doc = Document(kb)
    doc.add(Title("Sources cited", f"{len(kb.ids('sources'))} sources"))
    doc.cite(kb.ids("sources"))
    return doc.finish()


def entry(kb: Knowledge, add: Callable[..., None], *args: Any) -> list[Block]:
    """A document holding one entry, built by one of the add_* functions."""
    doc = Document(kb)
    add(doc, *args)
    return doc.finish()
