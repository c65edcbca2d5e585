"""The compiled knowledge on disk: one file of sections, read only as far as a command needs.

Layout: MAGIC, the header's length and CRC, the header (marshal: the key the file was built for,
and where each section and each group of items starts), then one marshal blob per section, per
item (an entry such as `drugs/letrozole`) and per part of a group's table of contents (a group's
items are spread over parts of about 64 by the CRC of their key, so one lookup reads one small
part). Every blob carries a CRC, checked when it is read, so a damaged file is noticed and rebuilt
rather than believed.

Why this shape: a lookup reads the header and a few blobs, so a knowledge file 100 times the size
of the shipped one costs a lookup a few milliseconds more, where loading one whole compiled object
would cost it hundreds. Why marshal rather than pickle: loading it cannot run code, whatever the
file holds; the records are rebuilt from plain tuples by `knowledge.decode`.

Trust: the shipped knowledge is compiled when the package is built and read from the package.
Users' own files are cached in a directory that only they can write (`cache_directory`), through
file descriptors that never follow a symbolic link, and each cache is keyed by what it was built
from; anything that fails a check is ignored and rebuilt, silently.
"""

import contextlib
import marshal
import os
import stat
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MAGIC = b"MBCK0003"
MARSHAL_VERSION = 4  # readable by every Python from 3.4 on, whichever Python wrote it
MAX_CACHE_BYTES = 256 * 1024 * 1024  # the cache directory is trimmed to this, oldest first
STALE_TEMPORARY_SECONDS = 600  # a temporary file older than this was left by a process that died
SUFFIX = ".mbck"
_PREFIX = len(MAGIC) + 8
Place = tuple[int, int, int]  # offset, length, crc32
PART = 64  # items in a part of a group's table of contents, about: a part fits a page or two, so a
# lookup in a big file touches few pages (options on the 100x file: 1.38x of shipped with 256, 1.22x with 64)


def part(key: str, parts: int) -> int:
    """Which part of its group's table of contents holds `key`."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % parts  # any str, lone surrogates too


class Damaged(Exception):
    """A compiled file, or a part of it, that is missing, foreign or damaged."""


# ---------------------------------------------------------------- writing


def build(key: str, files: list[str], sections: Mapping[str, Any], groups: Mapping[str, Mapping[str, Any]]) -> bytes:
    """The bytes of a compiled file of the knowledge in `files`: `sections` by name, items by group and key."""
    blobs: list[bytes] = []
    size = 0

    def add(value: Any) -> Place:
        nonlocal size
        blob = marshal.dumps(value, MARSHAL_VERSION)
        blobs.append(blob)
        size += len(blob)
        return size - len(blob), len(blob), zlib.crc32(blob)

    places = {name: add(value) for name, value in sections.items()}
    tables = {}
    for group, items in groups.items():
        parts: list[dict[str, Place]] = [{} for _ in range(max(1, len(items) // PART))]
        for item, value in items.items():
            parts[part(item, len(parts))][item] = add(value)
        tables[group] = tuple(add(contents) for contents in parts)
    header = marshal.dumps({"key": key, "files": files, "sections": places, "groups": tables}, MARSHAL_VERSION)
    lengths = len(header).to_bytes(4, "little") + zlib.crc32(header).to_bytes(4, "little")
    return b"".join([MAGIC, lengths, header, *blobs])


# ---------------------------------------------------------------- reading


class Store:
    """An open compiled file. Reads go through one descriptor of the file checked at opening, so a
    replacement of the file meanwhile cannot mix two versions."""

    def __init__(self, fd: int, key: str | None) -> None:
        self._fd = fd
        try:
            size = os.fstat(fd).st_size
            prefix = os.pread(fd, _PREFIX, 0)
            if len(prefix) < _PREFIX or prefix[: len(MAGIC)] != MAGIC:
                raise Damaged("not a compiled knowledge file")
            length, crc = int.from_bytes(prefix[-8:-4], "little"), int.from_bytes(prefix[-4:], "little")
            if _PREFIX + length > size:
                raise Damaged("truncated")
            header = os.pread(fd, length, _PREFIX)
            if zlib.crc32(header) != crc:
                raise Damaged("damaged header")
            self._header = marshal.loads(header)
            self._start = _PREFIX + length
            self._size = size
            if not isinstance(self._header, dict) or (key is not None and self._header.get("key") != key):
                raise Damaged("built from other files")
        except (OSError, ValueError, EOFError, TypeError) as error:
            raise Damaged(str(error)) from None
        self._tables: dict[tuple[str, int], dict[str, Place]] = {}

    @property
    def files(self) -> list[str]:
        """The knowledge files it was compiled from."""
        files = self._header.get("files")
        return files if isinstance(files, list) else []

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def _blob(self, place: object) -> Any:
        try:
            if not (isinstance(place, tuple) and len(place) == 3):
                raise Damaged("a damaged table of contents")
            offset, length, crc = place
            if offset < 0 or length < 0 or self._start + offset + length > self._size:
                raise Damaged("a part lies outside the file")
            blob = os.pread(self._fd, length, self._start + offset)
            if len(blob) != length or zlib.crc32(blob) != crc:
                raise Damaged("a damaged part")
            return marshal.loads(blob)
        except (OSError, ValueError, EOFError, TypeError) as error:
            raise Damaged(str(error)) from None

    def section(self, name: str) -> Any:
        """A section by name; Damaged if it is missing or damaged."""
        place = self._header["sections"].get(name)
        if place is None:
            raise Damaged(f"no section {name}")
        return self._blob(place)

    def item(self, group: str, key: str) -> Any:
        """An item of a group (`drugs`, `letrozole`), or None if the group has no such item."""
        places = self._header["groups"].get(group)
        if not isinstance(places, tuple) or not places:
            raise Damaged(f"no group {group}")
        at = part(key, len(places))
        table = self._tables.get((group, at))
        if table is None:
            table = self._tables[group, at] = self._blob(places[at])
            if not isinstance(table, dict):
                raise Damaged(f"group {group} is damaged")
        found = table.get(key)
        return None if found is None else self._blob(found)


def open_file(path: Path | str, key: str | None, *, dir_fd: int | None = None, owned: bool = False) -> Store | None:
    """The compiled file at `path` if it is a regular file built for `key` (any key if None), else None.

    With `owned`, it must also belong to this user and be writable by no one else.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise Damaged("not a regular file")
        if owned and (status.st_uid != os.geteuid() or status.st_mode & 0o022):
            raise Damaged("not this user's own file")
        return Store(fd, key)
    except (OSError, Damaged):
        os.close(fd)
        return None


