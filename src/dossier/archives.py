"""Reading zip archives safely: the core of unpacking material that units send in.

`list_entries` opens a zip defensively and says what it holds and what is wrong with it;
`extract` unpacks it into a folder without ever writing outside that folder and without
ever overwriting a file. Everything a person may read is a `Message` (templates in
`dossier.messages.archives`); nothing here prints.

Names. Zips made by Chinese Windows carry GBK names without the UTF-8 flag, so a name is
decoded, in this order, with: the UTF-8 flag (bit 11) → the Info-ZIP Unicode Path extra
field (0x7075, version 1, whose CRC32 must match the raw name) → the raw bytes as strict
UTF-8 → GB18030. The raw bytes of a name without the flag are what Python decoded as
cp437. A name none of these decodes is skipped with a `bad-file-name/archive` problem.

Refusals. Path traversal (`..`, absolute paths, drive letters, also with backslashes),
symlinks, encrypted entries, compression methods Python cannot read, zip bombs (entry
count, declared total size, compression ratio, bytes actually written, nesting depth) and
damaged archives refuse the archive AS A WHOLE: nothing of it is unpacked, and the folder
it was to go into is left exactly as it was. Only an undecodable name is skipped alone.

7z and RAR archives are recognised by their magic bytes and get a problem of their own:
no maintained pure-Python library reads them, and this project adds no dependency."""

from __future__ import annotations

import bisect
import contextlib
import enum
import errno
import hashlib
import os
import re
import shutil
import stat
import struct
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from dossier.errors import os_cause
from dossier.hashing import CHUNK, sha256_file
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


class Decoding(str, enum.Enum):
    """Which rule gave an entry its name."""

    UTF8_FLAG = "utf-8-flag"  # the UTF-8 flag (general purpose bit 11) was set
    UNICODE_PATH = "unicode-path"  # the Info-ZIP Unicode Path extra field (0x7075)
    UTF8 = "utf-8"  # no flag, but the raw bytes are valid UTF-8 (ASCII included)
    GB18030 = "gb18030"  # no flag: GBK/CP936 as written by Chinese Windows


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


class Outcome(str, enum.Enum):
    """What became of one entry."""

    PLACED = "placed"  # written at its own name
    IDENTICAL = "identical"  # a file with the same content is already there: skipped
    KEPT_BESIDE = "kept-beside"  # other content is there: written beside it, 名称(2).pdf
    UNPACKED = "unpacked"  # a zip inside the archive, unpacked into a folder of its name


@dataclass(frozen=True)
class Placement:
    """Where one entry's content went, relative to the destination folder (POSIX)."""

    archive: str  # the archive holding the entry (nested: "外层.zip/内层.zip")
    entry: str  # the entry's name inside that archive
    outcome: Outcome
    path: str  # where the content is now (IDENTICAL: the existing file; UNPACKED: folder)
    wanted: str  # where it would have gone without a clash (the existing file for
    #              KEPT_BESIDE); equal to `path` otherwise
    sha256: str  # "" for UNPACKED
    size: int
    mtime: float

    @property
    def message(self) -> Message:
        params: dict[str, Any] = {"archive": self.archive, "entry": self.entry,
                                  "path": self.path}
        if self.outcome is Outcome.KEPT_BESIDE:
            return msg("archive-entry-kept-beside", existing=self.wanted, **params)
        key = {Outcome.PLACED: "archive-entry-placed",
               Outcome.IDENTICAL: "archive-entry-skipped-identical",
               Outcome.UNPACKED: "archive-entry-unpacked"}[self.outcome]
        return msg(key, **params)


@dataclass(frozen=True)
class Extracted:
    """The result of `extract`. When `refused`, nothing was written into `into` (it is as
    it was before, not even created) and `placements` is empty; `problems` say why."""

    archive: str
    into: Path
    listing: Listing
    placements: tuple[Placement, ...]
    problems: tuple[Message, ...]
    refused: bool
    written: int  # bytes unpacked (staged), nested archives included
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        """Whether `into` received anything (a re-extract of the same archive does not)."""
        return any(p.outcome in (Outcome.PLACED, Outcome.KEPT_BESIDE)
                   for p in self.placements)


# -- reading ---------------------------------------------------------------------------

