"""Page geometry and text setting in the spirit of GB/T 9704: A4, 37 mm top margin,
28 mm binding margin, a 156 mm text block, 3号 (16 pt) body, 2号 (22 pt) titles."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dossier.render import lines
from dossier.render.lines import break_lines

PAGE_W, PAGE_H = A4
TOP = 37 * mm
LEFT = 28 * mm
TEXT_W = 156 * mm
TEXT_H = 225 * mm
SIZE_TITLE = 22.0  # 2号
SIZE_BODY = 16.0  # 3号
SIZE_SMALL = 14.0  # 4号
SIZE_TABLE = 12.0  # 小4号

@contextmanager
def canvas(buffer: io.BytesIO, font: str, title: str = "") -> Iterator[Canvas]:
    """A deterministic canvas (reportlab `invariant`), without ASCII85 (12x slower, 24% bigger).
    `font` is its initial font: otherwise reportlab references Helvetica, unused and not
    embedded, which print-shop preflight checks flag."""
    rl_config.useA85 = 0
    c = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=font)
    if title:
        c.setTitle(title)
    yield c
    c.save()


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width` (see render.lines: 避头尾, whole words)."""
    return [line.text for line in break_lines(text, font, size, width)]


def title_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """A title: one line if it fits, else broken where the sense allows, evenly."""
    return [line.text for line in lines.title_lines(text, font, size, width)]


def draw_centered(c: Canvas, text: str, font: str, size: float, y: float,
                  spacing: float = 0.0, bold: bool = False) -> None:
    """Centre `text` on the page at baseline y; `spacing` adds letter spacing (pt)."""
    width = stringWidth(text, font, size) + spacing * max(len(text) - 1, 0)
    x = (PAGE_W - width) / 2
    draw_text(c, text, font, size, x, y, spacing, bold)


def draw_text(c: Canvas, text: str, font: str, size: float, x: float, y: float,
              spacing: float = 0.0, bold: bool = False) -> None:
    c.saveState()  # char spacing and render mode must not leak into later text
    t = c.beginText(x, y)
    t.setFont(font, size)
    t.setCharSpace(spacing)
    if bold:  # no bold face in one-font setups: stroke the outline too (fill + stroke)
        t.setTextRenderMode(2)
        c.setLineWidth(size / 40)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()
