"""What each command shows, as data: one view per command, built from the knowledge and the filters.

Both ways of showing a view follow it: `render.json` writes its fields as they are (the JSON
contract is these classes), and `document` lays the same fields out as text or Markdown. So every
format says the same thing, and a field added here appears in each.
"""

import datetime
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mbc_cli import model
from mbc_cli.errors import NothingFoundError, UnknownNameError
from mbc_cli.knowledge import Knowledge
from mbc_cli.record import Record

if TYPE_CHECKING:
    from mbc_cli import search as index

Statements = tuple[model.Statement, ...]
LINE_GROUPS = {  # in the order `mbc options` shows them: options for any line after the targeted ones
    "1": "First line",
    "2": "Second line",
    "2+": "Second line or later",
    "3": "Third line",
    "3+": "Third line or later",
    "1+": "Any line",
}


class Ref(Record):
    """Another entry, by table, id and name."""

    table: str
    id: str
    name: str


class Status(Record):
    """One agency's decision on a drug or a regimen."""

    agency: str
    status: str
    date: str
    indication: str
    sources: model.SourceIds
    setting: str


class Filters(Record):
    kind: str | None = None
    subtype: str | None = None
    site: str | None = None


# ---------------------------------------------------------------- shared pieces


def ref(kb: Knowledge, table: str, key: str) -> Ref:
    return Ref(table, key, kb.name(table, key))


def refs(kb: Knowledge, table: str, keys: Sequence[str]) -> tuple[Ref, ...]:
    return tuple(ref(kb, table, key) for key in keys)


UNSETTLED = ("pending", "reported")  # a decision due, or an approval only press has reported


def _positions(approvals: Sequence[model.Approval]) -> dict[str, int]:
    """Each agency's position (FDA first), as the index of the decision: its latest in metastatic
    disease; a pending or press-reported one only where it has decided nothing else, an
    early-disease one only where there is nothing else. Decisions are listed in the order they
    happened, dated or not (schema.rules checks)."""
    out = {}
    for agency in ("FDA", "EMA"):
        mine = [
            (a.setting == "metastatic", a.status not in UNSETTLED, i)
            for i, a in enumerate(approvals)
            if a.agency == agency
        ]
        if mine:
            out[agency] = max(mine)[2]
    return out


def _status(a: model.Approval) -> Status:
    return Status(a.agency, a.status, a.date, a.indication, a.sources, a.setting)


def latest(approvals: Sequence[model.Approval]) -> tuple[Status, ...]:
    """Each agency's position (see `_positions`)."""
    return tuple(_status(approvals[i]) for i in _positions(approvals).values())


def pending(approvals: Sequence[model.Approval]) -> tuple[Status, ...]:
    """What `latest` does not show: decisions still pending, and approvals reported by press after
    the decision it shows (a new use of an approved drug, before a regulator's document is read)."""
    shown = _positions(approvals)
    return tuple(
        _status(a)
        for i, a in enumerate(approvals)
        if (a.status == "pending" and approvals[shown[a.agency]].status != "pending")
        or (a.status == "reported" and i > shown[a.agency])
    )


def regimen_approvals(kb: Knowledge, regimen: str) -> tuple[model.Approval, ...]:
    """The regulatory decisions that name a regimen, from its drugs' approvals."""
    return tuple(a for d in kb.regimen(regimen).drugs for a in kb.drug(d).approvals if regimen in a.regimens)


def regimen_status(kb: Knowledge, regimen: str) -> tuple[Status, ...]:
    """Each agency's position on a regimen (`latest`), dated from when it began: a regimen has a
    status once its last drug got it, so the decision shown is, of each drug's first decision with
    that status naming the regimen, the newest. THP is approved since pertuzumab's 2012 approval,
    not since the 2020 Phesgo approval that also names it. With an undated one among them, the
    latest decision is shown as it is."""
    out = []
    for now in latest(regimen_approvals(kb, regimen)):
        firsts = []
        for drug in kb.regimen(regimen).drugs:
            same = [a for a in kb.drug(drug).approvals if regimen in a.regimens and a.agency == now.agency]
            same = [a for a in same if (a.status, a.setting) == (now.status, now.setting)]
            if same:
                firsts.append(min(same, key=lambda a: a.date or ""))
        if firsts and all(a.date for a in firsts):
            first = max(firsts, key=lambda a: a.date)
            now = _status(first)
        out.append(now)
    return tuple(out)