# ---------------------------------------------------------------- the cache directory


def cache_directory(environ: Mapping[str, str]) -> int | None:
    """A descriptor of the user's cache directory for mbc, created 0700 if need be, or None when there
    is none this user can trust: it must be a real directory (not a link) that this user owns and that
    no one else can write."""
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = environ.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    path = os.path.join(base, "mbc")
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        fd = os.open(path, flags)
    except (OSError, ValueError):  # ValueError: a path with a NUL byte
        return None
    try:
        status = os.fstat(fd)
    except OSError:
        status = None
    if status is None or status.st_uid != os.geteuid() or status.st_mode & 0o022 or not stat.S_ISDIR(status.st_mode):
        os.close(fd)
        return None
    return fd


def write(dir_fd: int, name: str, data: bytes) -> bool:
    """Write `name` in the directory atomically: a new file that no one else could have planted,
    then a rename over the old one. False if anything failed; the cache is a convenience."""
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(temporary, flags, 0o600, dir_fd=dir_fd)
    except OSError:
        return False
    try:
        with open(fd, "wb", closefd=True) as handle:
            handle.write(data)
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=dir_fd)
        return False
    return True


def tidy(dir_fd: int, keep: str) -> None:
    """Remove what is no longer of use from the cache directory: temporary files left by processes
    that died, caches whose knowledge files are gone, and, above the size bound, the caches used
    least recently. `keep` (just written) is never removed."""
    import time

    try:  # the file just written tells the filesystem's time, whatever the process's clock says
        now = os.stat(keep, dir_fd=dir_fd, follow_symlinks=False).st_mtime
    except OSError:
        now = time.time()
    caches = []
    with contextlib.suppress(OSError):
        for name in os.listdir(dir_fd):
            with contextlib.suppress(OSError):
                status = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
                if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid():
                    continue
                if name.endswith(".tmp") and now - status.st_mtime > STALE_TEMPORARY_SECONDS:
                    os.unlink(name, dir_fd=dir_fd)
                elif name.endswith(SUFFIX) and name != keep:
                    caches.append((max(status.st_atime, status.st_mtime), status.st_size, name))
    total = sum(size for _, size, _ in caches)
    for _, size, name in sorted(caches):
        store = open_file(name, None, dir_fd=dir_fd, owned=True)
        files = store.files if store is not None else []
        if store is not None:
            store.close()
        if total > MAX_CACHE_BYTES or not files or not all(os.path.exists(f) for f in files):
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
                total -= size
