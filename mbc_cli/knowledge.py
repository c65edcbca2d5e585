"""Find, read, validate and merge knowledge files into a `Knowledge` base, cached between runs.

The first run parses the TOML, checks it (`schema`), and writes a cache file: a small header, then
sections (each table's names and name index, relations, the overview) and one blob per entry. Later
runs read the header and only the sections and entries they show, so a lookup reads little more from
a large knowledge file than from a small one. The cache is keyed by each file's path, size and
modification time, and by mbc's version; any change rebuilds it.
"""

import contextlib
import marshal
import os
import re
import stat
import sys
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mbc_cli import __version__, model
from mbc_cli.errors import KnowledgeError

if TYPE_CHECKING:
    import datetime

MAX_BYTES = 64 * 1024 * 1024  # larger files are refused, not read
STALE_DAYS = 365
_CACHE_FORMAT = 2


def packaged_path() -> Path:
    """The shipped knowledge file: inside the installed package, or `data/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "treatments.toml"
    return packaged if packaged.is_file() else here.parent / "data" / "treatments.toml"


def overlay_paths(environ: Mapping[str, str]) -> list[Path]:
    """User files merged over the base: `MBC_LOCAL` (a path list), else the user's local.toml."""
    listed = environ.get("MBC_LOCAL")
    if listed is not None:
        return [Path(p) for p in listed.split(os.pathsep) if p]
    config = environ.get("XDG_CONFIG_HOME", "")
    home = Path(config) if os.path.isabs(config) else Path.home() / ".config"
    local = home / "mbc" / "local.toml"
    return [local] if local.is_file() else []


def normalize(name: str) -> str:
    """The form names are matched in: case-folded, spaces and underscores as hyphens."""
    return re.sub(r"[\s_-]+", "-", name.strip().casefold()).strip("-")


# ---------------------------------------------------------------- reading and parsing


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
    except OSError as error:
        raise KnowledgeError(f"{path}: cannot be read ({error.strerror or error})") from None
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
        message = str(error)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if found:
            reason = message[: found.start()].strip()
            raise KnowledgeError(f"{path}:{found[1]}:{found[2]}: invalid TOML: {reason}") from None
        raise KnowledgeError(f"{path}: invalid TOML: {message}") from None
    except RecursionError:
        raise KnowledgeError(f"{path}: invalid TOML: nested too deeply") from None


# ---------------------------------------------------------------- checking and merging


def build(paths: Sequence[Path], today: "datetime.date | None" = None) -> dict[str, Any]:
    """Read, check and merge the files (the first is the base); return the compiled form.

    Each problem names the file it is in, with a location counted within that file.
    """
    import datetime

    from mbc_cli import schema

    today = today or datetime.date.today()
    problems: list[str] = []
    merged: dict[str, Any] = {"reviewed": "", "overview": None, **{t: {} for t in schema.TABLES}}
    origins: dict[tuple[str, str], str] = {}
    references: dict[tuple[str, str], list[tuple[str, str, str]]] = {}  # entry -> (problem prefix, table, id)
    for position, path in enumerate(paths):
        checker = schema.Checker(str(path), today)
        document = checker.document(read_toml(path), base=position == 0)
        problems += checker.problems
        if position == 0:  # the date of the knowledge is the base file's; an overlay does not restamp it
            merged["reviewed"] = document.get("reviewed", "")
        if document.get("overview"):
            merged["overview"] = document["overview"]
            references["overview", ""] = _references(str(path), "overview", document["overview"], schema.OVERVIEW)
        for table in schema.TABLES:
            for key, entry in document[table].items():
                found = _references(str(path), f"{table}.{key}", entry, schema.SPECS[table])
                if entry.pop(schema.EXTEND_KEY, False):
                    if key not in merged[table]:
                        problems.append(f"{path}: {table}.{key}: extends an entry no earlier file defines")
                        continue
                    entry = _extend(merged[table][key], entry)
                    found = references[table, key] + found
                merged[table][key] = entry
                origins[table, key] = str(path)
                references[table, key] = found
    for found in references.values():
        problems += [
            f"{where}: unknown {schema.REF_NOUNS[target]} '{ref}'"
            for where, target, ref in found
            if ref not in merged[target]
        ]
    problems += _duplicates(merged, origins)
    if problems:
        raise KnowledgeError(_summary(problems, paths), tuple(problems))
    return _compile(merged, paths, origins, today)


