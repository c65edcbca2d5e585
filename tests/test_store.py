"""The cache of users' knowledge files: trusted only when this user alone could have written it, keyed
so that any edit is seen, rebuilt silently when damaged, tidy, and safe under concurrent starts."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import MINI, Installed, package_of, run
from mbc_cli import knowledge, store


def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "mbc"


def caches(tmp_path: Path) -> list[Path]:
    return sorted(cache_dir(tmp_path).glob(f"*{store.SUFFIX}"))


def copy_of_mini(tmp_path: Path) -> Path:
    copy = tmp_path / "k.toml"
    copy.write_text(MINI.read_text())
    return copy


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the knowledge is compiled (rather than read from a cache)."""
    monkeypatch.setattr(knowledge, "compile_knowledge", lambda merged: pytest.fail("the knowledge was compiled again"))


def test_the_cache_is_written_in_a_private_directory_and_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = copy_of_mini(tmp_path)
    first = run("site", "liver", data=copy)
    assert len(caches(tmp_path)) == 1
    assert stat.S_IMODE(cache_dir(tmp_path).stat().st_mode) == 0o700
    assert stat.S_IMODE(caches(tmp_path)[0].stat().st_mode) == 0o600
    no_compiling(monkeypatch)
    assert run("site", "liver", data=copy) == first


@pytest.mark.parametrize("how", ["same size, old time", "edited copy moved over it"])
def test_any_edit_is_seen(tmp_path: Path, how: str) -> None:
    copy = copy_of_mini(tmp_path)
    assert "Test liver summary." in run("site", "liver", data=copy).stdout
    edited = MINI.read_text().replace("Test liver summary.", "Test LIVER summary.")
    before = copy.stat()
    if how == "same size, old time":
        copy.write_text(edited)
        os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))  # `touch -r`: size and mtime as before
    else:
        other = tmp_path / "edited.toml"
        other.write_text(edited)
        os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
        other.replace(copy)
    assert copy.stat().st_size == before.st_size and copy.stat().st_mtime_ns == before.st_mtime_ns
    assert "Test LIVER summary." in run("site", "liver", data=copy).stdout
    assert "Test LIVER" in run("search", "liver", "summary", data=copy).stdout  # the index with it


