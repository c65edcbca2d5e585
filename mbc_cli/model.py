"""The knowledge model: one immutable record per kind of entry, and the one description of the file.

Each class's annotations are the fields of its TOML table and their types; a field with a default
may be left out of the file. Its docstring lists every field as `name: meaning`. Validation
(`schema`), construction by keyword (`knowledge`), JSON output and the field tables of
data/README.md all follow from these classes, so a field is added or changed here and nowhere else.

Types with a meaning of their own are spelled with the aliases below: `Date` is written in TOML as a
date and kept as ISO text; `Ids["sources"]`-style aliases are lists of ids of another table, checked
when the files are merged. Records are `Record`s: NamedTuples to the type checker, and at run time
tuples with named fields that cost a quarter as much to define (see record.py for what that buys).
"""

from typing import Annotated, Literal

from mbc_cli.record import Record

Date = Annotated[str, "date"]
Year = Annotated[int, "year"]
SourceIds = Annotated[tuple[str, ...], "sources"]
SourceId = Annotated[str, "sources"]
SubtypeIds = Annotated[tuple[str, ...], "subtypes"]
TherapyIds = Annotated[tuple[str, ...], "therapies"]
DrugIds = Annotated[tuple[str, ...], "drugs"]
SiteIds = Annotated[tuple[str, ...], "sites"]
TrialIds = Annotated[tuple[str, ...], "trials"]
BiomarkerIds = Annotated[tuple[str, ...], "biomarkers"]
RegimenIds = Annotated[tuple[str, ...], "regimens"]
PriorIds = Annotated[tuple[str, ...], "prior"]  # a drug, a therapy class or a group of drugs
Names = tuple[str, ...]

Kind = Literal["systemic", "local"]
TreatmentRole = Literal["main", "selected", "supportive"]
TherapyRole = Literal["anticancer", "supportive"]
Category = Literal["site", "situation"]
SourceType = Literal["guideline", "regulator", "journal", "reference", "press", "other"]
Agency = Literal["FDA", "EMA"]
Status = Literal["approved", "accelerated", "conditional", "reported", "pending", "not-approved", "withdrawn"]
Setting = Literal["metastatic", "early"]
Receptor = Literal["positive", "negative", "any"]
Her2Status = Literal["positive", "negative", "low", "any"]
Analysis = Literal["final", "interim"]
Survival = Literal["improved", "not-improved", "immature", "not-reported", "unconfirmed"]
Endocrine = Literal["sensitive", "resistant", "any"]
Menopause = Literal["pre", "post", "any"]
RegimenStatus = Literal["standard", "pending", "other"]
Lines = Literal["1", "2", "3", "1+", "2+", "3+"]
Phase = Literal["1", "1/2", "2", "2/3", "3", "3b/4"]


class Statement(Record):
    """A fact in one to three sentences, with its sources.

    text: one to three sentences in plain text
    sources: the sources it comes from
    label: a few words that name it ("Imaging", "Jaw, kidney and calcium safety")
    key: one of the points that matter most, shown in brief views
    """

    text: str
    sources: SourceIds
    label: str = ""
    key: bool = False


class Source(Record):
    """A publication cited by statements.

    id: the table key (upper case: `PDQ-HP`)
    title: its title
    publisher: who really published it (the journal, agency or site)
    url: where it was read
    accessed: the date it was read
    type: guideline, regulator (FDA or EMA document, label), journal, reference (such as NCI PDQ), press or other
    year: the year of the version read, where it says
    note: why it is cited; required for press (why nothing better was used)
    """

    id: str
    title: str
    publisher: str
    url: str
    accessed: Date
    type: SourceType
    year: Year = 0
    note: str = ""


class Subtype(Record):
    """A subtype of breast cancer by receptor status.

    id: the table key (`hr-pos-her2-neg`)
    name: display name (`HR+/HER2-`)
    summary: what it is, one to three sentences
    sources: the sources of the summary
    reviewed: the date it was last checked against its sources
    aliases: other names people type (`hr+`, `luminal`)
    hr: its hormone receptor status: positive, negative or any
    her2: its HER2 status: positive, negative, low or any
    """

    id: str
    name: str
    summary: str
    sources: SourceIds
    reviewed: Date
    aliases: Names = ()
    hr: Receptor = "any"
    her2: Her2Status = "any"


class Treatment(Record):
    """One treatment used at a site.

    id: unique within the site
    name: display name ("Palliative radiation for painful lesions")
    kind: systemic (reaches the whole body) or local (treats one place)
    role: main (a main anticancer option), selected (for selected patients) or supportive
    summary: one to three sentences
    sources: the sources of the summary
    therapies: the therapy classes it belongs to (drives `mbc matrix`)
    drugs: the drugs it uses
    subtypes: the subtypes it is for; none means every subtype
    regimens: the regimens it stands for
    short: a shorter name for the one line it has in brief views, where `name` is too long for it
    reviewed: the date it was last checked; defaults to the site's
    """

    id: str
    name: str
    kind: Kind
    role: TreatmentRole
    summary: str
    sources: SourceIds
    therapies: TherapyIds = ()
    drugs: DrugIds = ()
    subtypes: SubtypeIds = ()
    regimens: RegimenIds = ()
    short: str = ""
    reviewed: Date = ""


