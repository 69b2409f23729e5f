"""A clearly marked page standing in for a document that cannot be read (when the build
allows broken sources). Its text is Chinese, whatever the interface language."""

from __future__ import annotations

import io

from reportlab.lib.units import mm

from dossier.i18n import Message, msg, pdf_text
from dossier.render.typography import PAGE_H, PAGE_W, SIZE_BODY, TEXT_W, canvas, draw_centered, wrap


def render_placeholder(name: str, reason: Message, font: str) -> bytes:
    """The page for the file `name`, saying why it cannot be read (`reason`, rendered in
    Chinese; raw library text stays in the reason's `detail`, which is not printed)."""
    tr = pdf_text()
    buf = io.BytesIO()
    with canvas(buf, font) as c:
        c.setStrokeColorRGB(0.8, 0, 0)
        c.setLineWidth(3)
        c.rect(20 * mm, 20 * mm, PAGE_W - 40 * mm, PAGE_H - 40 * mm)
        c.setFillColorRGB(0.8, 0, 0)
        y = PAGE_H / 2 + 40 * mm
        draw_centered(c, tr.render(msg("pdf-placeholder-heading")), font, 28, y, bold=True)
        y -= 20 * mm
        for line in wrap(tr.render(msg("pdf-placeholder-file", name=name)), font, SIZE_BODY,
                         TEXT_W):
            draw_centered(c, line, font, SIZE_BODY, y)
            y -= SIZE_BODY * 1.6
        c.setFillColorRGB(0.3, 0.3, 0.3)
        for line in wrap(tr.render(reason), font, 11, TEXT_W):
            draw_centered(c, line, font, 11, y)
            y -= 16
        c.showPage()
    return buf.getvalue()
