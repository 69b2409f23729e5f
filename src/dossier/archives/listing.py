"""What an archive holds: `list_entries` opens a zip defensively and says which entries
may be unpacked and what is wrong with it (never raising for anything the file holds).

7z and RAR archives are recognised by their magic bytes and get a problem of their own:
no maintained pure-Python library reads them, and this project adds no dependency."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dossier.archives.zipfmt import (
    _ENCRYPTED,
    _MAGIC_7Z,
    _MAGIC_RAR,
    _MAGIC_ZIP,
    _METHOD_NAMES,
    _METHODS,
    _UTF8_FLAG,
    Decoding,
    _end_record,
    _open_masked,
    decode_name,
    escaped,
)
from dossier.errors import os_cause
from dossier.i18n import Message, msg
from dossier.naming import is_odd_name, safe_display

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30


@dataclass(frozen=True)
class Limits:
    """Bounds that protect the disk and the program from hostile or broken archives.

    The defaults are far above what a unit's 台账资料 needs (a few hundred PDFs and scans,
    rarely over 1 GB) and far below what a zip bomb unpacks to."""

    max_entries: int = 20_000  # entries of one archive, and of all nested ones together
    max_total_size: int = 4 * GIB  # declared uncompressed size of one archive's files
    max_ratio: float = 200  # uncompressed / compressed size of one entry …
    ratio_min_size: int = 1 * MIB  # … checked only for entries larger than this
    max_written: int = 4 * GIB  # bytes actually written by one extract(), nested included
    max_depth: int = 3  # archive levels: 3 = an archive in an archive in the archive
    max_archive_ratio: float = 100  # declared total / the archive's own size …
    archive_ratio_min_size: int = 256 * MIB  # … checked when the total is larger than this
    max_problems_per_key: int = 20  # further problems of a key become one summary


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Entry:
    """One member of an archive, as accepted for unpacking."""

    index: int  # position in the archive's central directory
    name: str  # relative POSIX path, NFC, without trailing "/"; characters Windows
    #            forbids in names (: * ? " < > |) replaced by their full-width forms
    raw_name: bytes  # the name's bytes as stored in the archive
    decoding: Decoding
    size: int  # uncompressed size as declared by the archive
    compressed_size: int
    is_dir: bool
    date_time: tuple[int, int, int, int, int, int]  # local time, as zips store it
    crc: int

    @property
    def mtime(self) -> float:
        """The modification time to give the unpacked file (seconds since the epoch)."""
        return _mtime(self.date_time)


@dataclass(frozen=True)
class Listing:
    """What an archive holds. `refused`: the archive must not be unpacked at all (the
    problems say why). Problems that do not refuse (an undecodable name) skip an entry."""

    path: Path
    archive: str  # how messages name the archive
    kind: str  # "zip", "7z", "rar" or "other" (by magic bytes and structure)
    entries: tuple[Entry, ...]
    problems: tuple[Message, ...]
    refused: bool

    @property
    def total_size(self) -> int:
        return sum(e.size for e in self.entries if not e.is_dir)


# -- reading ---------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_FORBIDDEN = str.maketrans({":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜",
                                    ">": "＞", "|": "｜"})

_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\.|$)", re.IGNORECASE)


def windows_safe(part: str) -> str:
    """One name as Windows can create it: its forbidden characters in full width, trailing
    dots and spaces (which Windows drops) and the device names (CON, NUL, COM1 … which
    swallow what is written to them) kept visible with a full-width mark."""
    safe = part.translate(_WINDOWS_FORBIDDEN)
    stripped = safe.rstrip(". ")
    if stripped != safe:
        safe = stripped + "．" * (len(safe) - len(stripped))
    if _RESERVED.match(safe):
        safe = "＿" + safe
    return safe


def list_entries(path: Path | str, limits: Limits = DEFAULT_LIMITS, *,
                 name: str | None = None) -> Listing:
    """Every member of the archive at `path` that may be unpacked, and every problem.
    `name` is how messages call the archive (its file name by default). Never raises for
    anything the file holds."""
    path = Path(path)
    with _opened(path, name or path.name, limits) as (listing, _):
        return listing


def sniff(path: Path | str) -> str:
    """"zip", "7z", "rar" or "other", by the first bytes ("" when unreadable)."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return ""
    return _kind(head)


