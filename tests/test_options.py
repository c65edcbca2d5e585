"""`mbc options` over the shipped knowledge: situations written from current guidelines and labels,
each with exactly the regimens it must list (in order) and the tests it must suggest; and the two
safety rules over every situation: a biomarker-driven regimen never without its biomarker, and a
regimen never before the therapy it must follow."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from typing import Any

import pytest

from conftest import ROOT, Installed, run

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

KNOWLEDGE: dict[str, Any] = tomllib.loads((ROOT / "data" / "treatments.toml").read_text(encoding="utf-8"))
REGIMENS = KNOWLEDGE["regimens"]

# (situation, arguments, the regimens listed in this order, the biomarker tests suggested in this order).
# Reviewed against the labels and guidelines the regimens cite: see each regimen's `after`, `lines`,
# `biomarkers` and `not_after` in data/treatments.toml for why a regimen is in or out.
SITUATIONS = [
    ('hr+ first line', '-s hr+ -l 1',
     ['ai-palbociclib', 'ai-ribociclib', 'ai-abemaciclib', 'fulvestrant-ribociclib', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'fulvestrant-palbociclib', 'fulvestrant-abemaciclib', 'fulvestrant-abemaciclib-post-cdk46', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'her2-low', 'gbrca', 'ntrk-fusion', 'ret-fusion']),
    ('hr+ first line, premenopausal', '-s hr+ -l 1 --menopause pre',
     ['ai-palbociclib', 'ai-ribociclib', 'ai-abemaciclib', 'fulvestrant-ribociclib', 'tamoxifen', 'ovarian-function-suppression', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'fulvestrant-palbociclib', 'fulvestrant-abemaciclib', 'fulvestrant-abemaciclib-post-cdk46', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'her2-low', 'gbrca', 'ntrk-fusion', 'ret-fusion']),
    ('hr+ first line, postmenopausal, endocrine-sensitive', '-s hr+ -l 1 --menopause post --endocrine sensitive',
     ['ai-palbociclib', 'ai-ribociclib', 'ai-abemaciclib', 'fulvestrant-ribociclib', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'fulvestrant-palbociclib', 'fulvestrant-abemaciclib', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'her2-low', 'gbrca', 'ntrk-fusion', 'ret-fusion']),
    ('hr+ first line, ESR1: what follows a therapy not given comes last', '-s hr+ -l 1 -m esr1',
     ['ai-palbociclib', 'ai-ribociclib', 'ai-abemaciclib', 'fulvestrant-ribociclib', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'imlunestrant-esr1', 'camizestrant-esr1-switch', 'fulvestrant-palbociclib', 'fulvestrant-abemaciclib', 'fulvestrant-abemaciclib-post-cdk46', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['pik3ca', 'akt1', 'pten', 'her2-low', 'gbrca', 'ntrk-fusion', 'ret-fusion']),
    ('hr+ first line, endocrine-resistant, PIK3CA', '-s hr+ -l 1 --endocrine resistant -m pik3ca',
     ['inavolisib-palbociclib-fulvestrant', 'capivasertib-fulvestrant', 'fulvestrant-palbociclib', 'fulvestrant-ribociclib', 'fulvestrant-abemaciclib', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'fulvestrant-abemaciclib-post-cdk46', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['esr1', 'her2-low', 'gbrca', 'ntrk-fusion', 'ret-fusion']),
    ('hr+ after AI and palbociclib', '-s hr+ -a ai -a palbociclib',
     ['fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'everolimus-exemestane', 'gedatolisib-palbociclib-fulvestrant', 'gedatolisib-fulvestrant', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after AI and ribociclib, ESR1', '-s hr+ -a ai -a ribociclib -m esr1',
     ['elacestrant-esr1', 'imlunestrant-esr1', 'vepdegestrant-esr1', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'everolimus-exemestane', 'gedatolisib-palbociclib-fulvestrant', 'gedatolisib-fulvestrant', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['pik3ca', 'akt1', 'pten', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after AI and abemaciclib, PIK3CA', '-s hr+ -a ai -a abemaciclib -m pik3ca',
     ['alpelisib-fulvestrant', 'capivasertib-fulvestrant', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'everolimus-exemestane', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['esr1', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after letrozole and a CDK4/6 inhibitor, AKT1', '-s hr+ -a letrozole -a cdk4/6 -m akt1',
     ['capivasertib-fulvestrant', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'everolimus-exemestane', 'gedatolisib-palbociclib-fulvestrant', 'gedatolisib-fulvestrant', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['esr1', 'pik3ca', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after a CDK4/6 inhibitor only, ESR1: it was given with endocrine therapy', '-s hr+ -a cdk4/6 -m esr1',
     ['elacestrant-esr1', 'imlunestrant-esr1', 'vepdegestrant-esr1', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['pik3ca', 'akt1', 'pten', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after palbociclib only, PIK3CA', '-s hr+ -a palbociclib -m pik3ca',
     ['alpelisib-fulvestrant', 'capivasertib-fulvestrant', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['esr1', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after AI and ribociclib, ESR1 and PIK3CA (issue 10)', '-s hr+ -a ai -a ribociclib -m esr1 -m pik3ca',
     ['elacestrant-esr1', 'imlunestrant-esr1', 'vepdegestrant-esr1', 'alpelisib-fulvestrant', 'capivasertib-fulvestrant', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'everolimus-exemestane', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after AI and a CDK4/6 inhibitor, germline BRCA', '-s hr+ -a ai -a cdk46 -m gbrca',
     ['talazoparib-gbrca', 'platinum-gbrca', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'everolimus-exemestane', 'gedatolisib-palbociclib-fulvestrant', 'gedatolisib-fulvestrant', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'her2-low', 'her2-ultralow', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after endocrine therapy, a CDK4/6 inhibitor and chemotherapy', '-s hr+ -a endocrine -a cdk46 -a chemotherapy',
     ['fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'abemaciclib-monotherapy', 'dato-hr-pos', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'sg-hr-pos'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after endocrine therapy and chemotherapy, HER2-low', '-s hr+ -a endocrine -a chemotherapy -m her2-low',
     ['tdxd-her2-low', 'tdxd-hr-her2-low-ultralow', 'fulvestrant-palbociclib', 'fulvestrant-ribociclib', 'fulvestrant-abemaciclib', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'abemaciclib-monotherapy', 'dato-hr-pos', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'sg-hr-pos'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after endocrine therapy, HER2-ultralow', '-s hr+ -a endocrine -m her2-ultralow',
     ['tdxd-hr-her2-low-ultralow', 'fulvestrant-palbociclib', 'fulvestrant-ribociclib', 'fulvestrant-abemaciclib', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after fulvestrant, elacestrant and everolimus, ESR1', '-s hr+ -a ai -a cdk46 -a elacestrant -a everolimus -m esr1',
     ['imlunestrant-esr1', 'vepdegestrant-esr1', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'gedatolisib-palbociclib-fulvestrant', 'gedatolisib-fulvestrant', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression'],
     ['her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('her2+ first line', '-s her2+ -l 1',
     ['thp', 'tdxd-pertuzumab', 'trastuzumab-chemotherapy', 'endocrine-her2', 'tucatinib-maintenance', 'tdxd-her2-pos', 'palbociclib-her2-endocrine'],
     ['ntrk-fusion', 'ret-fusion']),
    ('her2+ after trastuzumab, pertuzumab and a taxane', '-s her2+ -a trastuzumab -a pertuzumab -a taxane',
     ['tucatinib-trastuzumab-capecitabine', 'margetuximab-chemotherapy', 'trastuzumab-chemotherapy', 'tdxd-her2-pos', 'tdm1', 'endocrine-her2', 'neratinib-capecitabine'],
     ['msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('her2+ after trastuzumab deruxtecan', '-s her2+ -a trastuzumab -a taxane -a trastuzumab-deruxtecan',
     ['tucatinib-trastuzumab-capecitabine', 'margetuximab-chemotherapy', 'trastuzumab-chemotherapy', 'tdm1', 'endocrine-her2', 'neratinib-capecitabine'],
     ['msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('her2+ brain metastases, after trastuzumab and a taxane', '-s her2+ -a trastuzumab -a taxane --site brain',
     ['tucatinib-trastuzumab-capecitabine', 'tdxd-her2-pos', 'margetuximab-chemotherapy', 'trastuzumab-chemotherapy', 'tdm1', 'endocrine-her2', 'neratinib-capecitabine'],
     ['msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('her2+ third line, after tucatinib', '-s her2+ -l 3 -a trastuzumab -a taxane -a trastuzumab-deruxtecan -a tucatinib',
     ['neratinib-capecitabine', 'margetuximab-chemotherapy', 'trastuzumab-chemotherapy', 'tdm1', 'endocrine-her2'],
     ['msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('tnbc first line', '-s tnbc -l 1',
     ['sg-tnbc-first-line', 'dato-tnbc-first-line', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['her2-low', 'pd-l1-cps10', 'pd-l1-ic1', 'gbrca', 'ntrk-fusion', 'ret-fusion']),
    ('tnbc first line, PD-L1 CPS 10 or more', '-s tnbc -l 1 -m pd-l1',
     ['sg-pembrolizumab', 'pembrolizumab-chemotherapy', 'sg-tnbc-first-line', 'dato-tnbc-first-line', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['her2-low', 'pd-l1-ic1', 'gbrca', 'ntrk-fusion', 'ret-fusion']),
    ('tnbc first line, germline BRCA', '-s tnbc -l 1 -m gbrca',
     ['talazoparib-gbrca', 'platinum-gbrca', 'sg-tnbc-first-line', 'dato-tnbc-first-line', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression', 'olaparib-gbrca', 'gemcitabine-paclitaxel', 'docetaxel-capecitabine', 'ixabepilone-capecitabine'],
     ['her2-low', 'pd-l1-cps10', 'pd-l1-ic1', 'ntrk-fusion', 'ret-fusion']),
    ('tnbc after a taxane and chemotherapy', '-s tnbc -a taxane -a chemotherapy',
     ['sg-tnbc', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression'],
     ['her2-low', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('tnbc after chemotherapy, HER2-low', '-s tnbc -a chemotherapy -m her2-low',
     ['tdxd-her2-low', 'sg-tnbc', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression'],
     ['gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('tnbc after sacituzumab govitecan', '-s tnbc -a sacituzumab-govitecan -a chemotherapy',
     ['taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression'],
     ['her2-low', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('any subtype, MSI-high, after chemotherapy', '-m msi-h -a chemotherapy',
     ['pembrolizumab-msi-h', 'dostarlimab-dmmr', 'fulvestrant-ribociclib', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'trastuzumab-chemotherapy', 'endocrine-her2', 'sg-tnbc', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression'],
     ['her2-low', 'gbrca', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
    ('hr+ after chemotherapy, NTRK fusion', '-s hr+ -a endocrine -a cdk46 -a chemotherapy -m ntrk',
     ['larotrectinib-ntrk', 'entrectinib-ntrk', 'repotrectinib-ntrk', 'fulvestrant-abemaciclib-post-cdk46', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'abemaciclib-monotherapy', 'dato-hr-pos', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'combination-rapid-progression', 'sg-hr-pos'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'her2-low', 'her2-ultralow', 'gbrca', 'msi-h', 'tmb-high', 'ret-fusion', 'braf-v600e']),
    ('her2-low, HR status not given, after endocrine therapy', '-s her2-low -a endocrine',
     ['tdxd-hr-her2-low-ultralow', 'fulvestrant-palbociclib', 'fulvestrant-ribociclib', 'fulvestrant-abemaciclib', 'ai-monotherapy', 'fulvestrant-monotherapy', 'tamoxifen', 'toremifene', 'ovarian-function-suppression', 'sg-tnbc', 'taxane-single', 'anthracycline-single', 'capecitabine-single', 'vinorelbine-single', 'gemcitabine-single', 'platinum-tnbc', 'gemcitabine-carboplatin', 'combination-rapid-progression'],
     ['esr1', 'pik3ca', 'akt1', 'pten', 'gbrca', 'msi-h', 'tmb-high', 'ntrk-fusion', 'ret-fusion', 'braf-v600e']),
]  # fmt: skip
IDS = [s[0] for s in SITUATIONS]


def options(args: str, *extra: str) -> dict[str, Any]:
    result = run("options", *shlex.split(args), "--format", "json", *extra, data=None)
    assert result.code == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_there_are_situations_for_every_subtype_and_line() -> None:
    assert len(SITUATIONS) >= 25
    arguments = " ".join(s[1] for s in SITUATIONS)
    for subtype in ("hr+", "her2+", "tnbc", "her2-low"):
        assert f"-s {subtype} " in arguments
    for line in ("-l 1", "-l 3", "-a "):
        assert line in arguments


@pytest.mark.parametrize(("name", "args", "regimens", "tests"), SITUATIONS, ids=IDS)
def test_a_situation_lists_exactly_its_options(name: str, args: str, regimens: list[str], tests: list[str]) -> None:
    document = options(args)
    assert [o["id"] for o in document["options"]] == regimens
    assert [t["biomarker"]["id"] for t in document["tests"]] == tests


def _covers(given: dict[str, str], requirement: str) -> bool:
    """Whether a prior therapy given (a drug, a group or a class) counts as the requirement."""
    table, key = given["table"], given["id"]
    if key == requirement:
        return True
    therapies = KNOWLEDGE["therapies"]
    groups = {g["id"]: (t, g) for t, therapy in therapies.items() for g in therapy.get("groups", [])}
    if table == "groups":
        classes = [groups[key][0]]
    elif table == "drugs":
        if requirement in groups and key in groups[requirement][1]["drugs"]:
            return True
        classes = list(KNOWLEDGE["drugs"][key]["therapies"])
    else:
        classes = [key]
    # a class also counts as the classes always given with it (CDK4/6 inhibitors: endocrine therapy)
    return any(requirement == c or requirement in therapies[c].get("given_with", []) for c in classes)


@pytest.mark.parametrize(("name", "args", "regimens", "tests"), SITUATIONS, ids=IDS)
def test_no_regimen_without_its_biomarker_or_before_its_prior_therapy(
    name: str, args: str, regimens: list[str], tests: list[str]
) -> None:
    document = options(args)
    given = {b["id"] for b in document["situation"]["biomarkers"]}
    after = document["situation"]["after"]
    for option in document["options"]:
        regimen = REGIMENS[option["id"]]
        assert set(regimen["biomarkers"]) <= given, option["id"]
        assert not regimen["biomarkers_any"] or given & set(regimen["biomarkers_any"]), option["id"]
        assert not given & set(regimen.get("not_biomarkers", [])), option["id"]
        if after:
            for requirement in regimen["after"]:
                assert any(_covers(g, requirement) for g in after), (option["id"], requirement)
            for excluded in regimen.get("not_after", []):
                assert not any(_covers(g, excluded) for g in after), (option["id"], excluded)


def test_every_biomarker_driven_regimen_waits_for_its_biomarker() -> None:
    """With no biomarker given, no regimen that needs one is listed, in any subtype or line."""
    driven = {key for key, r in REGIMENS.items() if r["biomarkers"] or r["biomarkers_any"]}
    assert len(driven) >= 15
    for subtype in ("hr+", "her2+", "tnbc"):
        for line in ("1", "2", "3"):
            listed = {o["id"] for o in options(f"-s {subtype} -l {line}")["options"]}
            assert not listed & driven, (subtype, line, listed & driven)


def test_brain_evidence_comes_first_with_site_brain() -> None:
    first = options("-s her2+ -a trastuzumab -a taxane --site brain")["options"][0]
    assert (first["id"], first["site_evidence"]) == ("tucatinib-trastuzumab-capecitabine", True)


def _listed(text: str, markdown: bool) -> list[str]:
    """The option names of a text or markdown document (unwrapped), before its suggested tests."""
    marker, end = ("- **", "**") if markdown else ("- ", " [")
    lines = text.split("Tests that would open more options")[0].splitlines()
    return [re.sub(r"\\(.)", r"\1", line[len(marker) :].split(end)[0]) for line in lines if line.startswith(marker)]


def test_the_situations_through_the_installed_command_in_every_format(installed: Installed) -> None:
    for name, args, regimens, _ in SITUATIONS:
        names = [REGIMENS[r]["name"] for r in regimens]
        outputs = {}
        for fmt in ("json", "text", "markdown"):
            command = [str(installed.mbc), "options", *shlex.split(args), "--format", fmt]
            done = subprocess.run(
                command, capture_output=True, text=True, env={"COLUMNS": "1000", "MBC_TODAY": "2026-12-01"}
            )
            assert (done.returncode, done.stderr) == (0, ""), (name, fmt)
            outputs[fmt] = done.stdout
        assert [o["id"] for o in json.loads(outputs["json"])["options"]] == regimens, name
        assert _listed(outputs["text"], markdown=False) == names, name
        assert _listed(outputs["markdown"], markdown=True) == names, name


def test_beyond_fifteen_tests_text_says_how_many_more_and_json_lists_them_all() -> None:
    """A knowledge file with many tumour-agnostic biomarkers must not bury the options under tests."""
    from mbc_cli import document, knowledge, views
    from mbc_cli.render import text

    with knowledge.load([ROOT / "data" / "treatments.toml"], {"MBC_NO_CACHE": "1"}) as kb:
        view = views.options(kb, "tnbc", [], [], None, None, None, None)
        many = tuple(
            views.Test(views.Ref("biomarkers", f"b{n}", f"Marker {n}"), (views.Ref("regimens", f"r{n}", f"R{n}"),))
            for n in range(18)
        )
        shown = text.render(document.build(kb, [view._replace(tests=many)], "note"), 80)
    listed = re.findall(r"^- Marker (\d+)$", shown, re.M)
    assert listed == [str(n) for n in range(15)]
    assert "And 3 more tests (--format json lists them)." in shown


@pytest.mark.parametrize(
    ("args", "regimen", "us", "eu"),
    [
        ("-s her2+ -l 1", "thp", "2012-06-08", "2013-03-04"),  # not the 2020 Phesgo approval that also names it
        ("-s hr+ -l 1", "ai-palbociclib", "2017", "2016"),  # full approval, not the 2019 extension to men
    ],
)
def test_a_regimens_status_is_dated_from_when_it_began(args: str, regimen: str, us: str, eu: str) -> None:
    option = next(o for o in options(args)["options"] if o["id"] == regimen)
    assert option["approvals"]["us"]["date"].startswith(us) and option["approvals"]["eu"]["date"].startswith(eu)
