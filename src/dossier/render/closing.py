"""卷内备考表: the last page of a volume (`build --closing-sheet`), as archive practice
lays it out: the title, a framed 本卷情况说明 (how many documents and pages the volume
holds, which ones are placeholders, which part it is), then 立卷人, 检查人 and the date.
Names not given are left as lines to sign by hand. Not numbered (it is not material)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dossier.i18n import msg, pdf_text
from dossier.render.typography import (
    LEFT,
    PAGE_H,
    SIZE_BODY,
    SIZE_TITLE,
    TEXT_W,
    canvas,
    draw_centered,
    draw_text,
    wrap,
)

_FRAME_TOP = PAGE_H - 52 * mm
_FRAME_BOTTOM = 95 * mm
_LINE = 38 * mm  # the line left for a name or a date to write by hand


@dataclass(frozen=True)
class ClosingFacts:
    items: int  # documents bound
    pages: int  # their numbered pages
    first: int  # the first and last page numbers (they run on across parts)
    last: int
    part: int = 0  # which part of a split volume, and of how many (0: not split)
    parts: int = 0
    placeholders: tuple[str, ...] = ()  # titles of documents replaced by a marked page
    compiler: str = ""
    checker: str = ""
    date: str = ""  # 2021年3月


def closing_lines(facts: ClosingFacts) -> list[str]:
    """The sentences of 本卷情况说明."""
    tr = pdf_text()
    found = [tr.render(msg("pdf-closing-summary", items=facts.items, pages=facts.pages))]
    if facts.parts:
        found.append(tr.render(msg("pdf-closing-part", part=facts.part, parts=facts.parts,
                                   first=facts.first, last=facts.last)))
    if facts.placeholders:
        found.append(tr.render(msg("pdf-closing-placeholders",
                                   count=len(facts.placeholders),
                                   titles=tuple(facts.placeholders))))
    return found


def render_closing(facts: ClosingFacts, font: str) -> bytes:
    tr = pdf_text()
    buf = io.BytesIO()
    with canvas(buf, font) as c:
        draw_centered(c, tr.render(msg("pdf-closing")), font, SIZE_TITLE, PAGE_H - 40 * mm,
                      spacing=6, bold=True)
        c.setLineWidth(0.8)
        c.rect(LEFT, _FRAME_BOTTOM, TEXT_W, _FRAME_TOP - _FRAME_BOTTOM)
        y = _FRAME_TOP - 12 * mm
        draw_text(c, tr.render(msg("pdf-closing-notes")), font, SIZE_BODY, LEFT + 6 * mm, y,
                  bold=True)
        y -= SIZE_BODY * 2
        for sentence in closing_lines(facts):
            for line in wrap(sentence, font, SIZE_BODY, TEXT_W - 20 * mm):
                if y < _FRAME_BOTTOM + 8 * mm:
                    break  # a very long list of placeholders: the frame holds what fits
                draw_text(c, line, font, SIZE_BODY, LEFT + 12 * mm, y)
                y -= SIZE_BODY * 1.6
        rows = (("pdf-closing-compiler", facts.compiler), ("pdf-closing-checker", facts.checker),
                ("pdf-closing-date", facts.date))
        _signatures(c, font, [(tr.render(msg(key)), value) for key, value in rows])
        c.showPage()
    return buf.getvalue()


def _signatures(c: Canvas, font: str, rows: Sequence[tuple[str, str]]) -> None:
    """立卷人：____ and so on, under the frame: the name given, else a line."""
    y = _FRAME_BOTTOM - 18 * mm
    x = LEFT + 70 * mm
    for label, value in rows:
        text = f"{label}："
        draw_text(c, text, font, SIZE_BODY, x, y)
        start = x + stringWidth(text, font, SIZE_BODY)
        if value:
            draw_text(c, value, font, SIZE_BODY, start, y)
        else:
            c.line(start, y - 2, start + _LINE, y - 2)
        y -= 14 * mm
