"""Find, read, check and merge knowledge files, compile them, and serve the result as `Knowledge`.

A run with the shipped knowledge reads the file compiled when the package was built (`store`);
a run with users' own files reads their cache, or compiles them and writes the cache. Either way a
command reads only the sections and entries it shows. See `store` for the file and its trust rules.
"""

import contextlib
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from mbc_cli import __version__, model, store
from mbc_cli.errors import KnowledgeError
from mbc_cli.record import Record
from mbc_cli.words import normalize

# Larger files are refused, not read (the 100x file of benchmarks/startup.py is about 93 MB).
MAX_BYTES = 256 * 1024 * 1024
NAMED = ("sites", "therapies", "drugs", "regimens", "trials", "biomarkers", "subtypes", "glossary")
# The record classes in the order their instances are tagged in compiled files (see `encode`).
CLASSES: tuple[type, ...] = (
    model.Statement,
    model.Source,
    model.Subtype,
    model.Treatment,
    model.Site,
    model.Group,
    model.Therapy,
    model.Approval,
    model.Drug,
    model.Trial,
    model.Escat,
    model.Biomarker,
    model.Regimen,
    model.Term,
    model.Overview,
)
_TAGS = {cls: tag for tag, cls in enumerate(CLASSES)}
LAYOUT = 10  # the sections compile_knowledge writes: change it when they change, so old caches are rebuilt
FINGERPRINT = zlib.crc32(repr([LAYOUT, *((c.__name__, c._fields) for c in CLASSES)]).encode())  # type: ignore[attr-defined]
R = TypeVar("R")


# ---------------------------------------------------------------- where the files are


