"""The knowledge file's schema, and the checks that turn one parsed TOML file into clean entries.

Each table is described by a spec: field name -> (kind, required, detail). `Checker.document` walks
a parsed file against the specs, collects every problem with its location, and returns the entries
in a normalised, marshal-friendly form (plain dicts, lists, strings and ints). `refs` lists an
entry's cross-references, which are checked once every file is merged.
"""

import datetime
import re
from collections.abc import Iterator
from typing import Any

from mbc_cli.model import (
    APPROVAL_STATUSES,
    CATEGORIES,
    KINDS,
    THERAPY_ROLES,
    TREATMENT_ROLES,
)

SCHEMA_VERSION = 1
ENTRY_TABLES = ("sites", "therapies", "drugs", "subtypes")
TABLES = (*ENTRY_TABLES, "sources")
REF_NOUNS = {
    "sites": "site",
    "therapies": "therapy",
    "drugs": "drug",
    "subtypes": "subtype",
    "sources": "source",
}

# (kind, required, detail); kinds: str, int, date, strs, enum, refs, statement, statements, tables
Spec = dict[str, tuple[str, bool, Any]]

STATEMENT: Spec = {
    "text": ("str", True, None),
    "sources": ("refs", True, "sources"),
    "label": ("str", False, None),
}
TREATMENT: Spec = {
    "id": ("str", True, None),
    "name": ("str", True, None),
    "kind": ("enum", True, KINDS),
    "role": ("enum", True, TREATMENT_ROLES),
    "therapies": ("refs", False, "therapies"),
    "drugs": ("refs", False, "drugs"),
    "subtypes": ("refs", False, "subtypes"),
    "summary": ("str", True, None),
    "sources": ("refs", True, "sources"),
    "reviewed": ("date", False, None),
}
TRIAL: Spec = {
    "name": ("str", True, None),
    "year": ("int", True, None),
    "text": ("str", True, None),
    "sources": ("refs", True, "sources"),
}
APPROVAL: Spec = {
    "status": ("enum", True, APPROVAL_STATUSES),
    "date": ("date", False, None),
    "indication": ("str", True, None),
    "sources": ("refs", True, "sources"),
}
_ENTRY: Spec = {
    "name": ("str", True, None),
    "aliases": ("strs", False, None),
    "summary": ("str", True, None),
    "sources": ("refs", True, "sources"),
    "reviewed": ("date", True, None),
}
SPECS: dict[str, Spec] = {
    "sites": {
        **_ENTRY,
        "category": ("enum", True, CATEGORIES),
        "frequency": ("statement", False, None),
        "goal": ("statement", False, None),
        "caveats": ("statements", False, None),
        "treatments": ("tables", False, TREATMENT),
    },
    "therapies": {
        **_ENTRY,
        "kind": ("enum", True, KINDS),
        "role": ("enum", True, THERAPY_ROLES),
        "subtypes": ("refs", False, "subtypes"),
        "points": ("statements", False, None),
    },
    "drugs": {
        **_ENTRY,
        "brands": ("strs", False, None),
        "therapies": ("refs", True, "therapies"),
        "target": ("str", True, None),
        "subtypes": ("refs", False, "subtypes"),
        "biomarker": ("str", False, None),
        "line": ("str", True, None),
        "trials": ("tables", False, TRIAL),
        "approvals": ("tables", False, APPROVAL),
        "approvals_checked": ("date", False, None),
        "safety": ("statements", False, None),
    },
    "subtypes": dict(_ENTRY),
    "sources": {
        "title": ("str", True, None),
        "publisher": ("str", True, None),
        "year": ("int", True, None),
        "url": ("str", True, None),
        "accessed": ("date", True, None),
    },
}
OVERVIEW: Spec = {
    "summary": ("str", True, None),
    "sources": ("refs", True, "sources"),
    "reviewed": ("date", True, None),
    "sections": ("statements", False, None),
}
EXTEND_KEY = "extend"  # in an overlay file: merge into the earlier entry instead of replacing it

ENTRY_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_DEFAULTS: dict[str, object] = {"int": 0, "strs": [], "refs": [], "statements": [], "tables": [], "statement": None}


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "a table", datetime.date: "a date"})
    names.update({datetime.datetime: "a date-time", datetime.time: "a time"})
    return names.get(type(value), type(value).__name__)