def _kind(head: bytes) -> str:
    if head.startswith(_MAGIC_7Z):
        return "7z"
    if head.startswith(_MAGIC_RAR):
        return "rar"
    if head.startswith(_MAGIC_ZIP):
        return "zip"
    return "other"


class _Problems:
    """Problems of one archive, at most `cap` of each key (the rest are counted)."""

    def __init__(self, archive: str, cap: int) -> None:
        self.archive = archive
        self.cap = cap
        self.items: list[Message] = []
        self.counts: Counter[str] = Counter()
        self.refused = False

    def add(self, key: str, *, refuses: bool = True, **params: Any) -> None:
        self.refused = self.refused or refuses
        self.counts[key] += 1
        if self.counts[key] <= self.cap:
            self.items.append(msg(key, archive=self.archive, **params))

    def done(self) -> tuple[Message, ...]:
        more = [msg("archive-more-problems", archive=self.archive, count=n - self.cap,
                    like=key) for key, n in self.counts.items() if n > self.cap]
        return (*self.items, *more)


@contextlib.contextmanager
def _opened(path: Path, archive: str,
            limits: Limits) -> Iterator[tuple[Listing, zipfile.ZipFile | None]]:
    """The listing and, unless refused, the open ZipFile to unpack from."""
    problems = _Problems(archive, limits.max_problems_per_key)

    def refused(kind: str) -> Listing:
        return Listing(path, archive, kind, (), problems.done(), True)

    try:
        fh = path.open("rb")
    except OSError as exc:
        problems.add("archive-unreadable", **os_cause(exc))
        yield refused("other"), None
        return
    with fh:
        try:
            listing, zf = _read(fh, path, archive, limits, problems)
        except OSError as exc:  # the disk failed while reading
            problems = _Problems(archive, limits.max_problems_per_key)
            problems.add("archive-unreadable", **os_cause(exc))
            yield refused("other"), None
            return
        if zf is None:
            yield listing, None
            return
        with zf:
            yield listing, zf


def _read(fh: IO[bytes], path: Path, archive: str, limits: Limits,
          problems: _Problems) -> tuple[Listing, zipfile.ZipFile | None]:
    head = fh.read(8)
    size = fh.seek(0, os.SEEK_END)
    kind = _kind(head)

    def refuse(key: str, kind: str = "zip", **params: Any) -> tuple[Listing, None]:
        problems.add(key, **params)
        return Listing(path, archive, kind, (), problems.done(), True), None

    if kind in ("7z", "rar"):
        return refuse(f"archive-unsupported/{kind}", kind)
    end = _end_record(fh, size)
    if end is None:
        # A zip is found by its end record; without one it is cut short or not a zip.
        return refuse("archive-corrupt" if kind == "zip" else "archive-not-zip",
                      "zip" if kind == "zip" else "other")
    if end.count > limits.max_entries:
        return refuse("archive-too-many-entries", count=end.count, limit=limits.max_entries)
    flagged: set[int] | None = None  # entries flagged UTF-8 when the flags had to be masked
    try:
        fh.seek(0)
        zf = zipfile.ZipFile(fh)
    except UnicodeDecodeError:
        # A name flagged UTF-8 is not UTF-8 (tools that flag GBK names): Python refuses the
        # whole archive, so read it with the flags cleared and decode the names here.
        try:
            zf, flagged = _open_masked(fh, end)
        except Exception as exc:
            return refuse("archive-corrupt", detail=str(exc))
    except OSError:
        raise
    except Exception as exc:  # BadZipFile, and whatever else a hostile file provokes
        return refuse("archive-corrupt", detail=str(exc))

    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        zf.close()
        return refuse("archive-too-many-entries", count=len(infos), limit=limits.max_entries)
    entries: list[Entry] = []
    for index, info in enumerate(infos):
        entry = _entry(index, info, flagged, limits, problems)
        if entry is not None:
            entries.append(entry)
    total = sum(e.size for e in entries if not e.is_dir)
    if total > limits.max_total_size:
        problems.add("archive-too-large", size=size_text(total), limit=size_text(
            limits.max_total_size), size_bytes=total, limit_bytes=limits.max_total_size)
    own = max(path.stat().st_size, 1)
    if total > limits.archive_ratio_min_size and total / own > limits.max_archive_ratio:
        # many small entries of zeros: no single entry is suspicious, the whole is a bomb
        problems.add("archive-bomb/total", size=size_text(total), compressed=size_text(own),
                     limit=_number(limits.max_archive_ratio), size_bytes=total,
                     compressed_bytes=own)
    listing = Listing(path, archive, "zip", tuple(entries) if not problems.refused else (),
                      problems.done(), problems.refused)
    if listing.refused:
        zf.close()
        return listing, None
    return listing, zf


