"""The front matter of a volume, cover and 目录, drawn on one canvas.

One canvas means one subset of the CJK font per volume, and the glyphs the page numbers
need are reserved in it first, so the stamps reuse that font object too (see stamp.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from dossier.errors import TemplateError
from dossier.plan import VolumePlan
from dossier.render.cover import draw_cover
from dossier.render.toc import TocEntry, TocLink, draw_toc
from dossier.render.typography import canvas
from dossier.stamp import reserve_glyphs


@dataclass(frozen=True)
class Front:
    pdf: bytes  # cover (one page), then the 目录 pages
    toc_pages: int
    links: tuple[TocLink, ...]
    stamp_codes: dict[str, bytes]  # how the page-number characters are encoded
    stamp_font: str  # resource name (e.g. /F1+0) of the font object that holds them


def render_front(plan: VolumePlan, font: str, entries: list[TocEntry],
                 stamp_alphabet: str) -> Front:
    """Raises TemplateError when the cover could not be rendered at plan time."""
    if plan.cover_error is not None:
        raise TemplateError(plan.cover_error.key, **plan.cover_error.params)
    buf = io.BytesIO()
    with canvas(buf, font, plan.settings_title) as c:
        codes, internal = reserve_glyphs(c, font, stamp_alphabet)
        draw_cover(c, plan.cover, font)
        toc_pages, links = draw_toc(c, entries, font)
    return Front(buf.getvalue(), toc_pages, tuple(links), codes, internal)
