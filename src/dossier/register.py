"""总目录: one line per volume of every indicator in OUT, with its page count and a link to
the file (by relative path, so the folder can be copied or burnt to a disc as a whole), as
a PDF to print and an XLSX to sort. Written by `build --all` from the manifests of OUT."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.atomic import atomic_output
from dossier.errors import BuildError, os_cause
from dossier.i18n import msg, pdf_text
from dossier.manifest import manifests_in
from dossier.naming import safe_display, stays_inside

PDF_NAME = "总目录.pdf"
XLSX_NAME = "总目录.xlsx"


@dataclass(frozen=True)
class Entry:
    indicator: int
    name: str  # the indicator's name
    number: int  # 第x册 (0: a single volume)
    count: int
    holds: str  # what the volume holds ("" for a single volume)
    pages: int  # numbered pages (the material)
    file: str  # the PDF's name in OUT


def entries(out_dir: Path) -> tuple[Entry, ...]:
    """Every volume a manifest of OUT describes and whose PDF is there."""
    found = []
    for _, data in manifests_in(out_dir):
        entry = _entry(data)
        if entry is not None and (out_dir / entry.file).is_file():
            found.append(entry)
    return tuple(sorted(found, key=lambda e: (e.indicator, e.number, e.file)))


def _entry(data: dict[str, Any]) -> Entry | None:
    output = data.get("output")
    name = output.get("file") if isinstance(output, dict) else None
    number = data.get("indicator")
    if not (isinstance(name, str) and stays_inside(name) and Path(name).name == name
            and isinstance(number, int)):
        return None
    assert isinstance(output, dict)
    pages = output.get("material_pages")  # older manifests: all pages but the front
    if not isinstance(pages, int):
        pages = _int(output.get("pages")) - _int(output.get("front_pages"))
    part = data.get("part") if isinstance(data.get("part"), dict) else {}
    assert isinstance(part, dict)
    return Entry(number, str(data.get("indicator_name", "")), _int(part.get("number")),
                 _int(part.get("count")), str(part.get("holds", "")),
                 pages if isinstance(pages, int) else 0, name)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def write_register(out_dir: Path, font: str, title: str, epoch: int) -> tuple[Path, Path]:
    """Both files, written whole or not at all, and only when they change (a build with
    nothing to do leaves them as they are); a place that cannot be written is a
    BuildError."""
    found = entries(out_dir)
    made = []
    for name, blob in ((PDF_NAME, register_pdf(found, font, title)),
                       (XLSX_NAME, register_xlsx(found, title, epoch))):
        target = out_dir / name
        made.append(target)
        if _holds(target, blob):
            continue
        try:
            with atomic_output(target) as fh:
                fh.write(blob)
        except OSError as exc:
            raise BuildError("output-unwritable", file=safe_display(str(target)),
                             **os_cause(exc)) from None
    return made[0], made[1]


def _holds(target: Path, blob: bytes) -> bool:
    """The regular file `target` holds exactly `blob`."""
    try:
        if not target.is_file() or target.is_symlink() or target.stat().st_size != len(blob):
            return False
        return target.read_bytes() == blob
    except OSError:
        return False


def _volume_text(e: Entry) -> str:
    tr = pdf_text()
    if not e.number:
        return tr.render(msg("register-single"))
    return tr.render(msg("pdf-toc-volume", number=e.number, title=e.holds))


def register_pdf(found: Sequence[Entry], font: str, title: str) -> bytes:
    """The 总目录 drawn as a 目录 (one section row per indicator), each volume row linking
    to its file (a GoToR action with the relative file name)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    from dossier.render.toc import TocEntry, draw_toc
    from dossier.render.typography import canvas

    tr = pdf_text()
    rows: list[TocEntry] = []
    files: list[str] = []
    for number in sorted({e.indicator for e in found}):
        mine = [e for e in found if e.indicator == number]
        rows.append(TocEntry(True, "", tr.render(msg("register-indicator", indicator=number,
                                                     name=mine[0].name)),
                             tr.render(msg("pdf-toc-volume-pages",
                                           pages=sum(e.pages for e in mine))), None))
        for e in mine:
            files.append(e.file)
            rows.append(TocEntry(False, str(len(files)), _volume_text(e),
                                 tr.render(msg("pdf-toc-volume-pages", pages=e.pages)),
                                 len(files)))
    buf = io.BytesIO()
    with canvas(buf, font, tr.render(msg("register-title", title=title))) as c:
        _, links = draw_toc(c, rows, font, tr.render(msg("register-heading")))
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    writer = PdfWriter(clone_from=reader)
    for link in links:
        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in link.rect]),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/A"): DictionaryObject({
                NameObject("/S"): NameObject("/GoToR"),
                NameObject("/F"): TextStringObject(files[link.target - 1]),
                NameObject("/D"): ArrayObject([NumberObject(0), NameObject("/Fit")]),
                NameObject("/NewWindow"): BooleanObject(True)}),
        })
        writer.add_annotation(link.toc_page, annotation)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def register_xlsx(found: Sequence[Entry], title: str, epoch: int) -> bytes:
    """The same list as a workbook: a row per volume, the file a relative hyperlink."""
    import xlsxwriter

    tr = pdf_text()
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
                         .replace(tzinfo=None)})
    sheet = book.add_worksheet(tr.render(msg("register-sheet")))
    bold = book.add_format({"bold": True, "border": 1, "bg_color": "#EEEEEE",
                            "text_wrap": True, "valign": "vcenter"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
    link = book.add_format({"border": 1, "font_color": "blue", "underline": 1})
    sheet.merge_range(0, 0, 0, 5, tr.render(msg("register-title", title=title)),
                      book.add_format({"bold": True, "font_size": 14, "align": "center"}))
    heads = ["register-col/indicator", "register-col/name", "register-col/volume",
             "register-col/holds", "register-col/pages", "register-col/file"]
    for col, key in enumerate(heads):
        sheet.write(1, col, tr.render(msg(key)), bold)
    for row, e in enumerate(found, start=2):
        volume = tr.render(msg("pdf-volume-number", number=e.number, count=e.count)) \
            if e.number else tr.render(msg("register-single"))
        sheet.write_number(row, 0, e.indicator, cell)
        sheet.write(row, 1, e.name, cell)
        sheet.write(row, 2, volume, cell)
        sheet.write(row, 3, e.holds, cell)
        sheet.write_number(row, 4, e.pages, cell)
        sheet.write_url(row, 5, f"external:{e.file}", link, e.file)
    for col, width in enumerate((6, 26, 14, 30, 8, 48)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    book.close()
    return buf.getvalue()
