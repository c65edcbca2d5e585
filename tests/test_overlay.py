"""Users' own knowledge: overlay files merged over the base, their precedence, and validation of the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, run

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


def overlay(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_user_file_in_the_config_directory_is_merged(tmp_path: Path) -> None:
    (tmp_path / "config" / "mbc").mkdir(parents=True)
    overlay(tmp_path / "config" / "mbc", "local.toml", NOTE)
    result = run("site", "leber", "--format", "markdown", env={"MBC_LOCAL": None})  # type: ignore[dict-item]
    assert result.exit_code == 0, result.stderr
    assert "- **Local pathway**: Discussed at the Tuesday meeting. [3]" in result.stdout
    assert "- **Caveat**: Test caveat about hypercalcaemia. [2]" in result.stdout
    assert "3. [Ward liver pathway](<https://intranet.example.org/liver>). Ward 7, 2026." in result.stdout


def test_mbc_local_lists_files_in_order_and_an_entry_replaces_the_base(tmp_path: Path) -> None:
    first = overlay(tmp_path, "note.toml", NOTE)
    second = overlay(tmp_path, "replace.toml", REPLACE)
    result = run("therapy", "surgery", env={"MBC_LOCAL": f"{first}:{second}"})
    assert result.stdout.startswith("Surgery (ward version) (local therapy, anticancer)\n")
    assert "Replaced by the overlay. [1]" in result.stdout
    assert run("therapy", "operation", env={"MBC_LOCAL": f"{first}:{second}"}).exit_code == 2  # aliases replaced too


def test_an_empty_mbc_local_turns_overlays_off(tmp_path: Path) -> None:
    (tmp_path / "config" / "mbc").mkdir(parents=True)
    overlay(tmp_path / "config" / "mbc", "local.toml", NOTE)
    assert run("site", "leber", env={"MBC_LOCAL": ""}).exit_code == 2


def test_validate_checks_the_merged_result_and_names_each_file(tmp_path: Path) -> None:
    broken = overlay(
        tmp_path,
        "broken.toml",
        NOTE.replace('sources = ["WARD"]', 'sources = ["WARDX"]') + '\n[sites.lung]\nextend = true\naliases = ["x"]\n',
    )
    result = run("validate", env={"MBC_LOCAL": str(broken)})
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        f"problem: {broken}: sites.lung: extends an entry no earlier file defines",
        f"problem: {broken}: sites.liver.caveats[0].sources[0]: unknown source 'WARDX'",
    ]


def test_validate_lists_the_files_it_checked(tmp_path: Path) -> None:
    note = overlay(tmp_path, "note.toml", NOTE)
    result = run("validate", env={"MBC_LOCAL": str(note)})
    assert result.stdout == f"ok: {MINI} + {note}: 2 sites, 2 therapies, 1 drugs, 2 subtypes, 3 sources\n"


def test_a_broken_overlay_is_a_knowledge_error_for_every_command(tmp_path: Path) -> None:
    bad = overlay(tmp_path, "bad.toml", "[sites.liver\n")
    result = run("sites", env={"MBC_LOCAL": str(bad)})
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"mbc: {bad}:1:13: invalid TOML: Expected ']' at the end of a table declaration\n"


def test_entries_not_reviewed_for_a_year_are_warned_about(tmp_path: Path) -> None:
    surgery = 'summary = "Test surgery summary."\nsources = ["SRC-B"]\nreviewed = '
    old = overlay(tmp_path, "old.toml", MINI.read_text().replace(surgery + "2026-11-01", surgery + "2020-01-01"))
    result = run("validate", data=old)
    assert result.exit_code == 0
    assert (
        result.stdout.splitlines()[0] == f"warning: {old}: therapies.surgery: last reviewed 2020-01-01, over a year ago"
    )


@pytest.mark.parametrize(
    ("words", "expected"), [("site li", "liver"), ("therapy hor", "hormone"), ("drug let", "letrozole")]
)
def test_shell_completion_completes_names(words: str, expected: str) -> None:
    import os
    import subprocess

    from conftest import installed_mbc

    env = {
        **os.environ,
        "_MBC_COMPLETE": "complete_bash",
        "COMP_WORDS": f"mbc {words}",
        "COMP_CWORD": "2",
        "MBC_DATA": str(MINI),
    }
    result = subprocess.run([installed_mbc()], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0
    assert expected in result.stdout.split()


def test_a_problem_in_the_base_is_not_blamed_on_an_overlay_that_extends_the_entry(tmp_path: Path) -> None:
    base = overlay(
        tmp_path, "base.toml", MINI.read_text().replace('therapies = ["surgery"]', 'therapies = ["surgeryy"]')
    )
    extra = overlay(tmp_path, "extra.toml", '[sites.liver]\nextend = true\nsummary = "Changed."\n')
    result = run("validate", data=base, env={"MBC_LOCAL": str(extra)})
    assert result.stdout.splitlines() == [
        f"problem: {base}: sites.liver.treatments[1].therapies[0]: unknown therapy 'surgeryy'"
    ]


def test_an_overlay_does_not_restamp_the_knowledge_date(tmp_path: Path) -> None:
    later = overlay(tmp_path, "later.toml", "reviewed = 2026-11-20\n")
    result = run("sites", env={"MBC_LOCAL": str(later)})
    assert result.stdout.endswith("Knowledge last reviewed 2026-11-01.\n")


def test_validate_overlay_checks_a_file_before_it_is_put_in_place(tmp_path: Path) -> None:
    new = overlay(tmp_path, "new.toml", NOTE)
    result = run("validate", "--overlay", str(new), env={"MBC_LOCAL": ""})
    assert result.stdout == f"ok: {MINI} + {new}: 2 sites, 2 therapies, 1 drugs, 2 subtypes, 3 sources\n"
