"""Lookups over a Knowledge base: names and aliases, filters, full-text search, the matrix."""

import re

from mbc_cli import model
from mbc_cli.errors import MbcError, NothingFoundError, UnknownNameError
from mbc_cli.knowledge import Knowledge, normalize
from mbc_cli.record import Record

NOUNS = {"sites": "site", "therapies": "therapy", "drugs": "drug", "subtypes": "subtype"}
LISTINGS = {"sites": "sites", "therapies": "therapies", "drugs": "drugs", "subtypes": "overview"}
ROLE_RANK = {"main": 3, "selected": 2, "supportive": 1}


def find(kb: Knowledge, table: str, name: str) -> str:
    """The id of the entry called `name` (any case, alias or brand), or UnknownNameError."""
    index = kb.index(table)
    key = normalize(name)
    if key in index:
        return index[key]
    raise UnknownNameError(NOUNS[table], name, suggest(index, key), LISTINGS[table])


def suggest(index: dict[str, str], key: str) -> tuple[str, ...]:
    """Up to three typeable names close to `key`, one per entry: prefixes first, then look-alikes."""
    import difflib

    candidates = [n for n in index if len(key) >= 3 and n.startswith(key)]
    candidates += difflib.get_close_matches(key, index, n=5, cutoff=0.6)
    seen: dict[str, str] = {}
    for name in candidates:
        seen.setdefault(index[name], name)
    return tuple(seen.values())[:3]


def treatments(site: model.Site, kind: str | None = None, subtype: str | None = None) -> tuple[model.Treatment, ...]:
    """A site's treatments of one kind and for one subtype (a treatment with no subtypes fits all)."""
    return tuple(
        t
        for t in site.treatments
        if (kind is None or t.kind == kind) and (subtype is None or not t.subtypes or subtype in t.subtypes)
    )


def filtered_site(kb: Knowledge, site_id: str, kind: str | None, subtype: str | None) -> model.Site:
    """The site with only the treatments that pass the filters; NothingFoundError if none do."""
    site = kb.site(site_id)
    kept = treatments(site, kind, subtype)
    if (kind or subtype) and not kept:
        what = " ".join(filter(None, [kind, "treatments"]))
        for_subtype = f" for {kb.name('subtypes', subtype)}" if subtype else ""
        raise NothingFoundError(f"no {what}{for_subtype} listed for {site.name}")
    return site._replace(treatments=kept)


class TherapyView(Record):
    """A therapy class with the drugs in it and the sites where it is used, after filters."""

    therapy: model.Therapy
    drugs: tuple[model.Drug, ...]
    uses: tuple[tuple[model.Site, tuple[model.Treatment, ...]], ...]


def therapy_view(kb: Knowledge, therapy_id: str, site_id: str | None, subtype: str | None) -> TherapyView:
    therapy = kb.therapy(therapy_id)
    drugs = tuple(
        d
        for d in (kb.drug(i) for i in kb.drugs_in(therapy_id))
        if subtype is None or not d.subtypes or subtype in d.subtypes
    )
    uses = []
    for sid in kb.sites_using(therapy_id):
        if site_id is not None and sid != site_id:
            continue
        site = kb.site(sid)
        used = tuple(t for t in treatments(site, None, subtype) if therapy_id in t.therapies)
        if used:
            uses.append((site, used))
    if site_id is not None and not uses:
        raise NothingFoundError(f"{therapy.name} is not listed for {kb.name('sites', site_id)}")
    if subtype is not None and not uses and not drugs:
        raise NothingFoundError(f"nothing about {therapy.name} is listed for {kb.name('subtypes', subtype)}")
    return TherapyView(therapy, drugs, tuple(uses))


