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
from typing import IO

from dossier.hashing import open_regular

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
    data: bytes
    sha256: str


def _same(st: os.stat_result, size: int, mtime_ns: int) -> bool:
    return st.st_size == size and st.st_mtime_ns == mtime_ns


def still(path: Path, size: int, mtime_ns: int) -> bool:
    """Whether the file at `path` is still the one scanned (size and modification time)."""
    try:
        return _same(os.stat(path), size, mtime_ns)
    except OSError:
        return False


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
         screen: Callable[[IO[bytes]], None] | None = None) -> Snapshot:
    """The file's bytes and their SHA-256, as scanned. `screen` looks at the open file
    first and raises what refuses it without reading it all. Raises Changed, TooLarge,
    TooSlow, hashing.NotRegularFile or the OSError of the open or the read."""
    with open_regular(path) as fh:
        before = os.fstat(fh.fileno())
        if not _same(before, size, mtime_ns):
            raise Changed(0, "changed since the scan", str(path))
        if size > limit:
            raise TooLarge(0, "too large", str(path))
        if screen is not None:
            screen(fh)
            fh.seek(0)
        data = _read_bounded(fh, size, time.monotonic() + seconds, str(path))
        after = os.fstat(fh.fileno())
    if len(data) != size or not _same(after, size, mtime_ns) or not _is(path, after):
        raise Changed(0, "changed while it was read", str(path))
    return Snapshot(data, hashlib.sha256(data).hexdigest())


def _read_bounded(fh: object, size: int, until: float, shown: str) -> bytes:
    """At most `size` + 1 bytes (one more shows a file that grew), checking the clock
    between pieces of PIECE bytes. A file of one piece is read by one call into one
    buffer, with no copy: a volume's sources are all held at once."""
    parts: list[bytes] = []
    left = size + 1
    while left > 0:
        chunk = fh.read(min(PIECE, left))  # type: ignore[attr-defined]
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
        if time.monotonic() > until:
            raise TooSlow(0, "reading took too long", shown)
    return parts[0] if len(parts) == 1 else b"".join(parts)