_MAGIC_7Z = b"7z\xbc\xaf\x27\x1c"
_MAGIC_RAR = b"Rar!\x1a\x07"  # RAR 4 (…\x00) and RAR 5 (…\x01\x00)
_MAGIC_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_UTF8_FLAG = 0x800
_ENCRYPTED = 0x01 | 0x40  # traditional/AES encryption, strong encryption
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_METHOD_NAMES = {1: "Shrink", 6: "Implode", 9: "Deflate64", 10: "PKWARE DCL Implode",
                 18: "IBM TERSE", 19: "IBM LZ77", 93: "Zstandard", 95: "XZ", 96: "JPEG",
                 97: "WavPack", 98: "PPMd", 99: "AES"}
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


_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")


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


def decode_name(raw: bytes, *, flagged: bool, extra: bytes = b"") -> tuple[str, Decoding] | None:
    """The name an entry's raw bytes stand for, and the rule that decoded them; None when
    no rule does."""
    if flagged:
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode("utf-8"), Decoding.UTF8_FLAG
    unicode = unicode_path(extra, raw)
    if unicode is not None:
        return unicode, Decoding.UNICODE_PATH
    for codec, decoding in (("utf-8", Decoding.UTF8), ("gb18030", Decoding.GB18030)):
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(codec), decoding
    return None


