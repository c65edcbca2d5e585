"""Knowledge files: the broken-file corpus, unreadable files, overlays merged over the base, and the
content rules `mbc validate` enforces."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import MINI, TESTS, run
from mbc_cli import knowledge, model, schema
from mbc_cli.errors import KnowledgeError

INVALID = sorted((TESTS / "data" / "invalid").glob("*.toml"))


def expected(path: Path) -> str:
    suffix = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    return f"{path}{suffix}" if suffix.startswith(":") else f"{path}: {suffix}"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_broken_file_is_reported_with_its_location(path: Path) -> None:
    result = run("validate", str(path), data=None)
    assert result == (3, f"problem: {expected(path)}\n", "mbc: 1 problem found\n")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_a_lookup_on_a_broken_file_exits_3_with_one_line(path: Path) -> None:
    assert run("site", "bone", data=path) == (3, "", f"mbc: {expected(path)}\n")


def test_every_problem_is_listed(tmp_path: Path) -> None:
    broken = write(
        tmp_path,
        "two.toml",
        MINI.read_text()
        .replace('kind = "local"', 'kind = "sytemic"')
        .replace("year = 2024\nurl", 'year = "2024"\nurl', 1),
    )
    result = run("validate", str(broken), data=None)
    assert result.code == 3
    assert result.stdout.splitlines() == [
        f"problem: {broken}: sites.liver.treatments[1].kind: 'sytemic' is not one of systemic, local",
        f"problem: {broken}: therapies.surgery.kind: 'sytemic' is not one of systemic, local",
        f"problem: {broken}: sources.SRC-B.year: must be a whole number, not a string",
    ]
    assert run("site", "liver", data=broken).stderr == (
        f"mbc: 3 problems in the knowledge; 'mbc validate {broken}' lists them. "
        f"First: {broken}: sites.liver.treatments[1].kind: 'sytemic' is not one of systemic, local\n"
    )


def test_a_key_with_a_newline_is_reported_on_one_line(tmp_path: Path) -> None:
    broken = write(tmp_path, "k.toml", MINI.read_text() + '\n[sites."a\\nb"]\nname = "X"\n')
    problems = run("validate", str(broken), data=None).stdout.splitlines()
    assert f"problem: {broken}: sites.'a\\nb': id must be lowercase letters, digits and hyphens" in problems


def test_a_reference_with_a_newline_is_reported_on_one_line(tmp_path: Path) -> None:
    broken = write(tmp_path, "k.toml", MINI.read_text().replace('sources = ["SRC-A"]', 'sources = ["SRC-A\\n"]', 1))
    result = run("site", "liver", data=broken)
    assert result.code == 3 and result.stderr.count("\n") == 1 and "unknown source 'SRC-A\\n'" in result.stderr


def unreadable(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    empty = write(tmp_path, "empty.toml", "  \n")
    latin = tmp_path / "latin1.toml"
    latin.write_bytes(b'schema_version = 2\nname = "caf\xe9"\n')
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(knowledge.MAX_BYTES + 1)
    deep = write(tmp_path, "deep.toml", "x = " + "[" * 100_000)
    return {
        "missing": (tmp_path / "nope.toml", "knowledge file not found"),
        "directory": (tmp_path, "is a directory, not a knowledge file"),
        "empty": (empty, "is empty"),
        "not utf-8": (latin, "not UTF-8 text (byte 0xe9)"),
        "huge": (huge, f"too large ({knowledge.MAX_BYTES + 1:,} bytes; the limit is {knowledge.MAX_BYTES:,})"),
        "deep": (deep, "invalid TOML: nested too deeply"),
        "fifo": (fifo, "is not a regular file"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "not utf-8", "huge", "deep", "fifo"])
def test_unreadable_files_get_one_line_and_exit_3(tmp_path: Path, case: str) -> None:
    path, reason = unreadable(tmp_path)[case]
    where = f"{path}:2" if case == "not utf-8" else str(path)
    assert run("site", "liver", data=path) == (3, "", f"mbc: {where}: {reason}\n")


def test_no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, where chmod 000 does not stop a read: raise what open() would.
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    locked = write(tmp_path, "locked.toml", MINI.read_text())
    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(KnowledgeError, match=r"locked.toml: cannot be read \(permission denied\)$"):
        knowledge.read_toml(locked)


# ---------------------------------------------------------------- overlays

NOTE = """
[sites.liver]
extend = true
aliases = ["leber"]
caveats = [
  { label = "Local pathway", text = "Discussed at the Tuesday meeting.", sources = ["WARD"] },
]

