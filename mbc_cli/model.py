"""The knowledge model: immutable records built from a validated knowledge file.

Values only: loading, validation and lookups live in `knowledge` and `queries`. The records are
typed NamedTuples, which are as immutable as frozen dataclasses but about ten times cheaper to
define at import (0.1 ms against 0.9 ms a class here), a cost every run of `mbc` pays.
"""

from typing import NamedTuple

TABLES = ("sites", "therapies", "drugs", "subtypes", "sources")
KINDS = ("systemic", "local")
TREATMENT_ROLES = ("main", "selected", "supportive")
THERAPY_ROLES = ("anticancer", "supportive")
CATEGORIES = ("site", "situation")
APPROVAL_STATUSES = ("approved", "accelerated", "pending", "not-approved", "withdrawn")


class Source(NamedTuple):
    id: str
    title: str
    publisher: str
    year: int
    url: str
    accessed: str


class Statement(NamedTuple):
    text: str
    sources: tuple[str, ...]
    label: str = ""


class Treatment(NamedTuple):
    id: str
    name: str
    kind: str
    role: str
    therapies: tuple[str, ...]
    drugs: tuple[str, ...]
    subtypes: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    reviewed: str

    @property
    def anticancer(self) -> bool:
        return self.role != "supportive"


class Site(NamedTuple):
    id: str
    name: str
    category: str
    aliases: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    reviewed: str
    frequency: Statement | None
    goal: Statement | None
    caveats: tuple[Statement, ...]
    treatments: tuple[Treatment, ...]


class Therapy(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    role: str
    subtypes: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    reviewed: str
    points: tuple[Statement, ...]


class Trial(NamedTuple):
    name: str
    year: int
    text: str
    sources: tuple[str, ...]


class Approval(NamedTuple):
    status: str
    date: str
    indication: str
    sources: tuple[str, ...]


class Drug(NamedTuple):
    id: str
    name: str
    brands: tuple[str, ...]
    aliases: tuple[str, ...]
    therapies: tuple[str, ...]
    target: str
    subtypes: tuple[str, ...]
    biomarker: str
    line: str
    summary: str
    sources: tuple[str, ...]
    reviewed: str
    trials: tuple[Trial, ...]
    approvals: tuple[Approval, ...]
    approvals_checked: str
    safety: tuple[Statement, ...]


class Subtype(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    reviewed: str


class Overview(NamedTuple):
    summary: str
    sources: tuple[str, ...]
    reviewed: str
    sections: tuple[Statement, ...]


Entry = Site | Therapy | Drug | Subtype
