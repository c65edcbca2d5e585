"""Names as people type them: any case, aliases and brands, several words, unique prefixes, and
receptor status spelled any way, matched to entries without ever guessing wrong.

A name that matches nothing gets suggestions only when they are close (so `spine` is not taken for
`skin`), a prefix that fits several entries lists them, and a receptor status is never matched to
its opposite: `hr-` is looked up as HR-negative, which names the subtypes it could mean.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from mbc_cli.errors import UnknownNameError
from mbc_cli.model import NOUNS
from mbc_cli.words import MOST_WORDS, nfkc, normalize

if TYPE_CHECKING:
    from mbc_cli.knowledge import Knowledge

V = TypeVar("V")
LISTINGS = {
    "sites": "mbc sites",
    "therapies": "mbc therapies",
    "drugs": "mbc drugs",
    "trials": "mbc trials",
    "biomarkers": "mbc biomarkers",
    "glossary": "mbc glossary",
    "subtypes": "mbc overview",
    "regimens": "mbc options",
    "prior": "mbc drugs",
}
COMMANDS = {
    "sites": "site",
    "therapies": "therapy",
    "drugs": "drug",
    "trials": "trial",
    "biomarkers": "biomarker",
    "glossary": "glossary",
}
PREFIX = 3  # the fewest characters a prefix must have to stand for a name
CLOSE = 0.75  # how alike a suggestion must be (difflib's ratio); 0.6 took `spine` for `skin`
LONGEST = 20  # the most words a name is matched over (the shipped names have at most 15; a test checks)
# Words people put around a name ("liver metastases", "metastatic spread to the brain"): skipped
# when they are not a name themselves, never taken as the start of one (`metastatic` is not MSCC).
FILLER = frozenset(
    {"metastasis", "metastases", "metastatic", "mets", "met", "secondary", "secondaries", "spread", "cancer"}
    | {"breast", "disease", "tumour", "tumor", "lesion", "lesions", "the", "of", "to", "in", "with", "and"}
)


def shown(text: str) -> str:
    """What the user typed, as an error message quotes it: long input cut short."""
    return text if len(text) <= 60 else f"{text[:50]}... ({len(text)} characters)"


def _suggest(index: Iterable[str], key: str, owner: Mapping[str, V]) -> list[str]:
    """Up to three typeable names close to `key`, one per entry."""
    import difflib

    seen: dict[V, str] = {}
    for name in difflib.get_close_matches(key, index, n=6, cutoff=CLOSE) if len(key) >= PREFIX else ():
        seen.setdefault(owner[name], name)
    return list(seen.values())[:3]


def resolve(
    index: Mapping[str, V],
    words: Sequence[str],
    noun: str,
    listing: str,
    label: Mapping[V, str],
    shared: Mapping[str, Sequence[V]] | None = None,
    pointer: Callable[[str, bool], str] | None = None,
) -> list[V]:
    """The entries named by `words`, each matched greedily to the longest known name, or failing
    that to a name it is the unique prefix of: `trastuzumab deruxtecan` is one drug,
    `trastuzumab pertuzumab` two, `palbo` one. `shared` holds words several entries answer to
    (`spine`): one that leads to one entry stands for it, one that leads to several lists them.
    `pointer(typed, suggested)` ends the message for a name not found (where else to look)."""
    if len(words) > MOST_WORDS:
        raise UnknownNameError(f"too many words ({len(words)}): give at most {MOST_WORDS}")
    found: list[V] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + LONGEST), i, -1):
            key = normalize(" ".join(words[i:j]))
            if key in index:
                found.append(index[key])
                i = j
                break
            owners = (shared or {}).get(key, ())
            if len(owners) == 1:
                found.append(owners[0])
                i = j
                break
            if owners:
                choices = ", ".join(label[value] for value in owners)
                raise UnknownNameError(f"'{' '.join(words[i:j])}' could be the {noun}: {choices}. Give one of them.")
        else:
            word = normalize(words[i])
            if not word or word in FILLER:
                i += 1
                continue
            value, i = _by_prefix(index, words, i, noun, listing, label, pointer)
            found.append(value)
    if not found:
        raise UnknownNameError(f"no {noun} named in '{shown(' '.join(words))}'. See '{listing}'.")
    return found


def _by_prefix(
    index: Mapping[str, V],
    words: Sequence[str],
    i: int,
    noun: str,
    listing: str,
    label: Mapping[V, str],
    pointer: Callable[[str, bool], str] | None,
) -> tuple[V, int]:
    for j in range(min(len(words), i + LONGEST), i, -1):
        key = normalize(" ".join(words[i:j]))
        if len(key) < PREFIX:
            continue
        signed = (f"{key}+", f"{key}-")  # `her2` is not a prefix of `her2+`: the sign is the meaning
        owners = dict.fromkeys(value for name, value in index.items() if name.startswith(key) and name not in signed)
        if len(owners) == 1:
            return next(iter(owners)), j
        if owners:
            choices = ", ".join(label[value] for value in list(owners)[:8])
            more = " ..." if len(owners) > 8 else ""
            raise UnknownNameError(
                f"'{shown(' '.join(words[i:j]))}' could be the {noun}: {choices}{more}. Give more of the name."
            )
    typed = words[i] if len(words) - i == 1 else " ".join(words[i:])
    hint = _suggest(index, normalize(typed), index) or (
        _suggest(index, normalize(words[i]), index) if len(words) - i > 1 else []
    )
    did = f" Did you mean: {', '.join(hint)}?" if hint else ""
    more = pointer(typed, bool(hint)) if pointer else ""
    raise UnknownNameError(f"unknown {noun} '{shown(typed)}'.{did} See '{listing}'.{more}")


def find(kb: "Knowledge", table: str, words: Sequence[str] | str) -> list[str]:
    """The ids of the entries of `table` that `words` name (see `resolve`)."""
    if isinstance(words, str):
        words = [words]
    if not any(w.strip() for w in words):
        raise UnknownNameError(f"no {NOUNS[table]} given: see '{LISTINGS[table]}'")
    names = kb.section(f"names/{table}")
    shared = None
    if table == "sites":
        shared = {word: [sid for _, sid in found] for word, found in kb.section("index/keywords").items()}

    def pointer(typed: str, suggested: bool) -> str:
        """Not a dead end: the command that knows the name, or else (with no close name) a search."""
        elsewhere = [c for c in commands_for(kb, typed) if not c.startswith(f"mbc {COMMANDS.get(table)} ")]
        if elsewhere:
            return f" Try: {', '.join(elsewhere)}"
        searchable = table in COMMANDS and PREFIX <= len(typed) <= 60
        return f" Or search: mbc search {typed}" if searchable and not suggested else ""

    return resolve(kb.index(table), words, NOUNS[table], LISTINGS[table], names, shared, pointer)


def find_one(kb: "Knowledge", table: str, name: str) -> str:
    """The id of the one entry `name` names."""
    found = find(kb, table, [name])
    if len(found) > 1:
        raise UnknownNameError(f"'{name}' names {len(found)} {table}; give one")
    return found[0]


# ---------------------------------------------------------------- receptor status

_RECEPTORS = {
    "hr": "hr",
    "er": "hr",
    "pr": "hr",
    "hormone-receptor": "hr",
    "hormone": "hr",
    "estrogen-receptor": "hr",
    "oestrogen-receptor": "hr",
    "progesterone-receptor": "hr",
    "her2": "her2",
    "her-2": "her2",
    "erbb2": "her2",
}
_POLARITY = {"+": "positive", "pos": "positive", "positive": "positive", "-": "negative", "neg": "negative"}
_POLARITY |= {"negative": "negative", "low": "low"}
_STATUS = (  # a string: `re` compiles it once, when a status is first looked up
    rf"({'|'.join(sorted(map(re.escape, _RECEPTORS), key=len, reverse=True))})[\s_-]*"
    rf"({'|'.join(sorted(map(re.escape, _POLARITY), key=len, reverse=True))})\Z"
)
_FITS = {  # a status asked for -> the subtype values compatible with it
    ("hr", "positive"): ("positive", "any"),
    ("hr", "negative"): ("negative", "any"),
    ("her2", "positive"): ("positive", "any"),
    ("her2", "negative"): ("negative", "low", "any"),
    ("her2", "low"): ("low",),
}


def receptor_status(text: str) -> dict[str, str] | None:
    """`hr-/her2+` as {"hr": "negative", "her2": "positive"}; None if it is not a receptor status."""
    parts = re.split(r"\s*[/,]\s*|\s+and\s+|(?<=[+-])\s+", nfkc(text).casefold().strip())
    wanted: dict[str, str] = {}
    for part in parts:
        found = re.match(_STATUS, part.strip())
        if found is None:
            return None
        receptor, polarity = _RECEPTORS[found[1]], _POLARITY[found[2]]
        if (polarity == "low" and receptor != "her2") or wanted.get(receptor, polarity) != polarity:
            return None
        wanted[receptor] = polarity
    return wanted or None


def find_subtype(kb: "Knowledge", name: str) -> str:
    """The subtype `name` names: a name or alias; else a receptor status matched to the subtypes it
    fits, never to one of the opposite status (several: they are listed, exit 2)."""
    index = kb.index("subtypes")
    for key in (normalize(name), normalize("/".join(name.split()))):  # `HR+ HER2-` as `hr+/her2-`
        if key in index:
            return str(index[key])
    wanted = receptor_status(name)
    if wanted is None:
        return find_one(kb, "subtypes", name)
    fits = []
    for sid in kb.ids("subtypes"):
        subtype = kb.subtype(sid)
        values = {"hr": subtype.hr, "her2": subtype.her2}
        if all(values[receptor] in _FITS[receptor, polarity] for receptor, polarity in wanted.items()):
            fits.append(sid)
    meaning = " and ".join(f"{r.upper()}-{p}" for r, p in wanted.items())
    if len(fits) == 1:
        return fits[0]
    if not fits:
        raise UnknownNameError(f"no subtype is {meaning} ('{shown(name)}'). See 'mbc overview'.")
    choices = ", ".join(f"{kb.name('subtypes', s)} ({s})" for s in fits)
    raise UnknownNameError(f"'{shown(name)}' ({meaning}) covers several subtypes: {choices}. Give one of them.")


# ---------------------------------------------------------------- other lookups


class _Ids(dict[tuple[str, str], str]):
    """The label of a (kind, id) pair is its id (worked out when asked, not for every name)."""

    def __missing__(self, value: tuple[str, str]) -> str:
        return value[1]


def find_prior(kb: "Knowledge", name: str) -> tuple[str, str]:
    """A prior therapy for `--after`: a drug, a therapy class or a group of drugs, as (kind, id)."""
    index: Mapping[str, tuple[str, str]] = kb.index("prior")
    kind, key = resolve(index, [name], "drug, therapy class or group of drugs", "mbc therapies", _Ids())[0]
    return kind, key


def commands_for(kb: "Knowledge", word: str) -> list[str]:
    """The commands that would show `word`, for a name typed where a command was expected."""
    key = normalize(word)
    found = [f"mbc {command} {word}" for table, command in COMMANDS.items() if key in kb.index(table)]
    for table, sid in kb.section("index/keywords").get(key, ()):
        found.append(f"mbc {COMMANDS[table]} {sid}")
    return list(dict.fromkeys(found))
