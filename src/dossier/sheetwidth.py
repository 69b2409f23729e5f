"""How small a spreadsheet prints once it is fitted to the page width (dossier.office
fits every sheet one page wide): a sheet far wider than the page is shrunk until its text
cannot be read, and `dossier check` says so, naming the sheet.

Estimated from the workbook's XML alone, as Excel does it: a column `width` is in
characters of the default font (11-point Calibri: 7 pixels a character plus 5 pixels of
padding, at 96 pixels an inch); the printable width is A4's less LibreOffice's default
margins (0.7 inch a side), in landscape for a sheet of more than 10 columns (as fitted)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import unescape

READABLE = 0.5  # fitted below half its size, 11-point text prints under 6 points
_MARGINS_MM = 2 * 17.78
_WIDE_COLUMNS = 10
_PART_LIMIT = 64 << 20


@dataclass(frozen=True)
class WideSheet:
    name: str  # the sheet's name, as its tab shows it
    percent: int  # the scale it prints at, in per cent


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def scale(xml: bytes) -> float | None:
    """The scale a worksheet prints at when fitted one page wide (≤ 1 shrinks it); None
    when the sheet does not say how wide it is."""
    found = re.search(rb"<(?:[\w.-]+:)?dimension\b[^>]*\bref\s*=\s*[\"']"
                      rb"[A-Z]*\d*:?([A-Z]{1,3})\d*[\"']", xml)
    if found is None:
        return None
    last = _column(found.group(1).decode("ascii"))
    default = 8.43
    base = re.search(rb"<(?:[\w.-]+:)?sheetFormatPr\b[^>]*\bdefaultColWidth\s*=\s*[\"']"
                     rb"([\d.]+)[\"']", xml)
    if base is not None:
        default = float(base.group(1))
    widths = [default] * last
    for col in re.finditer(rb"<(?:[\w.-]+:)?col\b([^>]*)/?>", xml):
        attrs = dict(re.findall(rb"(\w+)\s*=\s*[\"']([^\"']*)[\"']", col.group(1)))
        try:
            first, end = int(attrs.get(b"min", b"0")), int(attrs.get(b"max", b"0"))
            width = 0.0 if attrs.get(b"hidden") in (b"1", b"true") else float(
                attrs.get(b"width", str(default).encode()))
        except ValueError:
            continue
        for n in range(max(first, 1), min(end, last) + 1):
            widths[n - 1] = width
    total_mm = sum((w * 7 + 5) * 25.4 / 96 for w in widths if w > 0)
    if total_mm <= 0:
        return None
    page_mm = (297 if last > _WIDE_COLUMNS else 210) - _MARGINS_MM
    return page_mm / total_mm


def wide_sheets(path: Path) -> tuple[WideSheet, ...]:
    """The sheets of an .xlsx that print too small to read once fitted; () for anything
    else (.xls, .et and .ods are not measured) or anything unreadable."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = _sheet_names(zf)
            found = []
            for part, name in names:
                try:
                    info = zf.getinfo(part)
                except KeyError:
                    continue
                if info.file_size > _PART_LIMIT:
                    continue
                got = scale(zf.read(info))
                if got is not None and got < READABLE:
                    found.append(WideSheet(name, max(1, round(got * 100))))
            return tuple(found)
    except Exception:  # no workbook.xml (an .ods), a damaged member (zlib.error) …
        return ()


def _sheet_names(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(worksheet part, sheet name) in the workbook's order."""
    book = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {m.group(1): m.group(2) for m in re.finditer(
        rb"<(?:\w+:)?Relationship\b[^>]*?\bId\s*=\s*\"([^\"]+)\"[^>]*?\bTarget\s*=\s*\"([^\"]+)\"",
        rels)}
    targets |= {m.group(2): m.group(1) for m in re.finditer(
        rb"<(?:\w+:)?Relationship\b[^>]*?\bTarget\s*=\s*\"([^\"]+)\"[^>]*?\bId\s*=\s*\"([^\"]+)\"",
        rels)}
    found = []
    for sheet in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        attrs = sheet.group(1)
        name = re.search(rb"\bname\s*=\s*\"([^\"]*)\"", attrs)
        rid = re.search(rb"\br:id\s*=\s*\"([^\"]*)\"", attrs) or re.search(
            rb"\b\w+:id\s*=\s*\"([^\"]*)\"", attrs)
        if name is None or rid is None or rid.group(1) not in targets:
            continue
        target = targets[rid.group(1)].decode("utf-8", "replace").lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        found.append((part, unescape(name.group(1).decode("utf-8", "replace"),
                                     {"&quot;": '"', "&apos;": "'"})))
    return found