def key_points(statements: Statements) -> Statements:
    return tuple(s for s in statements if s.key)


def key_first(statements: Statements) -> Statements:
    return key_points(statements) + tuple(s for s in statements if not s.key)


# ---------------------------------------------------------------- sites


class TreatmentLine(Record):
    id: str
    name: str
    kind: str
    role: str
    subtypes: tuple[str, ...]  # names
    sources: model.SourceIds


class SiteView(Record):
    site: model.Site
    filters: Filters
    regimens: tuple[Ref, ...]  # regimens with evidence at this site


class SiteBrief(Record):
    id: str
    name: str
    category: str
    goal: model.Statement | None
    actions: Statements
    treatments: tuple[TreatmentLine, ...]
    key_caveats: Statements
    filters: Filters


def site(kb: Knowledge, key: str, kind: str | None, subtype: str | None, brief: bool) -> SiteView | SiteBrief:
    """A site with only the treatments that pass the filters (NothingFoundError if none do)."""
    entry = kb.site(key)
    kept = tuple(
        t
        for t in entry.treatments
        if (kind is None or t.kind == kind) and (subtype is None or not t.subtypes or subtype in t.subtypes)
    )
    if (kind or subtype) and not kept:
        what = " ".join(filter(None, [kind, "treatments"]))
        for_subtype = f" for {kb.name('subtypes', subtype)}" if subtype else ""
        raise NothingFoundError(f"no {what}{for_subtype} listed for {entry.name}")
    filters = Filters(kind, subtype)
    if brief:

        def subtype_name(key: str) -> str:
            return kb.name("subtypes", key)

        # One line per treatment, citing its first (lead) source: all of them would wrap the lines
        # and double the source list; the full view cites every one.
        lines = tuple(
            TreatmentLine(t.id, t.short or t.name, t.kind, t.role, tuple(map(subtype_name, t.subtypes)), t.sources[:1])
            for t in kept
        )
        return SiteBrief(
            key, entry.name, entry.category, entry.goal, entry.actions, lines, key_points(entry.caveats), filters
        )
    regimens = refs(kb, "regimens", kb.relation("regimens_of", f"sites:{key}"))
    return SiteView(entry._replace(treatments=kept), filters, regimens)


# ---------------------------------------------------------------- therapies


class DrugLine(Record):
    id: str
    name: str
    brands: tuple[str, ...]
    target: str


class GroupLine(Record):
    name: str
    drugs: tuple[DrugLine, ...]


class Use(Record):
    site: Ref
    treatments: tuple[tuple[str, str], ...]  # name, role


class TherapyView(Record):
    therapy: model.Therapy
    filters: Filters
    groups: tuple[GroupLine, ...]
    uses: tuple[Use, ...]
    regimens: tuple[Ref, ...]


class TherapyBrief(Record):
    id: str
    name: str
    kind: str
    role: str
    subtypes: tuple[str, ...]
    groups: tuple[GroupLine, ...]
    key_points: Statements
    filters: Filters


def _groups(kb: Knowledge, therapy: model.Therapy, subtype: str | None) -> tuple[GroupLine, ...]:
    """The class's drugs by group, those in no group last."""
    drugs = {}
    for key in kb.relation("drugs_in", therapy.id):
        drug = kb.drug(key)
        if subtype is None or not drug.subtypes or subtype in drug.subtypes:
            drugs[key] = DrugLine(key, drug.name, drug.brands, drug.target)
    out = []
    placed: set[str] = set()
    for group in therapy.groups:
        members = tuple(drugs[d] for d in group.drugs if d in drugs)
        placed.update(d.id for d in members)
        if members:
            out.append(GroupLine(group.name, members))
    rest = tuple(d for key, d in drugs.items() if key not in placed)
    if rest:
        out.append(GroupLine("Other" if out else "Drugs", rest))
    return tuple(out)


