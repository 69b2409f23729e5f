"""One consistent copy of a source, read once.

A build binds each file as it was when the materials were scanned (the plan's size and
modification time), or not at all. The file is opened as a regular file (never a pipe or a
device), checked against the scan, read into memory with its SHA-256 computed on the way,
and checked again on the open file and at its path: a file truncated, appended to, saved
again or replaced by a rename meanwhile is refused, never bound half old and half new.
Reading stops at the scanned size plus one byte and after a time limit, so a file that
keeps growing, or a medium that crawls, cannot hold the build for ever."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dossier.hashing import CHUNK, open_regular

MAX_BYTES = 4 << 30  # a source larger than this is refused (no scan needs 4 GiB)
PIECE = 64 << 20  # bytes read at a time
READ_SECONDS = 600.0  # a source that takes longer to read is refused (a failing medium)


class Changed(OSError):
    """The file is not as it was scanned, or changed while it was read."""


class TooLarge(OSError):
    """The file is larger than MAX_BYTES."""


class TooSlow(OSError):
    """Reading the file took longer than READ_SECONDS."""


@dataclass(frozen=True)
class Snapshot:
    data: bytes  # b"" when the screen did not want them
    sha256: str
    identity: tuple[int, int]  # inode and device (0 where the system has none)


def _same(st: os.stat_result, size: int, mtime_ns: int) -> bool:
    return st.st_size == size and st.st_mtime_ns == mtime_ns


def _is(path: Path, opened: os.stat_result) -> bool:
    """Whether `path` still names the file that was opened (not one renamed over it)."""
    try:
        now = os.stat(path)
    except OSError:
        return False
    return (now.st_ino, now.st_dev) == (opened.st_ino, opened.st_dev) and _same(
        now, opened.st_size, opened.st_mtime_ns)


def read(path: Path, size: int, mtime_ns: int, *, limit: int = MAX_BYTES,
         seconds: float = READ_SECONDS,
         screen: Callable[[IO[bytes]], bool] | None = None) -> Snapshot:
    """The file's bytes and their SHA-256, as scanned. `screen` looks at the open file
    first: it raises what refuses it without reading it all, and says whether the bytes are
    wanted (False: they are only hashed, as they stream by, and `data` is b""). Raises
    Changed, TooLarge, TooSlow, hashing.NotRegularFile or the OSError of the open or the
    read."""
    with open_regular(path) as fh:
        before = os.fstat(fh.fileno())
        if not _same(before, size, mtime_ns):
            raise Changed(0, "changed since the scan", str(path))
        if size > limit:
            raise TooLarge(0, "too large", str(path))
        keep = True
        if screen is not None:
            keep = screen(fh)
            fh.seek(0)
        digest = hashlib.sha256()
        data, got = _read_bounded(fh, size, time.monotonic() + seconds, str(path), digest,
                                  keep)
        after = os.fstat(fh.fileno())
    if got != size or not _same(after, size, mtime_ns) or not _is(path, after):
        raise Changed(0, "changed while it was read", str(path))
    return Snapshot(data, digest.hexdigest(), (after.st_ino, after.st_dev))


def still(path: Path, size: int, mtime_ns: int, identity: tuple[int, int] = (0, 0)) -> bool:
    """Whether the file at `path` is still the one scanned (size and modification time)
    and read (`identity`: its inode and device, where the system gives them)."""
    try:
        now = os.stat(path)
    except OSError:
        return False
    if identity[0] and now.st_ino and (now.st_ino, now.st_dev) != identity:
        return False
    return _same(now, size, mtime_ns)


def _read_bounded(fh: object, size: int, until: float, shown: str, digest: Any,
                  keep: bool) -> tuple[bytes, int]:
    """At most `size` + 1 bytes (one more shows a file that grew), hashed on the way,
    checking the clock between pieces: (the bytes, b"" unless `keep`; how many were read).
    A kept file of one piece is read by one call into one buffer, with no copy."""
    parts: list[bytes] = []
    left, got = size + 1, 0
    while left > 0:
        chunk = fh.read(min(PIECE if keep else CHUNK, left))  # type: ignore[attr-defined]
        if not chunk:
            break
        digest.update(chunk)
        if keep:
            parts.append(chunk)
        left -= len(chunk)
        got += len(chunk)
        if time.monotonic() > until:
            raise TooSlow(0, "reading took too long", shown)
    return (parts[0] if len(parts) == 1 else b"".join(parts)), got
