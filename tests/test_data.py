"""The shipped knowledge file: integrity (every reference resolves, nothing unsourced) and the facts
a careless edit could break."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from conftest import run
from mbc_cli import knowledge, queries
from mbc_cli.knowledge import Knowledge, normalize

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return knowledge.load([knowledge.packaged_path()], {"MBC_NO_CACHE": "1"})


def test_the_shipped_file_validates() -> None:
    result = run("validate", data=None)
    assert result.exit_code == 0, result.stdout
    assert "problem" not in result.stdout


def test_every_entry_has_summary_sources_and_a_recent_review(kb: Knowledge) -> None:
    for table in ("sites", "therapies", "drugs", "subtypes"):
        for key in kb.ids(table):
            entry = getattr(kb, queries.NOUNS[table])(key)
            assert entry.summary.strip() and entry.sources, key
            assert datetime.date.fromisoformat(entry.reviewed) > TODAY - datetime.timedelta(days=365), key
    for key in kb.ids("sites"):
        for treatment in kb.site(key).treatments:
            assert treatment.summary and treatment.sources and treatment.reviewed, (key, treatment.id)


def test_every_source_is_complete_and_cited(kb: Knowledge) -> None:
    text = knowledge.packaged_path().read_text(encoding="utf-8")
    for key in kb.ids("sources"):
        source = kb.source(key)
        assert source.title and source.publisher and source.accessed, key
        assert re.match(r"https?://\S+\Z", source.url), key
        assert text.count(f'"{key}"') >= 1, f"source {key} is never cited"


def test_no_alias_is_claimed_twice_and_every_brand_finds_its_generic(kb: Knowledge) -> None:
    for key in kb.ids("drugs"):
        drug = kb.drug(key)
        for brand in drug.brands:
            assert queries.find(kb, "drugs", brand) == key, brand
    for table in ("sites", "therapies", "drugs", "subtypes"):
        seen: dict[str, str] = {}
        for key in kb.ids(table):
            entry = getattr(kb, queries.NOUNS[table])(key)
            for name in {normalize(n) for n in (key, entry.name, *entry.aliases, *getattr(entry, "brands", ()))}:
                assert seen.setdefault(name, key) == key, (table, name)


def test_no_text_has_markup_or_dosing_schedules(kb: Knowledge) -> None:
    text = knowledge.packaged_path().read_text(encoding="utf-8")
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    for value in strings:
        assert not re.search(r"\[/?[a-z ]+\]|\*\*|<[a-z]+>", value), value
        assert not re.search(r"\b\d+(\.\d+)? ?mg/m2|\bmg/kg\b|\bevery \d+ (hours|days)\b", value), value


@pytest.mark.parametrize(
    ("name", "site"),
    [
        ("lungs", "lung"),
        ("pulmonary", "lung"),
        ("bones", "bone"),
        ("skeletal", "bone"),
        ("cns", "brain"),
        ("chest-wall", "locoregional"),
        ("skin", "locoregional"),
        ("lymph-nodes", "locoregional"),
        ("nodes", "locoregional"),
        ("effusion", "pleura"),
        ("Pericardial effusion", "pericardium"),
        ("hepatic", "liver"),
        ("lmd", "leptomeningeal"),
        ("cord-compression", "spinal-cord-compression"),
        ("hypercalcemia", "hypercalcaemia"),
        ("survival", "prognosis"),
        ("visceral crisis", "visceral-crisis"),
        ("oligometastases", "oligometastatic"),
        ("fracture", "pathological-fracture"),
    ],
)
def test_the_names_people_type_find_the_site(kb: Knowledge, name: str, site: str) -> None:
    assert queries.find(kb, "sites", name) == site


@pytest.mark.parametrize(
    ("name", "therapy"),
    [
        ("hormone", "endocrine"),
        ("hormonal", "endocrine"),
        ("chemo", "chemotherapy"),
        ("her2", "her2-targeted"),
        ("bisphosphonates", "bone-modifying"),
        ("radiotherapy", "radiation"),
        ("cdk4/6", "cdk46"),
        ("adc", "adc"),
        ("parp-inhibitors", "parp"),
        ("ablation", "interventional"),
        ("palliative-care", "palliative"),
    ],
)
def test_the_names_people_type_find_the_therapy(kb: Knowledge, name: str, therapy: str) -> None:
    assert queries.find(kb, "therapies", name) == therapy


def test_radiation_surgery_and_procedures_are_local(kb: Knowledge) -> None:
    for therapy in ("radiation", "surgery", "interventional"):
        assert kb.therapy(therapy).kind == "local"
    for key in kb.ids("sites"):
        for t in kb.site(key).treatments:
            if set(t.therapies) <= {"radiation", "surgery", "interventional"} and "palliative" not in t.therapies:
                assert t.kind == "local" or "radionuclide" in t.name.lower() or "radioactive" in t.summary.lower(), (
                    t.name
                )


def test_bone_modifying_agents_are_supportive_and_do_not_slow_the_cancer(kb: Knowledge) -> None:
    bma = kb.therapy("bone-modifying")
    assert (bma.kind, bma.role) == ("systemic", "supportive")
    for key in kb.ids("sites"):
        for t in kb.site(key).treatments:
            if t.therapies == ("bone-modifying",):
                assert t.role == "supportive", (key, t.name)
    said = " ".join(p.text for p in bma.points).lower()
    assert "surviv" in said and "not" in said
    assert queries.find(kb, "drugs", "xgeva") == queries.find(kb, "drugs", "prolia") == "denosumab"


def test_her2_low_is_treated_with_trastuzumab_deruxtecan_not_trastuzumab(kb: Knowledge) -> None:
    assert "her2-low" in kb.drug("trastuzumab-deruxtecan").subtypes
    assert "her2-low" not in kb.drug("trastuzumab").subtypes
    assert queries.find(kb, "drugs", "T-DXd") == "trastuzumab-deruxtecan"
    assert queries.find(kb, "drugs", "herceptin") == "trastuzumab"


def test_withdrawn_and_unapproved_uses_are_marked(kb: Knowledge) -> None:
    statuses = {a.status for a in kb.drug("atezolizumab").approvals}
    assert "withdrawn" in statuses
    assert "approved" not in {a.status for a in kb.drug("camizestrant").approvals}


def test_the_seed_articles_errors_are_corrected_where_a_reader_looks(kb: Knowledge) -> None:
    radiation = " ".join(p.text for p in kb.therapy("radiation").points).lower()
    assert "local" in radiation and re.search(r"not (a )?systemic", radiation)
    lung = kb.site("lung")
    assert any(t.kind == "systemic" and t.role == "main" for t in lung.treatments)
    liver = " ".join(f"{c.label}: {c.text}" for c in kb.site("liver").caveats).lower()
    assert "not standard" in liver or "not the only" in liver


@pytest.mark.parametrize(
    ("words", "site"),
    [
        ("spinal cord compression", "spinal-cord-compression"),
        ("hypercalcaemia", "hypercalcaemia"),
        ("hypercalcemia", "hypercalcaemia"),
        ("visceral crisis", "visceral-crisis"),
        ("oligometastatic disease", "oligometastatic"),
        ("pathological fracture", "pathological-fracture"),
        ("prognosis and survival", "prognosis"),
    ],
)
def test_search_finds_each_situation_by_name(words: str, site: str) -> None:
    result = run("search", *words.split(), "--format", "json", data=None)
    found = [(e["type"], e["entry"]["id"]) for e in json.loads(result.stdout)["entries"]]
    assert ("site", site) in found


def test_every_site_therapy_and_drug_answers_in_every_format(kb: Knowledge) -> None:
    for command, table in (("site", "sites"), ("therapy", "therapies"), ("drug", "drugs")):
        for key in kb.ids(table):
            for fmt in ("text", "markdown", "json"):
                result = run(command, key, "--format", fmt, data=None)
                assert (result.exit_code, result.stderr) == (0, ""), (command, key, fmt)