@pytest.mark.parametrize("mode", [0o770, 0o777, 0o722])
def test_a_directory_others_can_write_is_not_trusted(
    tmp_path: Path, mode: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = copy_of_mini(tmp_path)
    cache_dir(tmp_path).mkdir(parents=True)
    cache_dir(tmp_path).chmod(mode)
    assert run("site", "liver", data=copy).code == 0
    assert caches(tmp_path) == []  # nothing written there ...
    forged = cache_dir(tmp_path) / "planted.mbck"
    forged.write_bytes(b"forged")
    assert run("site", "liver", data=copy).code == 0  # ... and nothing read from it


def test_a_directory_of_another_owner_is_not_trusted(tmp_path: Path) -> None:
    copy = copy_of_mini(tmp_path)
    good = run("drug", "femara", data=copy)
    [mine] = caches(tmp_path)
    forged = mine.read_bytes().replace(b"Test letrozole summary.", b"FORGED letrozole text.")
    mine.write_bytes(forged)
    if os.geteuid() == 0:
        os.chown(cache_dir(tmp_path), 54321, 54321)  # another user's directory
    else:
        cache_dir(tmp_path).chmod(0o777)  # not this user's alone
    assert run("drug", "femara", data=copy) == good


def test_a_cache_file_of_another_owner_is_not_trusted(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")
    copy = copy_of_mini(tmp_path)
    good = run("drug", "femara", data=copy)
    [mine] = caches(tmp_path)
    mine.write_bytes(mine.read_bytes().replace(b"Test letrozole summary.", b"FORGED letrozole text."))
    os.chown(mine, 54321, 54321)
    assert run("drug", "femara", data=copy) == good


def test_a_planted_link_is_never_followed_or_written_through(tmp_path: Path) -> None:
    copy = copy_of_mini(tmp_path)
    run("site", "liver", data=copy)
    [cache] = caches(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    cache.unlink()
    cache.symlink_to(victim)
    for name in ("a.tmp", f".{cache.name}.1.tmp"):
        (cache_dir(tmp_path) / name).symlink_to(victim)
    assert run("site", "liver", data=copy).code == 0
    assert victim.read_text() == "precious"
    assert not cache.is_symlink()  # the link was replaced by a real cache, not written through


def test_a_fifo_named_like_the_cache_does_not_hang(tmp_path: Path) -> None:
    copy = copy_of_mini(tmp_path)
    run("site", "liver", data=copy)
    [cache] = caches(tmp_path)
    cache.unlink()
    os.mkfifo(cache)
    assert run("site", "liver", data=copy).code == 0  # a blocking open would hang here


def damaged_versions(data: bytes) -> list[bytes]:
    """The cache truncated at many lengths, with single bits flipped at many places, and foreign."""
    lengths = sorted({0, 1, 7, 8, 15, 16, 17, len(data) // 3, len(data) // 2, len(data) - 1, *range(0, len(data), 97)})
    out = [data[:n] for n in lengths]
    for position in range(0, len(data), max(1, len(data) // 240)):  # about 240 single-bit flips
        flipped = bytearray(data)
        flipped[position] ^= 1 << (position % 8)
        out.append(bytes(flipped))
    return [*out, b"\x00" * len(data), os.urandom(len(data)), store.MAGIC + os.urandom(64)]


def test_a_damaged_cache_is_rebuilt_and_the_answer_is_right(tmp_path: Path) -> None:
    copy = copy_of_mini(tmp_path)
    wanted = {
        args: run(*args, data=copy, env={"MBC_NO_CACHE": "1"}) for args in (("drug", "femara"), ("search", "test"))
    }
    run("site", "liver", data=copy)
    [cache] = caches(tmp_path)
    good = cache.read_bytes()
    for i, damaged in enumerate(damaged_versions(good)):
        cache.write_bytes(damaged)
        args = ("drug", "femara") if i % 2 else ("search", "test")
        assert run(*args, data=copy) == wanted[args], f"damaged version {i}"


def test_stale_temporary_files_and_caches_of_removed_files_are_cleaned_up(tmp_path: Path) -> None:
    gone = copy_of_mini(tmp_path)
    run("sites", data=gone)
    [orphan] = caches(tmp_path)
    gone.unlink()
    fresh = cache_dir(tmp_path) / ".busy.5678.ef01.tmp"  # another process's, being written now
    fresh.write_bytes(b"x")
    old = cache_dir(tmp_path) / ".left.1234.abcd.tmp"
    old.write_bytes(b"x")
    an_hour_ago = fresh.stat().st_mtime - 3600  # by the filesystem's clock, whatever the process's says
    os.utime(old, (an_hour_ago, an_hour_ago))
    other = tmp_path / "other.toml"
    other.write_text(MINI.read_text())
    run("sites", data=other)  # a write tidies the directory
    assert not orphan.exists() and not old.exists() and fresh.exists()
    assert len(caches(tmp_path)) == 1


def test_the_cache_directory_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = []
    for i in range(4):
        files.append(tmp_path / f"k{i}.toml")
        files[-1].write_text(MINI.read_text())
        before = set(caches(tmp_path))
        run("sites", data=files[-1])
        [new] = set(caches(tmp_path)) - before
        os.utime(new, (1_000_000 + i, 1_000_000 + i))  # used in this order, whatever the clock's resolution
    one = caches(tmp_path)[0].stat().st_size
    monkeypatch.setattr(store, "MAX_CACHE_BYTES", one * 2 + 1)
    newest = tmp_path / "k9.toml"
    newest.write_text(MINI.read_text())
    run("sites", data=newest)
    assert 2 <= len(caches(tmp_path)) <= 3  # the newest kept, the oldest removed


@pytest.mark.parametrize(
    "env",
    [{"MBC_NO_CACHE": "1"}, {"XDG_CACHE_HOME": "relative/path", "HOME": "also-relative"}, {"HOME": ""}],
    ids=["turned off", "no usable directory", "no home"],
)
def test_without_a_cache_everything_works(tmp_path: Path, env: dict[str, str]) -> None:
    copy = copy_of_mini(tmp_path)
    if "HOME" in env and "XDG_CACHE_HOME" not in env:
        env = {**env, "XDG_CACHE_HOME": ""}
    assert run("site", "liver", data=copy, env=env).code == 0
    assert not cache_dir(tmp_path).exists()


def test_an_unwritable_cache_directory_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache directory should be")
    assert run("site", "liver", data=copy_of_mini(tmp_path)).code == 0


def test_the_installed_shipped_knowledge_needs_no_cache(installed: Installed, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([str(installed.mbc), "site", "liver"], capture_output=True, text=True, env=env, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert not (tmp_path / "cache").exists()  # read from the package, compiled when it was built


def test_the_shipped_key_is_the_crc_of_the_whole_file(tmp_path: Path) -> None:
    """The key is read in pieces: it must still cover every byte, the last one of a long file too."""
    import zlib

    toml = tmp_path / "k.toml"
    for size in (0, 1, 1 << 16, (1 << 16) + 1, 300_001):
        data = bytes(i % 251 for i in range(size))
        toml.write_bytes(data)
        key = knowledge.packaged_key(toml)
        assert key is not None and key.endswith(f"|packaged|{size}|{zlib.crc32(data)}")
        if size:
            toml.write_bytes(data[:-1] + b"\0" if data[-1] else data[:-1] + b"\1")
            assert knowledge.packaged_key(toml) != key
    assert knowledge.packaged_key(tmp_path / "missing.toml") is None


def test_a_stale_compiled_file_in_the_package_is_not_believed(installed: Installed, tmp_path: Path) -> None:
    """Someone edits the installed knowledge file: the compiled one no longer matches and is ignored."""
    target = tmp_path / "site"
    shutil.copytree(installed.mbc.parent.parent, target, symlinks=True)
    python = target / "bin" / "python"
    toml = package_of(python, target) / "data" / "treatments.toml"
    toml.write_text(toml.read_text().replace('name = "Liver"', 'name = "Liver (edited)"', 1))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [str(python), "-m", "mbc_cli", "site", "liver"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=target,
    )
    assert done.stdout.startswith("Liver (edited)")


@pytest.mark.stress
def test_concurrent_cold_starts_never_fail(installed: Installed, tmp_path: Path) -> None:
    """20 processes start at once on a cold cache, 50 times over: every one answers, none fails."""
    data = copy_of_mini(tmp_path)
    args = [str(installed.mbc), "--data", str(data), "search", "test", "--format", "json"]
    expected = subprocess.run(args, capture_output=True, env={**os.environ, "MBC_NO_CACHE": "1"}, check=True).stdout
    for round_ in range(50):
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache{round_ % 5}")}
        shutil.rmtree(tmp_path / f"cache{round_ % 5}", ignore_errors=True)
        processes = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(20)]
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert (process.returncode, err, out == expected) == (0, b"", True), f"round {round_}"
