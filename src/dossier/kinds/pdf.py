"""PDF files: bound page for page as they are."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from pypdf import PasswordType, PdfReader

from dossier.errors import SourceError
from dossier.i18n import Message, msg
from dossier.kinds.base import KindContext, Opening, SourceKind, unreadable
from dossier.naming import safe_display
from dossier.pagecount import release
from dossier.plan import Source
from dossier.probe import (
    END_MISSING,
    TIMEOUT_SECONDS,
    Probe,
    ProbeTimeout,
    deadline,
    pdf_end_missing,
    probe,
    sniff,
)
from dossier.quiet import libraries_quiet


class PdfKind:
    name = "pdf"

    def probe(self, path: Path, ctx: KindContext) -> Probe:
        return probe(path, self.name, ctx.timeout)

    def count(self, source: Source, ctx: KindContext) -> int:
        try:
            with Path(source.path).open("rb") as fh, deadline(TIMEOUT_SECONDS), \
                    libraries_quiet():
                reader = PdfReader(fh, strict=False)
                if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    return 1
                count = len(reader.pages)
                release(reader)
        except (ProbeTimeout, Exception):  # hostile input: its placeholder's one page
            return 1
        return count or 1

    def open(self, source: Source, ctx: KindContext) -> Opening:
        path, shown = Path(source.path), safe_display(source.rel)
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise SourceError(shown, unreadable(exc)) from None
        try:
            _hopeless(handle, shown)
            reader = PdfReader(handle, strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise SourceError(shown, msg("source-encrypted"))
            pages = len(reader.pages)
            if pages == 0:
                raise SourceError(shown, msg("source-no-pages"))
        except SourceError:
            handle.close()
            raise
        except OSError as exc:
            handle.close()
            raise SourceError(shown, unreadable(exc)) from None
        except Exception as exc:  # hostile input
            reason = _unreadable_pdf(handle, exc)
            handle.close()
            raise SourceError(shown, reason) from None
        return Opening(pages, reader=reader, handle=handle, rendered=path)


def _hopeless(handle: IO[bytes], shown: str) -> None:
    """Refuse at once what pypdf would spend minutes on (as the probe does): a file that
    does not start as a PDF (a gigabyte of zeros named .pdf), or a large one whose end is
    missing."""
    head = handle.read(2048)
    size = handle.seek(0, 2)
    handle.seek(0)
    if not head:
        raise SourceError(shown, msg("source-empty", detail="0 bytes"))
    if sniff(head) != "pdf":
        raise SourceError(shown, msg("source-not-pdf", detail="no %PDF- header"))
    if pdf_end_missing(handle, size):
        raise SourceError(shown, msg("source-corrupt-pdf", detail=END_MISSING))


def _unreadable_pdf(handle: object, exc: Exception) -> Message:
    """Why pypdf failed, in our words: an empty file, one that is not PDF at all (a web
    page named .pdf), or a damaged PDF. pypdf's text stays as `detail`."""
    detail = f"{type(exc).__name__}: {exc}"
    try:
        handle.seek(0)  # type: ignore[attr-defined]
        head = handle.read(2048)  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return msg("source-corrupt-pdf", detail=detail)
    if not head:
        return msg("source-empty", detail=detail)
    if sniff(head) != "pdf":  # a web page … named .pdf
        return msg("source-not-pdf", detail=detail)
    return msg("source-corrupt-pdf", detail=detail)


def kind(name: str) -> SourceKind:
    return PdfKind()