def _for_subtype(kb: Knowledge, entry: model.Therapy, subtype: str) -> None:
    """Raise NothingFoundError if nothing about the class is for `subtype`: not the class, none of its
    drugs (a drug for any subtype is for this one) and none of the regimens they are in."""
    drugs = kb.relation("drugs_in", entry.id)
    regimens = {r for d in drugs for r in kb.relation("regimens_of", f"drugs:{d}")}
    covered = [entry.subtypes, *(kb.drug(d).subtypes for d in drugs), *(kb.regimen(r).subtypes for r in regimens)]
    if not all(covered):
        return  # something in it is for any subtype
    subtypes = {s for found in covered for s in found}
    if not _fitting(kb, subtype) & subtypes:
        meant = ", ".join(kb.name("subtypes", s) for s in kb.ids("subtypes") if s in subtypes)
        name = kb.name("subtypes", subtype)
        raise NothingFoundError(f"{entry.name}: not used for {name} disease in the knowledge (only {meant})")


def therapy(
    kb: Knowledge, key: str, at_site: str | None, subtype: str | None, brief: bool
) -> TherapyView | TherapyBrief:
    entry = kb.therapy(key)
    if subtype is not None:
        _for_subtype(kb, entry, subtype)
    groups = _groups(kb, entry, subtype)
    uses = []
    for sid in kb.relation("sites_using", key):
        if at_site is not None and sid != at_site:
            continue
        used = tuple(
            (t.name, t.role)
            for t in kb.site(sid).treatments
            if key in t.therapies and (subtype is None or not t.subtypes or subtype in t.subtypes)
        )
        if used:
            uses.append(Use(ref(kb, "sites", sid), used))
    if at_site is not None and not uses:
        raise NothingFoundError(f"{entry.name} is not listed for {kb.name('sites', at_site)}")
    if subtype is not None and not uses and not groups:
        raise NothingFoundError(f"nothing about {entry.name} is listed for {kb.name('subtypes', subtype)}")
    filters = Filters(None, subtype, at_site)
    if brief:
        subtypes = tuple(kb.name("subtypes", s) for s in entry.subtypes)
        return TherapyBrief(
            key, entry.name, entry.kind, entry.role, subtypes, groups, key_points(entry.points), filters
        )
    regimens = dict.fromkeys(r for g in groups for d in g.drugs for r in kb.relation("regimens_of", f"drugs:{d.id}"))
    return TherapyView(entry, filters, groups, tuple(uses), refs(kb, "regimens", list(regimens)))


# ---------------------------------------------------------------- drugs


class RegimenLine(Record):
    id: str
    name: str
    status: tuple[Status, ...]


class TrialLine(Record):
    id: str
    name: str
    year: int
    headline: str
    analysis: str
    sources: model.SourceIds


class DrugView(Record):
    drug: model.Drug
    classes: tuple[Ref, ...]
    status: tuple[Status, ...]
    pending: tuple[Status, ...]  # decisions due that `status` does not show
    regimens: tuple[RegimenLine, ...]
    trials: tuple[TrialLine, ...]


class DrugBrief(Record):
    id: str
    name: str
    brands: tuple[str, ...]
    classes: tuple[Ref, ...]
    subtypes: tuple[str, ...]
    biomarker: str
    line: str
    status: tuple[Status, ...]
    pending: tuple[Status, ...]
    us_label: str
    boxed_warnings: Statements
    key_safety: Statements


def trial_line(kb: Knowledge, key: str) -> TrialLine:
    trial = kb.trial(key)
    return TrialLine(key, trial.name, trial.year, trial.headline, trial.analysis, trial.sources)