[sources.WARD]
title = "Ward liver pathway"
publisher = "Ward 7"
year = 2026
url = "https://intranet.example.org/liver"
accessed = 2026-11-20
type = "other"
"""

REPLACE = """
[therapies.surgery]
name = "Surgery (ward version)"
kind = "local"
role = "anticancer"
summary = "Replaced by the overlay."
sources = ["SRC-A"]
reviewed = 2026-11-20
"""
COUNTS = "3 sites, 3 therapies, 3 drugs, 2 regimens, 1 trials, 1 biomarkers, 3 subtypes, 1 glossary"


def test_the_user_file_in_the_config_directory_is_merged(tmp_path: Path) -> None:
    (tmp_path / "config" / "mbc").mkdir(parents=True)
    write(tmp_path / "config" / "mbc", "local.toml", NOTE)
    result = run("site", "leber", "--format", "markdown", env={"MBC_LOCAL": None})  # type: ignore[dict-item]
    assert result.code == 0, result.stderr
    assert (
        "- **Local pathway**: Discussed at the Tuesday meeting. \\[[3](<https://intranet.example.org/liver>)\\]"
        in result.stdout
    )
    assert "3. [Ward liver pathway](<https://intranet.example.org/liver>). Ward 7, 2026 (other)." in result.stdout


def test_mbc_local_lists_files_in_order_and_an_entry_replaces_the_base(tmp_path: Path) -> None:
    first, second = write(tmp_path, "note.toml", NOTE), write(tmp_path, "replace.toml", REPLACE)
    result = run("therapy", "surgery", env={"MBC_LOCAL": f"{first}:{second}"})
    assert result.stdout.startswith("Surgery (ward version) (local therapy, anticancer)\n")
    assert run("therapy", "operation", env={"MBC_LOCAL": f"{first}:{second}"}).code == 2  # aliases replaced too


def test_a_file_listed_twice_is_read_once(tmp_path: Path) -> None:
    note = write(tmp_path, "note.toml", NOTE)
    twice = run("site", "liver", env={"MBC_LOCAL": f"{note}:{note}:{tmp_path}/./note.toml"}).stdout
    assert twice.count("Discussed at the Tuesday meeting.") == 1


def test_an_empty_mbc_local_turns_overlays_off(tmp_path: Path) -> None:
    (tmp_path / "config" / "mbc").mkdir(parents=True)
    write(tmp_path / "config" / "mbc", "local.toml", NOTE)
    assert run("site", "leber", env={"MBC_LOCAL": ""}).code == 2


def test_validate_checks_the_merged_result_and_names_each_file(tmp_path: Path) -> None:
    text = (
        NOTE.replace('sources = ["WARD"]', 'sources = ["WARDX"]') + '\n[sites.lung]\nextend = true\naliases = ["x"]\n'
    )
    broken = write(tmp_path, "broken.toml", text)
    result = run("validate", env={"MBC_LOCAL": str(broken)})
    assert result.code == 3
    assert result.stdout.splitlines() == [
        f"problem: {broken}: sites.lung: extends an entry no earlier file defines",
        f"problem: {broken}: sites.liver.caveats[0].sources[0]: unknown source 'WARDX'",
    ]


def test_validate_lists_the_files_it_checked(tmp_path: Path) -> None:
    note = write(tmp_path, "note.toml", NOTE)
    undated = "warning: drugs.ribociclib.approvals[2]: no date (give it once a source confirms the day)\n"
    expected = f"{undated}ok: {MINI} + {note}: {COUNTS}, 8 sources\n"
    assert run("validate", env={"MBC_LOCAL": str(note)}).stdout == expected
    assert run("validate", "--overlay", str(note)).stdout == expected


def test_a_broken_overlay_is_a_knowledge_error_for_every_command(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", "[sites.liver\n")
    result = run("sites", env={"MBC_LOCAL": str(bad)})
    assert (result.code, result.stdout) == (3, "")
    assert result.stderr == f"mbc: {bad}:1:13: invalid TOML: Expected ']' at the end of a table declaration\n"


def test_a_problem_in_the_base_is_not_blamed_on_an_overlay_that_extends_the_entry(tmp_path: Path) -> None:
    base = write(tmp_path, "base.toml", MINI.read_text().replace('therapies = ["surgery"]', 'therapies = ["surgeryy"]'))
    extra = write(tmp_path, "extra.toml", '[sites.liver]\nextend = true\nsummary = "Changed."\n')
    result = run("validate", data=base, env={"MBC_LOCAL": str(extra)})
    assert result.stdout.splitlines() == [
        f"problem: {base}: sites.liver.treatments[1].therapies[0]: unknown therapy 'surgeryy'"
    ]


def test_an_overlay_does_not_restamp_the_knowledge_date(tmp_path: Path) -> None:
    later = write(tmp_path, "later.toml", "reviewed = 2026-11-20\n")
    assert run("sites", env={"MBC_LOCAL": str(later)}).stdout.endswith("Knowledge last reviewed 2026-11-01.\n")


# ---------------------------------------------------------------- dates and content rules


def test_dates_warn_but_never_stop_a_lookup(tmp_path: Path) -> None:
    surgery = 'summary = "Test surgery summary."\nsources = ["SRC-B"]\nreviewed = '
    text = MINI.read_text().replace(surgery + "2026-11-01", surgery + "2020-01-01")
    text = text.replace('[sites.bone]\nname = "Bone"', '[sites.bone]\nname = "Bone"').replace(
        'summary = "Test bone summary."\nsources = ["SRC-A"]\nreviewed = 2026-11-01',
        'summary = "Test bone summary."\nsources = ["SRC-A"]\nreviewed = 2026-12-02',
    )
    odd = write(tmp_path, "odd.toml", text)
    result = run("validate", data=odd)
    assert result.code == 0
    assert result.stdout.splitlines()[:2] == [
        "warning: sites.bone: reviewed 2026-12-02, after today (2026-12-01)",
        "warning: therapies.surgery: last reviewed 2020-01-01, over a year ago",
    ]
    assert run("site", "bone", data=odd).code == 0  # a date in the future never stops a lookup
    assert run("site", "bone", data=odd, env={"MBC_TODAY": "2026-11-30"}).code == 0


RULES = [
    ('sources = ["SRC-B"], key = true },\n  { label = "Jaw"', 'sources = ["SRC-B"] },\n  { label = "Jaw"',
     "sites.liver.caveats: mark the caveats that matter most with key = true"),
    ('actions = [\n  { text = "Test first action.", sources = ["SRC-B"] },\n  { text = "Test second action.", sources = ["SRC-A"] },\n]\n', "",
     "sites.cord-compression.actions: a situation needs its actions, in order (brief views show them)"),
    ('status = "approved", date = 1997-07-25, indication = "Test indication.", regimens = ["letrozole-ribociclib"], sources = ["LABEL-FEMARA"]',
     'status = "approved", date = 1997-07-25, indication = "Test indication.", regimens = ["letrozole-ribociclib"], sources = ["SRC-A"]',
     "drugs.letrozole.approvals[0]: a decision cites no regulator source"),
    ('sources = ["TRIAL-PAPER"]\nreviewed', 'sources = ["SRC-A"]\nreviewed', "trials.test-1.sources: a trial cites its own publication (a journal source), or says why not"),
    ('type = "press"\nnote = "Test: nothing better found."', 'type = "press"', "sources.SRC-B.note: a press source needs a note saying why nothing better is cited"),
    ('aliases = ["mscc"]', 'aliases = ["mscc>x.txt"]', "sites.cord-compression.aliases[0]: 'mscc>x.txt' holds characters no name needs"),
    ('aliases = ["hepatic"]', 'aliases = ["he\\u200bpatic"]', "sites.liver.aliases[0]: holds a control or invisible character\n"
     "problem: sites.liver.aliases[0]: 'he\\u200bpatic' holds characters no name needs"),
    ('us_label = "LABEL-FEMARA"', 'us_label = "SRC-A"', "drugs.letrozole.us_label: 'SRC-A' is not a regulator source"),
    ('guidelines = ["GUIDE"]', 'guidelines = ["SRC-A"]', "regimens.letrozole-ribociclib.guidelines[0]: 'SRC-A' is not a guideline source"),
    ("date = 2024-09-17", "date = 2016-09-17", "drugs.ribociclib.approvals[3]: 2016-09-17 comes after 2017-03-13: list decisions in order"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "problem"), RULES, ids=[r[2].split(":")[0] for r in RULES])
def test_each_content_rule(tmp_path: Path, old: str, new: str, problem: str) -> None:
    text = MINI.read_text()
    assert old in text
    broken = write(tmp_path, "rule.toml", text.replace(old, new, 1))
    result = run("validate", data=broken)
    assert result.code == 3, result.stdout
    assert [line for line in result.stdout.splitlines() if line.startswith("problem")] == f"problem: {problem}".split(
        "\n"
    )
    assert run("site", "liver", data=broken).code == 0  # content rules are validate's, not every lookup's


# ---------------------------------------------------------------- the model is the one description


def test_every_field_of_every_record_is_documented() -> None:
    for cls in {*model.TABLES.values(), model.Statement, model.Treatment, model.Approval, model.Group, model.Escat}:
        documented = {f.name for f in schema.fields(cls) if f.doc}
        assert documented == set(cls._fields), cls.__name__


def test_the_data_readme_tables_follow_the_model() -> None:
    readme = (TESTS.parent / "data" / "README.md").read_text(encoding="utf-8")
    assert set(schema.MARKED.findall(readme) and [m[1] for m in schema.MARKED.findall(readme)]) == set(schema.RECORDS)
    assert schema.document_fields(readme) == readme, (
        "data/README.md is behind the model: python -m mbc_cli.schema data/README.md"
    )