def packaged_path() -> Path:
    """The shipped knowledge file: inside the installed package, or `data/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "treatments.toml"
    return packaged if packaged.is_file() else here.parent / "data" / "treatments.toml"


def compiled_path() -> Path:
    """Where the build puts the compiled shipped knowledge (absent in a source checkout)."""
    return Path(__file__).resolve().parent / "data" / f"treatments{store.SUFFIX}"


def overlay_paths(environ: Mapping[str, str]) -> tuple[list[Path], list[str]]:
    """The user's overlay files (`MBC_LOCAL`, a path list, else the user's local.toml), and warnings
    about places that could not be looked at."""
    listed = environ.get("MBC_LOCAL")
    if listed is not None:
        return [Path(p) for p in listed.split(os.pathsep) if p], []
    config = environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(config):
        home = environ.get("HOME", "")
        if not os.path.isabs(home):
            return [], []
        config = os.path.join(home, ".config")
    local = Path(config) / "mbc" / "local.toml"
    try:
        return ([local] if stat.S_ISREG(local.stat().st_mode) else []), []
    except FileNotFoundError:
        return [], []
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        return [], [f"cannot look for your overlay {local} ({reason}); carrying on without it"]


def distinct(paths: Sequence[Path]) -> list[Path]:
    """The files in order, each once even when it is listed twice or under two names."""
    seen: set[object] = set()
    out = []
    for path in paths:
        try:
            status = path.stat()
            identity: object = (status.st_dev, status.st_ino)
        except (OSError, ValueError):
            identity = os.path.abspath(path)
        if identity not in seen:
            seen.add(identity)
            out.append(path)
    return out


# ---------------------------------------------------------------- reading and checking


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one file, or raise KnowledgeError with a one-line reason."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):  # a FIFO or a device would block or never end
            raise KnowledgeError(f"{path}: is not a regular file")
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                raise KnowledgeError(f"{path}: too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: knowledge file not found") from None
    except IsADirectoryError:
        raise KnowledgeError(f"{path}: is a directory, not a knowledge file") from None
    except PermissionError:
        raise KnowledgeError(f"{path}: cannot be read (permission denied)") from None
    except (OSError, ValueError) as error:
        raise KnowledgeError(f"{path}: cannot be read ({getattr(error, 'strerror', None) or error})") from None
    if len(data) > MAX_BYTES:
        raise KnowledgeError(f"{path}: too large (the limit is {MAX_BYTES:,} bytes)")
    if not data.strip():
        raise KnowledgeError(f"{path}: is empty")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # editors on Windows may start with a BOM
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise KnowledgeError(f"{path}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x})") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error).replace("\n", " ")
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if found:
            reason = message[: found.start()].strip()
            raise KnowledgeError(f"{path}:{found[1]}:{found[2]}: invalid TOML: {reason}") from None
        raise KnowledgeError(f"{path}: invalid TOML: {message}") from None
    except RecursionError:
        raise KnowledgeError(f"{path}: invalid TOML: nested too deeply") from None


def merge(paths: Sequence[Path]) -> dict[str, Any]:
    """Read, check and merge the files (the first is the base) into one normalised document.

    Each problem names the file it is in, with a location counted within that file.
    """
    from mbc_cli import schema

    problems: list[str] = []
    merged: dict[str, Any] = {"reviewed": "", "synonyms": [], "overview": None, **{t: {} for t in model.TABLES}}
    origins: dict[tuple[str, str], str] = {}
    references: dict[tuple[str, str], list[tuple[str, str, str]]] = {}  # entry -> (where, table, id)
    for position, path in enumerate(paths):
        checker = schema.Checker(str(path))
        document = checker.document(read_toml(path), base=position == 0)
        problems += checker.problems
        if position == 0:  # the date of the knowledge is the base file's; an overlay does not restamp it
            merged["reviewed"] = document.get("reviewed", "")
        merged["synonyms"] += document["synonyms"]
        if document.get("overview"):
            merged["overview"] = document["overview"]
            where = f"{path}: overview"
            references["overview", ""] = list(
                schema.references(where, document["overview"], schema.fields(model.Overview))
            )
        for table in model.TABLES:
            for key, entry in document[table].items():
                refs = list(schema.references(f"{path}: {table}.{key}", entry, schema.entry_fields(table)))
                if entry.pop(schema.EXTEND_KEY, False):
                    if key not in merged[table]:
                        problems.append(f"{path}: {table}.{key}: extends an entry no earlier file defines")
                        continue
                    entry = _extend(merged[table][key], entry)
                    refs = references[table, key] + refs
                merged[table][key] = entry
                origins[table, key] = str(path)
                references[table, key] = refs
    groups = {g.get("id", ""): key for key, therapy in merged["therapies"].items() for g in therapy.get("groups", ())}
    known = {table: merged[table] for table in model.TABLES}
    known["prior"] = {**merged["drugs"], **merged["therapies"], **groups}
    for found in references.values():
        problems += [
            f"{where}: unknown {model.NOUNS[target]} {_quoted(ref)}"
            for where, target, ref in found
            if ref not in known[target]
        ]
    problems += _clashes(merged, origins, groups)
    if problems:
        raise KnowledgeError(_summary(problems, paths), tuple(problems))
    return merged


def _extend(earlier: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """An overlay entry with `extend = true`: lists are appended to, other fields replaced."""
    out = dict(earlier)
    for key, value in patch.items():
        out[key] = out.get(key, []) + value if isinstance(value, list) else value
    return out


def _clashes(merged: dict[str, Any], origins: dict[tuple[str, str], str], groups: dict[str, str]) -> list[str]:
    """Ids used twice where they must be unique, and names or aliases claimed by two entries."""
    problems: list[str] = []
    for key, site in merged["sites"].items():
        seen: set[str] = set()
        for i, treatment in enumerate(site.get("treatments", ())):
            tid = treatment.get("id")
            if tid in seen:
                where = f"{origins['sites', key]}: sites.{key}.treatments[{i}].id"
                problems.append(f"{where}: '{tid}' is used twice")
            seen.add(tid)
    owners: dict[str, str] = {}
    for key, therapy in merged["therapies"].items():
        for i, group in enumerate(therapy.get("groups", ())):
            where = f"{origins['therapies', key]}: therapies.{key}.groups[{i}].id"
            gid = group.get("id", "")
            if gid in merged["drugs"] or gid in merged["therapies"]:
                problems.append(f"{where}: '{gid}' is also the id of a drug or therapy class")
            elif owners.setdefault(gid, key) != key or groups.get(gid) != key:
                problems.append(f"{where}: '{gid}' is used twice")
            for drug in group.get("drugs", ()):
                if drug in merged["drugs"] and key not in merged["drugs"][drug].get("therapies", ()):
                    problems.append(f"{where}: drug '{drug}' is not in this therapy class")
    for key, drug in merged["drugs"].items():
        for i, approval in enumerate(drug.get("approvals", ())):
            for regimen in approval.get("regimens", ()):
                if regimen in merged["regimens"] and key not in merged["regimens"][regimen].get("drugs", ()):
                    where = f"{origins['drugs', key]}: drugs.{key}.approvals[{i}].regimens"
                    problems.append(f"{where}: regimen '{regimen}' does not use this drug")
    for table in NAMED:
        claimed: dict[str, str] = {}
        for key, entry in merged[table].items():
            for name in {
                normalize(n) for n in (key, entry.get("name", key), *entry.get("aliases", ()), *entry.get("brands", ()))
            }:
                other = claimed.setdefault(name, key)
                if other != key:
                    where = f"{origins[table, key]}: {table}.{key}"
                    problems.append(f"{where}: name or alias '{name}' is also claimed by {table}.{other}")
    return problems


def _quoted(value: object) -> str:
    """A value from a file in a one-line message: in quotes, or with its escapes if not printable."""
    return f"'{value}'" if isinstance(value, str) and value.isprintable() else repr(value)


def _summary(problems: list[str], paths: Sequence[Path]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems in the knowledge; 'mbc validate {paths[0]}' lists them. First: {problems[0]}"


# ---------------------------------------------------------------- records


def construct(cls: type[R], raw: Mapping[str, Any], key: str | None = None) -> R:
    """A record from its checked, normalised table: nested tables become records, lists tuples."""
    from mbc_cli import schema

    values: dict[str, Any] = {} if key is None else {"id": key}
    for field in schema.fields(cls):  # type: ignore[arg-type]  # a record class is hashable
        if field.name not in raw or (field.name == "id" and key is not None):
            continue
        value = raw[field.name]
        if field.kind == "records":
            value = tuple(construct(field.detail, item) for item in value)
        elif field.kind == "record":
            value = construct(field.detail, value) if value else None
        elif isinstance(value, list):
            value = tuple(value)
        values[field.name] = value
    return cls(**values)


def encode(value: Any) -> Any:
    """A record as plain data for marshal: a list of its class's tag and its fields (lists mark
    records, as records hold only tuples)."""
    tag = _TAGS.get(type(value))
    if tag is not None:
        return [tag, *map(encode, value)]
    if isinstance(value, tuple):
        return tuple(map(encode, value))
    return value


def decode(value: Any) -> Any:
    """The record that `encode` made plain."""
    if isinstance(value, list):
        return CLASSES[value[0]](*map(decode, value[1:]))
    if isinstance(value, tuple) and value and isinstance(value[0], (list, tuple)):  # tuples of ids stay as they are
        return tuple(map(decode, value))
    return value


# ---------------------------------------------------------------- compiling


def compile_knowledge(merged: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The sections and entries a Knowledge is made of, from a merged document."""
    from mbc_cli import search

    records: dict[str, dict[str, Any]] = {}
    for table, cls in model.TABLES.items():
        records[table] = {key: construct(cls, raw, key) for key, raw in merged[table].items()}
    for key, site in records["sites"].items():  # a treatment's review date defaults to its site's
        treatments = tuple(t._replace(reviewed=t.reviewed or site.reviewed) for t in site.treatments)
        records["sites"][key] = site._replace(treatments=treatments)
    overview = construct(model.Overview, merged["overview"]) if merged["overview"] else None
    counts = {table: len(entries) for table, entries in records.items()}
    sections: dict[str, Any] = {"meta": {"reviewed": merged["reviewed"], "counts": counts}}
    sections["overview"] = encode(overview)
    for table, entries in records.items():
        sections[f"ids/{table}"] = tuple(entries)
        if table != "sources":  # a source is shown whole, by `source`
            sections[f"names/{table}"] = {k: e.name for k, e in entries.items()}
        if table in ("sites", "therapies", "drugs", "regimens", "trials", "biomarkers"):  # for `mbc changes`
            sections[f"reviewed/{table}"] = {k: e.reviewed for k, e in entries.items()}
    for table in NAMED:
        index: dict[str, str] = {}
        for key, entry in records[table].items():
            for name in (key, entry.name, *entry.aliases, *getattr(entry, "brands", ())):
                index.setdefault(normalize(name), key)
        sections[f"index/{table}"] = index
    for key, therapy in records["therapies"].items():  # `mbc therapy ai`: the class of aromatase inhibitors
        for group in therapy.groups:
            for name in (group.id, group.name, *group.aliases):
                sections["index/therapies"].setdefault(normalize(name), key)
    related, relations = _relations(records)
    found, searching = search.build(records, overview, merged["synonyms"])
    groups = {table: {key: encode(entry) for key, entry in entries.items()} for table, entries in records.items()}
    every = {**sections, **related}
    names = {f"{t}:{name}": key for t in (*NAMED, "prior") for name, key in every[f"index/{t}"].items()}
    return sections | related | found, groups | searching | {"relations": relations, "names": names}


