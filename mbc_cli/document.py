"""Views laid out as a format-neutral document: blocks in reading order, citations numbered.

Each entry leads with what its reader needs first (README, "What comes first"): a situation with
what to do now, a site with its goal and treatments before statistics, a drug with what it is for
and its boxed warnings before trial history. Several entries make one document with one numbered
source list. Every string in a finished document has passed through `clean`, so no renderer can
print a control character from the data.
"""

from typing import Any

from mbc_cli import DISCLAIMER, model, views
from mbc_cli.knowledge import Knowledge
from mbc_cli.record import Record
from mbc_cli.safe import clean

ROLE_LABELS = {"main": "main option", "selected": "selected patients", "supportive": "supportive care"}
KIND_LABELS = {"systemic": "systemic (reaches the whole body)", "local": "local (treats one place)"}
STATUS_LABELS = {
    "approved": "approved",
    "accelerated": "accelerated approval",
    "conditional": "conditional approval",
    "reported": "approval reported (no regulator document read yet)",
    "pending": "decision pending",
    "not-approved": "not approved",
    "withdrawn": "withdrawn",
}
AGENCY_LABELS = {"FDA": "US (FDA)", "EMA": "EU (EMA)"}
SURVIVAL_LABELS = {
    "improved": "overall survival improved",
    "not-improved": "overall survival not improved",
    "immature": "overall survival data immature",
    "not-reported": "overall survival not reported",
    "unconfirmed": "overall survival result not confirmed in its own publication",
}
GRID_MARKS = {"main": "main", "selected": "sel", "supportive": "supp", "": "-"}


class Title(Record):
    text: str
    subtitle: str = ""


class Heading(Record):
    text: str
    level: int = 2  # 1: a heading beside the entries' titles (several entries' sources); 2: within one


class Para(Record):
    text: str
    refs: tuple[int, ...] = ()
    label: str = ""


class Item(Record):
    name: str
    text: str = ""
    tags: tuple[str, ...] = ()
    refs: tuple[int, ...] = ()
    marker: str = "-"  # "-" or a number ("1.") for steps in order
    style: str = ""  # "warning" for boxed warnings


class Detail(Record):
    """A labelled line under the item before it ("Requires: ...")."""

    label: str
    text: str
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
    note: str = ""  # why it is cited: shown by `mbc sources`, not under every answer


class Note(Record):
    text: str


Block = Title | Heading | Para | Item | Detail | Row | Grid | Cited | Note


class Document:
    """Blocks in order, and the sources cited so far (numbered by first citation)."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.blocks: list[Block] = []
        self.numbers: dict[str, int] = {}
        self.entries = 0
        self.source_notes = False  # list each source's note with it

    def cite(self, ids: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.numbers.setdefault(i, len(self.numbers) + 1) for i in ids)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def title(self, text: str, subtitle: str = "") -> None:
        self.entries += 1
        self.add(Title(text, subtitle))

    def para(self, text: str, sources: tuple[str, ...] = (), label: str = "") -> None:
        if text:
            self.add(Para(text, self.cite(sources), label))

    def statement(self, statement: model.Statement | None, label: str = "") -> None:
        if statement is not None:
            self.para(statement.text, statement.sources, label or statement.label)

    def point(self, statement: model.Statement, marker: str = "-", style: str = "", tags: tuple[str, ...] = ()) -> None:
        """A statement in a list: its label, if any, as the item's name."""
        self.add(Item(statement.label, statement.text, tags, self.cite(statement.sources), marker, style))

    def item(self, name: str, text: str = "", tags: tuple[str, ...] = (), sources: tuple[str, ...] = ()) -> None:
        self.add(Item(name, text, tags, self.cite(sources)))

    def section(self, heading: str, statements: tuple[model.Statement, ...], numbered: bool = False) -> None:
        if statements:
            self.add(Heading(heading))
            for i, statement in enumerate(statements, 1):
                self.point(statement, f"{i}." if numbered else "-")

    def finish(self, note: str) -> list[Block]:
        """Close with the sources cited and the closing note; every string made safe to print."""
        if self.numbers:
            self.add(Heading("Sources", 1 if self.entries > 1 else 2))
            sources = ((n, self.kb.source(i)) for i, n in self.numbers.items())
            self.add(*(Cited(n, s, s.note if self.source_notes else "") for n, s in sources))
        self.add(Note(note))
        return [_safe(block) for block in self.blocks]


