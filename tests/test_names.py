"""Names as people type them: several words, prefixes, aliases, Unicode forms, and receptor status,
which is never matched to its opposite."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest

from conftest import MINI, run
from mbc_cli import knowledge, names
from mbc_cli.errors import UnknownNameError


@pytest.fixture(scope="module")
def kb() -> knowledge.Knowledge:
    return knowledge.load([MINI], {"MBC_NO_CACHE": "1"})


@pytest.mark.parametrize(
    ("words", "ids"),
    [
        (["spinal", "cord", "compression"], ["cord-compression"]),
        (["Spinal cord compression"], ["cord-compression"]),
        (["liver", "bone"], ["liver", "bone"]),
        (["HEPATIC"], ["liver"]),
        (["liv"], ["liver"]),
        (["mscc", "liver"], ["cord-compression", "liver"]),
    ],
)
def test_sites_by_several_words_aliases_and_prefixes(kb: knowledge.Knowledge, words: list[str], ids: list[str]) -> None:
    assert names.find(kb, "sites", words) == ids


@pytest.mark.parametrize(
    ("typed", "drug"),
    [
        ("femara", "letrozole"),
        ("".join(chr(ord(c) + 0xFEE0) for c in "FEMARA"), "letrozole"),  # fullwidth
        ("let", "letrozole"),
        ("kisq", "ribociclib"),
        ("orserdu", "elacestrant"),
        (unicodedata.normalize("NFD", "Ribociclib"), "ribociclib"),
    ],
)
def test_drugs_by_brand_prefix_and_unicode_form(kb: knowledge.Knowledge, typed: str, drug: str) -> None:
    assert names.find(kb, "drugs", [typed]) == [drug]


def test_an_ambiguous_prefix_lists_the_candidates_and_exits_2(tmp_path: Path) -> None:
    text = MINI.read_text().replace('brands = ["Kisqali"]', 'brands = ["Kisqali", "Letrozaxx"]')
    two = tmp_path / "two.toml"
    two.write_text(text)
    assert run("drug", "letro", data=two) == (
        2,
        "",
        "mbc: 'letro' could be the drug: Letrozole, Ribociclib. Give more of the name.\n",
    )


def test_a_shared_keyword_lists_the_entries_it_could_mean() -> None:
    assert (
        run("site", "spine").stderr
        == "mbc: 'spine' could be the site: Spinal cord compression, Bone. Give one of them.\n"
    )


def test_an_invisible_character_does_not_pass_for_a_name(kb: knowledge.Knowledge) -> None:
    with pytest.raises(UnknownNameError):
        names.find(kb, "drugs", ["fem\u200bara"])


# ---------------------------------------------------------------- receptor status

RECEPTORS = {"hr": "hr", "er": "hr", "pr": "hr", "hormone-receptor": "hr", "her2": "her2", "her-2": "her2"}
POSITIVE = ["+", "pos", "positive", " positive", "-positive", "_positive"]
NEGATIVE = ["-", "neg", "negative", " negative", "-negative", "-neg"]
# What the small test file's subtypes are: HR+/HER2- (positive, negative), HER2+ (any, positive),
# Triple-negative (negative, negative).
FITS = {
    ("hr", "positive"): {"hr-pos-her2-neg", "her2-pos"},
    ("hr", "negative"): {"tnbc", "her2-pos"},
    ("her2", "positive"): {"her2-pos"},
    ("her2", "negative"): {"hr-pos-her2-neg", "tnbc"},
}


def outcome(kb: knowledge.Knowledge, typed: str) -> set[str]:
    """The subtypes a spelling resolves to: one, or the several an error lists."""
    try:
        return {names.find_subtype(kb, typed)}
    except UnknownNameError as error:
        return {sid for sid in kb.ids("subtypes") if f"({sid})" in str(error)}


@pytest.mark.parametrize(("word", "polarity"), [*itertools.product(RECEPTORS, ["positive", "negative"])])
def test_every_spelling_of_a_receptor_status_means_what_it_says(
    kb: knowledge.Knowledge, word: str, polarity: str
) -> None:
    receptor = RECEPTORS[word]
    for suffix in POSITIVE if polarity == "positive" else NEGATIVE:
        typed = f"{word}{suffix}"
        found = outcome(kb, typed)
        assert found, typed
        # never the opposite: every subtype it names fits the status asked for
        assert found <= FITS[receptor, polarity], (typed, found)
        if polarity == "negative":
            opposite = {s for s in kb.ids("subtypes") if getattr(kb.subtype(s), receptor) == "positive"}
            assert not found & opposite, (typed, found)


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("hr-", 2, "mbc: 'hr-' (HR-negative) covers several subtypes: HER2+ (her2-pos), Triple-negative (tnbc). Give one of them.\n"),
        ("her2-negative", 2, "mbc: 'her2-negative' (HER2-negative) covers several subtypes: HR+/HER2- (hr-pos-her2-neg), Triple-negative (tnbc). Give one of them.\n"),
        ("her2-neg", 2, None),
        ("er-/her2-", 0, None),
        ("hr-/her2-", 0, None),
        ("HR+", 0, None),
    ],
)  # fmt: skip
def test_negative_statuses_name_their_choices(typed: str, code: int, message: str | None) -> None:
    result = run("site", "liver", "--subtype", typed)
    assert result.code == code
    if message:
        assert result.stderr == message
    if code == 0:
        assert "Showing: " in result.stdout


def test_a_status_that_fits_one_subtype_is_that_subtype() -> None:
    result = run("site", "liver", "--subtype", "hr-/her2+")
    assert result.code == 0 and "\nShowing: HER2+\n" in result.stdout


def test_a_status_that_fits_no_subtype() -> None:
    assert run("site", "liver", "--subtype", "her2-low") == (
        2,
        "",
        "mbc: no subtype is HER2-low ('her2-low'). See 'mbc overview'.\n",
    )


@pytest.mark.parametrize(
    ("words", "ids"),
    [
        (["liver", "metastases"], ["liver"]),
        (["liver", "metastatic"], ["liver"]),  # not also metastatic spinal cord compression
        (["metastatic", "spread", "to", "the", "liver", "and", "bone"], ["liver", "bone"]),
        (["metastatic", "spinal", "cord", "compression"], ["cord-compression"]),
    ],
)
def test_words_around_a_name_are_skipped_not_taken_for_a_name(
    kb: knowledge.Knowledge, words: list[str], ids: list[str]
) -> None:
    assert names.find(kb, "sites", words) == ids


def test_only_general_words_name_nothing() -> None:
    assert run("site", "metastatic") == (2, "", "mbc: no site named in 'metastatic'. See 'mbc sites'.\n")


def test_too_much_input_is_a_quick_usage_error_that_quotes_it_short() -> None:
    assert run("site", *["liver"] * 5000) == (2, "", "mbc: too many words (5000): give at most 40\n")
    assert run("search", *["bone"] * 800).code == 2
    result = run("site", "x" * 20_000)
    assert result.code == 2 and len(result.stderr) < 200 and "(20000 characters)" in result.stderr


@pytest.mark.parametrize(
    ("typed", "code", "subtype"),
    [
        ("HR+ HER2-", 0, "HR+/HER2-"),  # spaces between the receptors
        ("HR+/HER2\u2212", 0, "HR+/HER2-"),  # a real minus sign, pasted from a PDF
        ("hr+/her2", 2, None),  # HER2 with no sign: ask, never assume negative
        ("hr-/her2", 2, None),
    ],
)
def test_a_receptor_status_keeps_its_signs_however_it_is_typed(typed: str, code: int, subtype: str | None) -> None:
    result = run("site", "liver", "--subtype", typed)
    assert result.code == code, result.stderr
    if subtype:
        assert f"\nShowing: {subtype}\n" in result.stdout
