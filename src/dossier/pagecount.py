"""How many pages a source contributes to its volume, counted before the volume is
assembled and the way assemble counts them (each kind's count, dossier.kinds): for the
主册's list of the other volumes, and to split a long volume into parts (dossier.parts).
Also how a finished pypdf document is let go."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

    from dossier.kinds.base import KindContext
    from dossier.plan import Source


def release(document: PdfReader | PdfWriter) -> None:
    """Drop a finished document's attributes. pypdf's objects point back at their document,
    so a document and its objects form reference cycles that only a garbage collection
    walking all of them frees; without the document's own references, reference counting
    frees them at once."""
    vars(document).clear()


def pages_of(source: Source, ctx: KindContext) -> int:
    """The pages a source will have in its volume: a PDF read by pypdf, an image probed
    (and cut into slices), an office document converted (or taken from the cache), a
    generated 达标说明 laid out in ctx.font; one placeholder page for a source that cannot
    be bound (its volume then fails or gets a placeholder)."""
    from dossier.kinds import by_content, implementation
    from dossier.quiet import libraries_quiet

    with libraries_quiet():
        return implementation(by_content(Path(source.path), source.kind)).count(source, ctx)
