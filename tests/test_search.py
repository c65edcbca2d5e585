"""Search: every word in any order, phrases, forgiving spelling, synonyms, ranking, repeats shown once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import MINI, run
from mbc_cli import knowledge, views
from mbc_cli.words import fold


def hits(*words: str, data: Path = MINI) -> list[str]:
    result = run("search", *words, "--format", "json", data=data)
    assert result.code == 0, result.stderr
    return [hit["text"] for hit in json.loads(result.stdout)["hits"]]


def test_all_words_in_any_order() -> None:
    assert (
        hits("caveat", "test")
        == hits("test", "caveat")
        == [
            "Test caveat about hypercalcaemia.",
            "Test caveat about osteonecrosis of the jaw.",
        ]
    )
    assert hits("caveat", "jaw") == ["Test caveat about osteonecrosis of the jaw."]


def test_a_quoted_phrase_is_a_phrase() -> None:
    assert hits('"caveat about hypercalcaemia"') == ["Test caveat about hypercalcaemia."]
    assert run("search", '"hypercalcaemia about"').code == 1


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("HYPERCALCEMIA", "Test caveat about hypercalcaemia."),  # case, US spelling
        ("caveats", "Test caveat about hypercalcaemia."),  # plural
        ("oestrogen", "Test liver summary. Second sentence about oestrogen."),
        ("estrogen", "Test liver summary. Second sentence about oestrogen."),
        ("cdk4/6", "Test CDK4/6 class summary."),
        ("cdk4 6", "Test CDK4/6 class summary."),
        ("er-positive", None),
    ],
)
def test_spelling_does_not_matter(typed: str, text: str | None) -> None:
    if text is None:
        assert run("search", typed).code == 1
    else:
        assert text in hits(*typed.split())


@pytest.mark.parametrize(("word", "text"), [("onj", "jaw"), ("low calcium", "hypocalcaemia")])
def test_synonyms_from_the_knowledge_work_both_ways(tmp_path: Path, word: str, text: str) -> None:
    data = tmp_path / "k.toml"
    data.write_text(MINI.read_text().replace("Test caveat about hypercalcaemia.", "Test caveat about hypocalcaemia."))
    assert hits(*word.split(), data=data) == hits(*text.split(), data=data) != []


def test_an_abbreviation_finds_the_full_name() -> None:
    assert "Test CDK4/6 class summary." in hits("cdk4/6i")


def test_names_first_then_phrases_then_most_mentions() -> None:
    result = json.loads(run("search", "letrozole", "--format", "json").stdout)["hits"]
    assert result[0]["kind"] == "name" and result[0]["places"][0]["id"] == "letrozole"


def test_a_text_in_several_entries_is_shown_once_with_where_else(tmp_path: Path) -> None:
    data = tmp_path / "k.toml"
    data.write_text(MINI.read_text().replace("Test endocrine treatment for bone.", "Test endocrine treatment."))
    found = json.loads(run("search", "endocrine", "treatment", "--format", "json", data=data).stdout)["hits"]
    assert [(h["text"], [p["name"] for p in h["places"]]) for h in found] == [
        ("Test endocrine treatment.", ["Liver", "Bone"])
    ]
    assert "Also in: Bone." in run("search", "endocrine", "treatment", data=data).stdout


def test_limit_keeps_the_best_hits() -> None:
    document = json.loads(run("search", "test", "--limit", "2", "--format", "json").stdout)
    assert len(document["hits"]) == 2 and document["total"] > 2
    assert (
        run("search", "test", "--limit", "2").stdout.splitlines()[0] == f"Search: test (2 hits of {document['total']})"
    )


def test_nothing_found_names_the_nearest_words() -> None:
    assert run("search", "hypercalcemai") == (
        1,
        "",
        "mbc: nothing found for 'hypercalcemai'. Nearest words: hypercalcemia\n",
    )
    assert run("search", "jaw", "liver", "femara").stderr.endswith("No text has all of these words: try fewer\n")
    assert run("search", "--", "--").stderr == "mbc: nothing to search for: give one or more words\n"


STATEMENTS = [  # names are found as entries (one hit an entry, see above), statements as themselves
    text
    for kind, text, _, _ in (
        knowledge.Memory(*knowledge.compile_knowledge(knowledge.merge([MINI]))).groups["texts"].values()
    )
    if kind != "name"
]


@given(st.data())
def test_any_word_of_any_statement_finds_it(data: st.DataObject) -> None:
    kb = knowledge.load([MINI], {"MBC_NO_CACHE": "1"})
    text = data.draw(st.sampled_from(STATEMENTS))
    words = [w for w in text.split() if fold(w)]
    word = data.draw(st.sampled_from(words))
    found = views.search(kb, [word], None)
    assert text in [hit.text for hit in found.hits], (word, text)


def test_an_entry_found_by_several_of_its_names_is_listed_once(tmp_path: Path) -> None:
    data = tmp_path / "k.toml"
    data.write_text(MINI.read_text().replace('aliases = ["hepatic"]', 'aliases = ["hepatic", "hepatic metastases"]'))
    found = json.loads(run("search", "hepatic", "--format", "json", data=data).stdout)
    assert [h["places"][0]["id"] for h in found["hits"] if h["kind"] == "name"] == ["liver"]


def test_a_text_in_many_entries_names_five_others_and_cites_what_it_names(tmp_path: Path) -> None:
    """Beyond five other places, text says how many more (JSON lists them all) and cites only the
    places it names: a statement repeated in a hundred entries stays a few lines."""
    terms, sources = [], []
    for n in range(1, 9):
        terms.append(
            f'[glossary.term-{n}]\nname = "Term {n}"\ndefinition = "A repeated definition."\n'
            f'sources = ["S{n}"]\nreviewed = 2026-11-01\n'
        )
        sources.append(
            f'[sources.S{n}]\ntitle = "Source {n}"\npublisher = "P"\nyear = 2025\n'
            f'url = "https://example.org/{n}"\naccessed = 2026-11-01\ntype = "reference"\n'
        )
    text = MINI.read_text().replace("[sources.SRC-A]", "\n".join(terms) + "\n[sources.SRC-A]")
    data = tmp_path / "k.toml"
    data.write_text(text + "\n" + "\n".join(sources))
    shown = run("search", "repeated", "definition", data=data)
    assert shown.code == 0, shown.stderr
    assert " ".join(shown.stdout.split()).split(" Sources ")[0] == (
        f"Search: repeated definition (1 hit) {'=' * 35} "
        "- Term 1: Definition A repeated definition. Also in: Term 2, Term 3, Term 4, Term 5, Term 6 "
        "and 2 more (--format json lists them). [1, 2, 3, 4, 5, 6]"
    )
    assert "Source 7" not in shown.stdout and "Source 6" in shown.stdout
    document = json.loads(run("search", "repeated", "definition", "--format", "json", data=data).stdout)
    (hit,) = document["hits"]
    assert [p["id"] for p in hit["places"]] == [f"term-{n}" for n in range(1, 9)]
    assert hit["sources"] == [f"S{n}" for n in range(1, 9)] and [p["sources"] for p in hit["places"]][7] == ["S8"]
