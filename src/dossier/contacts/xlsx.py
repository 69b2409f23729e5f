"""Open a filled 联络人员名单 workbook defensively: what a clerk may have saved under an
.xlsx name (a Word document, an old .xls, a password-protected file, an empty or damaged
file, a zip bomb) is recognised before openpyxl sees it, and becomes a reason, never a
traceback."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.archives import MIB, size_text
from dossier.errors import os_cause

# A filled form is a few dozen rows, some 10 KiB; these bounds are far above that and far
# below what could hurt (an xlsx is a zip: its parts may unpack to gigabytes).
MAX_FILE = 16 * MIB
MAX_UNPACKED = 64 * MIB
MAX_PARTS = 2_000
MAX_ROWS = 5_000  # rows read per sheet

_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # .xls, .et, and encrypted .xlsx alike
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted xlsx holds


class Unreadable(Exception):
    """Why a form cannot be read: the variant of contacts-unreadable and its params."""

    def __init__(self, variant: str, **params: Any) -> None:
        super().__init__(variant)
        self.variant = variant
        self.params = params


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: tuple[tuple[int, tuple[Any, ...]], ...] = field(default=())  # (row number, values)


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise Unreadable("too-large", size=size_text(size), limit=size_text(MAX_FILE),
                             size_bytes=size, limit_bytes=MAX_FILE)
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable("", **os_cause(exc)) from None
    if not data:
        raise Unreadable("empty")
    return data


def workbook_sheets(data: bytes) -> tuple[Sheet, ...]:
    """Every sheet's rows (at most MAX_ROWS each), with their spreadsheet row numbers."""
    _recognise(data)
    import openpyxl  # only when a workbook is read

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Unreadable("corrupt", detail=f"{type(exc).__name__}: {exc}") from None
    try:
        return tuple(_sheet(ws) for ws in book.worksheets)
    except Exception as exc:
        raise Unreadable("corrupt", detail=f"{type(exc).__name__}: {exc}") from None
    finally:
        book.close()


def _recognise(data: bytes) -> None:
    """Refuse what is not an xlsx workbook, or is one too large to open safely."""
    if data.startswith(_OLE2):
        raise Unreadable("encrypted" if _ENCRYPTED in data else "old-format")
    if not data.startswith(_ZIP):
        raise Unreadable("not-xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise Unreadable("corrupt", detail=str(exc)) from None
    names = {i.filename for i in infos}
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_PARTS or total > MAX_UNPACKED:
        raise Unreadable("too-large", size=size_text(total), limit=size_text(MAX_UNPACKED),
                         size_bytes=total, limit_bytes=MAX_UNPACKED)
    if "word/document.xml" in names:
        raise Unreadable("word")
    if "xl/workbook.xml" not in names and not any(n.startswith("xl/") for n in names):
        raise Unreadable("not-xlsx")


def _sheet(ws: Any) -> Sheet:
    if not hasattr(ws, "iter_rows"):  # a chart sheet
        return Sheet(str(ws.title))
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # a wrong <dimension> would cut rows off
    rows = []
    for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
        if number > MAX_ROWS:
            break
        if any(v is not None and str(v).strip() for v in values):
            rows.append((number, tuple(values)))
    return Sheet(str(ws.title), tuple(rows))


def cell_text(value: Any) -> str:
    """A cell as text: 13812345678.0 and 13812345678 as digits, dates as 2021-02-25."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

