"""PDF files: bound page for page as they are."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from pypdf import PasswordType, PdfReader

from dossier.errors import SourceError
from dossier.hashing import NotRegularFile, open_regular
from dossier.i18n import Message, msg
from dossier.kinds.base import KindContext, Opening, SourceKind, unreadable
from dossier.naming import safe_display
from dossier.pagecount import release
from dossier.plan import Source
from dossier.probe import (
    TIMEOUT_SECONDS,
    Probe,
    ProbeTimeout,
    deadline,
    hopeless_pdf,
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
            with open_regular(Path(source.path)) as fh, deadline(TIMEOUT_SECONDS), \
                    libraries_quiet():
                if hopeless_pdf(fh) is not None:
                    return 1  # its placeholder's page; its volume says why
                reader = PdfReader(fh, strict=False)
                if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    return 1
                count = len(reader.pages)
                release(reader)
        except (ProbeTimeout, Exception):  # hostile input: its placeholder's one page
            return 1
        return count or 1

    def screen(self, fh: IO[bytes], shown: str) -> None:
        _hopeless(fh, shown)

    def open(self, source: Source, ctx: KindContext, data: io.BytesIO | None = None) -> Opening:
        path, shown = Path(source.path), safe_display(source.rel)
        try:
            handle: IO[bytes] = data if data is not None else open_regular(path)
        except NotRegularFile:
            raise SourceError(shown, msg("source-not-regular")) from None
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
        return Opening(pages, reader=reader, handle=handle,
                       rendered=data if data is not None else path)


def _hopeless(handle: IO[bytes], shown: str) -> None:
    """Refuse at once what pypdf would spend minutes on (as the probe does)."""
    found = hopeless_pdf(handle)
    if found is not None:
        key, detail = found
        raise SourceError(shown, msg(key, detail=detail))


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
