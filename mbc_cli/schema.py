"""The knowledge file's format, worked out from the model, and the checks that apply it.

`Checker.document` walks one parsed TOML file against the record classes of `model`, collects
every problem with its location (`sites.bone.treatments[2].kind: 'sytemic' is not one of ...`),
and returns the entries as plain, normalised data (dicts, lists, strings, numbers). `references`
lists an entry's cross-references, checked once every file is merged. `rules` are the content rules
`mbc validate` enforces on top of the format (sources of approvals, key points for brief views ...).
This module is used only when knowledge files are read, never on a cached run.
"""

import datetime
import functools
import inspect
import itertools
import re
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from mbc_cli import model
from mbc_cli.record import Record

SCHEMA_VERSION = 2
EXTEND_KEY = "extend"  # in an overlay file: merge into the earlier entry instead of replacing it
ENTRY_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
# Characters a name may hold: letters, digits, spaces and a little punctuation. Anything else
# (shell metacharacters, markup, control and invisible characters) has no place in a name and
# could turn a completed word into a command.
NAME = re.compile(r"[^\W_]([\w .,'&()+/:-]*[\w.)+-])?\Z")
ALIAS = re.compile(r"[^\W_]([\w .+/-]*[\w.+-])?\Z")


class Field(Record):
    """One field of a record class, as the file format sees it."""

    name: str
    kind: str  # text, date, year, bool, enum, names, refs, ref, record, records
    required: bool
    detail: Any  # enum values, the table referred to, or the record class
    doc: str


@functools.cache
def fields(cls: Any) -> tuple[Field, ...]:
    """The fields of a record class (without the `id` its table key gives), with their docs."""
    hints = typing.get_type_hints(cls, include_extras=True)
    # cleandoc: Python 3.13 dedents docstrings itself, older versions do not. Indented lines go on.
    found = re.findall(r"^(\w+): (.+(?:\n +.+)*)$", inspect.cleandoc(cls.__doc__ or ""), re.M)
    docs = {name: " ".join(text.split()) for name, text in found}
    defaults = getattr(cls, "_field_defaults", {})
    out = []
    for name, hint in hints.items():
        kind, detail = _kind(hint)
        out.append(Field(name, kind, name not in defaults, detail, docs.get(name, "")))
    return tuple(out)


def _kind(hint: Any) -> tuple[str, Any]:
    if typing.get_origin(hint) is typing.Annotated:
        base, meaning = typing.get_args(hint)
        if meaning in ("date", "year"):
            return meaning, None
        return ("ref" if base is str else "refs"), meaning
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return "enum", args
    if origin in (types.UnionType, typing.Union):  # Record | None
        return "record", next(a for a in args if a is not type(None))
    if origin is tuple:
        return ("names", None) if args[0] is str else ("records", args[0])
    if hint is bool:
        return "bool", None
    if hint is str:
        return "text", None
    return "record", hint


def entry_fields(table: str) -> tuple[Field, ...]:
    """The fields of an entry table; `id` is the entry's key, not a field of its table."""
    cls: Any = model.TABLES[table]
    return tuple(f for f in fields(cls) if f.name != "id")


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "a table", datetime.date: "a date"})
    names.update({datetime.datetime: "a date-time", datetime.time: "a time"})
    return names.get(type(value), type(value).__name__)


def one_line(value: object) -> str:
    """A value from a file, for a message on one line: as it is if it is a plain word, else quoted."""
    if isinstance(value, str) and value.isprintable() and value and " " not in value and "'" not in value:
        return value
    return repr(value)


