"""Every command in every format, through mbc_cli.main in Typer's CliRunner, against golden files;
usage errors, nothing found, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cases import CASES, LISTS

from conftest import MINI, golden, run
from mbc_cli.cli import app

SUFFIX = {"text": "txt", "markdown": "md", "json": "json", "tsv": "tsv"}
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("case", CASES)
def test_every_command_in_every_format(case: str, fmt: str) -> None:
    result = run(*CASES[case], "--format", fmt)
    assert (result.code, result.stderr) == (0, "")
    golden(f"{case}.{SUFFIX[fmt]}", result.stdout)


@pytest.mark.parametrize("case", LISTS)
def test_lists_as_tsv(case: str) -> None:
    result = run(case, "--format", "tsv")
    assert (result.code, result.stderr) == (0, "")
    golden(f"{case}.tsv", result.stdout)
    header, *rows = result.stdout.splitlines()
    assert header.startswith("id\tname\t") and all(row.count("\t") == header.count("\t") for row in rows)


@pytest.mark.parametrize("case", ["site-liver", "matrix", "sites", "options"])
def test_piped_default_is_the_text_format(case: str) -> None:
    assert run(*CASES[case]).stdout == run(*CASES[case], "--format", "text").stdout


@pytest.mark.parametrize("case", CASES)
def test_every_answer_ends_with_the_disclaimer_and_review_date(case: str) -> None:
    note = "Reference information, not medical advice. Knowledge last reviewed 2026-11-01."
    for fmt in ("text", "markdown"):
        assert run(*CASES[case], "--format", fmt).stdout.rstrip().splitlines()[-1].strip("*") == note
    assert json.loads(run(*CASES[case], "--format", "json").stdout)["note"] == note


def test_old_knowledge_says_so_in_one_line() -> None:
    old = run("site", "liver", env={"MBC_TODAY": "2027-06-01"}).stdout.rstrip().split("\n\n")[-1]
    assert " ".join(old.split()) == (
        "Reference information, not medical advice. Knowledge last reviewed 2026-11-01. "
        "That is 212 days ago: treatment changes often, so install a newer mbc for newer knowledge."
    )
    assert (
        "212 days ago" in json.loads(run("site", "liver", "-f", "json", env={"MBC_TODAY": "2027-06-01"}).stdout)["note"]
    )


def test_json_contract() -> None:
    document = json.loads(run("site", "liver", "--format", "json").stdout)
    assert list(document) == ["mbc_json_version", "command", "entries", "sources", "knowledge_reviewed", "note"]
    assert document["mbc_json_version"] == 2
    site = document["entries"][0]
    assert list(site) == ["site", "filters", "regimens"]
    assert site["filters"] == {"kind": None, "subtype": None, "site": None}
    treatment = site["site"]["treatments"][0]
    assert list(treatment) == [
        "id", "name", "kind", "role", "summary", "sources", "therapies", "drugs", "subtypes", "regimens", "short", "reviewed"
    ]  # fmt: skip
    assert set(document["sources"]) == {"SRC-A", "SRC-B"}
    assert document["sources"]["SRC-A"]["url"] == "https://example.org/a"


def test_json_of_options_has_what_scripts_need() -> None:
    document = json.loads(run(*CASES["options"], "--format", "json").stdout)
    assert list(document)[2:5] == ["situation", "options", "tests"]
    option = document["options"][0]
    assert {"id", "name", "drugs", "requires", "approvals", "trials", "evidence", "sources"} <= set(option)
    assert option["approvals"]["us"] == {
        "agency": "FDA",
        "status": "approved",
        "date": "2017-03-13",
        "indication": "Test CDK indication.",
        "sources": ["LABEL-KISQALI"],
        "setting": "metastatic",
    }
    assert option["approvals"]["eu"]["date"] == "2017-08-22"
    assert document["tests"] == [
        {"biomarker": {"table": "biomarkers", "id": "esr1", "name": "ESR1 mutation"}, "opens": [
            {"table": "regimens", "id": "elacestrant-esr1", "name": "Elacestrant"}
        ]}
    ]  # fmt: skip


def test_json_list_of_drugs_has_class_kind_and_us_status() -> None:
    rows = json.loads(run("drugs", "--format", "json").stdout)["rows"]
    assert rows[1] | {"aliases": []} == {
        "id": "ribociclib",
        "name": "Ribociclib",
        "aliases": [],
        "category": "",
        "kind": "systemic",
        "role": "",
        "classes": ["CDK4/6 inhibitors"],
        "brands": ["Kisqali"],
        "subtypes": ["HR+/HER2-"],
        "biomarker": "",
        "us_status": "approved",
        "us_date": "",
        "year": 0,
        "headline": "",
    }


def test_lists_never_wrap_in_a_pipe() -> None:
    result = run("drugs", env={"COLUMNS": "20"})
    assert result.stdout.splitlines()[0] == "letrozole    Endocrine therapy  approved  1997-07-25  Letrozole (Femara)"


def test_markdown_headings_start_at_the_level_asked_for() -> None:
    lines = run("site", "liver", "bone", "--format", "markdown", "--heading-level", "3").stdout.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert headings[:2] == ["### Liver (metastasis site)", "#### Systemic therapy"]
    assert "### Bone (metastasis site)" in headings
    assert headings[-1] == "### Sources"  # one list for both entries, beside them


def test_several_entries_share_one_numbered_source_list() -> None:
    text = run("drug", "letrozole", "ribociclib").stdout
    assert text.count("\nSources\n") == 1
    assert "[4] Test Kisqali label." in text  # numbered on from the first entry's sources


def test_markdown_citations_link_to_their_sources() -> None:
    line = run("site", "liver", "--format", "markdown").stdout.splitlines()[2]
    assert line.endswith("oestrogen. \\[[1](<https://example.org/a>)\\]")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["site", "livr"], "mbc: unknown site 'livr'. Did you mean: liver? See 'mbc sites'.\n"),
        (["therapy", "hormnoe"], "mbc: unknown therapy 'hormnoe'. Did you mean: hormone? See 'mbc therapies'.\n"),
        (["drug", "femra"], "mbc: unknown drug 'femra'. Did you mean: femara? See 'mbc drugs'.\n"),
        (["site", "skin"], "mbc: unknown site 'skin'. See 'mbc sites'. Or search: mbc search skin\n"),
        (["site", "spine"], "mbc: 'spine' could be the site: Spinal cord compression, Bone. Give one of them.\n"),
        (["drug", "l"], "mbc: unknown drug 'l'. See 'mbc drugs'.\n"),
        (["drug", "e"], "mbc: unknown drug 'e'. See 'mbc drugs'.\n"),
        (["site", "liver", "--subtype", "luminal-z"], "mbc: unknown subtype 'luminal-z'. See 'mbc overview'.\n"),
        (["site", "liver", "--systemic", "--local"], None),
        (["site"], None),
        (["site", "liver", "--format", "html"], None),
        (["site", "liver", "--format", "tsv"], None),
        (["nosuchcommand"], "mbc: no such command 'nosuchcommand'. See 'mbc --help'.\n"),
        (["sitse"], "mbc: no such command 'sitse'. Did you mean: mbc site, mbc sites? See 'mbc --help'.\n"),
        (["liver"], "mbc: 'liver' is not a command. Did you mean: mbc site liver?\n"),
        (["femara"], "mbc: 'femara' is not a command. Did you mean: mbc drug femara?\n"),
        (["hormone"], "mbc: 'hormone' is not a command. Did you mean: mbc therapy hormone?\n"),
        (["spine"], "mbc: 'spine' is not a command. Did you mean: mbc site cord-compression, mbc site bone?\n"),
        (["options", "--endocrine", "maybe"], None),
        (["sources", "--type", "blog"], None),
        (["drug", "endocrine"], "mbc: unknown drug 'endocrine'. See 'mbc drugs'. Try: mbc therapy endocrine\n"),
        (["changes", "--since", "yesterday"], "mbc: --since takes a date such as 2026-01-31, not 'yesterday'\n"),
        (["changes", "--since", "2027-01-01"], "mbc: --since 2027-01-01 is after today (2026-12-01)\n"),
    ],
)
def test_usage_errors_exit_2_with_one_line_on_stderr(args: list[str], message: str | None) -> None:
    result = run(*args)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith("mbc: ") and result.stderr.count("\n") == 1, result.stderr
    if message is not None:
        assert result.stderr == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "nothing", "like", "this"], "mbc: nothing found for 'nothing like this'. Nearest words: line\n"),
        (["site", "cord-compression", "--local"], "mbc: no local treatments listed for Spinal cord compression\n"),
        (["site", "liver", "--systemic", "--subtype", "tnbc"], "mbc: no systemic treatments for Triple-negative listed for Liver\n"),
        (["therapy", "hormone", "--site", "cord-compression"], "mbc: Endocrine therapy is not listed for Spinal cord compression\n"),
        (["therapy", "hormone", "--subtype", "tnbc"], "mbc: Endocrine therapy: not used for Triple-negative disease in the knowledge (only HR+/HER2-)\n"),
        (["therapy", "hormone", "--site", "liver", "--subtype", "tnbc"], "mbc: Endocrine therapy: not used for Triple-negative disease in the knowledge (only HR+/HER2-)\n"),
        (["sources", "--type", "guideline"] , None),
    ],
)  # fmt: skip
def test_nothing_found_exits_1(args: list[str], message: str | None) -> None:
    result = run(*args)
    if message is None:
        assert result.code == 0
        return
    assert (result.code, result.stdout, result.stderr) == (1, "", message)


def test_help_on_every_command_ends_with_an_example() -> None:
    assert len(COMMANDS) == 18
    for command in COMMANDS:
        result = run(command, "--help")
        assert result.code == 0, command
        assert "Example" in result.stdout, command


def test_mbc_help_is_the_help() -> None:
    assert run("help").stdout == run("--help").stdout != ""
    assert run("help", "site").stdout == run("site", "--help").stdout != ""
    assert run("help", "site").code == 0


def test_no_arguments_shows_the_help_as_a_usage_error() -> None:
    result = run(data=None)
    assert result.code == 2
    assert "Usage: mbc [OPTIONS] COMMAND [ARGS]..." in result.stdout
    assert result.stderr == ""


def test_version() -> None:
    assert run("--version") == (0, "mbc 0.2.0 (knowledge reviewed 2026-11-01)\n", "")


def test_validate_the_test_file() -> None:
    result = run("validate")
    assert result.code == 0
    assert result.stdout.endswith(
        ": 3 sites, 3 therapies, 3 drugs, 2 regimens, 1 trials, 1 biomarkers, 3 subtypes, 1 glossary, 7 sources\n"
    )


def test_validate_in_every_format(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(MINI.read_text().replace('kind = "local"', 'kind = "sytemic"'))
    for fmt in ("text", "markdown", "json"):
        result = run("validate", str(broken), "--format", fmt, data=None)
        assert (result.code, result.stderr) == (3, "mbc: 2 problems found\n"), fmt
    document = json.loads(run("validate", str(broken), "--format", "json", data=None).stdout)
    assert list(document) == ["mbc_json_version", "command", "files", "valid", "problems", "warnings", "counts", "note"]
    assert document["valid"] is False and len(document["problems"]) == 2
    assert run("validate", str(broken), "-f", "markdown", data=None).stdout.startswith(f"- problem: {broken}: ")
    valid = json.loads(run("validate", "--format", "json").stdout)  # a count named sources is not a citation
    assert (valid["valid"], valid["counts"]["sources"], valid["sources"]) == (True, 7, {})


def test_a_source_type_is_read_in_any_case_like_a_format() -> None:
    assert run("sources", "--type", "PRESS") == run("sources", "--type", "press") == run("sources", "-t", "Press")
    assert run("sources", "--type", "press").code == 0
