"""The knowledge model: frozen dataclasses built from a validated knowledge file.

Values only: loading, validation and lookups live in `knowledge` and `queries`.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("systemic", "local")
TREATMENT_ROLES = ("main", "selected", "supportive")
THERAPY_ROLES = ("anticancer", "supportive")
CATEGORIES = ("site", "situation")
APPROVAL_STATUSES = ("approved", "accelerated", "pending", "not-approved", "withdrawn")


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int
    url: str
    accessed: str


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    sources: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Treatment:
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


@dataclass(frozen=True, slots=True)
class Site:
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


@dataclass(frozen=True, slots=True)
class Therapy:
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


@dataclass(frozen=True, slots=True)
class Trial:
    name: str
    year: int
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Approval:
    status: str
    date: str
    indication: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Drug:
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


@dataclass(frozen=True, slots=True)
class Subtype:
    id: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    reviewed: str


@dataclass(frozen=True, slots=True)
class Overview:
    summary: str
    sources: tuple[str, ...]
    reviewed: str
    sections: tuple[Statement, ...]


Entry = Site | Therapy | Drug | Subtype