class Checker:
    """Collects problems, each prefixed with the file it was found in."""

    def __init__(self, origin: str, today: datetime.date) -> None:
        self.origin = origin
        self.today = today
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.origin}: {where}: {message}")

    def document(self, raw: dict[str, Any], *, base: bool) -> dict[str, Any]:
        """Check a whole parsed file; return its header fields and normalised tables."""
        allowed = {"schema_version", "reviewed", "overview", *TABLES}
        for key in raw:
            if key not in allowed:
                self.problem(key, f"unknown key (expected one of {', '.join(sorted(allowed))})")
        out: dict[str, Any] = {}
        version = raw.get("schema_version")
        if version is None:
            if base:
                self.problem("schema_version", f"missing (this mbc reads version {SCHEMA_VERSION})")
        elif version != SCHEMA_VERSION or isinstance(version, bool):
            self.problem("schema_version", f"{version!r} is not supported (expected {SCHEMA_VERSION})")
        if "reviewed" in raw:
            out["reviewed"] = self.value("reviewed", raw["reviewed"], ("date", True, None))
        elif base:
            self.problem("reviewed", "missing (the date the file as a whole was last reviewed)")
        if "overview" in raw:
            out["overview"] = self.table("overview", raw["overview"], OVERVIEW, partial=False)
        for table in TABLES:
            out[table] = self.entries(table, raw.get(table, {}), allow_extend=not base)
        return out

    def entries(self, table: str, raw: object, *, allow_extend: bool) -> dict[str, dict[str, Any]]:
        if not isinstance(raw, dict):
            self.problem(table, f"must be a table of entries, not {_type_name(raw)}")
            return {}
        pattern = SOURCE_ID if table == "sources" else ENTRY_ID
        out: dict[str, dict[str, Any]] = {}
        for key, value in raw.items():
            where = f"{table}.{key}"
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
            entry = self.table(where, body, SPECS[table], partial=bool(extend))
            if extend:
                entry[EXTEND_KEY] = True
            out[key] = entry
        return out

    def table(self, where: str, raw: object, spec: Spec, *, partial: bool) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.problem(where, f"must be a table, not {_type_name(raw)}")
            return {}
        for key in raw:
            if key not in spec:
                self.problem(f"{where}.{key}", f"unknown key (expected one of {', '.join(spec)})")
        out: dict[str, Any] = {}
        for key, field in spec.items():
            if key in raw:
                out[key] = self.value(f"{where}.{key}", raw[key], field)
            elif not partial:
                if field[1]:
                    self.problem(f"{where}.{key}", "missing")
                out[key] = _DEFAULTS.get(field[0], "")  # so later checks can rely on every key
        return out

    def value(self, where: str, value: object, field: tuple[str, bool, Any]) -> Any:
        kind, _required, detail = field
        if kind in ("str", "enum"):
            if not isinstance(value, str):
                self.problem(where, f"must be a string, not {_type_name(value)}")
                return ""
            if not value.strip():
                self.problem(where, "must not be empty")
            if kind == "enum" and value not in detail:
                self.problem(where, f"{value!r} is not one of {', '.join(detail)}")
            return value
        if kind == "int":
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
            if value > self.today:
                self.problem(where, f"{value} is in the future")
            return value.isoformat()
        if kind in ("strs", "refs"):
            return self.strings(where, value, required=kind == "refs" and field[1])
        if kind == "statement":
            return self.table(where, value, STATEMENT, partial=False)
        # statements and tables: lists of tables
        if not isinstance(value, list):
            self.problem(where, f"must be a list of tables, not {_type_name(value)}")
            return []
        spec = STATEMENT if kind == "statements" else detail
        items = [self.table(f"{where}[{i}]", item, spec, partial=False) for i, item in enumerate(value)]
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


def refs(where: str, entry: dict[str, Any], spec: Spec) -> Iterator[tuple[str, str, str]]:
    """Yield (location, table, id) for every cross-reference in a normalised entry."""
    for key, (kind, _required, detail) in spec.items():
        value = entry.get(key)
        if kind == "refs":
            for i, ref in enumerate(value or ()):
                yield f"{where}.{key}[{i}]", detail, ref
        elif kind == "statement" and value:
            yield from refs(f"{where}.{key}", value, STATEMENT)
        elif kind in ("statements", "tables"):
            sub = STATEMENT if kind == "statements" else detail
            for i, item in enumerate(value or ()):
                yield from refs(f"{where}.{key}[{i}]", item, sub)
