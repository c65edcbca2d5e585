"""Full-text search: an index of every name and statement built when the knowledge is compiled, and
queries that find all their words in any order, with synonyms, ranked.

Every distinct text is indexed once, with the places it stands ("also in"), as the words `fold`
makes of it (so case, hyphens, slashes, plurals and British spelling do not matter). The postings
map each word to the texts holding it; a query intersects them and checks phrases in the few texts
left, so a search reads the postings and only the texts it shows.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mbc_cli import model
from mbc_cli.errors import MbcError, NothingFoundError
from mbc_cli.record import Record
from mbc_cli.words import MOST_WORDS, fold

Tokens = tuple[str, ...]
Location = tuple[str, str, str, tuple[str, ...]]  # table, id, where in the entry ("Caveat: Imaging"), sources
# Field labels that name a part of an entry rather than say something, so they are not searched.
_FIELDS = frozenset({"Summary", "Goal", "How common", "Caveat", "Key point", "Target", "Line", "Biomarker", "Safety"})


class Hit(Record):
    """A text that matched: a name of an entry, or a statement, with every place it stands."""

    kind: str  # "name" or "text"
    text: str
    locations: tuple[Location, ...]


class Index(Record):
    """How a search reads the compiled index, one token or term at a time (so that a knowledge file
    100 times the size costs a search a few small reads, not one big one)."""

    postings: Callable[[str], tuple[int, ...]]  # the texts holding a token
    synonyms: Callable[[Tokens], tuple[Tokens, ...]]  # the other spellings of a term
    phrases: Callable[[str], tuple[Tokens, ...]]  # synonyms of several words starting with a word ("low calcium")
    words: Callable[[], Iterable[str]]  # every indexed token, for the hint when nothing is found
    text: Callable[[int], Any]  # indexed text number n: kind, text, tokens, locations


class Result(Record):
    query: str
    terms: tuple[Tokens, ...]
    hits: tuple[Hit, ...]
    total: int  # hits before --limit


# ---------------------------------------------------------------- building the index


def _pieces(table: str, entry: Any) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """The prose of an entry: (where it stands, text, sources)."""
    if isinstance(entry, model.Term):
        yield "Definition", entry.definition, entry.sources
        return
    if not isinstance(entry, model.Trial):
        yield "Summary", entry.summary, entry.sources
    statements: list[tuple[str, model.Statement | None]] = []
    if isinstance(entry, model.Site):
        statements += [("Goal", entry.goal), ("How common", entry.frequency)]
        statements += [("Do now", s) for s in entry.actions] + [("Caveat", s) for s in entry.caveats]
        for treatment in entry.treatments:
            yield treatment.name, treatment.summary, treatment.sources
    elif isinstance(entry, model.Therapy):
        statements += [("Key point", s) for s in entry.points]
    elif isinstance(entry, model.Drug):
        for where, text in (("Target", entry.target), ("Line", entry.line), ("Biomarker", entry.biomarker)):
            if text:
                yield where, text, entry.sources
        statements += [("Boxed warning", s) for s in entry.boxed_warnings]
        statements += [("Safety", s) for s in entry.safety]
        for approval in entry.approvals:
            yield f"{approval.agency} {approval.status}", approval.indication, approval.sources
    elif isinstance(entry, model.Trial):
        for where, text in (("Population", entry.population), ("Result", entry.headline)):
            yield where, text, entry.sources
        statements += [("Result", s) for s in entry.results]
    elif isinstance(entry, model.Biomarker):
        statements += [("Testing", entry.testing)]
        if entry.escat is not None:
            yield f"ESCAT {entry.escat.tier}", entry.escat.text, entry.escat.sources
    for kind, statement in statements:
        if statement is not None:
            where = statement.label if kind in _FIELDS and statement.label else kind
            yield where, statement.text, statement.sources


def build(
    records: dict[str, dict[str, Any]], overview: model.Overview | None, synonyms: list[list[str]]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The search sections (the phrases and words of the index) and its groups of items: postings by
    token, the synonyms of each term (its words joined by spaces), the indexed texts by number."""
    numbers: dict[tuple[str, str], int] = {}
    texts: list[list[Any]] = []  # kind, text, tokens, locations (each with its sources)

    def add(kind: str, text: str, sources: tuple[str, ...], location: tuple[str, str, str], label: str = "") -> None:
        number = numbers.get((kind, text))
        if number is None:
            number = numbers[kind, text] = len(texts)
            tokens = fold(f"{label} {text}" if label and label not in _FIELDS else text)
            texts.append([kind, text, tokens, ()])
        texts[number][3] += ((*location, sources),)

    for table in ("sites", "therapies", "drugs", "regimens", "trials", "biomarkers", "subtypes", "glossary"):
        for key, entry in records[table].items():
            for name in dict.fromkeys((entry.name, *entry.aliases, *getattr(entry, "brands", ()))):
                add("name", name, (), (table, key, "name"))
            for where, text, sources in _pieces(table, entry):
                add("text", text, sources, (table, key, where), where)
    if overview is not None:
        add("text", overview.summary, overview.sources, ("overview", "", "Summary"))
        for part in overview.sections:
            add("text", part.text, part.sources, ("overview", "", part.label), part.label)
    postings: dict[str, list[int]] = {}
    for number, (_, _, tokens, _) in enumerate(texts):
        for token in dict.fromkeys(tokens):
            postings.setdefault(token, []).append(number)
    groups = [tuple(fold(word) for word in group) for group in synonyms]
    for table in ("sites", "therapies", "drugs", "biomarkers"):  # an abbreviation or a brand finds its full name
        for entry in records[table].values():
            names = (entry.name, *entry.aliases, *getattr(entry, "brands", ()))
            if len(names) > 1:
                groups.append(tuple(fold(word) for word in names))
    alternatives: dict[Tokens, dict[Tokens, None]] = {}
    for group in groups:
        members = [member for member in group if member]
        for member in members:
            alternatives.setdefault(member, {}).update(dict.fromkeys(m for m in members if m != member))
    phrases: dict[str, list[Tokens]] = {}
    for member in alternatives:
        if len(member) > 1:
            phrases.setdefault(member[0], []).append(member)
    sections: dict[str, Any] = {"search/words": tuple(postings)}
    items: dict[str, dict[str, Any]] = {
        "phrases": {first: tuple(found) for first, found in phrases.items()},
        "postings": {token: tuple(found) for token, found in postings.items()},
        "synonyms": {" ".join(member): tuple(others) for member, others in alternatives.items()},
        "texts": {str(n): tuple(text) for n, text in enumerate(texts)},
    }
    return sections, items


