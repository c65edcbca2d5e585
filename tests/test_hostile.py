"""Hostile input: random arguments, randomly and structurally mutated knowledge files, markup, control
and invisible characters in data. Examples are drawn the same way on every run (conftest: the
"default" Hypothesis profile); `pytest --hypothesis-profile=long tests/test_hostile.py` looks further."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from cases import CASES
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import MINI, run
from mbc_cli import document, knowledge, views
from mbc_cli.errors import KnowledgeError
from mbc_cli.render import markdown, terminal, text

STYLED = terminal.paint({}, is_terminal=True)
assert STYLED is not None
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
SGR = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;;[^\x1b]*\x1b\\")
WORDS = [*sorted({w for args in CASES.values() for w in args}), "--help", "--version", "--", "-", "", "help", "hr-"]
ARGS = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=6)


@given(ARGS)
def test_random_arguments_never_crash(args: list[str]) -> None:
    result = run(*args)
    assert result.code in (0, 1, 2, 3), (args, result)
    assert "Traceback" not in result.stdout + result.stderr
    if result.code != 0 and "validate" not in args:  # validate's problems are its output
        assert result.stdout == "" or args == [] or "help" in args
        assert result.stderr.count("\n") <= 1, result.stderr


LINES = MINI.read_text().splitlines()
NOISE = st.sampled_from(
    [
        '"',
        "[",
        "]]",
        "{",
        "= 1",
        'x = "',
        "[sites]",
        "[[sites.liver.treatments]]",
        "kind = 3",
        "\x00",
        "\ufeff",
        'sources = ["NOPE"]',
        "reviewed = 2026-13-45",
        "extend = true",
        "schema_version = 1",
        "a.b.c = 1",
        "é",
        'key = "yes"',
        "[regimens.x]",
        'lines = "9"',
        'after = ["nothing"]',
        '"a\\nb" = 1',
    ]
)


def problems_are_one_line(path: Path) -> None:
    try:
        knowledge.merge([path])
    except KnowledgeError as error:
        assert str(error) and "\n" not in str(error)
        assert all("\n" not in problem for problem in error.problems)


@given(
    st.lists(st.tuples(st.integers(0, len(LINES) - 1), st.one_of(NOISE, st.text(max_size=20))), min_size=1, max_size=4)
)
def test_mutated_knowledge_loads_or_raises_the_knowledge_error(
    tmp_path_factory: Any, edits: list[tuple[int, str]]
) -> None:
    lines = list(LINES)
    for index, replacement in edits:
        lines[index] = replacement
    path = Path(tmp_path_factory.mktemp("fuzz")) / "k.toml"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    problems_are_one_line(path)


def _leaves(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path into a parsed TOML document (table keys and list indexes)."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _leaves(item, (*path, index))
    return found


SCALARS = st.one_of(st.text(max_size=8), st.integers(-3, 3000), st.booleans(), st.floats(allow_nan=False), st.dates())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@given(st.data())
def test_structurally_mutated_knowledge_loads_or_raises_the_knowledge_error(
    tmp_path_factory: Any, data: st.DataObject
) -> None:
    import tomli_w

    from mbc_cli.knowledge import read_toml

    document_ = read_toml(MINI)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_leaves(document_)))
        parent: Any = document_
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, (dict, list)):
            parent[path[-1]] = data.draw(VALUES)
    target = Path(tmp_path_factory.mktemp("structure")) / "k.toml"
    target.write_text(tomli_w.dumps(document_), encoding="utf-8")
    problems_are_one_line(target)


TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40).filter(str.strip)


def hostile_knowledge(tmp: Path, evil: str) -> Path:
    """MINI with every summary, name, title and text replaced by `evil`, written as valid TOML."""
    count = iter(range(10_000))

    def replace(match: re.Match[str]) -> str:
        unique = f" {next(count)}" if match[1] == "name" else ""  # names must stay distinct
        value = json.dumps(evil + unique, ensure_ascii=False).replace("\x7f", "\\u007f")
        return f"{match[1]} = {value}"  # a JSON string, DEL escaped, is a valid TOML basic string

    body = re.sub(
        r'^(summary|title|name|text|target|headline|definition) = ".*"$', replace, MINI.read_text(), flags=re.M
    )
    path = tmp / "hostile.toml"
    path.write_text(body, encoding="utf-8")
    return path


def every_view(kb: knowledge.Knowledge) -> list[Any]:
    return [
        views.site(kb, "liver", None, None, False),
        views.site(kb, "cord-compression", None, None, True),
        views.therapy(kb, "endocrine", None, None, False),
        views.drug(kb, "ribociclib", False),
        views.drug(kb, "ribociclib", True),
        views.trial(kb, "test-1"),
        views.options(kb, "hr-pos-her2-neg", [], [], None, None, None, None),
        views.listing(kb, "drugs"),
        views.matrix(kb),
        views.sources(kb, None),
    ]


@given(TEXT)
def test_no_format_lets_a_control_character_through(tmp_path_factory: Any, evil: str) -> None:
    tmp = Path(tmp_path_factory.mktemp("hostile"))
    kb = knowledge.load([hostile_knowledge(tmp, evil)], {"MBC_NO_CACHE": "1"})
    for view in every_view(kb):
        blocks = document.build(kb, [view], "note")
        for output in (text.render(blocks, 60), markdown.render(blocks), SGR.sub("", text.render(blocks, 60, STYLED))):
            assert not RAW_CONTROL.search(output), repr(output)
    for args in (["site", "liver"], ["drug", "ribociclib"], ["sources"], ["options"]):
        result = run(*args, "--format", "json", data=tmp / "hostile.toml", env={"MBC_NO_CACHE": "1"})
        assert result.code == 0 and not RAW_CONTROL.search(result.stdout)
        json.loads(result.stdout)


def test_markup_and_escapes_in_data_print_literally(tmp_path: Path) -> None:
    evil = "[bold red]loud[/] [link=http://x]y[/link] :smile: \x1b[31mred\x07 \x9b2J \u202etxt \u200bzw \U000e0041tag"
    shown = (
        "[bold red]loud[/] [link=http://x]y[/link] :smile: \u241b[31mred\u2407 \ufffd2J \ufffdtxt \ufffdzw \ufffdtag"
    )
    kb = knowledge.load([hostile_knowledge(tmp_path, evil)], {"MBC_NO_CACHE": "1"})
    styled = SGR.sub(
        "", text.render(document.build(kb, [views.site(kb, "liver", None, None, False)], "n"), 300, STYLED)
    )
    assert shown in styled
    assert shown in run("site", "liver", data=tmp_path / "hostile.toml").stdout.replace("\n", " ")
    data = json.loads(run("site", "liver", "--format", "json", data=tmp_path / "hostile.toml").stdout)
    assert data["entries"][0]["site"]["summary"] == evil


def test_no_command_opens_a_network_connection_or_runs_a_program(monkeypatch: Any) -> None:
    import socket
    import subprocess

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("mbc tried to reach the network or run a program")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr("os.system", refuse)
    for args in CASES.values():
        for fmt in ("text", "markdown", "json"):
            assert run(*args, "--format", fmt).code == 0
    assert run("validate").code == 0


def test_wide_characters_are_wrapped_by_the_columns_they_take(tmp_path: Path) -> None:
    wide = tmp_path / "wide.toml"
    wide.write_text(MINI.read_text().replace("Test liver summary.", "肝臓への転移 " * 20))
    from mbc_cli.safe import width

    lines = run("site", "liver", data=wide, env={"COLUMNS": "40"}).stdout.splitlines()
    assert max(width(line) for line in lines) <= 40


@pytest.mark.parametrize(
    "args",
    [
        ["site", "liv\ud800er"],
        ["drug", "x\udcffy"],
        ["therapy", "\udfff"],
        ["options", "--after", "a\ud800i"],
        ["options", "--biomarker", "esr\ud8001"],
        ["options", "--subtype", "hr\ud800+"],
    ],
)
def test_a_name_with_a_lone_surrogate_is_unknown_not_a_crash(args: list[str]) -> None:
    """Names are looked up one item at a time by a hash of their UTF-8; a lone surrogate (which a
    command line decoded with surrogateescape, or a caller of main(), can hold) must not break it."""
    for _ in range(2):  # the first run compiles and caches the knowledge; the second reads the cache
        result = run(*args, data=None)
        assert result.code == 2 and result.stderr.count("\n") == 1 and "internal error" not in result.stderr


@given(st.text())
@example("HR+/HER2\u2212")
@example("T\u2011DXd")
@example("her2-")
@example("  liver_-  metastases -")
@example("\uff28\uff32+")
def test_names_and_words_are_compared_as_the_unicode_definitions_say(typed: str) -> None:
    """Names skip Unicode's tables for ASCII text and are split with str methods (to keep start-up
    short); they must come out as NFKC with dashes as '-', and as the regular expression they stand
    for makes them, keeping only a minus sign at the end."""
    import unicodedata

    from mbc_cli.words import nfkc, normalize

    dashes = re.sub("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]", "-", unicodedata.normalize("NFKC", typed))
    assert nfkc(typed) == dashes
    folded = dashes.casefold().strip()
    sign = "-" if re.search(r"[^\W_]-\Z", folded) else ""
    assert normalize(typed) == re.sub(r"[\s_-]+", "-", folded).strip("-") + sign


def test_clean_replaces_every_format_character_of_this_python() -> None:
    """safe.py lists the invisible format characters (category Cf) up to Unicode 15.1; every one the
    running Python knows must be made visible, in ASCII-free and mixed text alike."""
    import sys
    import unicodedata

    from mbc_cli.safe import clean, unsafe

    invisible = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(invisible) > 150
    for char in invisible:
        assert clean(char) == "\ufffd" and clean(f"a{char}b") == "a\ufffdb" and unsafe(char), hex(ord(char))
    assert clean("tab\there\x1b[31m\x7f") == "tab here\u241b[31m\ufffd"
    assert clean("\u00e9\x85\u2028\ud800") == "\u00e9\ufffd\ufffd\ufffd"


@pytest.mark.parametrize("evil", ["del\x7fhere", "nel\x85here", "zero\u200bwidth", "plain ascii", "tag\U000e0041"])
def test_json_escapes_what_a_terminal_would_act_on_and_keeps_the_text(tmp_path: Path, evil: str) -> None:
    """ASCII JSON skips the escaping pass unless it holds a DEL; either way no raw control is written
    and the value reads back unchanged."""
    data = hostile_knowledge(tmp_path, evil)
    for ascii_only in ({}, {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"}):
        result = run("site", "liver", "--format", "json", data=data, env={"MBC_NO_CACHE": "1", **ascii_only})
        assert result.code == 0 and not RAW_CONTROL.search(result.stdout)
        assert json.loads(result.stdout)["entries"][0]["site"]["summary"] == evil
