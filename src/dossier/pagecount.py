"""How many pages a source contributes to its volume, counted before the volume is
assembled and the way assemble counts them: for the 主册's list of the other volumes, and
to split a long volume into parts (dossier.parts). Also how a finished pypdf document is
let go."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PasswordType, PdfReader, PdfWriter

from dossier.images import image_pages
from dossier.plan import Source
from dossier.probe import TIMEOUT_SECONDS, ProbeTimeout, deadline, probe
from dossier.quiet import libraries_quiet


def release(document: PdfReader | PdfWriter) -> None:
    """Drop a finished document's attributes. pypdf's objects point back at their document,
    so a document and its objects form reference cycles that only a garbage collection
    walking all of them frees; without the document's own references, reference counting
    frees them at once."""
    vars(document).clear()


def source_pages(source: Source, slicing: bool) -> int:
    """Pages a source of another volume contributes there, counted as assemble's _Opened counts them
    (a PDF read by pypdf, an image probed), or one placeholder page when it cannot be read
    (that volume then fails or gets a placeholder)."""
    path = Path(source.path)
    if source.kind == "pdf":
        return _pdf_pages(path)
    found = probe(path, source.kind)
    pages = image_pages(found, slicing)
    return pages if found.usable and pages else 1


def _pdf_pages(path: Path) -> int:
    try:
        with path.open("rb") as fh, deadline(TIMEOUT_SECONDS), libraries_quiet():
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                return 1
            count = len(reader.pages)
            release(reader)
    except (ProbeTimeout, Exception):  # hostile input: its placeholder's one page
        return 1
    return count or 1


def pages_of(source: Source, font: str, slicing: bool = True) -> int:
    """The pages a source will have in its volume, before the volume is assembled (to
    split a long volume into parts): a generated 达标说明 is laid out as assemble lays it
    out, with the registered font `font`."""
    if source.kind != "explanation":
        return source_pages(source, slicing)
    if source.error is not None:
        return 1  # the volume fails, or gets a placeholder page
    from dossier.render.explanation import render_explanation

    with libraries_quiet():
        reader = PdfReader(io.BytesIO(render_explanation(source.text, font, source.title)))
        count = len(reader.pages)
    release(reader)
    return count