def regimen_line(kb: Knowledge, key: str) -> RegimenLine:
    return RegimenLine(key, kb.name("regimens", key), regimen_status(kb, key))


def drug(kb: Knowledge, key: str, brief: bool) -> DrugView | DrugBrief:
    entry = kb.drug(key)
    classes = refs(kb, "therapies", entry.therapies)
    if brief:
        subtypes = tuple(kb.name("subtypes", s) for s in entry.subtypes)
        status = latest(entry.approvals)
        warnings, safety = entry.boxed_warnings, key_points(entry.safety)
        return DrugBrief(
            key,
            entry.name,
            entry.brands,
            classes,
            subtypes,
            entry.biomarker,
            entry.line,
            status,
            pending(entry.approvals),
            entry.us_label,
            warnings,
            safety,
        )
    regimens = tuple(regimen_line(kb, r) for r in kb.relation("regimens_of", f"drugs:{key}"))
    trials = tuple(trial_line(kb, t) for t in entry.trials)
    status = latest(entry.approvals)
    drug = entry._replace(safety=key_first(entry.safety))
    return DrugView(drug, classes, status, pending(entry.approvals), regimens, trials)


# ---------------------------------------------------------------- trials, biomarkers, glossary, overview


class TrialView(Record):
    trial: model.Trial
    drugs: tuple[Ref, ...]
    regimens: tuple[Ref, ...]


class BiomarkerView(Record):
    biomarker: model.Biomarker
    regimens: tuple[RegimenLine, ...]  # the options it opens


class TermsView(Record):
    terms: tuple[model.Term, ...]


class OverviewView(Record):
    overview: model.Overview | None
    subtypes: tuple[model.Subtype, ...]


class OverviewBrief(Record):
    summary: str
    sources: model.SourceIds
    key_sections: Statements
    subtypes: tuple[Ref, ...]


def trial(kb: Knowledge, key: str) -> TrialView:
    drugs = refs(kb, "drugs", kb.relation("trials_of", key))
    return TrialView(kb.trial(key), drugs, refs(kb, "regimens", kb.relation("regimens_of", f"trials:{key}")))


def biomarker(kb: Knowledge, key: str) -> BiomarkerView:
    opened = tuple(regimen_line(kb, r) for r in kb.relation("regimens_of", f"biomarkers:{key}"))
    return BiomarkerView(kb.biomarker(key), opened)


def overview(kb: Knowledge, brief: bool) -> OverviewView | OverviewBrief:
    found = kb.overview()
    subtypes = tuple(kb.subtype(k) for k in kb.ids("subtypes"))
    if not brief:
        return OverviewView(found, subtypes)
    if found is None:
        raise NothingFoundError("the knowledge has no overview")
    return OverviewBrief(
        found.summary, found.sources, key_points(found.sections), refs(kb, "subtypes", kb.ids("subtypes"))
    )


# ---------------------------------------------------------------- lists and the matrix


class Row(Record):
    """One entry of a list, with what a script needs without a call per entry."""

    id: str
    name: str
    aliases: tuple[str, ...]
    category: str = ""  # sites
    kind: str = ""  # therapies, drugs
    role: str = ""  # therapies
    classes: tuple[str, ...] = ()  # drugs: class names
    brands: tuple[str, ...] = ()
    subtypes: tuple[str, ...] = ()
    biomarker: str = ""
    us_status: str = ""  # drugs: the latest FDA decision
    us_date: str = ""
    year: int = 0  # trials
    headline: str = ""  # trials


class ListView(Record):
    table: str
    rows: tuple[Row, ...]


COLUMNS = {  # what each list shows in text and TSV, after id and name
    "sites": ("category",),
    "therapies": ("kind", "role"),
    "drugs": ("classes", "brands", "us_status", "us_date"),
    "trials": ("year", "headline"),
    "biomarkers": (),
    "glossary": (),
}