class Checker:
    """Checks one parsed file; collects problems, each prefixed with the file it was found in."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.origin}: {where}: {message}")

    def document(self, raw: dict[str, Any], *, base: bool) -> dict[str, Any]:
        """Check a whole parsed file; return its header fields and normalised tables."""
        allowed = {"schema_version", "reviewed", "synonyms", "overview", *model.TABLES}
        for key in raw:
            if key not in allowed:
                self.problem(one_line(key), f"unknown key (expected one of {', '.join(sorted(allowed))})")
        out: dict[str, Any] = {}
        version = raw.get("schema_version")
        if version is None:
            if base:
                self.problem("schema_version", f"missing (this mbc reads version {SCHEMA_VERSION})")
        elif version != SCHEMA_VERSION or isinstance(version, bool):
            self.problem("schema_version", f"{one_line(version)} is not supported (expected {SCHEMA_VERSION})")
        if "reviewed" in raw:
            out["reviewed"] = self.value("reviewed", raw["reviewed"], "date", None)
        elif base:
            self.problem("reviewed", "missing (the date the file as a whole was last reviewed)")
        out["synonyms"] = self.synonyms(raw.get("synonyms", []))
        if "overview" in raw:
            out["overview"] = self.table("overview", raw["overview"], fields(model.Overview), partial=False)
        for table in model.TABLES:
            out[table] = self.entries(table, raw.get(table, {}), allow_extend=not base)
        return out

    def synonyms(self, raw: object) -> list[list[str]]:
        if not isinstance(raw, list):
            self.problem("synonyms", f"must be a list of lists of words, not {_type_name(raw)}")
            return []
        groups = [self.strings(f"synonyms[{i}]", group, required=True) for i, group in enumerate(raw)]
        for i, group in enumerate(groups):
            if len(group) == 1:
                self.problem(f"synonyms[{i}]", "a group needs at least two words")
        return groups

    def entries(self, table: str, raw: object, *, allow_extend: bool) -> dict[str, dict[str, Any]]:
        if not isinstance(raw, dict):
            self.problem(table, f"must be a table of entries, not {_type_name(raw)}")
            return {}
        pattern = SOURCE_ID if table == "sources" else ENTRY_ID
        out: dict[str, dict[str, Any]] = {}
        for key, value in raw.items():
            where = f"{table}.{one_line(key) if not pattern.match(key) else key}"
            if not pattern.match(key):
                rule = "letters, digits and hyphens" if table == "sources" else "lowercase letters, digits and hyphens"
                self.problem(where, f"id must be {rule}")
            if not isinstance(value, dict):
                self.problem(where, f"must be a table, not {_type_name(value)}")
                continue
            extend = value.get(EXTEND_KEY, False)
            if extend is not False and not (allow_extend and extend is True):
                reason = "must be true or false" if allow_extend else "is only allowed in an overlay file"
                self.problem(f"{where}.{EXTEND_KEY}", reason)
                extend = False
            body = {k: v for k, v in value.items() if k != EXTEND_KEY}
            entry = self.table(where, body, entry_fields(table), partial=bool(extend))
            if extend:
                entry[EXTEND_KEY] = True
            out[key] = entry
        return out

    def table(self, where: str, raw: object, spec: tuple[Field, ...], *, partial: bool) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.problem(where, f"must be a table, not {_type_name(raw)}")
            return {}
        known = [f.name for f in spec]
        for key in raw:
            if key not in known:
                self.problem(f"{where}.{one_line(key)}", f"unknown key (expected one of {', '.join(known)})")
        out: dict[str, Any] = {}
        for field in spec:
            if field.name in raw:
                out[field.name] = self.value(f"{where}.{field.name}", raw[field.name], field.kind, field.detail)
                if (
                    field.kind == "refs"
                    and field.required
                    and isinstance(raw[field.name], list)
                    and not raw[field.name]
                ):
                    self.problem(f"{where}.{field.name}", "must list at least one")
            elif field.required and not partial:
                self.problem(f"{where}.{field.name}", "missing")
        return out

    def value(self, where: str, value: object, kind: str, detail: Any) -> Any:
        if kind in ("text", "enum", "ref"):
            if not isinstance(value, str):
                self.problem(where, f"must be a string, not {_type_name(value)}")
                return ""
            if not value.strip():
                self.problem(where, "must not be empty")
            elif kind == "enum" and value not in detail:
                self.problem(where, f"{value!r} is not one of {', '.join(detail)}")
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                self.problem(where, f"must be true or false, not {_type_name(value)}")
                return False
            return value
        if kind == "year":
            if isinstance(value, bool) or not isinstance(value, int):
                self.problem(where, f"must be a whole number, not {_type_name(value)}")
                return 0
            if not 1900 <= value <= 2100:
                self.problem(where, f"{value} is not a plausible year")
            return value
        if kind == "date":
            if type(value) is not datetime.date:
                self.problem(where, f"must be a date such as 2026-11-27, not {_type_name(value)}")
                return ""
            return value.isoformat()
        if kind in ("names", "refs"):
            return self.strings(where, value, required=False)
        if kind == "record":
            return self.table(where, value, fields(detail), partial=False) or None
        if not isinstance(value, list):
            self.problem(where, f"must be a list of tables, not {_type_name(value)}")
            return []
        items = [self.table(f"{where}[{i}]", item, fields(detail), partial=False) for i, item in enumerate(value)]
        return [item for item in items if item]  # what is not a table was reported, and is left out

    def strings(self, where: str, value: object, *, required: bool) -> list[str]:
        if not isinstance(value, list):
            self.problem(where, f"must be a list of strings, not {_type_name(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                out.append(item)
            else:
                self.problem(f"{where}[{i}]", "must be a non-empty string")
        if required and not value:
            self.problem(where, "must list at least one")
        return out


def references(where: str, entry: Mapping[str, Any], spec: tuple[Field, ...]) -> Iterator[tuple[str, str, str]]:
    """Yield (location, table, id) for every cross-reference in a normalised entry."""
    for field in spec:
        value = entry.get(field.name)
        if not value:
            continue
        if field.kind == "refs":
            for i, ref in enumerate(value):
                yield f"{where}.{field.name}[{i}]", field.detail, ref
        elif field.kind == "ref":
            yield f"{where}.{field.name}", field.detail, value
        elif field.kind == "record":
            yield from references(f"{where}.{field.name}", value, fields(field.detail))
        elif field.kind == "records":
            for i, item in enumerate(value):
                yield from references(f"{where}.{field.name}[{i}]", item, fields(field.detail))


def markdown_table(cls: Any) -> str:
    """The fields of a record class as the Markdown table data/README.md shows (a test keeps it so)."""
    kinds = {"text": "string", "date": "date", "year": "year", "bool": "true or false", "names": "strings"}
    rows = ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
    for field in fields(cls):
        if field.name == "id" and cls in model.TABLES.values():
            continue  # the table key
        if field.kind == "enum":
            kind = ", ".join(f"`{v}`" for v in field.detail)
        elif field.kind in ("refs", "ref"):
            kind = f"{model.NOUNS[field.detail]} id" + ("s" if field.kind == "refs" else "")
        elif field.kind in ("record", "records"):
            name = "statement" if field.detail is model.Statement else field.detail.__name__.lower()
            kind = name if field.kind == "record" else f"list of {name}s"
        else:
            kind = kinds[field.kind]
        rows.append(f"| `{field.name}` | {kind} | {'yes' if field.required else ''} | {field.doc} |")
    return "\n".join(rows)


# ---------------------------------------------------------------- content rules (mbc validate)

STALE_DAYS = 365
BRIEF_WIDTH = 80  # a site's treatments take one line each in its brief view, at 80 columns
DECIDED = ("approved", "accelerated", "conditional", "withdrawn", "not-approved")


def _texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a record, with where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        for name, item in zip(value._fields, value, strict=True):
            yield from _texts(item, f"{where}.{name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{where}[{i}]")


def rules(kb: Any, today: datetime.date) -> tuple[list[str], list[str]]:
    """The rules for content and sources, over a compiled knowledge base: (problems, warnings)."""
    from mbc_cli.safe import unsafe

    problems: list[str] = []
    warnings: list[str] = []
    sources = {key: kb.source(key) for key in kb.ids("sources")}
    cited: set[str] = set()
    stale = (today - datetime.timedelta(days=STALE_DAYS)).isoformat()
    for table in model.TABLES:
        for key in kb.ids(table):
            entry = kb.get(table, key)
            where = f"{table}.{key}"
            for place, text in _texts(entry, where):
                if unsafe(text):
                    problems.append(f"{place}: holds a control or invisible character")
            for _, refs in _source_refs(entry, where):
                cited.update(refs)
            if table == "sources":
                if entry.type == "press" and not entry.note.strip():
                    problems.append(f"{where}.note: a press source needs a note saying why nothing better is cited")
                continue
            problems += _names(entry, where)
            reviewed = getattr(entry, "reviewed", "")
            if reviewed > today.isoformat():
                warnings.append(f"{where}: reviewed {reviewed}, after today ({today.isoformat()})")
            elif reviewed and reviewed < stale:
                warnings.append(f"{where}: last reviewed {reviewed}, over a year ago")
            problems += _entry_rules(kb, entry, where, sources)
            warnings += _entry_warnings(entry, where)
    overview = kb.overview()
    if overview is not None:
        cited.update(s for _, refs in _source_refs(overview, "overview") for s in refs)
    warnings += [f"sources.{key}: never cited" for key in sources if key not in cited]
    return problems, warnings


def _source_refs(value: Any, where: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        for name, item in zip(value._fields, value, strict=True):
            if name in ("sources", "guidelines") and isinstance(item, tuple):
                yield f"{where}.{name}", item
            elif name == "us_label" and item:
                yield f"{where}.{name}", (item,)
            else:
                yield from _source_refs(item, f"{where}.{name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _source_refs(item, f"{where}[{i}]")


def _names(entry: Any, where: str) -> list[str]:
    """Names and aliases must hold only what names need (see NAME and ALIAS)."""
    found = []
    if not NAME.match(entry.name):
        found.append(f"{where}.name: {entry.name!r} holds characters no name needs")
    for field in ("aliases", "brands", "keywords"):
        for i, alias in enumerate(getattr(entry, field, ())):
            if not ALIAS.match(alias):
                found.append(f"{where}.{field}[{i}]: {alias!r} holds characters no name needs")
    return found


def _types(ids: tuple[str, ...], sources: Mapping[str, Any]) -> set[str]:
    return {sources[i].type for i in ids if i in sources}


def _entry_rules(kb: Any, entry: Any, where: str, sources: Mapping[str, Any]) -> list[str]:
    """What brief views and trust need of each kind of entry."""
    problems = []
    if isinstance(entry, model.Site):
        for treatment in entry.treatments if entry.category == "site" else ():
            subtypes = ", ".join(kb.name("subtypes", s) for s in treatment.subtypes)
            cited = " [99]"  # its lead source's number
            line = f"- {treatment.short or treatment.name} [{treatment.kind}; {treatment.role}; {subtypes}]{cited}"
            if len(line) > BRIEF_WIDTH:
                where_ = f"{where}.treatments[id={treatment.id}]"
                problems.append(f"{where_}: too long for its one line in the brief view: give a `short` name")
        if entry.category == "situation" and not entry.actions:
            problems.append(f"{where}.actions: a situation needs its actions, in order (brief views show them)")
        if entry.caveats and not any(c.key for c in entry.caveats):
            problems.append(f"{where}.caveats: mark the caveats that matter most with key = true")
    elif isinstance(entry, model.Therapy):
        if entry.points and not any(p.key for p in entry.points):
            problems.append(f"{where}.points: mark the points that matter most with key = true")
    elif isinstance(entry, model.Drug):
        if entry.safety and not any(s.key for s in entry.safety):
            problems.append(f"{where}.safety: mark the one or two points that matter most with key = true")
        if sum(s.key for s in entry.safety) > 2:
            problems.append(f"{where}.safety: at most two points are key")
        if entry.us_label and "regulator" not in _types((entry.us_label,), sources):
            problems.append(f"{where}.us_label: '{entry.us_label}' is not a regulator source")
        us_approved = any(a.agency == "FDA" and a.status in ("approved", "accelerated") for a in entry.approvals)
        if us_approved and not entry.us_label:
            problems.append(f"{where}.us_label: approved in the US, so give the source of its current label")
        for i, approval in enumerate(entry.approvals):
            if approval.status in DECIDED and "regulator" not in _types(approval.sources, sources):
                problems.append(f"{where}.approvals[{i}]: a decision cites no regulator source")
        for agency in ("FDA", "EMA"):  # a drug's status is its agency's last decision in this list
            dated = [(a.date, i) for i, a in enumerate(entry.approvals) if a.agency == agency and a.date]
            for (before, _), (date, i) in itertools.pairwise(dated):
                if date < before:
                    problems.append(f"{where}.approvals[{i}]: {date} comes after {before}: list decisions in order")
    elif isinstance(entry, model.Trial):
        if "journal" not in _types(entry.sources, sources) and not entry.note:
            problems.append(f"{where}.sources: a trial cites its own publication (a journal source), or says why not")
    elif isinstance(entry, model.Regimen):
        for i, guideline in enumerate(entry.guidelines):
            if guideline in sources and sources[guideline].type != "guideline":
                problems.append(f"{where}.guidelines[{i}]: '{guideline}' is not a guideline source")
        if entry.status == "pending" and not any(
            a.status == "pending" for d in entry.drugs for a in kb.drug(d).approvals if entry.id in a.regimens
        ):
            problems.append(f"{where}.status: pending, but no drug has a pending decision naming it")
    return problems


def _entry_warnings(entry: Any, where: str) -> list[str]:
    warnings = []
    if isinstance(entry, model.Trial) and entry.note:
        warnings.append(f"{where}: its own publication is not cited ({entry.note})")
    if isinstance(entry, model.Drug):
        for i, approval in enumerate(entry.approvals):
            if approval.status in DECIDED and not approval.date:
                warnings.append(f"{where}.approvals[{i}]: no date (give it once a source confirms the day)")
    return warnings


MARKED = re.compile(r"(<!-- fields: (\w+) -->\n).*?(\n<!-- end -->)", re.S)
RECORDS: dict[str, Any] = {cls.__name__: cls for cls in (*model.TABLES.values(), model.Statement, model.Treatment)}
RECORDS |= {cls.__name__: cls for cls in (model.Group, model.Approval, model.Escat, model.Overview)}


def document_fields(text: str) -> str:
    """Markdown text with each `<!-- fields: Record -->` table made from the model."""
    return MARKED.sub(lambda m: m[1] + markdown_table(RECORDS[m[2]]) + m[3], text)


if __name__ == "__main__":  # `python -m mbc_cli.schema data/README.md`: refresh its field tables
    import sys

    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as handle:
            old = handle.read()
        with open(name, "w", encoding="utf-8") as handle:
            handle.write(document_fields(old))
