"""The zip format read by hand: names, extra fields, the end record and the central
directory, where Python's zipfile is too trusting or too strict.

Names. Zips made by Chinese Windows carry GBK names without the UTF-8 flag, so a name is
decoded, in this order, with: the UTF-8 flag (bit 11) → the Info-ZIP Unicode Path extra
field (0x7075, version 1, whose CRC32 must match the raw name) → the raw bytes as strict
UTF-8 → GB18030. The raw bytes of a name without the flag are what Python decoded as
cp437. A name none of these decodes is skipped with a `bad-file-name/archive` problem."""

from __future__ import annotations

import bisect
import contextlib
import enum
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from dossier.naming import safe_display

_MAGIC_7Z = b"7z\xbc\xaf\x27\x1c"
_MAGIC_RAR = b"Rar!\x1a\x07"  # RAR 4 (…\x00) and RAR 5 (…\x01\x00)
_MAGIC_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_UTF8_FLAG = 0x800
_ENCRYPTED = 0x01 | 0x40  # traditional/AES encryption, strong encryption
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_METHOD_NAMES = {1: "Shrink", 6: "Implode", 9: "Deflate64", 10: "PKWARE DCL Implode",
                 18: "IBM TERSE", 19: "IBM LZ77", 93: "Zstandard", 95: "XZ", 96: "JPEG",
                 97: "WavPack", 98: "PPMd", 99: "AES"}

_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")


class Decoding(str, enum.Enum):
    """Which rule gave an entry its name."""

    UTF8_FLAG = "utf-8-flag"  # the UTF-8 flag (general purpose bit 11) was set
    UNICODE_PATH = "unicode-path"  # the Info-ZIP Unicode Path extra field (0x7075)
    UTF8 = "utf-8"  # no flag, but the raw bytes are valid UTF-8 (ASCII included)
    GB18030 = "gb18030"  # no flag: GBK/CP936 as written by Chinese Windows


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
