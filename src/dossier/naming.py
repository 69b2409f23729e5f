"""What a clerk's file and folder names mean: order numbers, review-point tags,
years, sections, and the natural sort order ("2" before "10")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PureWindowsPath

# Order number at the start: "01-", "1.", "03_", "2 ", "05、". A bare number followed
# directly by "(" or "（" is an order number too: "01(2)河长名单.pdf".
_ORDER = re.compile(r"^\s*(\d{1,3})(?:\s*[-_.、．]\s*|\s+|(?=[(（]))")
_TAG = re.compile(r"^\s*[(（]\s*(\d{1,2})\s*[)）]\s*")
_INDICATOR_DIR = re.compile(r"^\s*0*(\d{1,3})(?=$|[\s\-_.、．]|[^\d])")
_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年?\s*[—–\-~～至到]+\s*((?:19|20)\d{2})(?!\d)"
)
_DATE8 = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NATURAL = re.compile(r"(\d+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class NameInfo:
    order: int | None
    tags: tuple[int, ...]
    title: str


def parse_name(stem: str) -> NameInfo:
    """Split "01(2)(3)巴中市河长名单" into order 1, tags (2, 3), title "巴中市河长名单"."""
    rest = unicodedata.normalize("NFC", stem)
    order = None
    m = _ORDER.match(rest)
    if m and not _TAG.match(rest):
        order, rest = int(m.group(1)), rest[m.end():]
    tags: list[int] = []
    while (t := _TAG.match(rest)) is not None:
        tags.append(int(t.group(1)))
        rest = rest[t.end():]
    title = rest.strip(" -_.、") or stem.strip()
    return NameInfo(order, tuple(dict.fromkeys(tags)), title)


def indicator_number(folder_name: str) -> int | None:
    """Leading number of an indicator folder: "12", "12-水环境质量", "12 …", "12_…"."""
    m = _INDICATOR_DIR.match(unicodedata.normalize("NFKC", folder_name))
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class YearSpan:
    first: int
    last: int

    def covers(self, year: int) -> bool:
        return self.first <= year <= self.last

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}—{self.last}"


def years_in(name: str) -> tuple[YearSpan, ...]:
    """Years a name mentions: "2018—2022年" is one span, "20190301" is 2019,
    "巴环发〔2019〕12号" is 2019. Digits glued to other digits are not years."""
    text = unicodedata.normalize("NFKC", name)
    spans: list[YearSpan] = []
    for m in _RANGE.finditer(text):
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        spans.append(YearSpan(a, b))
    text = _RANGE.sub(" ", text)
    for m in _DATE8.finditer(text):
        y = int(m.group(1))
        spans.append(YearSpan(y, y))
    text = _DATE8.sub(" ", text)
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        spans.append(YearSpan(y, y))
    return tuple(dict.fromkeys(spans))


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "2" before "10" and ignores case."""
    parts = _NATURAL.split(unicodedata.normalize("NFC", name).casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def is_odd_name(name: str) -> bool:
    """Control characters or bytes that were not valid in the file system encoding."""
    if _CONTROL.search(name):
        return True
    return any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name)


def safe_display(name: str) -> str:
    """A printable form of any file name (undecodable bytes shown as \\xNN)."""
    out = []
    for ch in name:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _CONTROL.match(ch):
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    return "".join(out)


_WINDOWS_FORBIDDEN = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？",
                                    '"': "＂", "<": "＜", ">": "＞", "|": "｜"})


def folder_name(indicator_id: int, name: str) -> str:
    """Folder name `dossier init` creates: "21-单位地区生产总值能耗(吨标准煤／万元)"."""
    return f"{indicator_id:02d}-{name.translate(_WINDOWS_FORBIDDEN)}"


_SEPARATORS = re.compile(r"[\\/]")


def stays_inside(rel: str) -> bool:
    """A relative path (from a manifest or a record) that stays inside the folder it is
    relative to, on every system: no root, no drive, no `..`, no NUL (backslashes count as
    separators, as on Windows)."""
    if not rel or "\x00" in rel or rel[0] in "/\\" or PureWindowsPath(rel).drive:
        return False
    return ".." not in _SEPARATORS.split(rel)