def unicode_path(extra: bytes, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path (0x7075) of an entry, when present, of version 1, made for
    this very name (its CRC32 matches `raw`) and valid UTF-8."""
    for tag, data in extra_fields(extra):
        if tag != 0x7075 or len(data) < 5 or data[0] != 1:
            continue
        (crc,) = struct.unpack_from("<L", data, 1)
        if crc != zlib.crc32(raw):
            continue
        try:
            name = data[5:].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if name:
            return name
    return None


def extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    """(tag, data) of each extra field; a truncated last field ends the walk."""
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, at)
        data = extra[at + 4:at + 4 + length]
        if len(data) < length:
            return
        yield tag, data
        at += 4 + length


def escaped(raw: bytes) -> str:
    """A name's raw bytes, printable: ASCII as is, everything else as \\xNN."""
    return safe_display(raw.decode("ascii", "surrogateescape"))


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


# -- the end record and the central directory, read by hand ----------------------------

@dataclass(frozen=True)
class _End:
    count: int  # entries the end record declares
    start: int  # absolute offset of the first central directory header
    size: int  # bytes of the central directory


def _end_record(fh: IO[bytes], size: int) -> _End | None:
    """The end of central directory record (zip64 too), found as zipfile finds it."""
    span = min(size, _EOCD.size + 0xFFFF)
    fh.seek(size - span)
    tail = fh.read(span)
    at = tail.rfind(b"PK\x05\x06")
    while at >= 0 and at + _EOCD.size > len(tail):
        at = tail.rfind(b"PK\x05\x06", 0, at)
    if at < 0:
        return None
    _, _, _, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
    end_at = size - span + at
    if (count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF) \
            and end_at >= _EOCD64_LOCATOR.size + _EOCD64.size:
        fh.seek(end_at - _EOCD64_LOCATOR.size)
        locator = fh.read(_EOCD64_LOCATOR.size)
        if locator[:4] == b"PK\x06\x07":
            at64 = end_at - _EOCD64_LOCATOR.size - _EOCD64.size
            fh.seek(at64)
            record = fh.read(_EOCD64.size)
            if len(record) == _EOCD64.size and record[:4] == b"PK\x06\x06":
                fields = _EOCD64.unpack(record)
                count, cd_size, cd_offset = fields[7], fields[8], fields[9]
                end_at = at64
    concat = end_at - cd_size - cd_offset  # bytes before the zip (self-extracting .exe)
    if concat < 0:
        return None
    return _End(count, cd_offset + concat, cd_size)


def _central_flags(fh: IO[bytes], end: _End) -> list[tuple[int, int]]:
    """(offset of the flags' high byte, flags) of each central directory header."""
    fh.seek(end.start)
    data = fh.read(end.size)
    out: list[tuple[int, int]] = []
    at = 0
    while at + _CENTRAL.size <= len(data) and data[at:at + 4] == b"PK\x01\x02":
        fields = _CENTRAL.unpack_from(data, at)
        out.append((end.start + at + 9, fields[5]))
        at += _CENTRAL.size + fields[12] + fields[13] + fields[14]
    return out


class _MaskedFile:
    """A read-only view of an archive with the UTF-8 flag cleared at given offsets (the
    high byte of a header's flags), so that zipfile reads every name as cp437 bytes."""

    def __init__(self, fh: IO[bytes], offsets: Iterable[int]) -> None:
        self._fh = fh
        self._offsets = sorted(offsets)

    def mask(self, offsets: Iterable[int]) -> None:
        self._offsets = sorted({*self._offsets, *offsets})

    def seek(self, offset: int, whence: int = 0, /) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def seekable(self) -> bool:
        return True

    def read(self, n: int = -1, /) -> bytes:
        start = self._fh.tell()
        data = self._fh.read(n)
        first = bisect.bisect_left(self._offsets, start)
        last = bisect.bisect_left(self._offsets, start + len(data))
        if first == last:
            return data
        patched = bytearray(data)
        for offset in self._offsets[first:last]:
            patched[offset - start] &= ~(_UTF8_FLAG >> 8) & 0xFF
        return bytes(patched)


def _open_masked(fh: IO[bytes], end: _End) -> tuple[zipfile.ZipFile, set[int]]:
    headers = _central_flags(fh, end)
    flagged = {i for i, (_, flags) in enumerate(headers) if flags & _UTF8_FLAG}
    view = _MaskedFile(fh, (headers[i][0] for i in flagged))
    zf = zipfile.ZipFile(view)
    infos = zf.infolist()
    if len(infos) != len(headers):
        zf.close()
        raise zipfile.BadZipFile("central directory count differs")
    view.mask(infos[i].header_offset + 7 for i in flagged)  # the local headers' flags
    return zf, flagged


# -- unpacking -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Staged:
    """One entry unpacked into the staging folder, not yet in place."""

    archive: str
    entry: str
    rel: str  # where it belongs, relative to the destination
    kind: str  # "file", "dir" or "unpacked" (a nested zip, unpacked into the folder rel)
    temp: Path | None = None
    sha256: str = ""
    size: int = 0
    mtime: float = 0.0


class _Refused(Exception):  # internal control flow: never leaves this module
    """The archive as a whole is refused: `message` says why (None: the problems recorded
    already do)."""

    def __init__(self, message: Message | None = None) -> None:
        super().__init__(message.key if message is not None else "refused")
        self.message = message


@dataclass
class _Stager:
    """Unpacks an archive (and the zips inside it) into a staging folder."""

    folder: Path
    limits: Limits
    unpack_nested: bool
    problems: list[Message] = field(default_factory=list)
    staged: list[_Staged] = field(default_factory=list)
    written: int = 0
    entries: int = 0
    files: int = 0

    def refuse(self, key: str, archive: str, **params: Any) -> _Refused:
        return _Refused(msg(key, archive=archive, **params))

    def archive(self, path: Path, archive: str, prefix: str, depth: int, top: str,
                stem: str = "") -> None:
        with _opened(path, archive, self.limits) as (listing, zf):
            self.problems.extend(listing.problems)
            if listing.refused or zf is None:
                raise _Refused()
            self.entries += len(listing.entries)
            if self.entries > self.limits.max_entries:
                raise self.refuse("archive-too-many-entries", top, count=self.entries,
                                  limit=self.limits.max_entries)
            strip = _single_top(listing.entries, stem) if depth > 1 else ""
            infos = zf.infolist()
            for entry in listing.entries:
                name = entry.name[len(strip) + 1:] if strip else entry.name
                if not name:
                    continue
                rel = f"{prefix}/{name}" if prefix else name
                if entry.is_dir:
                    self.staged.append(_Staged(archive, entry.name, rel, "dir",
                                               mtime=entry.mtime))
                    continue
                self.file(zf, infos[entry.index], entry, archive, rel, depth, top)

    def file(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Entry, archive: str,
             rel: str, depth: int, top: str) -> None:
        self.files += 1
        temp = self.folder / f"{self.files:06d}"
        sha = self.copy(zf, info, entry, archive, temp, top)
        os.utime(temp, (entry.mtime, entry.mtime))
        lower = entry.name.lower()
        kind = sniff(temp)
        inner = f"{archive}/{entry.name}"
        if self.unpack_nested and lower.endswith(".zip") and kind == "zip":
            if depth >= self.limits.max_depth:
                raise self.refuse("archive-too-deep", archive, entry=entry.name,
                                  limit=self.limits.max_depth)
            folder = rel[:-len(".zip")]
            self.staged.append(_Staged(archive, entry.name, folder, "unpacked",
                                       size=entry.size, mtime=entry.mtime))
            self.archive(temp, inner, folder, depth + 1, top,
                         PurePosixPath(entry.name).stem)
            temp.unlink()
            return
        if kind in ("7z", "rar") and lower.endswith((".7z", ".rar")):
            # kept as a file (nothing is lost), and said that it needs unpacking by hand
            self.problems.append(msg(f"archive-unsupported/{kind}", archive=inner))
        self.staged.append(_Staged(archive, entry.name, rel, "file", temp, sha, entry.size,
                                   entry.mtime))

    def copy(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Entry, archive: str,
             temp: Path, top: str) -> str:
        """Unpack one entry, counting what is written (never trusting the header)."""
        digest = hashlib.sha256()
        count = 0
        try:
            src = zf.open(info)
        except NotImplementedError:
            raise self.refuse("archive-unsupported-method", archive, entry=entry.name,
                              method=_METHOD_NAMES.get(info.compress_type,
                                                       str(info.compress_type))) from None
        except Exception as exc:
            raise self.refuse("archive-corrupt/entry", archive, entry=entry.name,
                              detail=str(exc)) from None
        with src, temp.open("xb") as out:
            while True:
                try:
                    chunk = src.read(CHUNK)
                except Exception as exc:  # bad CRC, broken deflate stream, cut short …
                    raise self.refuse("archive-corrupt/entry", archive, entry=entry.name,
                                      detail=str(exc)) from None
                if not chunk:
                    break
                count += len(chunk)
                self.written += len(chunk)
                if count > entry.size:
                    raise self.refuse("archive-bomb/entry-size", archive, entry=entry.name,
                                      size=size_text(entry.size), size_bytes=entry.size)
                if self.written > self.limits.max_written:
                    raise self.refuse("archive-bomb/written", top, entry=_inner_name(
                        archive, top, entry.name), limit=size_text(self.limits.max_written),
                        limit_bytes=self.limits.max_written)
                digest.update(chunk)
                out.write(chunk)
        return digest.hexdigest()


def _inner_name(archive: str, top: str, entry: str) -> str:
    """An entry's name as seen from the top archive ("内层.zip/a.pdf" for nested ones)."""
    return f"{archive[len(top) + 1:]}/{entry}" if archive != top else entry


def _single_top(entries: Sequence[Entry], stem: str) -> str:
    """The folder to drop from a nested archive's names: "住建局/…" in 住建局.zip, when
    every entry lies in it (as most zips made by "send to compressed folder" do)."""
    if not entries:
        return ""
    folded = stem.translate(_WINDOWS_FORBIDDEN)
    inside = all(e.name == folded or e.name.startswith(folded + "/") for e in entries)
    return folded if inside and any(e.name != folded for e in entries) else ""


def _beside(rel: str, n: int) -> str:
    """名称.pdf → 名称(2).pdf."""
    path = PurePosixPath(rel)
    return str(path.with_name(f"{path.stem}({n}){path.suffix}"))


class _Planner:
    """Decides where each staged file goes: never over an existing file."""

    def __init__(self, into: Path) -> None:
        self.into = into
        self.real = os.path.realpath(into)
        self.planned: dict[str, str] = {}  # rel -> sha256 of what will be there
        self.planned_dirs: set[str] = set()
        self._hashes: dict[str, str | None] = {}

    def existing_sha(self, rel: str, size: int) -> str | None:
        """The content hash of an existing regular file (None: not one, or unreadable)."""
        path = self.into / rel
        try:
            if not path.is_file() or path.stat().st_size != size:
                return None
        except OSError:
            return None
        if rel not in self._hashes:
            try:
                self._hashes[rel] = sha256_file(path)
            except OSError:
                self._hashes[rel] = None
        return self._hashes[rel]

    def choose(self, rel: str, sha: str, size: int) -> tuple[Outcome, str]:
        n = 1
        while True:
            candidate = rel if n == 1 else _beside(rel, n)
            n += 1
            if candidate in self.planned:
                if self.planned[candidate] == sha:
                    return Outcome.IDENTICAL, candidate
                continue
            if candidate in self.planned_dirs:
                continue
            path = self.into / candidate
            if path.is_symlink() or path.exists():
                if self.existing_sha(candidate, size) == sha:
                    return Outcome.IDENTICAL, candidate
                continue
            return (Outcome.PLACED if candidate == rel else Outcome.KEPT_BESIDE), candidate

    def blocker(self, rel: str, *, with_self: bool) -> tuple[str, str] | None:
        """("archive-target-blocked" | "archive-outside-target", the path at fault) when a
        folder of `rel` cannot be made inside the destination."""
        parts = PurePosixPath(rel).parts
        upto = len(parts) if with_self else len(parts) - 1
        for i in range(1, upto + 1):
            folder = "/".join(parts[:i])
            path = self.into / folder
            if folder in self.planned:
                return "archive-target-blocked", folder
            if path.is_symlink():
                real = os.path.realpath(path)
                if not _inside(real, self.real):
                    return "archive-outside-target", folder
            if (path.is_symlink() or path.exists()) and not path.is_dir():
                return "archive-target-blocked", folder
        return None


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # other drive
        return False


def extract(path: Path | str, into: Path | str, limits: Limits = DEFAULT_LIMITS, *,
            name: str | None = None, unpack_nested: bool = True,
            dry_run: bool = False) -> Extracted:
    """Unpack every accepted entry of the zip at `path` under the folder `into`.

    The archive is first unpacked into a temporary folder beside `into` (in the system's
    temporary folder for a dry run); only when all of it unpacked well are the files moved
    in, none over an existing file: identical content is skipped, other content is kept
    beside it as 名称(2).pdf. Files keep the zip's modification times, so extracting the
    same archive again changes nothing. A zip inside the archive is unpacked into a folder
    named after it (its single top folder of that name dropped), up to `limits.max_depth`
    levels. A refused archive leaves `into` as it was. `dry_run` decides the same and
    writes nothing into `into`."""
    path = Path(path)
    archive = name or path.name
    target = Path(os.path.abspath(into))
    listing = list_entries(path, limits, name=archive)

    def result(placements: Sequence[Placement], problems: Sequence[Message], refused: bool,
               written: int) -> Extracted:
        return Extracted(archive, target, listing, tuple(placements), tuple(problems),
                         refused, written, dry_run)

    if listing.refused:
        return result((), listing.problems, True, 0)
    undo = _Undo()  # what this call changed in and beside `into`, undone when refused
    existed = target.is_dir()
    stager: _Stager | None = None
    staging: Path | None = None
    refusal: Message | None = None
    try:
        if dry_run:
            staging = Path(tempfile.mkdtemp(prefix="dossier-unpack-"))
        else:
            undo.makedirs(target.parent)
            undo.remember(target.parent)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.unpacking-",
                                            dir=target.parent))
        stager = _Stager(staging, limits, unpack_nested)
        stager.archive(path, archive, "", 1, archive)
        planner = _Planner(target)
        plan = _plan(stager, planner)
        if not dry_run:
            plan = _execute(target, stager.staged, plan, planner, undo)
    except _Refused as refused:
        refusal = refused.message
    except OSError as exc:
        refusal = msg("archive-unwritable", archive=archive, path=str(into), **os_cause(exc))
    else:
        _remove(staging)
        if existed:  # only the staging folder came and went beside it
            undo.restore_times(target.parent)
        placements = [Placement(item.archive, item.entry, outcome, where, item.rel,
                                item.sha256, item.size, item.mtime)
                      for item, outcome, where in plan]
        return result(placements, stager.problems, False, stager.written)
    _remove(staging)
    undo.undo()
    problems = [*(stager.problems if stager is not None else []),
                *([refusal] if refusal is not None else [])]
    return result((), problems, True, stager.written if stager is not None else 0)


