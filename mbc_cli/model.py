"""The knowledge model: immutable records built from a validated knowledge file.

Values only: loading, validation and lookups live in `knowledge` and `queries`. The records are
`Record`s (see `record`): immutable like frozen dataclasses, and much cheaper to define at import,
a cost every run of `mbc` pays.
"""

from mbc_cli.record import Record

KINDS = ("systemic", "local")
TREATMENT_ROLES = ("main", "selected", "supportive")
THERAPY_ROLES = ("anticancer", "supportive")
CATEGORIES = ("site", "situation")
APPROVAL_STATUSES = ("approved", "accelerated", "pending", "not-approved", "withdrawn")


class Source(Record):
    id: str
    title: str
    publisher: str
    year: int
    url: str
    accessed: str


class Statement(Record):
    text: str
    sources: tuple[str, ...]
    label: str = ""


class Treatment(Record):
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


class Site(Record):
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


class Therapy(Record):
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


class Trial(Record):
    name: str
    year: int
    text: str
    sources: tuple[str, ...]


class Approval(Record):
    status: str
    date: str
    indication: str
    sources: tuple[str, ...]


class Drug(Record):
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


class Subtype(Record):
    id: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    reviewed: str


class Overview(Record):
    summary: str
    sources: tuple[str, ...]
    reviewed: str
    sections: tuple[Statement, ...]


Entry = Site | Therapy | Drug | Subtype