class Site(Record):
    """A metastasis site, or a situation that guidelines single out.

    id: the table key (`liver`, `spinal-cord-compression`)
    name: display name
    category: site or situation
    summary: what it is, one or two sentences
    sources: the sources of the summary
    reviewed: the date it was last checked against its sources
    aliases: other names people type (`lungs`, `pulmonary`)
    keywords: words people type that should lead here; several entries may share one (`spine`)
    goal: the goal of treatment
    actions: what to do now, in order; required for situations
    treatments: its treatments
    caveats: what matters and is easily got wrong; mark the ones that matter most with key = true
    frequency: how common it is
    """

    id: str
    name: str
    category: Category
    summary: str
    sources: SourceIds
    reviewed: Date
    aliases: Names = ()
    keywords: Names = ()
    goal: Statement | None = None
    actions: tuple[Statement, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    caveats: tuple[Statement, ...] = ()
    frequency: Statement | None = None


class Group(Record):
    """A group of drugs within a therapy class, such as aromatase inhibitors.

    id: unique among groups, drugs and therapy classes (`aromatase-inhibitor`)
    name: display name
    drugs: the drugs in it
    aliases: other names people type (`ai`)
    """

    id: str
    name: str
    drugs: DrugIds
    aliases: Names = ()


class Therapy(Record):
    """A therapy class (endocrine therapy, radiation ...).

    id: the table key (`endocrine`)
    name: display name
    kind: systemic or local
    role: anticancer or supportive
    summary: what it is, one to three sentences
    sources: the sources of the summary
    reviewed: the date it was last checked against its sources
    aliases: other names people type (`hormone`)
    subtypes: the subtypes it is for; none means any
    points: key facts; mark the ones that matter most with key = true
    groups: its drugs by group; the drugs of a class are worked out from the drugs' therapies
    given_with: the classes always given with it or before it, so that whoever had it had those
      too (CDK4/6 inhibitors: endocrine therapy); `mbc options --after` counts them as given
    """

    id: str
    name: str
    kind: Kind
    role: TherapyRole
    summary: str
    sources: SourceIds
    reviewed: Date
    aliases: Names = ()
    subtypes: SubtypeIds = ()
    points: tuple[Statement, ...] = ()
    groups: tuple[Group, ...] = ()
    given_with: TherapyIds = ()


class Approval(Record):
    """A regulatory decision on a drug in breast cancer.

    agency: FDA (United States) or EMA (European Union: the European Commission's decision)
    status: approved, accelerated, conditional, reported (no regulator source yet), pending, not-approved, withdrawn
    indication: what it covers, in one or two sentences
    sources: the regulator's documents first
    date: the day of the decision (pending: the day it is due), only when a source read gives it
    regimens: the regimens it covers
    setting: metastatic, or early for a decision outside metastatic disease (listed, never the drug's status)
    """

    agency: Agency
    status: Status
    indication: str
    sources: SourceIds
    date: Date = ""
    regimens: RegimenIds = ()
    setting: Setting = "metastatic"


class Drug(Record):
    """A drug, by its generic name.

    id: the table key, the generic name (`trastuzumab-deruxtecan`)
    name: generic name
    therapies: its therapy classes, the main one first
    target: what it targets or how it works, in one line
    line: its line of therapy in metastatic disease
    summary: what it is for, one to three sentences
    sources: the sources of the summary
    reviewed: the date it was last checked against its sources
    boxed_warnings: its current US label's boxed warnings, one statement each; [] says there are none
    brands: brand names (`Herceptin`)
    aliases: abbreviations and other names (`T-DXd`)
    subtypes: the subtypes it is for
    biomarker: the biomarker it needs, in words (`PIK3CA mutation`)
    us_label: the source id of its current US label
    safety: the label's main warnings, then trial figures (shown as trial data); the one or two that matter most key
    approvals: regulatory decisions in breast cancer, in the order they happened
    approvals_checked: the date the regulatory status was last checked
    trials: its key trials
    """

    id: str
    name: str
    therapies: TherapyIds
    target: str
    line: str
    summary: str
    sources: SourceIds
    reviewed: Date
    boxed_warnings: tuple[Statement, ...]
    brands: Names = ()
    aliases: Names = ()
    subtypes: SubtypeIds = ()
    biomarker: str = ""
    us_label: SourceId = ""
    safety: tuple[Statement, ...] = ()
    approvals: tuple[Approval, ...] = ()
    approvals_checked: Date = ""
    trials: TrialIds = ()


class Trial(Record):
    """A clinical trial and its headline result.

    id: the table key (`emerald`)
    name: its name (`EMERALD`)
    year: the year of its main publication
    phase: 1, 1/2, 2, 2/3, 3 or 3b/4
    population: who was in it, in one line
    arms: what was compared, one item per arm
    primary_endpoint: its primary endpoint
    headline: its main result in one line, with numbers
    analysis: final or interim: the analysis the headline comes from
    overall_survival: improved, not-improved, immature, not-reported, or unconfirmed (a result was
      reported but not read in its own publication)
    sources: its own publications
    reviewed: the date it was last checked against its sources
    aliases: other names people type
    results: its results in numbers, one to three statements
    note: why its own publication is not cited, where it is not (none could be read)
    """

    id: str
    name: str
    year: Year
    phase: Phase
    population: str
    arms: Names
    primary_endpoint: str
    headline: str
    analysis: Analysis
    overall_survival: Survival
    sources: SourceIds
    reviewed: Date
    aliases: Names = ()
    results: tuple[Statement, ...] = ()
    note: str = ""


class Escat(Record):
    """A biomarker's tier on the ESMO Scale for Clinical Actionability of molecular Targets.

    tier: the tier (`IA`)
    text: what the tier means here
    sources: where the tier was published
    """

    tier: str
    text: str
    sources: SourceIds


class Biomarker(Record):
    """A biomarker that decides treatment.

    id: the table key (`esr1`)
    name: display name (`ESR1 mutation`)
    summary: what it is and why it matters
    sources: the sources of the summary
    reviewed: the date it was last checked against its sources
    aliases: other names people type (`esr1m`)
    testing: how and when it is tested (tissue or blood, at which point)
    escat: its ESCAT tier, where a source gives it
    """

    id: str
    name: str
    summary: str
    sources: SourceIds
    reviewed: Date
    aliases: Names = ()
    testing: Statement | None = None
    escat: Escat | None = None


class Regimen(Record):
    """A treatment option that a guideline or a US or EU approval supports, with what it requires.

    id: the table key (`elacestrant-esr1`)
    name: display name
    drugs: its drugs
    lines: the lines of metastatic therapy it is for: 1, 2, 3 (that line), 2+, 3+ (that line or later), 1+ (any)
    summary: who it is for, in one or two sentences
    sources: the sources of the summary
    reviewed: the date it was last checked against its sources
    aliases: other names people type
    subtypes: the subtypes it is for; none means any subtype
    biomarkers: biomarkers that are all required
    biomarkers_any: biomarkers of which at least one is required
    after: prior therapies that are all required: drugs, therapy classes or groups of drugs
    not_after: prior therapies after which it is not an option (fulvestrant with a CDK4/6 inhibitor after one)
    not_biomarkers: biomarkers whose presence rules it out (it is for disease without them)
    endocrine: sensitive, resistant or any: the endocrine sensitivity it requires
    menopause: pre, post or any, where it matters
    sites: sites where it has specific evidence (`brain`)
    trials: its key trials
    guidelines: the guidelines that support it (source ids)
    status: standard, pending (a decision awaited) or other
    """

    id: str
    name: str
    drugs: DrugIds
    lines: Lines
    summary: str
    sources: SourceIds
    reviewed: Date
    aliases: Names = ()
    subtypes: SubtypeIds = ()
    biomarkers: BiomarkerIds = ()
    biomarkers_any: BiomarkerIds = ()
    after: PriorIds = ()
    not_after: PriorIds = ()
    not_biomarkers: BiomarkerIds = ()
    endocrine: Endocrine = "any"
    menopause: Menopause = "any"
    sites: SiteIds = ()
    trials: TrialIds = ()
    guidelines: SourceIds = ()
    status: RegimenStatus = "standard"


class Term(Record):
    """A glossary term, defined in plain words.

    id: the table key (`visceral-crisis`)
    name: the term
    definition: what it means, in one or two sentences for a student or carer
    sources: the sources of the definition
    reviewed: the date it was last checked against its sources
    aliases: other spellings and abbreviations
    """

    id: str
    name: str
    definition: str
    sources: SourceIds
    reviewed: Date
    aliases: Names = ()


class Overview(Record):
    """How metastatic breast cancer is treated in general.

    summary: one to three sentences
    sources: the sources of the summary
    reviewed: the date it was last checked against its sources
    sections: labelled statements: goal of care, choice by subtype, sequencing ...
    """

    summary: str
    sources: SourceIds
    reviewed: Date
    sections: tuple[Statement, ...] = ()


Entry = Site | Therapy | Drug | Subtype | Trial | Biomarker | Regimen | Term
# The tables of entries, with the record each holds. Order is the order of `mbc search` results.
TABLES: dict[str, type[Entry] | type[Source]] = {
    "sites": Site,
    "therapies": Therapy,
    "drugs": Drug,
    "regimens": Regimen,
    "trials": Trial,
    "biomarkers": Biomarker,
    "subtypes": Subtype,
    "glossary": Term,
    "sources": Source,
}
NOUNS = {
    "sites": "site",
    "therapies": "therapy",
    "drugs": "drug",
    "regimens": "regimen",
    "trials": "trial",
    "biomarkers": "biomarker",
    "subtypes": "subtype",
    "glossary": "glossary term",
    "sources": "source",
    "prior": "drug, therapy class or group of drugs",
}
