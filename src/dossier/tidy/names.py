"""Pure helpers of `dossier tidy` for names and encodings: a name holding raw GBK bytes or
GBK mojibake, a doubled extension, a `.yaml.txt`, a YAML file not saved as UTF-8. They
look at text and bytes only, never at the disk."""

from __future__ import annotations

import os
import unicodedata
from pathlib import PurePosixPath

from dossier.explain.model import EXPLANATION_FILE, SHARED_FILE
from dossier.naming import is_odd_name
from dossier.scan import SUPPORTED

_YAML_NAMES = (EXPLANATION_FILE, SHARED_FILE)


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def _allowed(ch: str) -> bool:
    o = ord(ch)
    return ((0x20 <= o < 0x7F) or _is_cjk(ch) or 0x3000 <= o <= 0x303F
            or 0xFF01 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027 or 0x2460 <= o <= 0x24FF)


def _ascii_count(text: str) -> int:
    return sum(ord(c) < 0x80 for c in text)


def _plausible(fixed: str, original: str) -> bool:
    """A decoded name that reads as a Chinese name: CJK, ASCII and Chinese punctuation
    only, and every ASCII character of the original still there (in GBK mojibake both
    bytes of a character are ≥ 0x80, so no ASCII byte was swallowed into one)."""
    return (bool(fixed) and not is_odd_name(fixed) and any(_is_cjk(c) for c in fixed)
            and all(_allowed(c) for c in fixed) and "/" not in fixed and "\\" not in fixed
            and _ascii_count(fixed) == _ascii_count(original))


def repaired_name(name: str) -> tuple[str, str] | None:
    """(the name it should have, "bytes" | "mojibake") for a name holding raw GBK bytes
    (undecodable in the file system's encoding) or GBK shown as Latin-1/CP1252/CP437;
    None when the name is fine or cannot be repaired with confidence."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in name):
        try:
            fixed = os.fsencode(name).decode("gb18030")
        except (UnicodeError, ValueError):
            return None
        return (fixed, "bytes") if _plausible(fixed, name) else None
    if all(ord(c) < 0x80 for c in name) or any(_is_cjk(c) for c in name):
        return None
    for codec in ("latin-1", "cp1252", "cp437"):
        try:
            fixed = name.encode(codec).decode("gb18030")
        except UnicodeError:
            continue
        if _plausible(fixed, name):
            return fixed, "mojibake"
    return None


def doubled_extension(name: str) -> str | None:
    """"名称.pdf.pdf" → "名称.pdf" for the file types the tool binds; None otherwise."""
    path = PurePosixPath(name)
    suffixes = path.suffixes
    if len(suffixes) < 2 or suffixes[-1].lower() != suffixes[-2].lower():
        return None
    if suffixes[-1].lower() not in SUPPORTED:
        return None
    stem = name[: -len(suffixes[-1])]
    return stem if PurePosixPath(stem).stem.strip() else None


def yaml_txt(name: str) -> str | None:
    """"达标说明.yaml.txt" → "达标说明.yaml" (the tool's own YAML files only)."""
    for own in _YAML_NAMES:
        if unicodedata.normalize("NFC", name).casefold() == f"{own}.txt".casefold():
            return own
    return None


def yaml_encoding(data: bytes) -> str | None:
    """The codec a YAML file must be read with when it is not UTF-8: "utf-16" (with a
    BOM) or "gb18030" (GBK, as WPS and Notepad on Chinese Windows save); None when it is
    UTF-8 (BOM or not) or neither."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-16")
        except UnicodeError:
            return None
        return "utf-16"
    try:
        data.decode("utf-8")
        return None
    except UnicodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeError:
        return None
    return "gb18030"


_ENCODING_SHOWN = {"utf-16": "UTF-16", "gb18030": "GBK"}