def listing(kb: Knowledge, table: str, kind: str | None = None) -> ListView:
    rows = []
    for key in kb.ids(table):
        entry = kb.get(table, key)
        row = Row(key, entry.name, entry.aliases)
        if isinstance(entry, model.Site):
            row = row._replace(category=entry.category)
        elif isinstance(entry, model.Therapy):
            if kind is not None and entry.kind != kind:
                continue
            row = row._replace(kind=entry.kind, role=entry.role)
        elif isinstance(entry, model.Drug):
            classes = [kb.therapy(t) for t in entry.therapies]
            us = latest([a for a in entry.approvals if a.agency == "FDA"])
            row = row._replace(
                kind=" and ".join(sorted({c.kind for c in classes})),
                classes=tuple(c.name for c in classes),
                brands=entry.brands,
                subtypes=tuple(kb.name("subtypes", s) for s in entry.subtypes),
                biomarker=entry.biomarker,
                us_status=us[0].status if us else "",
                us_date=us[0].date if us else "",
            )
        elif isinstance(entry, model.Trial):
            row = row._replace(year=entry.year, headline=entry.headline)
        rows.append(row)
    if not rows:
        raise NothingFoundError(f"no {table} match")
    return ListView(table, tuple(rows))


class MatrixView(Record):
    therapies: tuple[Ref, ...]
    sites: tuple[tuple[Ref, tuple[str, ...]], ...]  # each site's best role per therapy ("" where unused)


ROLE_RANK = {"main": 3, "selected": 2, "supportive": 1}


def matrix(kb: Knowledge) -> MatrixView:
    therapies = kb.ids("therapies")
    rows = []
    for sid in kb.ids("sites"):
        entry = kb.site(sid)
        if entry.category != "site":
            continue
        best: dict[str, str] = {}
        for t in entry.treatments:
            for key in t.therapies:
                if ROLE_RANK[t.role] > ROLE_RANK.get(best.get(key, ""), 0):
                    best[key] = t.role
        rows.append((ref(kb, "sites", sid), tuple(best.get(t, "") for t in therapies)))
    if not rows or not therapies:
        raise NothingFoundError("no metastasis sites or therapy classes to show")
    return MatrixView(refs(kb, "therapies", therapies), tuple(rows))


# ---------------------------------------------------------------- sources and changes


class SourcesView(Record):
    type: str | None
    sources: model.SourceIds  # ids: the JSON envelope spells each out once, as for every command


def sources(kb: Knowledge, kind: str | None) -> SourcesView:
    found = tuple(k for k in kb.ids("sources") if kind is None or kb.source(k).type == kind)
    if not found:
        raise NothingFoundError(f"no sources of type {kind}")
    return SourcesView(kind, found)


class Change(Record):
    date: str
    agency: str
    status: str
    drug: Ref
    indication: str
    regimens: tuple[Ref, ...]
    sources: model.SourceIds
    setting: str


class ChangesView(Record):
    since: str
    until: str
    decisions: tuple[Change, ...]  # pending first, then newest first
    reviewed: tuple[tuple[str, Ref], ...]  # entries re-reviewed in the period, newest first


def changes(kb: Knowledge, since: datetime.date, today: datetime.date) -> ChangesView:
    """Regulatory decisions dated from `since` (pending ones by their due date), pending ones whose
    date is not disclosed, and entries reviewed in the period."""
    start = since.isoformat()
    decisions = []
    for date, _agency, key, index, _regimens in kb.section("approvals"):
        approval = kb.drug(key).approvals[index]
        if (date and date >= start) or (approval.status == "pending" and not date):
            decisions.append(
                Change(
                    date,
                    approval.agency,
                    approval.status,
                    ref(kb, "drugs", key),
                    approval.indication,
                    refs(kb, "regimens", approval.regimens),
                    approval.sources,
                    approval.setting,
                )
            )
    decisions.sort(key=lambda c: (c.status == "pending", c.date), reverse=True)  # what is due first
    reviewed = []
    for table in ("sites", "therapies", "drugs", "regimens", "trials", "biomarkers"):
        for key, date in kb.section(f"reviewed/{table}").items():
            if date >= start:
                reviewed.append((date, ref(kb, table, key)))
    reviewed.sort(key=lambda r: r[0], reverse=True)
    if not decisions and not reviewed:
        raise NothingFoundError(f"no changes since {start}")
    return ChangesView(start, today.isoformat(), tuple(decisions), tuple(reviewed))