def matrix(kb: Knowledge) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Therapy ids, and for each site its best role per therapy ('' where it is not used)."""
    therapies = kb.ids("therapies")
    rows = []
    for sid in kb.ids("sites"):
        site = kb.site(sid)
        if site.category != "site":
            continue
        best: dict[str, str] = {}
        for t in site.treatments:
            for therapy in t.therapies:
                if ROLE_RANK[t.role] > ROLE_RANK.get(best.get(therapy, ""), 0):
                    best[therapy] = t.role
        rows.append((sid, tuple(best.get(t, "") for t in therapies)))
    if not rows or not therapies:
        raise NothingFoundError("no metastasis sites or therapy classes to show")
    return therapies, tuple(rows)


# ---------------------------------------------------------------- search

# British spellings and their US forms, in the order they are replaced (search compares folded text).
_SPELLINGS = {
    "oestr": "estr",
    "oedem": "edem",
    "oesophag": "esophag",
    "anaem": "anem",
    "leukaem": "leukem",
    "haem": "hem",
    "aemia": "emia",
    "paediatr": "pediatr",
    "foetal": "fetal",
    "gynaecolog": "gynecolog",
    "orthopaed": "orthoped",
    "tumour": "tumor",
    "colour": "color",
    "behaviour": "behavior",
    "favour": "favor",
    "centre": "center",
    "programme": "program",
    "isation": "ization",
}
SEARCH_INDEX = "search3"  # the name the index is kept under: change it when fold or the index changes
_ISE = r"(?<=[a-z]{3})is(?=(?:e[sd]?|ing)\b)"  # metastasise, metastasised -> iz
_SENTENCE = r"(?<=[.!?])\s+(?=[A-Z0-9(])"


def fold(text: str) -> str:
    """Text in the form search compares: lower case, US spelling, punctuation as single spaces."""
    text = text.casefold()
    for british, american in _SPELLINGS.items():
        if british in text:
            text = text.replace(british, american)
    text = re.sub(_ISE, "iz", text)
    return " " + " ".join(re.findall(r"[\w+/]+", text)) + " "


class Mention(Record):
    table: str
    id: str
    name: str
    where: str  # which part of the entry: "Summary", a treatment's name, "Trial EMILIA" ...
    sentence: str
    sources: tuple[str, ...]


class SearchResult(Record):
    query: str
    entries: tuple[tuple[str, str], ...]  # (table, id) of entries hit by name or alias
    mentions: tuple[Mention, ...]


def search(kb: Knowledge, words: list[str]) -> SearchResult:
    """Entries whose name or alias contains the phrase, and every other sentence that does."""
    query = " ".join(words).strip()
    phrase = fold(query)
    if not phrase.strip():
        raise MbcError("nothing to search for: give one or more words")
    entries: list[tuple[str, str]] = []
    mentions: list[Mention] = []
    for table, key, name, labels, pieces in kb.derived(SEARCH_INDEX, lambda: search_index(kb)):
        if phrase in labels:
            entries.append((table, key))
            continue
        for where, sources, sentences, folded in pieces:
            whole = phrase in folded[0]  # a named piece (a treatment, a trial, a caveat): show all of it
            mentions += [
                Mention(table, key, name, where, sentence, tuple(sources))
                for sentence, text in zip(sentences, folded[1:], strict=True)
                if whole or phrase in text
            ]
    if not entries and not mentions:
        raise NothingFoundError(f"nothing found for '{query}'")
    return SearchResult(query, tuple(entries), tuple(mentions))


def search_index(kb: Knowledge) -> list[tuple[str, str, str, str, list[tuple[str, list[str], list[str], list[str]]]]]:
    """Every entry's folded names, and its prose split into sentences, plain and folded.

    Folding is the slow part of a search, so the index is built once and kept beside the cache.
    """
    index = []
    for table in ("sites", "therapies", "drugs", "subtypes"):
        for key in kb.ids(table):
            entry = getattr(kb, NOUNS[table])(key)
            labels = "".join(fold(label) for label in (key, entry.name, *entry.aliases, *getattr(entry, "brands", ())))
            index.append((table, key, entry.name, labels, _pieces(_texts(entry))))
    overview = kb.overview()
    if overview is not None:
        texts = [("Summary", overview.summary, overview.sources)]
        texts += [(s.label, s.text, s.sources) for s in overview.sections]
        index.append(("overview", "", "Overview", "", _pieces(texts)))
    return index


Text = tuple[str, str, tuple[str, ...]]  # where in the entry, the text, its sources


def _pieces(texts: list[Text]) -> list[tuple[str, list[str], list[str], list[str]]]:
    """Each piece split into sentences, folded; its label folded too unless it is a field's name."""
    out = []
    for where, text, sources in texts:
        sentences = re.split(_SENTENCE, text)
        label = "" if where in _FIELD_LABELS or where.startswith("US approval") else fold(where)
        out.append((where, list(sources), sentences, [label, *(fold(s) for s in sentences)]))
    return out


# Labels that name a field rather than a thing, so that `mbc search target` finds targets, not fields.
_FIELD_LABELS = {"Summary", "How common", "Goal", "Caveat", "Key point", "Target", "Line", "Biomarker", "Safety"}


def _texts(entry: model.Entry) -> list[Text]:
    """The prose of an entry, each piece with a short label of where it stands and its sources."""
    out: list[Text] = [("Summary", entry.summary, entry.sources)]
    if isinstance(entry, model.Site):
        out += [(label, s.text, s.sources) for label, s in (("How common", entry.frequency), ("Goal", entry.goal)) if s]
        out += [(c.label or "Caveat", c.text, c.sources) for c in entry.caveats]
        out += [(t.name, t.summary, t.sources) for t in entry.treatments]
    elif isinstance(entry, model.Therapy):
        out += [(p.label or "Key point", p.text, p.sources) for p in entry.points]
    elif isinstance(entry, model.Drug):
        out += [(label, text, entry.sources) for label, text in (("Target", entry.target), ("Line", entry.line))]
        out += [("Biomarker", entry.biomarker, entry.sources)] if entry.biomarker else []
        out += [(f"Trial {t.name}", t.text, t.sources) for t in entry.trials]
        out += [(f"US approval ({a.status})", a.indication, a.sources) for a in entry.approvals]
        out += [(s.label or "Safety", s.text, s.sources) for s in entry.safety]
    return out
