"""The 目录 (卷内目录): archive-style table of 序号, 题名, 页号 with clickable rows.

Material page numbers start at 1 after the cover and 目录, so they are known before the
目录 is laid out; the 目录's own length only shifts link targets, which the assembler
resolves once it knows how many 目录 pages there are."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dossier.i18n import msg, pdf_text
from dossier.render.typography import (
    LEFT,
    PAGE_H,
    SIZE_TABLE,
    SIZE_TITLE,
    TEXT_W,
    TOP,
    draw_centered,
    draw_text,
    wrap,
)

COL_NO = 16 * mm
COL_PAGE = 30 * mm
COL_TITLE = TEXT_W - COL_NO - COL_PAGE
PAD = 2.2 * mm
LEADING = SIZE_TABLE * 1.45
BOTTOM = 30 * mm


@dataclass(frozen=True)
class TocEntry:
    section: bool  # a section row (一、…) or a document row
    number: str  # 序号 of a document row
    title: str
    pages: str  # "3", "3–5", or 无 (pdf-toc-none) for an empty section
    target: int | None  # material page number the row links to (None: no link)


@dataclass(frozen=True)
class TocLink:
    toc_page: int  # 0-based index among the 目录 pages
    rect: tuple[float, float, float, float]
    target: int  # material page number (1-based)


def page_range(first: int, count: int) -> str:
    return str(first) if count <= 1 else f"{first}–{first + count - 1}"


def draw_toc(c: Canvas, entries: list[TocEntry], font: str,
             title: str = "") -> tuple[int, list[TocLink]]:
    """The 目录 as the next pages of `c`: their count, and the link rectangles."""
    title = title or pdf_text().render(msg("pdf-toc"))
    links: list[TocLink] = []
    page = 0
    y = _start_page(c, font, title, first=True)
    for entry in entries:
        width = COL_TITLE + (COL_NO if entry.section else 0) - 2 * PAD
        lines = wrap(entry.title, font, SIZE_TABLE, width)
        height = max(len(lines) * LEADING + 2 * PAD, 9 * mm)
        if y - height < BOTTOM:
            c.showPage()
            page += 1
            y = _start_page(c, font, title, first=False)
        _row(c, font, entry, lines, y, height)
        if entry.target is not None:
            links.append(TocLink(page, (LEFT, y - height, LEFT + TEXT_W, y), entry.target))
        y -= height
    c.showPage()
    return page + 1, links


def _start_page(c: Canvas, font: str, title: str, first: bool) -> float:
    tr = pdf_text()
    heading = " ".join(title) if first else tr.render(msg("pdf-toc-continued", title=title))
    draw_centered(c, heading, font, SIZE_TITLE, PAGE_H - TOP + 8 * mm, bold=True)
    y = PAGE_H - TOP - 4 * mm
    header = TocEntry(False, tr.render(msg("pdf-toc-number")), tr.render(msg("pdf-toc-title")),
                      tr.render(msg("pdf-toc-pages")), None)
    _row(c, font, header, [header.title], y, 10 * mm, header_row=True)
    return float(y - 10 * mm)


def _row(c: Canvas, font: str, entry: TocEntry, lines: list[str], top: float, height: float,
         header_row: bool = False) -> None:
    x0, x1, x2, x3 = LEFT, LEFT + COL_NO, LEFT + COL_NO + COL_TITLE, LEFT + TEXT_W
    c.setLineWidth(0.6)
    c.rect(x0, top - height, TEXT_W, height)
    if not entry.section:
        c.line(x1, top, x1, top - height)
    c.line(x2, top, x2, top - height)
    first_base = top - (height - len(lines) * LEADING) / 2 - LEADING * 0.72
    mid_base = top - height / 2 - SIZE_TABLE * 0.35
    bold = entry.section or header_row
    if entry.section:
        for n, line in enumerate(lines):
            draw_text(c, line, font, SIZE_TABLE, x0 + PAD, first_base - n * LEADING, bold=True)
    else:
        _center(c, entry.number, font, x0, x1, mid_base, bold)
        if header_row:
            _center(c, lines[0], font, x1, x2, mid_base, True)
        else:
            for n, line in enumerate(lines):
                draw_text(c, line, font, SIZE_TABLE, x1 + PAD, first_base - n * LEADING)
    _center(c, entry.pages, font, x2, x3, mid_base, bold)


def _center(c: Canvas, text: str, font: str, left: float, right: float, y: float,
            bold: bool = False) -> None:
    width = stringWidth(text, font, SIZE_TABLE)
    draw_text(c, text, font, SIZE_TABLE, left + (right - left - width) / 2, y, bold=bold)
