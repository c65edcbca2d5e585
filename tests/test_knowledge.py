"""Loading and validating knowledge files: the broken-file corpus, unreadable files, the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import MINI, TESTS, run
from mbc_cli import knowledge
from mbc_cli.errors import KnowledgeError
from mbc_cli.queries import SEARCH_INDEX

INVALID = sorted((TESTS / "data" / "invalid").glob("*.toml"))


def expected(path: Path) -> str:
    suffix = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    return f"{path}{suffix}" if suffix.startswith(":") else f"{path}: {suffix}"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_broken_file_is_reported_with_its_location(path: Path) -> None:
    result = run("validate", str(path), data=None)
    assert (result.exit_code, result.stdout, result.stderr) == (
        3,
        f"problem: {expected(path)}\n",
        "mbc: 1 problem found\n",
    )


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_a_lookup_on_a_broken_file_exits_3_with_one_line(path: Path) -> None:
    result = run("site", "bone", data=path)
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", f"mbc: {expected(path)}\n")


def test_every_problem_is_listed(tmp_path: Path) -> None:
    broken = tmp_path / "two.toml"
    broken.write_text(
        MINI.read_text().replace('kind = "local"', 'kind = "sytemic"').replace("year = 2024", 'year = "2024"')
    )
    result = run("validate", str(broken), data=None)
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        f"problem: {broken}: sites.liver.treatments[1].kind: 'sytemic' is not one of systemic, local",
        f"problem: {broken}: therapies.surgery.kind: 'sytemic' is not one of systemic, local",
        f"problem: {broken}: sources.SRC-B.year: must be a whole number, not a string",
    ]
    lookup = run("site", "liver", data=broken)
    assert lookup.stderr == (
        f"mbc: 3 problems in the knowledge; 'mbc validate {broken}' lists them. "
        f"First: {broken}: sites.liver.treatments[1].kind: 'sytemic' is not one of systemic, local\n"
    )


def unreadable(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    empty = tmp_path / "empty.toml"
    empty.write_text("  \n")
    latin = tmp_path / "latin1.toml"
    latin.write_bytes(b'schema_version = 1\nname = "caf\xe9"\n')
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(knowledge.MAX_BYTES + 1)
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000)
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
    result = run("site", "liver", data=path)
    where = f"{path}:2" if case == "not utf-8" else str(path)
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", f"mbc: {where}: {reason}\n")


def test_no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod 000 does not stop a read; raise what open() would.
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    locked = tmp_path / "locked.toml"
    locked.write_text(MINI.read_text())
    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(KnowledgeError, match=r"locked.toml: cannot be read \(permission denied\)$"):
        knowledge.read_toml(locked)


def test_cache_is_written_used_and_rebuilt_after_an_edit(tmp_path: Path) -> None:
    copy = tmp_path / "k.toml"
    copy.write_text(MINI.read_text())
    first = knowledge.load([copy])
    caches = list((tmp_path / "cache" / "mbc").glob("*.cache"))
    assert len(caches) == 1
    assert knowledge.load([copy]).site("liver") == first.site("liver")
    copy.write_text(MINI.read_text().replace("Test liver summary.", "Edited summary."))
    os.utime(copy, ns=(1, 1))
    assert knowledge.load([copy]).site("liver").summary.startswith("Edited summary.")


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    knowledge.load([MINI])
    for cache in (tmp_path / "cache" / "mbc").glob("*.cache"):
        cache.write_bytes(b"\x00garbage" * 3)
    assert knowledge.load([MINI]).site("liver").name == "Liver"


def test_an_unwritable_cache_directory_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache directory should be")
    assert knowledge.load([MINI]).site("liver").name == "Liver"


def test_the_search_index_is_kept_beside_the_cache_and_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = run("search", "test", "--format", "json").stdout
    assert len(list((tmp_path / "cache" / "mbc").glob(f"*.{SEARCH_INDEX}"))) == 1
    with monkeypatch.context() as patch:
        patch.setattr("mbc_cli.queries.search_index", lambda kb: pytest.fail("the index was built again"))
        assert run("search", "test", "--format", "json").stdout == fresh
    assert run("search", "test", "--format", "json", env={"MBC_NO_CACHE": "1"}).stdout == fresh