# ---------------------------------------------------------------- options


class Situation(Record):
    """What `mbc options` understood of the patient's situation."""

    subtype: Ref | None
    biomarkers: tuple[Ref, ...]
    after: tuple[Ref, ...]
    line: str  # "any", "1", "2", "2 or later (after prior therapy)" ...
    site: Ref | None
    endocrine: str | None
    menopause: str | None


class Requires(Record):
    biomarkers: tuple[str, ...]
    biomarkers_any: tuple[str, ...]
    after: tuple[str, ...]
    not_after: tuple[str, ...]
    not_biomarkers: tuple[str, ...]
    lines: str
    endocrine: str
    menopause: str


class Approvals(Record):
    us: Status | None
    eu: Status | None


class Option(Record):
    id: str
    name: str
    group: str  # the line group it is shown under
    status: str  # standard, pending or other
    drugs: tuple[Ref, ...]
    subtypes: tuple[str, ...]
    requires: Requires
    approvals: Approvals
    trials: tuple[TrialLine, ...]
    evidence: tuple[str, ...]  # the bodies whose guidelines support it
    guidelines: model.SourceIds
    site_evidence: bool  # specific evidence at the site asked about
    summary: str
    sources: model.SourceIds


class Test(Record):
    """A biomarker not given that would add regimens to this situation."""

    biomarker: Ref
    opens: tuple[Ref, ...]


class OptionsView(Record):
    situation: Situation
    options: tuple[Option, ...]
    tests: tuple[Test, ...]


class OptionLine(Record):
    id: str
    name: str
    group: str
    status: str
    approvals: Approvals


class OptionsBrief(Record):
    situation: Situation
    options: tuple[OptionLine, ...]
    tests: tuple[Test, ...]


def brief_options(view: OptionsView) -> OptionsBrief:
    lines = tuple(OptionLine(o.id, o.name, o.group, o.status, o.approvals) for o in view.options)
    return OptionsBrief(view.situation, lines, view.tests)


def _lines(spec: str) -> range:
    first = int(spec[0])
    return range(first, 99) if spec.endswith("+") else range(first, first + 1)


def _fitting(kb: Knowledge, subtype: str) -> set[str]:
    """The subtypes whose options fit `subtype`: itself, and for HER2-low (which is HER2-negative,
    HR+ or HR-) the HER2-negative ones."""
    fitting = {subtype}
    if kb.subtype(subtype).her2 == "low":
        fitting |= {s for s in kb.ids("subtypes") if kb.subtype(s).her2 == "negative"}
    return fitting


def _prior(kb: Knowledge, kind: str, key: str) -> set[str]:
    """A prior therapy and everything it counts as: a drug is also its classes and groups, and a
    class also the classes given with it (a CDK4/6 inhibitor means endocrine therapy too)."""
    groups = kb.section("groups")
    if kind == "groups":
        found = {key, groups[key][0]}
    elif kind == "therapies":
        found = {key}
    else:
        found = {key, *kb.drug(key).therapies, *(g for g, (_, _, members) in groups.items() if key in members)}
    classes = [item for item in found if item in kb.section("names/therapies")]
    return found.union(*(kb.therapy(item).given_with for item in classes))