def _remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _plan(stager: _Stager, planner: _Planner) -> list[tuple[_Staged, Outcome, str]]:
    """Where each staged entry goes; raises _Refused when one cannot go anywhere safe."""
    plan: list[tuple[_Staged, Outcome, str]] = []
    for item in stager.staged:
        if item.kind == "unpacked":
            plan.append((item, Outcome.UNPACKED, item.rel))
            continue
        blocked = planner.blocker(item.rel, with_self=item.kind == "dir")
        if blocked is not None:
            key, at = blocked
            raise _Refused(msg(key, archive=item.archive, entry=item.entry, path=at))
        if item.kind == "dir":
            planner.planned_dirs.add(item.rel)
            continue
        outcome, where = planner.choose(item.rel, item.sha256, item.size)
        if outcome is not Outcome.IDENTICAL:
            planner.planned[where] = item.sha256
        plan.append((item, outcome, where))
    return plan


def _execute(into: Path, staged: Sequence[_Staged], plan: list[tuple[_Staged, Outcome, str]],
             planner: _Planner, undo: _Undo) -> list[tuple[_Staged, Outcome, str]]:
    """Put the plan in place, recording every change in `undo` (the caller undoes them all
    when this raises)."""
    done: list[tuple[_Staged, Outcome, str]] = []
    for item in staged:
        if item.kind == "dir":
            undo.makedirs(into / item.rel)
    for item, outcome, where in plan:
        if outcome not in (Outcome.PLACED, Outcome.KEPT_BESIDE) or item.temp is None:
            done.append((item, outcome, where))
            continue
        undo.makedirs((into / where).parent)
        while True:
            undo.remember((into / where).parent)
            try:
                _link_or_copy(item.temp, into / where)
            except FileExistsError:
                # Appeared meanwhile, or the same name in another case on a disk that
                # ignores case: decide again against what is there now.
                planner.planned.pop(where, None)
                outcome, where = planner.choose(item.rel, item.sha256, item.size)
                if outcome is Outcome.IDENTICAL:
                    break
                planner.planned[where] = item.sha256
                continue
            undo.files.append(into / where)
            break
        done.append((item, outcome, where))
    made = set(undo.folders)
    for item in staged:  # folders made here get the zip's time too, once filled
        if item.kind == "dir" and into / item.rel in made:
            os.utime(into / item.rel, (item.mtime, item.mtime))
    return done


