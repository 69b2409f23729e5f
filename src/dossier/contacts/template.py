"""Write the blank 联络人员名单 (附件2) as an XLSX workbook laid out for printing: the title,
when and to whom to send it, the notice's five columns, one row per unit with 单位 filled
in. Byte-identical for the same catalogue and epoch (xlsxwriter, fixed creation date)."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import xlsxwriter

from dossier.atomic import atomic_output
from dossier.catalogue import Catalogue
from dossier.contacts.model import HEADERS, SHEET_NAME, contacts_deadline, form_title, form_units
from dossier.errors import BuildError, os_cause
from dossier.i18n import msg, pdf_text

# Column widths (Excel's character units): 单位 holds 市文化广播电视台和旅游局 on one line.
_WIDTHS = {"unit": 28, "name": 12, "title": 16, "phone": 26, "note": 14}
_TITLE_ROW, _NOTE_ROW, _HEADER_ROW = 0, 1, 2
_BODY_FONT = "宋体"  # the fonts of official documents, present on every Chinese Windows
_TITLE_FONT = "黑体"


def write_template(path: Path, catalogue: Catalogue, epoch: int) -> None:
    """The form for every unit (department or district) of the catalogue, in its order."""
    data = template_bytes(catalogue, epoch)
    try:
        with atomic_output(path) as fh:
            fh.write(data)
    except OSError as exc:
        raise BuildError("output-unwritable", file=str(path), **os_cause(exc)) from None


def template_bytes(catalogue: Catalogue, epoch: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = form_title(catalogue.settings)
    book.set_properties({"title": title, "subject": title,
                         "created": datetime.fromtimestamp(epoch, timezone.utc)
                         .replace(tzinfo=None)})
    formats = _formats(book)
    sheet = book.add_worksheet(SHEET_NAME)
    fields = list(HEADERS)
    last_col = len(fields) - 1
    for col, field in enumerate(fields):
        text_column = formats["text"] if field == "phone" else None
        sheet.set_column(col, col, _WIDTHS[field], text_column)
    sheet.set_row(_TITLE_ROW, 48)
    sheet.merge_range(_TITLE_ROW, 0, _TITLE_ROW, last_col, title, formats["title"])
    sheet.set_row(_NOTE_ROW, 36)
    sheet.merge_range(_NOTE_ROW, 0, _NOTE_ROW, last_col, _note(catalogue), formats["note"])
    sheet.set_row(_HEADER_ROW, 30)
    for col, field in enumerate(fields):
        sheet.write_string(_HEADER_ROW, col, HEADERS[field], formats["header"])
    units = form_units(catalogue)
    for n, unit in enumerate(units, _HEADER_ROW + 1):
        sheet.set_row(n, 30)
        for col, field in enumerate(fields):
            cell = formats["phone"] if field == "phone" else formats["cell"]
            if field == "unit":
                sheet.write_string(n, col, unit.name, formats["unit"])
            else:
                sheet.write_blank(n, col, None, cell)
    last_row = _HEADER_ROW + len(units)
    _print_setup(sheet, last_row, last_col)
    book.close()
    return buffer.getvalue()


def _note(catalogue: Catalogue) -> str:
    """When and to whom to send the form (正文 三 一是), and how to write 联系电话."""
    settings = catalogue.settings
    deadline = contacts_deadline(settings)
    to = (deadline.to if deadline else "") or settings.office or settings.issuer
    zh = pdf_text()
    if deadline is None:
        return zh.render(msg("contacts-form-note/no-deadline" if to else
                             "contacts-form-note/phone", to=to))
    return zh.render(msg("contacts-form-note", to=to, year=str(deadline.date.year),
                         month=str(deadline.date.month), day=str(deadline.date.day)))


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": _BODY_FONT, "font_size": 12, "valign": "vcenter", "text_wrap": True}
    boxed = {**base, "border": 1}
    return {
        "title": book.add_format({**base, "font_name": _TITLE_FONT, "font_size": 18,
                                  "bold": True, "align": "center"}),
        "note": book.add_format({**base, "font_size": 11, "align": "left"}),
        "header": book.add_format({**boxed, "bold": True, "align": "center"}),
        "unit": book.add_format({**boxed, "align": "left"}),
        "cell": book.add_format({**boxed, "align": "center"}),
        "phone": book.add_format({**boxed, "align": "center", "num_format": "@"}),
        "text": book.add_format({"num_format": "@"}),
    }


def _print_setup(sheet: Any, last_row: int, last_col: int) -> None:
    """A4 portrait, one page wide, the header row on every page, page numbers below."""
    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.6, right=0.6, top=0.75, bottom=0.75)
    sheet.repeat_rows(_HEADER_ROW)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.freeze_panes(_HEADER_ROW + 1, 0)
    sheet.set_footer("&C" + pdf_text().render(msg("contacts-form-footer")))