def _references(origin: str, where: str, entry: dict[str, Any], spec: Any) -> list[tuple[str, str, str]]:
    """An entry's cross-references, each with the file and location to report if it dangles."""
    from mbc_cli import schema

    return [(f"{origin}: {location}", target, ref) for location, target, ref in schema.refs(where, entry, spec)]


def _extend(earlier: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """An overlay entry with `extend = true`: lists are appended to, other fields replaced."""
    out = dict(earlier)
    for key, value in patch.items():
        out[key] = out.get(key, []) + value if isinstance(value, list) else value
    return out


def _duplicates(merged: dict[str, Any], origins: dict[tuple[str, str], str]) -> list[str]:
    """Treatment ids used twice in a site, and names or aliases claimed by two entries of a table."""
    from mbc_cli import schema

    problems: list[str] = []
    for key, site in merged["sites"].items():
        seen: set[str] = set()
        for i, treatment in enumerate(site["treatments"]):
            if treatment["id"] in seen:
                where = f"{origins['sites', key]}: sites.{key}.treatments[{i}].id"
                problems.append(f"{where}: '{treatment['id']}' is used twice")
            seen.add(treatment["id"])
    for table in schema.ENTRY_TABLES:
        claimed: dict[str, str] = {}
        for key, entry in merged[table].items():
            for name in {normalize(n) for n in (key, entry["name"], *entry["aliases"], *entry.get("brands", ()))}:
                other = claimed.setdefault(name, key)
                if other != key:
                    where = f"{origins[table, key]}: {table}.{key}"
                    problems.append(f"{where}: name or alias '{name}' is also claimed by {table}.{other}")
    return problems


def _summary(problems: list[str], paths: Sequence[Path]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems in the knowledge; 'mbc validate {paths[0]}' lists them. First: {problems[0]}"


def _compile(
    merged: dict[str, Any], paths: Sequence[Path], origins: dict[tuple[str, str], str], today: "datetime.date"
) -> dict[str, Any]:
    """The form a Knowledge is made from and cached as: a small header, then sections (names,
    indexes, relations, the overview) and entries, each loaded only when a command needs it."""
    import datetime

    from mbc_cli import schema

    index: dict[str, dict[str, str]] = {t: {} for t in schema.ENTRY_TABLES}
    names = {t: {k: e.get("name") or e.get("title", k) for k, e in merged[t].items()} for t in schema.TABLES}
    for table in schema.ENTRY_TABLES:
        for key, entry in merged[table].items():
            for name in (key, entry["name"], *entry["aliases"], *entry.get("brands", ())):
                index[table][normalize(name)] = key
    drugs_by_therapy: dict[str, list[str]] = {t: [] for t in merged["therapies"]}
    for key, drug in merged["drugs"].items():
        for therapy in drug["therapies"]:
            drugs_by_therapy[therapy].append(key)
    sites_by_therapy: dict[str, dict[str, None]] = {t: {} for t in merged["therapies"]}  # ordered sets
    for key, site in merged["sites"].items():
        for treatment in site["treatments"]:
            treatment["reviewed"] = treatment["reviewed"] or site["reviewed"]
            for therapy in treatment["therapies"]:
                sites_by_therapy[therapy][key] = None
    stale = (today - datetime.timedelta(days=STALE_DAYS)).isoformat()
    warnings = [
        f"{origins[t, k]}: {t}.{k}: last reviewed {e['reviewed']}, over a year ago"
        for t in schema.ENTRY_TABLES
        for k, e in merged[t].items()
        if e["reviewed"] < stale
    ]
    sections: dict[str, Any] = {f"{t}.names": names[t] for t in schema.TABLES}
    sections |= {f"{t}.index": index[t] for t in schema.ENTRY_TABLES}
    sites = {therapy: list(keys) for therapy, keys in sites_by_therapy.items()}
    sections["relations"] = {"drugs_by_therapy": drugs_by_therapy, "sites_by_therapy": sites}
    sections["overview"] = merged["overview"]
    header = {"reviewed": merged["reviewed"], "files": [str(p) for p in paths], "warnings": warnings}
    return {"header": header, "sections": sections, "entries": {t: merged[t] for t in schema.TABLES}}


# ---------------------------------------------------------------- the knowledge base


class Knowledge:
    """A validated knowledge base. Sections and entries are read, and entries built into model
    records, only when first asked for."""

    def __init__(
        self,
        header: dict[str, Any],
        section: Callable[[str], Any],
        fetch: Callable[[str, str], Any],
        cache: Path | None = None,
    ) -> None:
        self._section = section  # name -> names, index, relations or overview
        self._fetch = fetch  # (table, id) -> entry dict
        self._cache = cache
        self._loaded: dict[str, Any] = {}
        self._built: dict[tuple[str, str], Any] = {}
        self.reviewed: str = header["reviewed"]

    def part(self, name: str) -> Any:
        if name not in self._loaded:
            self._loaded[name] = self._section(name)
        return self._loaded[name]

    def derived(self, name: str, make: Callable[[], Any]) -> Any:
        """Data worked out from the knowledge (a search index), kept beside the cache once made."""
        path = self._cache.with_suffix(f".{name}") if self._cache else None
        if path is not None:
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                return marshal.loads(path.read_bytes())
        value = make()
        if path is not None:
            _write_atomically(path, [marshal.dumps(value)])
        return value

    def ids(self, table: str) -> tuple[str, ...]:
        return tuple(self.part(f"{table}.names"))

    def name(self, table: str, key: str) -> str:
        return str(self.part(f"{table}.names")[key])

    def index(self, table: str) -> dict[str, str]:
        """Every normalised name, alias and brand of a table, mapped to its entry id."""
        return dict(self.part(f"{table}.index"))

    def drugs_in(self, therapy: str) -> tuple[str, ...]:
        return tuple(self.part("relations")["drugs_by_therapy"][therapy])

    def sites_using(self, therapy: str) -> tuple[str, ...]:
        return tuple(self.part("relations")["sites_by_therapy"][therapy])

    def overview(self) -> model.Overview | None:
        raw = self.part("overview")
        if raw is None:
            return None
        return model.Overview(raw["summary"], tuple(raw["sources"]), raw["reviewed"], _statements(raw["sections"]))

    def site(self, key: str) -> model.Site:
        return self._get("sites", key, _site)  # type: ignore[no-any-return]

    def therapy(self, key: str) -> model.Therapy:
        return self._get("therapies", key, _therapy)  # type: ignore[no-any-return]

    def drug(self, key: str) -> model.Drug:
        return self._get("drugs", key, _drug)  # type: ignore[no-any-return]

    def subtype(self, key: str) -> model.Subtype:
        return self._get("subtypes", key, _subtype)  # type: ignore[no-any-return]

    def source(self, key: str) -> model.Source:
        return self._get("sources", key, lambda k, d: model.Source(id=k, **d))  # type: ignore[no-any-return]

    def _get(self, table: str, key: str, make: Any) -> Any:
        built = self._built.get((table, key))
        if built is None:
            built = self._built[table, key] = make(key, self._fetch(table, key))
        return built


def _statement(raw: dict[str, Any]) -> model.Statement:
    return model.Statement(raw["text"], tuple(raw["sources"]), raw["label"])


def _statements(raw: list[dict[str, Any]]) -> tuple[model.Statement, ...]:
    return tuple(_statement(s) for s in raw)


def _site(key: str, d: dict[str, Any]) -> model.Site:
    treatments = tuple(
        model.Treatment(
            t["id"],
            t["name"],
            t["kind"],
            t["role"],
            tuple(t["therapies"]),
            tuple(t["drugs"]),
            tuple(t["subtypes"]),
            t["summary"],
            tuple(t["sources"]),
            t["reviewed"],
        )
        for t in d["treatments"]
    )
    return model.Site(
        key,
        d["name"],
        d["category"],
        tuple(d["aliases"]),
        d["summary"],
        tuple(d["sources"]),
        d["reviewed"],
        _statement(d["frequency"]) if d["frequency"] else None,
        _statement(d["goal"]) if d["goal"] else None,
        _statements(d["caveats"]),
        treatments,
    )


def _therapy(key: str, d: dict[str, Any]) -> model.Therapy:
    return model.Therapy(
        key,
        d["name"],
        tuple(d["aliases"]),
        d["kind"],
        d["role"],
        tuple(d["subtypes"]),
        d["summary"],
        tuple(d["sources"]),
        d["reviewed"],
        _statements(d["points"]),
    )


def _drug(key: str, d: dict[str, Any]) -> model.Drug:
    return model.Drug(
        key,
        d["name"],
        tuple(d["brands"]),
        tuple(d["aliases"]),
        tuple(d["therapies"]),
        d["target"],
        tuple(d["subtypes"]),
        d["biomarker"],
        d["line"],
        d["summary"],
        tuple(d["sources"]),
        d["reviewed"],
        tuple(model.Trial(t["name"], t["year"], t["text"], tuple(t["sources"])) for t in d["trials"]),
        tuple(model.Approval(a["status"], a["date"], a["indication"], tuple(a["sources"])) for a in d["approvals"]),
        d["approvals_checked"],
        _statements(d["safety"]),
    )


def _subtype(key: str, d: dict[str, Any]) -> model.Subtype:
    return model.Subtype(key, d["name"], tuple(d["aliases"]), d["summary"], tuple(d["sources"]), d["reviewed"])


# ---------------------------------------------------------------- loading, with the cache


def load(paths: Sequence[Path], environ: Mapping[str, str] | None = None) -> Knowledge:
    """The knowledge in `paths` (base first, then overlays), from the cache when it is current."""
    environ = os.environ if environ is None else environ
    cache = _cache_file(paths, environ)
    if cache is not None:
        knowledge = _read_cache(*cache)
        if knowledge is not None:
            return knowledge
    compiled = build(paths)
    kept = cache[0] if cache is not None and _write_cache(*cache, compiled) else None
    entries = compiled["entries"]

    def fetch(table: str, key: str) -> Any:
        return entries[table][key]

    return Knowledge(compiled["header"], compiled["sections"].__getitem__, fetch, kept)


def _cache_file(paths: Sequence[Path], environ: Mapping[str, str]) -> tuple[Path, str] | None:
    """Where the cache for these files lives, and the key (versions, paths, sizes, times) it must hold."""
    if environ.get("MBC_NO_CACHE"):
        return None
    names = [os.path.abspath(path) for path in paths]
    parts = [__version__, str(_CACHE_FORMAT)]
    for path, name in zip(paths, names, strict=True):
        try:
            status = path.stat()
        except OSError:
            return None  # let build() explain what is wrong with it
        parts.append(f"{name}\0{status.st_size}\0{status.st_mtime_ns}")
    base = environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    import zlib

    # Named after the files alone, so that an edit or an upgrade replaces the cache, not adds one.
    crc = zlib.crc32("\n".join(names).encode("utf-8", "surrogateescape"))
    return root / "mbc" / f"{crc:08x}.cache", "\n".join(parts)


# The cache file: 8 bytes giving the header's length, the header (marshal), then blobs (marshal):
# one per section, and one per entry. The header holds the key and where each section starts;
# a table's "TABLE.offsets" section says where each of its entries starts.


def _read_cache(cache: Path, key: str) -> Knowledge | None:
    try:
        with cache.open("rb") as handle:
            size = int.from_bytes(handle.read(8), "little")
            if size > os.fstat(handle.fileno()).st_size:
                return None
            header = marshal.loads(handle.read(size))
        if header.get("key") != key:
            return None
        places = header["sections"]
    except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
        return None  # missing, stale or damaged: rebuild it
    start = 8 + size
    opened: list[BinaryIO] = []  # one handle for all the reads of a run, closed with the Knowledge

    def blob(offset: int, length: int) -> Any:
        if not opened:
            opened.append(cache.open("rb"))
            weakref.finalize(knowledge, opened[0].close)
        opened[0].seek(start + offset)
        return marshal.loads(opened[0].read(length))

    def fetch(table: str, key: str) -> Any:
        return blob(*knowledge.part(f"{table}.offsets")[key])

    knowledge = Knowledge(header, lambda name: blob(*places[name]), fetch, cache)
    return knowledge


def _write_cache(cache: Path, key: str, compiled: dict[str, Any]) -> bool:
    blobs: list[bytes] = []
    places: dict[str, tuple[int, int]] = {}
    position = 0

    def add(value: Any) -> tuple[int, int]:
        nonlocal position
        blob = marshal.dumps(value)
        blobs.append(blob)
        position += len(blob)
        return position - len(blob), len(blob)

    sections = dict(compiled["sections"])
    for table, entries in compiled["entries"].items():
        sections[f"{table}.offsets"] = {name: add(entry) for name, entry in entries.items()}
    for name, section in sections.items():
        places[name] = add(section)
    header = marshal.dumps({**compiled["header"], "key": key, "sections": places})
    for stale in cache.parent.glob(f"{cache.stem}.*"):  # what was derived from an earlier version
        with contextlib.suppress(OSError):
            stale.unlink()
    return _write_atomically(cache, [len(header).to_bytes(8, "little"), header, *blobs])


def _write_atomically(path: Path, chunks: list[bytes]) -> bool:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            handle.writelines(chunks)
        os.replace(temporary, path)
    except OSError:  # a cache is a convenience: no cache, no error
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
    return True