def _entry(index: int, info: zipfile.ZipInfo, flagged: set[int] | None, limits: Limits,
           problems: _Problems) -> Entry | None:
    """The entry, or None with a problem (or for the root folder "./", silently)."""
    if flagged is None:
        is_flagged = bool(info.flag_bits & _UTF8_FLAG)
        raw = info.orig_filename.encode("utf-8" if is_flagged else "cp437")
    else:  # masked: Python decoded every name as cp437
        is_flagged = index in flagged
        raw = info.orig_filename.encode("cp437")
    decoded = decode_name(raw, flagged=is_flagged, extra=info.extra)
    if decoded is None:
        problems.add("bad-file-name/archive", refuses=False, entry=escaped(raw))
        return None
    text, decoding = decoded
    text = unicodedata.normalize("NFC", text.replace("\\", "/"))
    shown = safe_display(text)
    if is_odd_name(text):
        problems.add("bad-file-name/archive", refuses=False, entry=shown)
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if text.startswith("/") or _DRIVE.match(text) or ".." in parts:
        problems.add("archive-traversal", entry=shown)
        return None
    if not parts:
        return None
    name = "/".join(windows_safe(p) for p in parts)
    mode = info.external_attr >> 16
    is_dir = text.endswith("/") or stat.S_ISDIR(mode)
    if stat.S_ISLNK(mode):
        problems.add("archive-symlink", entry=shown)
        return None
    if info.flag_bits & _ENCRYPTED:
        problems.add("archive-encrypted-entry", entry=shown)
        return None
    if not is_dir and info.compress_type not in _METHODS:
        method = _METHOD_NAMES.get(info.compress_type, str(info.compress_type))
        problems.add("archive-unsupported-method", entry=shown, method=method)
        return None
    if (not is_dir and info.file_size > limits.ratio_min_size
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
        problems.add("archive-bomb", entry=shown, size=size_text(info.file_size),
                     compressed=size_text(info.compress_size), limit=_number(limits.max_ratio),
                     size_bytes=info.file_size, compressed_bytes=info.compress_size)
        return None
    return Entry(index=index, name=name, raw_name=raw, decoding=decoding,
                 size=0 if is_dir else info.file_size,
                 compressed_size=info.compress_size, is_dir=is_dir,
                 date_time=info.date_time, crc=info.CRC)


def size_text(n: int) -> str:
    """A size as a person reads it: "512 B", "1.5 MB", "4 GB" (binary units, as Windows)."""
    for unit, scale in (("GB", GIB), ("MB", MIB), ("KB", KIB)):
        if n >= scale:
            return f"{_number(round(n / scale, 1))} {unit}"
    return f"{n} B"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _mtime(date_time: tuple[int, int, int, int, int, int]) -> float:
    try:
        return time.mktime((*date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return time.mktime((1980, 1, 1, 0, 0, 0, 0, 0, -1))