class _Undo:
    """Files and folders one extract() made, and the times of the folders it changed."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.folders: list[Path] = []
        self.times: dict[Path, tuple[int, int]] = {}

    def remember(self, folder: Path) -> None:
        """Keep the times of an existing folder before something is added to it."""
        if folder not in self.times:
            with contextlib.suppress(OSError):
                info = folder.stat()
                self.times[folder] = (info.st_atime_ns, info.st_mtime_ns)

    def makedirs(self, folder: Path) -> None:
        """mkdir -p, remembering every folder it makes."""
        missing: list[Path] = []
        probe = folder
        while not probe.is_dir():
            if probe.is_symlink() or probe.exists():
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(probe))
            missing.append(probe)
            if probe.parent == probe:
                break
            probe = probe.parent
        for path in reversed(missing):
            self.remember(path.parent)
            path.mkdir()
            self.folders.append(path)

    def restore_times(self, folder: Path) -> None:
        if folder in self.times:
            with contextlib.suppress(OSError):
                os.utime(folder, ns=self.times[folder])

    def undo(self) -> None:
        for path in reversed(self.files):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        for folder in self.times:
            self.restore_times(folder)
        self.files.clear()
        self.folders.clear()


def _link_or_copy(src: Path, dst: Path) -> None:
    """Put `src` at `dst` unless something is there (FileExistsError): a hard link (the
    staging folder is beside the destination, on the same disk), else a copy."""
    try:
        os.link(src, dst)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links here (FAT, exFAT, some network shares): copy instead
    with src.open("rb") as fin:
        fout = dst.open("xb")
        try:
            with fout:
                shutil.copyfileobj(fin, fout, CHUNK)
            info = src.stat()
            os.utime(dst, ns=(info.st_atime_ns, info.st_mtime_ns))
        except BaseException:
            with contextlib.suppress(OSError):
                dst.unlink()
            raise