def options(
    kb: Knowledge,
    subtype: str | None,
    biomarkers: Sequence[str],
    after: Sequence[tuple[str, str]],
    line: int | None,
    at_site: str | None,
    endocrine: str | None,
    menopause: str | None,
) -> OptionsView:
    """The regimens that fit the situation, in knowledge order (guideline preference) within each
    line, and the tests that would add more. A filter not given means any, except biomarkers and
    prior therapies: a regimen that needs one is shown only when it is given."""
    prior: set[str] = set().union(*(_prior(kb, kind, key) for kind, key in after)) if after else set()
    lines = range(line, line + 1) if line is not None else range(2, 99) if after else range(1, 99)
    if subtype in kb.ids("biomarkers") and subtype not in biomarkers:  # HER2-low: a subtype and a test result
        biomarkers = [*biomarkers, subtype]
    given = set(biomarkers)
    fitting = _fitting(kb, subtype) if subtype else set()
    found: list[Option] = []
    known = prior | ({"endocrine"} if endocrine == "resistant" else set())  # prior therapies known given
    unknown: set[str] = set()  # options found that follow a therapy not known to be given
    missing: dict[str, list[str]] = {}
    fits = kb.fits(fitting if subtype else None)
    for key, r in fits:
        if subtype is not None and r.subtypes and not fitting & set(r.subtypes):
            continue
        own = _lines(r.lines)
        fits_line = max(own.start, lines.start) < min(own.stop, lines.stop)
        if not fits_line or (after and not set(r.after) <= prior) or prior & set(r.not_after):
            continue
        if given & set(r.not_biomarkers):
            continue
        if (endocrine and r.endocrine not in ("any", endocrine)) or (
            menopause and r.menopause not in ("any", menopause)
        ):
            continue
        lacking = [b for b in r.biomarkers if b not in given]
        if r.biomarkers_any and not given & set(r.biomarkers_any):
            lacking += r.biomarkers_any
        if lacking:
            for b in lacking:
                missing.setdefault(b, []).append(key)
            continue
        found.append(_option(kb, kb.regimen(key), at_site, _group(r.lines, line, bool(after))))
        if not set(r.after) <= known:
            unknown.add(key)
    # Within a line: evidence at the site asked about; then the options whose prior therapies are
    # known to be given (by --after, or endocrine therapy by --endocrine resistant) before those that
    # follow a therapy not given (relapse on adjuvant therapy); then the options matched to a
    # biomarker given; then the rest, each in the knowledge's order (guideline preference).
    groups = [*LINE_GROUPS.values(), *(f"Line {n}" for n in range(4, 10))]
    found.sort(
        key=lambda o: (
            groups.index(o.group),
            at_site is not None and not o.site_evidence,
            o.id in unknown,
            not (o.requires.biomarkers or o.requires.biomarkers_any),
        )
    )
    # Tests for this subtype first; those that open only tumour-agnostic options (no subtype) last.
    agnostic = {key for key, r in fits if not r.subtypes}
    order = sorted(missing, key=lambda b: all(k in agnostic for k in missing[b]))
    tests = tuple(Test(ref(kb, "biomarkers", b), refs(kb, "regimens", missing[b])) for b in order)
    if line is not None:
        understood = str(line)
    elif after:
        understood = "2 or later (after the therapies given; give --line 1 for relapse after adjuvant therapy)"
    else:
        understood = "any"
    situation = Situation(
        ref(kb, "subtypes", subtype) if subtype else None,
        refs(kb, "biomarkers", biomarkers),
        tuple(
            ref(kb, kind, key) if kind != "groups" else Ref("groups", key, kb.section("groups")[key][1])
            for kind, key in after
        ),
        understood,
        ref(kb, "sites", at_site) if at_site else None,
        endocrine,
        menopause,
    )
    if not found and not tests:
        raise NothingFoundError("no regimen in the knowledge fits this situation")
    return OptionsView(situation, tuple(found), tests)