# ---------------------------------------------------------------- querying


def terms(words: Iterable[str]) -> tuple[Tokens, ...]:
    """The query's terms: each word, or each "quoted phrase", as its folded words."""
    import re

    query = " ".join(words)
    found = (fold(phrase or word) for phrase, word in re.findall(r'"([^"]*)"?|(\S+)', query))
    return tuple(t for t in found if t)


def _phrases(wanted: tuple[Tokens, ...], starting: Callable[[str], tuple[Tokens, ...]]) -> tuple[Tokens, ...]:
    """Consecutive words of the query that make a synonym phrase ("low calcium") as one term."""
    out: list[Tokens] = []
    i = 0
    while i < len(wanted):
        known = set(starting(wanted[i][0])) if len(wanted) > i + 1 else set()
        for j in range(len(wanted), i + 1, -1):
            joined = tuple(token for term in wanted[i:j] for token in term)
            if joined in known:
                out.append(joined)
                i = j
                break
        else:
            out.append(wanted[i])
            i += 1
    return tuple(out)


def _within(needle: Tokens, haystack: Tokens) -> int:
    """How many times `needle` stands in `haystack` as consecutive words."""
    size = len(needle)
    return sum(1 for i in range(len(haystack) - size + 1) if haystack[i : i + size] == needle)


def search(index: Index, words: list[str], limit: int | None = None) -> Result:
    """Names and statements holding every term (or a synonym of it); name hits first, then the
    statements with the query as a phrase, then those that mention it most, then knowledge order."""
    query = " ".join(words).strip()
    if len(query.split()) > MOST_WORDS:
        raise MbcError(f"too many words ({len(query.split())}): give at most {MOST_WORDS}")
    wanted = terms(words)
    if not wanted:
        raise MbcError("nothing to search for: give one or more words")
    wanted = _phrases(wanted, index.phrases)
    options = [{term, *index.synonyms(term)} for term in wanted]
    candidates: set[int] | None = None
    for alternatives in options:
        found: set[int] = set()
        for alternative in alternatives:
            lists = [index.postings(token) for token in alternative]
            found |= set.intersection(*map(set, lists)) if lists else set()
        candidates = found if candidates is None else candidates & found
    scored = []
    for number in sorted(candidates or ()):
        kind, body, tokens, locations = index.text(number)
        counts = [sum(_within(alt, tokens) for alt in alternatives) for alternatives in options]
        if all(counts):
            phrase = len(wanted) > 1 and _within(tuple(t for term in wanted for t in term), tokens) > 0
            scored.append(((kind != "name", not phrase, -sum(counts), number), Hit(kind, body, locations)))
    if not scored:
        raise NothingFoundError(f"nothing found for '{query}'{_nearest(set(index.words()), wanted)}")
    hits, named = [], set()
    for _, hit in sorted(scored):
        if hit.kind == "name":  # one hit an entry, however many of its names and aliases match
            if hit.locations in named:
                continue
            named.add(hit.locations)
        hits.append(hit)
    return Result(query, wanted, tuple(hits[:limit] if limit else hits), len(hits))


def _nearest(words: set[str], wanted: tuple[Tokens, ...]) -> str:
    """A hint naming the indexed words closest to those of the query that are not indexed."""
    import difflib

    missing = [token for term in wanted for token in term if token not in words]
    near = dict.fromkeys(n for token in missing for n in difflib.get_close_matches(token, words, 3, 0.75))
    if near:
        return f". Nearest words: {', '.join(near)}"
    return ". No text has all of these words: try fewer" if not missing and len(wanted) > 1 else ""
