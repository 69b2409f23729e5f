"""Page numbers on a volume's material: each page stamped in its free place (dossier.ink
looks), the slices of a tall image marked 续, and the build's notes on what moved."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from pypdf import PdfWriter

from dossier.cache import Cache
from dossier.i18n import Message, msg, pdf_text
from dossier.ink import SourceInk
from dossier.options import StampOptions
from dossier.stamp import Stamper

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dossier.assemble import Placed, _Opened


def stamp_source(stamper: Stamper, where: Placed, item: _Opened, writer: PdfWriter,
                  total: int, cache: Cache | None) -> Placed:
    """Number the pages of one source, each in its free place (dossier.ink), and mark the
    slices of a tall image; what moved is recorded."""
    looker = _looker(item, stamper.opts, stamper, cache)
    moved: list[tuple[int, str]] = []
    covered: list[int] = []
    try:
        for offset in range(where.pages):
            number, index = where.first + offset, where.index + offset
            page, recto = writer.pages[index], index % 2 == 0
            choice = looker.choose(offset, page, recto) if looker else None
            place = choice.position if choice else None
            stamper.stamp(page, number, total, recto=recto, position=place)
            if choice and choice.moved:
                moved.append((number, choice.position))
            if choice and choice.covered:
                covered.append(number)
            if item.sliced and offset:  # a slice of a tall image goes on from the one before
                stamper.mark(page, slice_mark(offset + 1, where.pages), recto, place)
        if looker:
            looker.save()
    finally:
        if looker:
            looker.close()
    return replace(where, moved=tuple(moved), covered=tuple(covered))


def stamp_notes(placed: Sequence[Placed]) -> list[Message]:
    """Pages whose number moved off content, and pages where no place was free."""
    notes = []
    moved = [str(n) for p in placed for n, _ in p.moved]
    covered = [str(n) for p in placed for n in p.covered]
    if moved:
        notes.append(msg("build-stamp-moved", count=len(moved), pages=_some(moved)))
    if covered:
        notes.append(msg("build-stamp-covered", count=len(covered), pages=_some(covered)))
    return notes


def _some(pages: list[str]) -> tuple[str, ...]:
    return (*pages[:12], "…") if len(pages) > 12 else tuple(pages)


def _looker(item: _Opened, opts: StampOptions, stamper: Stamper,
            cache: Cache | None) -> SourceInk | None:
    """What looks at the corners of a source's pages: not for a placeholder, the
    generated 达标说明 or the slices of a tall image (laid out by us, the number's place
    free), nor when asked not to."""
    if (cache is None or item.reason is not None or item.source.kind == "explanation"
            or item.sliced):  # a slice's page leaves a band for the number: free by layout
        return None
    widest = opts.format.format(n=8888, total=8888)  # the place looked at: any number fits
    converted = item.opening.converted  # what is looked at is its PDF: keyed by that
    digest = (lambda: converted.pdf_sha256) if converted else item.sha256
    return SourceInk(item.opening.rendered, digest, opts,
                     lambda size: stamper.font.width(widest, size), cache)


def slice_mark(part: int, parts: int) -> str:
    return pdf_text().render(msg("pdf-slice", part=part, parts=parts))