def _group(spec: str, line: int | None, after: bool) -> str:
    """The heading a regimen for lines `spec` goes under: the line asked about, or, after therapies
    already given, the lines from the second on that it fits; else its own lines."""
    if line is not None:
        return LINE_GROUPS.get(str(line), f"Line {line}")
    if not after:
        return LINE_GROUPS[spec]
    start = max(int(spec[0]), 2)
    return LINE_GROUPS[f"{start}+" if spec.endswith("+") else str(start)]


def _option(kb: Knowledge, r: model.Regimen, at_site: str | None, group: str) -> Option:
    status = regimen_status(kb, r.id)
    by_agency = {s.agency: s for s in status}
    groups = kb.section("groups")

    def prior_name(item: str) -> str:
        if item in groups:
            return str(groups[item][1])
        return kb.name("therapies", item) if item in kb.section("names/therapies") else kb.name("drugs", item)

    def biomarker_names(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(kb.name("biomarkers", b) for b in ids)

    requires = Requires(
        biomarker_names(r.biomarkers),
        biomarker_names(r.biomarkers_any),
        tuple(map(prior_name, r.after)),
        tuple(map(prior_name, r.not_after)),
        biomarker_names(r.not_biomarkers),
        r.lines,
        r.endocrine,
        r.menopause,
    )
    bodies = tuple(dict.fromkeys(re.split(r"\s*[;(]", kb.source(g).publisher)[0] for g in r.guidelines))
    return Option(
        r.id,
        r.name,
        group,
        r.status,
        refs(kb, "drugs", r.drugs),
        tuple(kb.name("subtypes", s) for s in r.subtypes),
        requires,
        Approvals(by_agency.get("FDA"), by_agency.get("EMA")),
        tuple(trial_line(kb, t) for t in r.trials),
        bodies,
        r.guidelines,
        at_site in r.sites,
        r.summary,
        r.sources,
    )


def parse_since(text: str | None, today: datetime.date) -> datetime.date:
    if text is None:
        return today - datetime.timedelta(days=365)
    try:
        since = datetime.date.fromisoformat(text)
    except ValueError:
        raise UnknownNameError(f"--since takes a date such as 2026-01-31, not '{text}'") from None
    if since > today:
        raise UnknownNameError(f"--since {since} is after today ({today})")
    return since


# ---------------------------------------------------------------- search and validate


class Place(Record):
    table: str
    id: str
    name: str
    where: str
    sources: model.SourceIds  # what the text cites there


class SearchHit(Record):
    kind: str  # "name": the entry is called this; "text": a statement
    text: str
    sources: model.SourceIds  # what it cites in all its places
    places: tuple[Place, ...]  # where it stands; several when the same text is in several entries


class SearchView(Record):
    query: str
    total: int  # hits before --limit
    hits: tuple[SearchHit, ...]


def search_index(kb: Knowledge) -> "index.Index":
    """The search index of the knowledge, read a token at a time."""
    from mbc_cli import search as index

    return index.Index(
        lambda token: kb.lookup("postings", token) or (),
        lambda term: tuple(kb.lookup("synonyms", " ".join(term)) or ()),
        lambda first: tuple(kb.lookup("phrases", first) or ()),
        lambda: kb.section("search/words"),
        lambda n: kb.get("texts", str(n)),
    )


def search(kb: Knowledge, words: Sequence[str], limit: int | None) -> SearchView:
    from mbc_cli import search as index

    result = index.search(search_index(kb), list(words), limit)
    hits = []
    for hit in result.hits:
        places = tuple(
            Place(table, key, kb.name(table, key) if table != "overview" else "Overview", where, sources)
            for table, key, where, sources in hit.locations
        )
        hits.append(SearchHit(hit.kind, hit.text, cited(places), places))
    return SearchView(result.query, result.total, tuple(hits))


def cited(places: Sequence[Place]) -> tuple[str, ...]:
    """The sources of some places of a text, each once, in order."""
    return tuple(dict.fromkeys(source for place in places for source in place.sources))


class ValidateView(Record):
    files: tuple[str, ...]
    valid: bool
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    counts: dict[str, int]