def _relations(records: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the entries say about each other, worked out once: sections (the groups of drugs, the
    keywords and prior-therapy names, the regulatory events) and the relations of one entry as items
    (`drugs_in:endocrine`, `regimens_of:drugs:letrozole`, `regimens_for:hr-pos-her2-neg` ...)."""
    drugs_in: dict[str, list[str]] = {t: [] for t in records["therapies"]}
    for key, drug in records["drugs"].items():
        for therapy in drug.therapies:
            drugs_in[therapy].append(key)
    sites_using: dict[str, dict[str, None]] = {t: {} for t in records["therapies"]}  # ordered sets
    keywords: dict[str, list[tuple[str, str]]] = {}
    for key, site in records["sites"].items():
        for treatment in site.treatments:
            for therapy in treatment.therapies:
                sites_using[therapy][key] = None
        for word in site.keywords:
            keywords.setdefault(normalize(word), []).append(("sites", key))
    regimens_of: dict[str, list[str]] = {}  # "drugs:x", "trials:x", "biomarkers:x", "sites:x" -> regimens
    for key, regimen in records["regimens"].items():
        for table, ids in (
            ("drugs", regimen.drugs),
            ("trials", regimen.trials),
            ("biomarkers", (*regimen.biomarkers, *regimen.biomarkers_any)),
            ("sites", regimen.sites),
        ):
            for ref in dict.fromkeys(ids):
                regimens_of.setdefault(f"{table}:{ref}", []).append(key)
    trials_of: dict[str, list[str]] = {}
    for key, drug in records["drugs"].items():
        for trial in drug.trials:
            trials_of.setdefault(trial, []).append(key)
    prior: dict[str, tuple[str, str]] = {}  # name -> (kind, id) for --after; groups first: `ai` is a group
    groups: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for key, therapy in records["therapies"].items():
        for group in therapy.groups:
            groups[group.id] = (key, group.name, group.drugs)
            for name in (group.id, group.name, *group.aliases):
                prior.setdefault(normalize(name), ("groups", group.id))
    for table in ("drugs", "therapies"):
        for key, entry in records[table].items():
            for name in (key, entry.name, *entry.aliases, *getattr(entry, "brands", ())):
                prior.setdefault(normalize(name), (table, key))
    events = []
    for key, drug in records["drugs"].items():
        for i, approval in enumerate(drug.approvals):
            events.append((approval.date, approval.agency, key, i, approval.regimens))
    events.sort(key=lambda e: (e[0] or "9999", e[1], e[2], e[3]))
    by_subtype: dict[str, list[tuple[int, str, tuple[Any, ...]]]] = {}  # (place in the knowledge, id, fit)
    for place, (key, regimen) in enumerate(records["regimens"].items()):
        fit = tuple(getattr(regimen, field) for field in Fit._fields)
        for subtype in regimen.subtypes or ("",):  # "": any subtype
            by_subtype.setdefault(subtype, []).append((place, key, fit))
    relations: dict[str, dict[str, Any]] = {
        "drugs_in": drugs_in,
        "sites_using": {t: list(s) for t, s in sites_using.items()},
        "regimens_of": regimens_of,
        "trials_of": trials_of,
        "regimens_for": by_subtype,
    }
    sections = {
        "groups": groups,
        "index/keywords": {word: tuple(found) for word, found in keywords.items()},
        "index/prior": prior,
        "approvals": tuple(events),
    }
    items = {f"{name}:{key}": tuple(found) for name, table in relations.items() for key, found in table.items()}
    return sections, items


# ---------------------------------------------------------------- the knowledge base


class Fit(Record):
    """What decides whether a regimen fits a situation: the fields of `model.Regimen` that
    `mbc options` filters on, kept beside each regimen's id so that filtering reads no regimen."""

    subtypes: tuple[str, ...]
    lines: str
    after: tuple[str, ...]
    not_after: tuple[str, ...]
    not_biomarkers: tuple[str, ...]
    biomarkers: tuple[str, ...]
    biomarkers_any: tuple[str, ...]
    endocrine: str
    menopause: str


class NameIndex(Mapping[str, Any]):
    """A table's name index, read a name at a time: `name in index` and `index[name]`, which is most
    of what a lookup asks, read one item (on a knowledge file 100 times the size, 0.1 ms instead of
    10 ms for `--after`'s whole index); going through it (prefixes, suggestions) reads it whole."""

    def __init__(self, kb: "Knowledge", table: str) -> None:
        self._kb, self._table = kb, table

    def __getitem__(self, name: str) -> Any:
        found = self._kb.lookup("names", f"{self._table}:{name}")
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._kb.lookup("names", f"{self._table}:{name}") is not None

    def _whole(self) -> dict[str, Any]:
        whole: dict[str, Any] = self._kb.section(f"index/{self._table}")
        return whole

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def items(self) -> ItemsView[str, Any]:
        return self._whole().items()


class Memory(Record):
    """Compiled knowledge held in memory: what `store.Store` reads from a file."""

    sections: dict[str, Any]
    groups: dict[str, dict[str, Any]]

    def section(self, name: str) -> Any:
        return self.sections[name]

    def item(self, group: str, key: str) -> Any:
        return self.groups[group].get(key)

    def close(self) -> None:
        pass


class Knowledge:
    """A validated knowledge base, read as far as a command needs. A compiled file found damaged
    part way through a command is dropped for the knowledge files themselves, compiled afresh."""

    def __init__(self, source: "store.Store | Memory", rebuild: Callable[[], Memory], files: list[Path]) -> None:
        self._source = source
        self._rebuild = rebuild
        self.files = files
        self._sections: dict[str, Any] = {}
        self._items: dict[tuple[str, str], Any] = {}

    def __enter__(self) -> "Knowledge":
        return self

    def __exit__(self, *_: object) -> None:
        self._source.close()

    def _read(self, how: Callable[[Any], R]) -> R:
        try:
            return how(self._source)
        except store.Damaged:
            self._source.close()
            self._source = self._rebuild()
            return how(self._source)

    def section(self, name: str) -> Any:
        if name not in self._sections:
            self._sections[name] = self._read(lambda source: source.section(name))
        return self._sections[name]

    def get(self, table: str, key: str) -> Any:
        """The record `key` of `table`; KeyError if there is none."""
        found = self._items.get((table, key))
        if found is None:
            raw = self._read(lambda source: source.item(table, key))
            if raw is None:
                raise KeyError(f"{table}.{key}")
            found = self._items[table, key] = decode(raw)
        return found

    @property
    def reviewed(self) -> str:
        return str(self.section("meta")["reviewed"])

    def ids(self, table: str) -> tuple[str, ...]:
        return tuple(self.section(f"ids/{table}"))

    def name(self, table: str, key: str) -> str:
        return str(self.section(f"names/{table}")[key])

    def index(self, table: str) -> "NameIndex":
        """Every normalised name, alias and brand of a table (or `prior`: of the drugs, therapy
        classes and groups that `--after` takes), mapped to its entry's id (prior: kind and id)."""
        return NameIndex(self, table)

    def relation(self, name: str, key: str) -> tuple[Any, ...]:
        """Entries related to one (`drugs_in`, `sites_using`, `regimens_of`, `trials_of`), or the
        regimens for a subtype ("" for any), with what decides whether each fits (`regimens_for`)."""
        return tuple(self.lookup("relations", f"{name}:{key}") or ())

    def lookup(self, group: str, key: str) -> Any:
        """An item of a group as it is stored, or None: postings, synonyms and relations."""
        return self._read(lambda source: source.item(group, key))

    def overview(self) -> model.Overview | None:
        found: model.Overview | None = decode(self.section("overview"))
        return found

    def site(self, key: str) -> model.Site:
        found: model.Site = self.get("sites", key)
        return found

    def therapy(self, key: str) -> model.Therapy:
        found: model.Therapy = self.get("therapies", key)
        return found

    def drug(self, key: str) -> model.Drug:
        found: model.Drug = self.get("drugs", key)
        return found

    def fits(self, subtypes: Iterable[str] | None) -> list[tuple[str, Fit]]:
        """The regimens for any of `subtypes` and for any subtype (all regimens if None), in knowledge
        order, each with what decides whether it fits a situation."""
        wanted = (*(self.ids("subtypes") if subtypes is None else subtypes), "")
        found = {(place, key): fit for s in wanted for place, key, fit in self.relation("regimens_for", s)}
        return [(key, Fit._make(found[place, key])) for place, key in sorted(found)]

    def regimen(self, key: str) -> model.Regimen:
        found: model.Regimen = self.get("regimens", key)
        return found

    def trial(self, key: str) -> model.Trial:
        found: model.Trial = self.get("trials", key)
        return found

    def biomarker(self, key: str) -> model.Biomarker:
        found: model.Biomarker = self.get("biomarkers", key)
        return found

    def subtype(self, key: str) -> model.Subtype:
        found: model.Subtype = self.get("subtypes", key)
        return found

    def term(self, key: str) -> model.Term:
        found: model.Term = self.get("glossary", key)
        return found

    def source(self, key: str) -> model.Source:
        found: model.Source = self.get("sources", key)
        return found


# ---------------------------------------------------------------- loading


def packaged_key(path: Path) -> str | None:
    """The key the compiled shipped knowledge must carry: its version and the TOML's content (read
    in 64 KiB pieces into one buffer: half the 0.6 ms that reading the whole 0.9 MB at once costs)."""
    size, crc, buffer = 0, 0, bytearray(1 << 16)
    try:
        with open(path, "rb", buffering=0) as file:
            while count := file.readinto(buffer):
                size, crc = size + count, zlib.crc32(memoryview(buffer)[:count], crc)
    except OSError:
        return None
    return f"{store.MAGIC.decode()}|{__version__}|{FINGERPRINT}|packaged|{size}|{crc}"


def _cache_key(paths: Sequence[Path]) -> tuple[str, str] | None:
    """The name of the cache of these files, and the key it must hold: anything that changes with
    the files' content (size, times, inode; ctime cannot be set back by a user), and mbc's version."""
    names = [os.path.abspath(path) for path in paths]
    parts = [store.MAGIC.decode(), __version__, str(FINGERPRINT)]
    for path, name in zip(paths, names, strict=True):
        try:
            s = path.stat()
        except (OSError, ValueError):
            return None  # let merge() explain what is wrong with it
        if not stat.S_ISREG(s.st_mode):
            return None
        parts.append(f"{name}\0{s.st_dev}\0{s.st_ino}\0{s.st_size}\0{s.st_mtime_ns}\0{s.st_ctime_ns}")
    crc = zlib.crc32("\n".join(names).encode("utf-8", "surrogateescape"))
    return f"{crc:08x}{store.SUFFIX}", "\n".join(parts)


def load(paths: Sequence[Path], environ: Mapping[str, str]) -> Knowledge:
    """The knowledge in `paths` (base first, then overlays), from the compiled shipped file or the
    user's cache when there is a good one, else compiled afresh (and cached when it can be)."""
    paths = list(paths)

    def compiled() -> Memory:
        return Memory(*compile_knowledge(merge(paths)))

    if environ.get("MBC_NO_CACHE"):
        return Knowledge(compiled(), compiled, paths)
    if paths == [packaged_path()]:
        key = packaged_key(paths[0])
        found = store.open_file(compiled_path(), key) if key else None
        if found is not None:
            return Knowledge(found, compiled, paths)
    return Knowledge(_cached(paths, environ, compiled), compiled, paths)


def _cached(paths: list[Path], environ: Mapping[str, str], compiled: Callable[[], Memory]) -> "store.Store | Memory":
    """The user's cache of these files if it is good, else the files compiled and the cache written."""
    cached = _cache_key(paths)
    directory = store.cache_directory(environ) if cached is not None else None
    if cached is None or directory is None:
        return compiled()
    try:
        found = store.open_file(cached[0], cached[1], dir_fd=directory, owned=True)
        if found is not None:
            return found
        memory = compiled()
        files = [os.path.abspath(p) for p in paths]
        if store.write(directory, cached[0], store.build(cached[1], files, memory.sections, memory.groups)):
            store.tidy(directory, cached[0])
        return memory
    finally:
        with contextlib.suppress(OSError):
            os.close(directory)
