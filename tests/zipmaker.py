"""Real zip archives for tests, made the way the tools clerks use make them (nothing binary
is committed).

Chinese Windows Explorer ("发送到 → 压缩(zipped)文件夹") writes names in the OEM code page,
GBK/CP936, and does NOT set the UTF-8 flag (bit 11). Python's zipfile always writes
non-ASCII names as UTF-8 with the flag, so `RawInfo` writes a name's bytes exactly as
given, with exactly the flags given."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

DATE_TIME = (2019, 3, 5, 10, 20, 30)
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
MAGIC_7Z = b"7z\xbc\xaf\x27\x1c\x00\x04"
MAGIC_RAR5 = b"Rar!\x1a\x07\x01\x00"
MAGIC_RAR4 = b"Rar!\x1a\x07\x00"
_CENTRAL = b"PK\x01\x02"


class RawInfo(zipfile.ZipInfo):
    """An entry whose header holds `raw` as its name and `flags` as its flag bits (zipfile
    resets flag_bits when it writes, so the flags are added where the name is encoded)."""

    def __init__(self, raw: bytes, date_time: tuple[int, int, int, int, int, int] = DATE_TIME,
                 *, flags: int = 0) -> None:
        super().__init__(raw.decode("cp437"), date_time)
        self.raw = raw
        self.extra_flags = flags

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own name
        return self.raw, self.flag_bits | self.extra_flags


@dataclass(frozen=True)
class Member:
    """One entry to write. `name`: text (encoded with `encoding`) or raw bytes."""

    name: str | bytes
    data: bytes = b""
    encoding: str = "gbk"  # "gbk": as Chinese Windows Explorer; "utf-8": with the flag
    flags: int = 0  # more flag bits (ENCRYPTED_FLAG …)
    extra: bytes = b""  # extra fields
    mode: int | None = None  # unix mode (external_attr >> 16), e.g. 0o120777 for a link
    date_time: tuple[int, int, int, int, int, int] = DATE_TIME
    method: int = zipfile.ZIP_DEFLATED

    def info(self) -> RawInfo:
        if isinstance(self.name, bytes):
            raw, flags = self.name, self.flags
        elif self.encoding == "utf-8":
            raw, flags = self.name.encode("utf-8"), self.flags | UTF8_FLAG
        else:
            raw, flags = self.name.encode(self.encoding), self.flags
        info = RawInfo(raw, self.date_time, flags=flags)
        info.compress_type = self.method
        info.extra = self.extra
        if self.mode is not None:
            info.create_system = 3
            info.external_attr = self.mode << 16
        elif raw.endswith((b"/", b"\\")):
            info.external_attr = 0x10  # MS-DOS directory attribute, as Explorer writes
        return info


def zip_bytes(members: Iterable[Member]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for member in members:
            zf.writestr(member.info(), member.data)
    return buf.getvalue()


def write_zip(path: Path, members: Iterable[Member]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(members))
    return path


def _folders(names: Iterable[str]) -> list[str]:
    """The folder entries ("a/", "a/b/") that Explorer writes before the files in them."""
    seen: dict[str, None] = {}
    for name in names:
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            seen["/".join(parts[:i]) + "/"] = None
    return list(seen)


def windows_zip(path: Path, files: Mapping[str, bytes], *, folders: bool = True) -> Path:
    """As Chinese Windows Explorer makes it: GBK names, no UTF-8 flag, folder entries."""
    made = _folders(files) if folders else []
    members = [Member(f) for f in made]
    members += [Member(name, data) for name, data in files.items() if name not in made]
    return write_zip(path, members)


def utf8_zip(path: Path, files: Mapping[str, bytes]) -> Path:
    """As 7-Zip, WinRAR, macOS and Python make it: UTF-8 names with the UTF-8 flag."""
    made = _folders(files)
    members = [Member(f, encoding="utf-8") for f in made]
    members += [Member(name, data, encoding="utf-8") for name, data in files.items()
                if name not in made]
    return write_zip(path, members)


def unicode_path_extra(name: str, header: bytes, *, crc: int | None = None,
                       version: int = 1) -> bytes:
    """The Info-ZIP Unicode Path extra field (0x7075) for an entry whose header name is
    `header`: version, CRC32 of the header name, the UTF-8 name."""
    utf8 = name.encode("utf-8")
    data = struct.pack("<BL", version, zlib.crc32(header) if crc is None else crc) + utf8
    return struct.pack("<HH", 0x7075, len(data)) + data


def unicode_path_member(name: str, data: bytes, header: bytes = b"????.pdf", *,
                        crc: int | None = None) -> Member:
    """An entry as English Windows or an old WinRAR write a Chinese name: "?" (or the code
    page's bytes) in the header, the real name in the 0x7075 field."""
    return Member(header, data, extra=unicode_path_extra(name, header, crc=crc))


def bomb_member(name: str = "bomb.pdf", size: int = 2 << 20) -> Member:
    """Zeros deflate about 1000 to 1: 2 MB become 2 KB."""
    return Member(name, bytes(size))


def nested_zip(path: Path, levels: int, files: Mapping[str, bytes]) -> Path:
    """`levels` archives inside each other ("level1.zip" holds "level2.zip" …); the
    innermost holds `files`."""
    data = zip_bytes(Member(n, d) for n, d in files.items())
    for level in range(levels, 1, -1):
        data = zip_bytes([Member(f"level{level}.zip", data, method=zipfile.ZIP_STORED)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _central_headers(data: bytes) -> list[int]:
    """Offsets of the central directory headers (found from the end record)."""
    end = data.rfind(b"PK\x05\x06")
    count, _size, start = struct.unpack_from("<HLL", data, end + 10)
    offsets, at = [], start
    for _ in range(count):
        assert data[at:at + 4] == _CENTRAL
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        offsets.append(at)
        at += 46 + name_len + extra_len + comment_len
    return offsets


def patch_central(data: bytes, index: int, *, method: int | None = None,
                  size: int | None = None) -> bytes:
    """Change what the central directory declares about entry `index`: its compression
    method, or its uncompressed size (a header that lies)."""
    out = bytearray(data)
    at = _central_headers(data)[index]
    if method is not None:
        struct.pack_into("<H", out, at + 10, method)
    if size is not None:
        struct.pack_into("<L", out, at + 24, size)
    return bytes(out)


def corrupt_stored_data(data: bytes, needle: bytes) -> bytes:
    """Flip a byte of a stored (uncompressed) entry's content: its CRC no longer matches."""
    at = data.index(needle)
    out = bytearray(data)
    out[at] ^= 0xFF
    return bytes(out)


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """An archive whose download was interrupted."""
    return data[: int(len(data) * keep)]
