"""Every command in every format, through Typer's CliRunner, against golden files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CASES, COMMANDS, MINI, golden, run

SUFFIX = {"text": "txt", "markdown": "md", "json": "json"}


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("case", CASES)
def test_every_command_in_every_format(case: str, fmt: str) -> None:
    result = run(*CASES[case], "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    golden(f"{case}.{SUFFIX[fmt]}", result.stdout)


@pytest.mark.parametrize("case", ["site-liver", "matrix", "sites"])
def test_piped_default_is_the_text_format(case: str) -> None:
    assert run(*CASES[case]).stdout == run(*CASES[case], "--format", "text").stdout


@pytest.mark.parametrize("case", CASES)
def test_every_format_ends_with_the_disclaimer_and_review_date(case: str) -> None:
    note = "Reference information, not medical advice. Knowledge last reviewed 2026-11-01."
    for fmt in ("text", "markdown"):
        assert run(*CASES[case], "--format", fmt).stdout.rstrip().splitlines()[-1].strip("*") == note
    assert json.loads(run(*CASES[case], "--format", "json").stdout)["note"] == note


def test_json_site_contract() -> None:
    document = json.loads(run("site", "liver", "--format", "json").stdout)
    assert list(document) == ["mbc_json_version", "command", "filters", "site", "knowledge_reviewed", "note"]
    assert document["filters"] == {"kind": None, "subtype": None}
    assert document["mbc_json_version"] == 1
    treatment = document["site"]["treatments"][0]
    assert {"id", "name", "kind", "role", "anticancer", "summary", "sources", "reviewed"} <= set(treatment)
    assert treatment["sources"][0]["url"] == "https://example.org/a"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["site", "livr"], "mbc: unknown site 'livr'. Did you mean: liver? See 'mbc sites'.\n"),
        (["therapy", "hormon"], "mbc: unknown therapy 'hormon'. Did you mean: hormone? See 'mbc therapies'.\n"),
        (["drug", "femra"], "mbc: unknown drug 'femra'. Did you mean: femara? See 'mbc drugs'.\n"),
        (["site", "liver", "--subtype", "luminal-z"], "mbc: unknown subtype 'luminal-z'. See 'mbc overview'.\n"),
        (["site", "bone"], "mbc: unknown site 'bone'. See 'mbc sites'.\n"),
        (["site", "liver", "--systemic", "--local"], None),
        (["site"], None),
        (["site", "liver", "--format", "html"], None),
        (["nosuchcommand"], None),
    ],
)
def test_usage_errors_exit_2_with_one_line_on_stderr(args: list[str], message: str | None) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("mbc: ") and result.stderr.count("\n") == 1
    if message is not None:
        assert result.stderr == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "nothing", "like", "this"], "mbc: nothing found for 'nothing like this'\n"),
        (["site", "cord-compression", "--local"], "mbc: no local treatments listed for Spinal cord compression\n"),
        (
            ["site", "liver", "--systemic", "--subtype", "tnbc"],
            "mbc: no systemic treatments for Triple-negative listed for Liver\n",
        ),
    ],
)
def test_nothing_found_exits_1(args: list[str], message: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_validate_the_test_file() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.endswith(": 2 sites, 2 therapies, 1 drugs, 2 subtypes, 2 sources\n")


def test_help_on_every_command_ends_with_an_example() -> None:
    assert len(COMMANDS) == 11
    for command in COMMANDS:
        result = run(command, "--help")
        assert result.exit_code == 0, command
        assert "Example" in result.stdout, command


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, "mbc 0.1.0 (knowledge reviewed 2026-11-01)\n")


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("oestrogen", "estrogen"),
        ("hypercalcaemia", "hypercalcemia"),
        ("tumour", "tumor"),
        ("anaemia", "anemia"),
        ("oedema", "edema"),
        ("haemorrhage", "hemorrhage"),
        ("metastasised", "metastasized"),
        ("centre", "center"),
    ],
)
def test_british_and_us_spellings_search_alike(british: str, american: str) -> None:
    from mbc_cli.queries import fold

    assert fold(british) == fold(american) == fold(american.upper())


def test_no_arguments_shows_the_help_as_a_usage_error() -> None:
    result = run(data=None)
    assert result.exit_code == 2
    assert "Usage: mbc [OPTIONS] COMMAND [ARGS]..." in result.stdout
    assert "mbc:" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["therapy", "hormone", "--site", "cord-compression"],
            1,
            "mbc: Endocrine therapy is not listed for Spinal cord compression\n",
        ),
        (["search", ""], 2, "mbc: nothing to search for: give one or more words\n"),
        (["site", "liver", "--subtype", ""], 2, "mbc: unknown subtype ''. See 'mbc overview'.\n"),
    ],
)
def test_filters_and_empty_values_are_not_ignored(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", message)


def test_search_does_not_match_the_names_of_fields() -> None:
    assert run("search", "how", "common").stderr == "mbc: nothing found for 'how common'\n"
    assert (
        run("search", "goal").stdout.count("- Liver: Goal") == 1
    )  # the goal's text says "goal", its label is not matched


def test_a_matrix_with_no_sites_is_nothing_found(tmp_path: Path) -> None:
    only_situations = tmp_path / "situations.toml"
    only_situations.write_text(MINI.read_text().replace('category = "site"', 'category = "situation"'))
    result = run("matrix", data=only_situations)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "mbc: no metastasis sites or therapy classes to show\n",
    )