def _safe(value: Any) -> Any:
    """A block with `clean` applied to every string in it, however deeply nested."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, tuple):
        items = [_safe(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


def note(reviewed: str, age: int | None) -> str:
    """The closing line: the disclaimer, the review date, and a warning when it is old."""
    line = f"{DISCLAIMER} Knowledge last reviewed {reviewed}."
    if age is not None and age > 180:
        line += f" That is {age} days ago: treatment changes often, so install a newer mbc for newer knowledge."
    return line


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _status(status: views.Status) -> str:
    when = f" {status.date}" if status.date else ""
    if status.status == "pending" and status.date:
        when = f" (due {status.date})"
    early = " (early breast cancer only)" if status.setting == "early" else ""
    return f"{AGENCY_LABELS[status.agency]}: {STATUS_LABELS[status.status]}{when}{early}"


def _statuses(statuses: tuple[views.Status, ...], pending: tuple[views.Status, ...] = ()) -> str:
    """`US (FDA): approved 2025-12-15; EU (EMA): approved 2025-03-31; EU (EMA) also: decision pending`."""
    also = [_status(p).replace(":", " also:", 1) for p in pending]
    return "; ".join([*map(_status, statuses), *also]) or "no decision recorded"


def _names(refs: tuple[views.Ref, ...]) -> str:
    return ", ".join(r.name for r in refs)


# ---------------------------------------------------------------- entries


def add_site(doc: Document, view: views.SiteView) -> None:
    site = view.site
    doc.title(site.name, "metastasis site" if site.category == "site" else "situation")
    doc.para(site.summary, site.sources)
    doc.section("Do now", site.actions, numbered=True)
    doc.statement(site.goal, "Goal of treatment")
    _filters(doc, view.filters)
    for kind, heading in (("systemic", "Systemic therapy"), ("local", "Local therapy")):
        chosen = [t for t in site.treatments if t.kind == kind]
        if chosen:
            doc.add(Heading(heading))
        for t in chosen:
            names = tuple(doc.kb.name("subtypes", s) for s in t.subtypes)
            doc.item(t.name, t.summary, (ROLE_LABELS[t.role], *names), t.sources)
    doc.section("Caveats", views.key_first(site.caveats))
    if site.frequency is not None:
        doc.add(Heading("How common"))
        doc.para(site.frequency.text, site.frequency.sources)
    _regimens(doc, "Regimens with evidence here", view.regimens)
    doc.add(Para(f"Reviewed {site.reviewed}."))


def add_site_brief(doc: Document, view: views.SiteBrief) -> None:
    """A situation: what to do now, in order. A site: one line per treatment, then the key caveats."""
    doc.title(view.name, "situation, brief" if view.category == "situation" else "metastasis site, brief")
    _filters(doc, view.filters)
    if view.actions:
        doc.section("Do now", view.actions, numbered=True)
        return
    for t in view.treatments:
        doc.add(Item(t.name, "", (t.kind, t.role, *t.subtypes), doc.cite(t.sources)))
    doc.section("Key points", view.key_caveats)


def _filters(doc: Document, filters: views.Filters) -> None:
    shown = [f"{filters.kind} therapy" if filters.kind else ""]
    shown.append(doc.kb.name("subtypes", filters.subtype) if filters.subtype else "")
    shown.append(f"at {doc.kb.name('sites', filters.site)}" if filters.site else "")
    if any(shown):
        doc.add(Para(", ".join(filter(None, shown)), label="Showing"))


def add_therapy(doc: Document, view: views.TherapyView) -> None:
    kb, therapy = doc.kb, view.therapy
    doc.title(therapy.name, f"{therapy.kind} therapy, {therapy.role}")
    doc.para(therapy.summary, therapy.sources)
    doc.add(Para(KIND_LABELS[therapy.kind], label="Kind"))
    doc.add(Para(", ".join(kb.name("subtypes", s) for s in therapy.subtypes) or "any subtype", label="Subtypes"))
    _filters(doc, view.filters)
    doc.section("Key points", views.key_first(therapy.points))
    for group in view.groups:
        doc.add(Heading(group.name))
        for drug in group.drugs:
            brands = f" ({', '.join(drug.brands)})" if drug.brands else ""
            doc.item(drug.name + brands, drug.target)
    if view.uses:
        doc.add(Heading("Where it is used"))
        for use in view.uses:
            doc.item(use.site.name, "; ".join(f"{name} ({ROLE_LABELS[role]})" for name, role in use.treatments))
    _regimens(doc, "Regimens", view.regimens)
    doc.add(Para(f"Reviewed {therapy.reviewed}."))


def add_therapy_brief(doc: Document, view: views.TherapyBrief) -> None:
    doc.title(view.name, f"{view.kind} therapy, {view.role}, brief")
    doc.add(Para(", ".join(view.subtypes) or "any subtype", label="Subtypes"))
    _filters(doc, view.filters)
    if len(view.groups) == 1:  # one group: its drugs on one line
        doc.para(", ".join(d.name for d in view.groups[0].drugs), label="Drugs")
    elif view.groups:
        doc.add(Heading("Drugs"))
        for group in view.groups:
            doc.para(", ".join(d.name for d in group.drugs), label=group.name)
    doc.section("Key points", view.key_points)


def _boxed(doc: Document, warnings: tuple[model.Statement, ...], label: str) -> None:
    doc.add(Heading("Boxed warnings" if len(warnings) != 1 else "Boxed warning"))
    if not warnings and label:
        doc.add(Para("The US label has no boxed warning.", doc.cite((label,))))
    elif not warnings:
        doc.add(Para("Not known: no US label was read (not approved in the US, or its label is not in the sources)."))
    for warning in warnings:
        doc.point(warning, style="warning")


def _safety(doc: Document, statements: tuple[model.Statement, ...]) -> None:
    """Safety points; those that rest only on trial papers are marked as trial data."""
    if statements:
        doc.add(Heading("Safety"))
    for statement in statements:
        trial = statement.sources and all(doc.kb.source(s).type == "journal" for s in statement.sources)
        doc.point(statement, tags=("trial data",) if trial else ())


def add_drug(doc: Document, view: views.DrugView) -> None:
    drug = view.drug
    doc.title(drug.name, ", ".join(drug.brands))
    doc.para(drug.summary, drug.sources)
    doc.add(Para(_names(view.classes), label="Class"))
    kinds = sorted({doc.kb.therapy(c.id).kind for c in view.classes})
    doc.add(Para(" and ".join(KIND_LABELS[k] for k in kinds), label="Kind"))
    doc.para(drug.target, label="Target")
    doc.para(", ".join(doc.kb.name("subtypes", s) for s in drug.subtypes), label="Subtypes")
    doc.para(drug.biomarker, label="Biomarker")
    doc.para(drug.line, label="Line of therapy")
    doc.para(", ".join(drug.aliases), label="Also called")
    if view.status:
        checked = f" (checked {drug.approvals_checked})" if drug.approvals_checked else ""
        doc.add(Para(_statuses(view.status, view.pending) + checked, label="Regulatory status"))
    _boxed(doc, drug.boxed_warnings, drug.us_label)
    _safety(doc, drug.safety)
    _regimens(doc, "Regimens", view.regimens)
    _trials(doc, view.trials)
    if drug.approvals:
        doc.add(Heading("Regulatory decisions"))
        for approval in drug.approvals:
            when = f" {approval.date}" if approval.date else ""
            name = f"{AGENCY_LABELS[approval.agency]} {STATUS_LABELS[approval.status]}{when}"
            early = ("early breast cancer",) if approval.setting == "early" else ()
            doc.item(name, approval.indication, early, approval.sources)
    doc.add(Para(f"Reviewed {drug.reviewed}."))


def _regimens(doc: Document, heading: str, regimens: tuple[views.Ref | views.RegimenLine, ...]) -> None:
    """The regimens that concern an entry, each with its id, and its US and EU status where known."""
    if regimens:
        doc.add(Heading(heading))
    for r in regimens:
        doc.item(r.name, _statuses(r.status) if isinstance(r, views.RegimenLine) else "", (r.id,))


def _trials(doc: Document, trials: tuple[views.TrialLine, ...]) -> None:
    if trials:
        doc.add(Heading("Key trials"))
    for t in trials:
        interim = " (interim)" if t.analysis == "interim" else ""
        doc.item(f"{t.name} ({t.year})", t.headline + interim, (), t.sources)


def add_drug_brief(doc: Document, view: views.DrugBrief) -> None:
    doc.title(view.name, ", ".join((*view.brands[:3], "brief")))
    doc.add(Para(_names(view.classes), label="Class"))
    doc.para(", ".join(view.subtypes), label="Subtypes")
    doc.para(view.biomarker, label="Biomarker")
    doc.para(view.line, label="Line")
    doc.add(Para(_statuses(view.status, view.pending), label="Status"))
    names = "; ".join(w.label or w.text for w in view.boxed_warnings)
    names = names or ("none on the US label" if view.us_label else "not known (no US label read)")
    cited = tuple(s for w in view.boxed_warnings for s in w.sources) or ((view.us_label,) if view.us_label else ())
    doc.add(Para(names, doc.cite(tuple(dict.fromkeys(cited))), "Boxed warnings"))
    doc.section("Safety", view.key_safety)


def add_trial(doc: Document, view: views.TrialView) -> None:
    trial = view.trial
    doc.title(trial.name, f"phase {trial.phase} trial, {trial.year}")
    doc.para(trial.headline, trial.sources, "Result")
    doc.para(f"{trial.analysis} analysis; {SURVIVAL_LABELS[trial.overall_survival]}", label="Analysis")
    doc.para(trial.population, label="Population")
    doc.para("; ".join(trial.arms), label="Arms")
    doc.para(trial.primary_endpoint, label="Primary endpoint")
    doc.section("Results", trial.results)
    doc.para(trial.note, label="Sources")
    if view.drugs:
        doc.add(Para(_names(view.drugs), label="Drugs"))
    _regimens(doc, "Regimens", view.regimens)
    doc.add(Para(f"Reviewed {trial.reviewed}."))


def add_biomarker(doc: Document, view: views.BiomarkerView) -> None:
    marker = view.biomarker
    doc.title(marker.name, "biomarker")
    doc.para(marker.summary, marker.sources)
    doc.statement(marker.testing, "Testing")
    if marker.escat is not None:
        doc.para(f"tier {marker.escat.tier}: {marker.escat.text}", marker.escat.sources, "ESCAT")
    _regimens(doc, "Options it opens", view.regimens)
    doc.add(Para(f"Reviewed {marker.reviewed}."))


def add_terms(doc: Document, view: views.TermsView) -> None:
    if len(view.terms) == 1:
        term = view.terms[0]
        doc.title(term.name, "glossary")
        doc.para(term.definition, term.sources)
        doc.para(", ".join(term.aliases), label="Also called")
        return
    doc.title("Glossary", _count(len(view.terms), "term"))
    for term in view.terms:
        doc.item(term.name, term.definition, (), term.sources)


def add_overview(doc: Document, view: views.OverviewView) -> None:
    doc.title("Metastatic breast cancer", "treatment overview")
    if view.overview is not None:
        doc.para(view.overview.summary, view.overview.sources)
        for section in views.key_first(view.overview.sections):
            doc.point(section)
    if view.subtypes:
        doc.add(Heading("Subtypes"))
        for subtype in view.subtypes:
            doc.item(subtype.name, subtype.summary, (), subtype.sources)
    if view.overview is not None:
        doc.add(Para(f"Reviewed {view.overview.reviewed}."))


def add_overview_brief(doc: Document, view: views.OverviewBrief) -> None:
    doc.title("Metastatic breast cancer", "treatment overview, brief")
    doc.para(view.summary, view.sources)
    for section in view.key_sections:
        doc.point(section)
    doc.add(Para(_names(view.subtypes), label="Subtypes"))


def _situation(doc: Document, view: views.OptionsView | views.OptionsBrief, brief: bool = False) -> None:
    s = view.situation
    subtitle = "documented in guidelines and labels, not a recommendation for a patient"
    doc.title("Treatment options", subtitle + (", brief" if brief else ""))
    understood = [
        ("Subtype", s.subtype.name if s.subtype else "any"),
        ("Biomarkers", _names(s.biomarkers) or "none given"),
        ("After", _names(s.after) or "none given"),
        ("Line", s.line),
        ("Site", s.site.name if s.site else ""),
        ("Endocrine", s.endocrine or ""),
        ("Menopause", s.menopause or ""),
    ]
    for label, value in understood:
        doc.para(value, label=label)


TESTS_SHOWN = 15  # tests listed for a situation (the shipped knowledge has up to 14); JSON lists all


def _tests(doc: Document, tests: tuple[views.Test, ...]) -> None:
    if tests:
        doc.add(Heading("Tests that would open more options"))
    for test in tests[:TESTS_SHOWN]:
        doc.item(test.biomarker.name, _names(test.opens))
    if len(tests) > TESTS_SHOWN:  # the last are those that open only tumour-agnostic options
        doc.para(f"And {len(tests) - TESTS_SHOWN} more tests (--format json lists them).")


def add_options_brief(doc: Document, view: views.OptionsBrief) -> None:
    _situation(doc, view, brief=True)
    group = ""
    for option in view.options:
        if option.group != group:
            group = option.group
            doc.add(Heading(group))
        statuses = tuple(a for a in option.approvals if a is not None)
        pending = ("decision pending",) if option.status == "pending" else ()
        doc.add(Item(option.name, "", (*pending, _short_status(statuses))))
    _tests(doc, view.tests)


SHORT_STATUS = {"reported": "approval reported", "pending": "decision pending", "not-approved": "not approved"}


def _short_status(statuses: tuple[views.Status, ...]) -> str:
    """`FDA approved 2023, EMA decision pending`: one agency after the other, with the year."""
    parts = (
        f"{s.agency} {SHORT_STATUS.get(s.status, s.status)}" + (f" {s.date[:4]}" if s.date else "") for s in statuses
    )
    return ", ".join(parts) or "no decision"


def add_options(doc: Document, view: views.OptionsView) -> None:
    _situation(doc, view)
    group = ""
    for option in view.options:
        if option.group != group:
            group = option.group
            doc.add(Heading(group))
        doc.add(Item(option.name, option.summary, _option_tags(option), doc.cite(option.sources)))
        r = option.requires
        needs = [
            f"biomarkers: {', '.join(r.biomarkers)}" if r.biomarkers else "",
            f"one of: {', '.join(r.biomarkers_any)}" if r.biomarkers_any else "",
            f"after: {', '.join(r.after)}" if r.after else "",
            f"not after: {', '.join(r.not_after)}" if r.not_after else "",
            f"without: {', '.join(r.not_biomarkers)}" if r.not_biomarkers else "",
            f"endocrine-{r.endocrine}" if r.endocrine != "any" else "",
            f"{r.menopause}menopausal" if r.menopause != "any" else "",
        ]
        if any(needs):
            doc.add(Detail("Requires", "; ".join(filter(None, needs))))
        statuses = tuple(a for a in option.approvals if a is not None)
        doc.add(Detail("Status", _statuses(statuses), doc.cite(tuple(s for a in statuses for s in a.sources[:1]))))
        for t in option.trials[:1]:
            interim = ", interim" if t.analysis == "interim" else ""
            doc.add(Detail("Trial", f"{t.name} ({t.year}{interim}): {t.headline}", doc.cite(t.sources)))
        if option.evidence:
            doc.add(Detail("Guidelines", ", ".join(option.evidence), doc.cite(option.guidelines)))
    _tests(doc, view.tests)


def _option_tags(option: views.Option) -> tuple[str, ...]:
    tags = ["decision pending"] if option.status == "pending" else []
    tags += ["evidence at this site"] if option.site_evidence else []
    return (*tags, *option.subtypes)


# ---------------------------------------------------------------- lists, grid, search, sources, changes


def add_listing(doc: Document, view: views.ListView) -> None:
    for row in view.rows:
        columns = []
        for name in views.COLUMNS[view.table]:
            value = getattr(row, name)
            if isinstance(value, tuple):
                value = ", ".join(value)
            if name not in ("brands", "headline"):
                columns.append(str(value or "-"))
        text = row.name
        if row.brands:
            text += f" ({', '.join(row.brands)})"
        if row.headline:
            text += f": {row.headline}"
        doc.add(Row(row.id, tuple(columns), text))


def add_matrix(doc: Document, view: views.MatrixView) -> None:
    doc.title("Where each therapy class is used", "sites by therapy class")
    sites = tuple(site.id for site, _ in view.sites)
    cells = tuple((t.id, tuple(GRID_MARKS[roles[i]] for _, roles in view.sites)) for i, t in enumerate(view.therapies))
    legend = "main = a main option; sel = for selected patients; supp = supportive care; - = not listed"
    doc.add(Grid("therapy", sites, cells, legend))


ALSO_IN = 5  # the other places of a search hit that are named (the shipped knowledge has up to 3)


def add_search(doc: Document, view: views.SearchView) -> None:
    shown = f"{_count(len(view.hits), 'hit')}" + (f" of {view.total}" if view.total > len(view.hits) else "")
    doc.title(f"Search: {view.query}", shown)
    for hit in view.hits:
        first, *others = hit.places
        if hit.kind == "name":
            command = f"mbc {first.table.rstrip('s') if first.table != 'therapies' else 'therapy'} {first.id}"
            doc.item(first.name, f"{hit.text} ({_noun(first.table)}): {command}")
            continue
        named = tuple(dict.fromkeys(p.name for p in others))
        also = f" Also in: {', '.join(named[:ALSO_IN])}" if others else ""
        if len(named) > ALSO_IN:  # the places not named are not cited either; JSON lists them all
            also += f" and {len(named) - ALSO_IN} more (--format json lists them)"
            others = [p for p in others if p.name in named[:ALSO_IN]]
        text = hit.text + (also + "." if also else "")
        doc.item(f"{first.name}: {first.where}", text, (), views.cited([first, *others]))


def _noun(table: str) -> str:
    return model.NOUNS.get(table, table)


def add_sources(doc: Document, view: views.SourcesView) -> None:
    doc.title("Sources cited", _count(len(view.sources), "source") + (f" of type {view.type}" if view.type else ""))
    doc.source_notes = True
    doc.cite(view.sources)


def add_changes(doc: Document, view: views.ChangesView) -> None:
    doc.title("What changed", f"{view.since} to {view.until}: decisions pending, then newest first")
    if view.decisions:
        doc.add(Heading("Regulatory decisions"))
    for c in view.decisions:
        when = (f"due {c.date}" if c.date else "date not disclosed") if c.status == "pending" else c.date
        name = f"{when}: {AGENCY_LABELS[c.agency]} {STATUS_LABELS[c.status]}: {c.drug.name}"
        doc.item(name, c.indication, ("early breast cancer",) if c.setting == "early" else (), c.sources)
    if view.reviewed:
        doc.add(Heading("Entries reviewed"))
    by_day: dict[tuple[str, str], list[str]] = {}  # one line a day for each kind of entry
    for date, entry in view.reviewed:
        by_day.setdefault((date, entry.table), []).append(entry.name)
    for (date, table), entries in by_day.items():
        doc.item(f"{date}: {len(entries)} {table if len(entries) > 1 else _noun(table)}", ", ".join(entries))


def add(doc: Document, view: Any) -> None:
    """Any view, laid out by its own builder."""
    BUILDERS[type(view)](doc, view)


BUILDERS: dict[type, Any] = {
    views.SiteView: add_site,
    views.SiteBrief: add_site_brief,
    views.TherapyView: add_therapy,
    views.TherapyBrief: add_therapy_brief,
    views.DrugView: add_drug,
    views.DrugBrief: add_drug_brief,
    views.TrialView: add_trial,
    views.BiomarkerView: add_biomarker,
    views.TermsView: add_terms,
    views.OverviewView: add_overview,
    views.OverviewBrief: add_overview_brief,
    views.OptionsView: add_options,
    views.OptionsBrief: add_options_brief,
    views.ListView: add_listing,
    views.MatrixView: add_matrix,
    views.SearchView: add_search,
    views.SourcesView: add_sources,
    views.ChangesView: add_changes,
}


def build(kb: Knowledge, shown: list[Any], note_text: str) -> list[Block]:
    """The document showing the views, in order, with one source list."""
    doc = Document(kb)
    for view in shown:
        add(doc, view)
    return doc.finish(note_text)
