"""Hostile input: random arguments, random and mutated knowledge files, markup and control characters in data."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COMMANDS, MINI, run
from mbc_cli import document, knowledge, queries
from mbc_cli.errors import KnowledgeError
from mbc_cli.render import markdown, terminal, text

STYLED = terminal.paint({}, is_terminal=True)
assert STYLED is not None

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
FUZZ = settings(
    max_examples=int(os.environ.get("MBC_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

WORDS = [
    *COMMANDS,
    "liver",
    "hepatic",
    "hormone",
    "femara",
    "mscc",
    "--systemic",
    "--local",
    "--subtype",
    "tnbc",
    "her2+",
    "--site",
    "--format",
    "text",
    "markdown",
    "json",
    "-f",
    "--help",
    "--version",
    "--",
    "-",
    "",
]
ARGS = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=6)


@FUZZ
@given(ARGS)
def test_random_arguments_never_crash(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1, 2, 3), (args, result.output)
    assert "Traceback" not in result.output
    if result.exit_code != 0 and "validate" not in args:  # validate's problems are its output
        assert result.stdout == ""


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
        "schema_version = 2",
        "a.b.c = 1",
        "é",
    ]
)


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, len(LINES) - 1), st.one_of(NOISE, st.text(max_size=20))), min_size=1, max_size=4)
)
def test_mutated_knowledge_loads_or_raises_the_knowledge_error(
    tmp_path_factory: object, edits: list[tuple[int, str]]
) -> None:
    lines = list(LINES)
    for index, replacement in edits:
        lines[index] = replacement
    path = Path(str(tmp_path_factory.mktemp("fuzz"))) / "k.toml"  # type: ignore[attr-defined]
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    try:
        knowledge.build([path])
    except KnowledgeError as error:
        assert str(error) and "\n" not in str(error)


TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40).filter(str.strip)


def hostile_knowledge(tmp: Path, evil: str) -> Path:
    """MINI with every summary, name and title replaced by `evil`, written as valid TOML."""
    count = iter(range(1000))

    def replace(match: re.Match[str]) -> str:
        unique = f" {next(count)}" if match[1] == "name" else ""  # names must stay distinct
        value = json.dumps(evil + unique, ensure_ascii=False).replace("\x7f", "\\u007f")
        return f"{match[1]} = {value}"  # a JSON string, DEL escaped, is a valid TOML basic string

    body = re.sub(r'^(summary|title|name|text|target) = ".*"$', replace, MINI.read_text(), flags=re.M)
    path = tmp / "hostile.toml"
    path.write_text(body, encoding="utf-8")
    return path


def every_view(kb: knowledge.Knowledge) -> list[list[document.Block]]:
    views = [
        document.entry(kb, document.add_site, kb.site("liver")),
        document.entry(kb, document.add_therapy, queries.therapy_view(kb, "endocrine", None, None)),
        document.entry(kb, document.add_drug, kb.drug("letrozole")),
        document.entry(kb, document.add_overview),
        document.listing(kb, "sites", kb.ids("sites")),
        document.grid(kb, *queries.matrix(kb)),
        document.sources(kb),
    ]
    return views


@FUZZ
@given(TEXT)
def test_no_format_lets_a_control_character_through(tmp_path_factory: object, evil: str) -> None:
    tmp = Path(str(tmp_path_factory.mktemp("hostile")))  # type: ignore[attr-defined]
    kb = knowledge.load([hostile_knowledge(tmp, evil)], {"MBC_NO_CACHE": "1"})
    for blocks in every_view(kb):
        for output in (text.render(blocks, 60), markdown.render(blocks), SGR.sub("", text.render(blocks, 60, STYLED))):
            assert not RAW_CONTROL.search(output), repr(output)
    for args in (["site", "liver"], ["drug", "letrozole"], ["therapy", "endocrine"], ["sources"], ["matrix"]):
        result = run(*args, "--format", "json", data=tmp / "hostile.toml", env={"MBC_NO_CACHE": "1"})
        assert not RAW_CONTROL.search(result.stdout)
        json.loads(result.stdout)


def test_markup_and_escapes_in_data_print_literally(tmp_path: Path) -> None:
    evil = "[bold red]loud[/] [/bold] [link=http://x]y[/link] :smile: \x1b[31mred\x07 \x9b2J"
    kb = knowledge.load([hostile_knowledge(tmp_path, evil)], {"MBC_NO_CACHE": "1"})
    shown = SGR.sub("", text.render(document.entry(kb, document.add_site, kb.site("liver")), 200, STYLED))
    assert "[bold red]loud[/] [/bold] [link=http://x]y[/link] :smile: \u241b[31mred\u2407 \ufffd2J" in shown
    plain = run("site", "liver", data=tmp_path / "hostile.toml", env={"MBC_NO_CACHE": "1"}).stdout
    assert "[bold red]loud[/] [/bold] [link=http://x]y[/link] :smile: \u241b[31mred\u2407 \ufffd2J" in plain
    data = json.loads(run("site", "liver", "--format", "json", data=tmp_path / "hostile.toml").stdout)
    assert data["site"]["summary"] == evil


def test_no_command_opens_a_network_connection_or_runs_a_program(monkeypatch: object) -> None:
    import socket
    import subprocess

    from conftest import CASES

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("mbc tried to reach the network or run a program")

    monkeypatch.setattr(socket.socket, "connect", refuse)  # type: ignore[attr-defined]
    monkeypatch.setattr(socket, "create_connection", refuse)  # type: ignore[attr-defined]
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)  # type: ignore[attr-defined]
    monkeypatch.setattr("os.system", refuse)  # type: ignore[attr-defined]
    for args in CASES.values():
        for fmt in ("text", "markdown", "json"):
            assert run(*args, "--format", fmt).exit_code == 0
    assert run("validate").exit_code == 0


@FUZZ
@given(ARGS)
def test_registering_only_the_command_run_changes_nothing(args: list[str]) -> None:
    from mbc_cli import cli

    full = run(*args)
    everything = list(cli.app.registered_commands)
    try:
        cli._register_only(cli._command_in(["--data", str(MINI), *args]))
        narrowed = run(*args)
    finally:
        cli.app.registered_commands = everything
    assert (narrowed.exit_code, narrowed.stdout, narrowed.stderr) == (full.exit_code, full.stdout, full.stderr)


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


@FUZZ
@given(st.data())
def test_structurally_mutated_knowledge_loads_or_raises_the_knowledge_error(
    tmp_path_factory: object, data: st.DataObject
) -> None:
    import tomli_w
    import tomllib

    document = tomllib.loads(MINI.read_text())
    paths = _leaves(document)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent: Any = document
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, (dict, list)):
            parent[path[-1]] = data.draw(VALUES)
        paths = _leaves(document)
    target = Path(str(tmp_path_factory.mktemp("structure"))) / "k.toml"  # type: ignore[attr-defined]
    target.write_text(tomli_w.dumps(document), encoding="utf-8")
    try:
        knowledge.build([target])
    except KnowledgeError as error:
        assert str(error) and "\n" not in str(error)
