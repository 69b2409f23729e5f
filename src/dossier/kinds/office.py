"""Office documents (Word, WPS, Excel, PowerPoint, OpenDocument, RTF): converted to PDF by
LibreOffice (dossier.office), cached by content, then bound like a PDF.

Without LibreOffice each document is one finding (with the install hint for the user's
system) and, in a build, fails its volume or becomes a placeholder page; the rest of the
build goes on. The page count of each conversion is remembered by the document's place,
so `dossier check` can say when a document converts to another number of pages than it
did for the last build (a substituted font moves line breaks)."""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pypdf import PdfReader

from dossier import office, officefonts
from dossier.errors import SourceError
from dossier.i18n import Message, msg
from dossier.kinds.base import Conversion, KindContext, Opening, SourceKind
from dossier.naming import safe_display
from dossier.office import ConversionError, Converted, converted
from dossier.pagecount import release
from dossier.plan import Source
from dossier.probe import Probe, Problem
from dossier.sheetwidth import wide_sheets
from dossier.tools import Found, platform_key

PAGES = "office-pages"  # cache: the pages each document had when last bound


def install_hint() -> Message:
    return msg(f"doctor/soffice-hint/{platform_key()}")


class _NoConverter(Exception):
    pass


class OfficeKind:
    name = "office"

    def _pdf(self, path: Path, ctx: KindContext,
             declared: tuple[str, ...] | None = None) -> tuple[Converted, Found]:
        """Converted, or from the cache (`declared`: the document's fonts, when read
        already). Raises _NoConverter or ConversionError (anything
        else that goes wrong becomes one: a hostile file never escapes as a traceback).
        A document that failed is not tried again in this run (it would cost its timeout
        once more in every volume and count that binds it)."""
        found = ctx.soffice()
        if found is None:
            raise _NoConverter
        memo = _stat_key(path)
        if memo is not None and memo in ctx.failed:
            raise ConversionError(ctx.failed[memo])
        try:
            if declared is None:
                declared = officefonts.declared(path)
            table = _table(declared, ctx)
            return converted(path, found, ctx.cache("office"), fonts=table), found
        except ConversionError as exc:
            if memo is not None:
                ctx.failed[memo] = exc.reason
            raise
        except Exception as exc:
            reason = msg("convert-failed", program=found.program.name, code=-1,
                         detail=f"{type(exc).__name__}: {exc}"[:300])
            if memo is not None:
                ctx.failed[memo] = reason
            raise ConversionError(reason) from None

    def probe(self, path: Path, ctx: KindContext) -> Probe:
        declared = officefonts.declared(path)
        try:
            result, found = self._pdf(path, ctx, declared)
        except _NoConverter:
            return Probe(0, (Problem("office-no-converter", params={"hint": install_hint()}),))
        except ConversionError as exc:
            return Probe(0, (Problem("office-convert-failed", params={"reason": exc.reason}),))
        try:
            pages = _pages(result.pdf)
        except Exception as exc:  # LibreOffice wrote a PDF pypdf cannot read
            return Probe(0, (Problem("office-convert-failed", params={
                "reason": msg("convert-unreadable-pdf"), "detail": type(exc).__name__}),))
        problems = [Problem("office-converted", params={
            "pages": pages, "program": found.program.name, "version": found.version})]
        fonts = font_report(declared, result.pdf, ctx)
        if fonts is not None:
            problems.append(Problem("office-font-missing", fonts.variant, fonts.params))
        wide = wide_sheets(path) if office.sniff(path) == office.SPREADSHEET else ()
        if wide:
            problems.append(Problem("office-sheet-too-wide", params={
                "sheets": tuple(w.name for w in wide),
                "percent": min(w.percent for w in wide)}))
        last = _last_pages(path, ctx)
        if last is not None and last != pages:
            problems.append(Problem("office-pages-changed", params={"before": last,
                                                                    "pages": pages}))
        return Probe(pages, tuple(problems))

    def prepare(self, source: Source, ctx: KindContext) -> None:
        """Convert the document into the cache, if it is not there yet (build does so
        ahead, in threads); a failure is left to the volume that binds it."""
        with contextlib.suppress(_NoConverter, ConversionError):
            self._pdf(Path(source.path), ctx)

    def count(self, source: Source, ctx: KindContext) -> int:
        try:
            result, _ = self._pdf(Path(source.path), ctx)
            return _pages(result.pdf) or 1
        except Exception:  # the volume fails, or gets a placeholder page
            return 1

    def screen(self, fh: IO[bytes], shown: str) -> None:
        """Nothing is refused before it is read."""

    def open(self, source: Source, ctx: KindContext, data: io.BytesIO | None = None) -> Opening:
        path, shown = Path(source.path), safe_display(source.rel)
        declared = officefonts.declared(path)
        try:
            result, found = self._pdf(path, ctx, declared)
        except _NoConverter:
            raise SourceError(shown, msg("source-no-converter", hint=install_hint())) from None
        except ConversionError as exc:
            raise SourceError(shown, exc.reason) from None
        stream = io.BytesIO(result.pdf)  # the reader's and PDFium's (dossier.ink) alike
        try:
            reader = PdfReader(stream)
            pages = len(reader.pages)
        except Exception as exc:
            raise SourceError(shown, msg("source-corrupt-pdf",
                                         detail=f"{type(exc).__name__}: {exc}")) from None
        if pages == 0:
            raise SourceError(shown, msg("source-no-pages"))
        _remember_pages(path, ctx, pages)
        digest = hashlib.sha256(result.pdf).hexdigest()
        fonts = font_report(declared, result.pdf, ctx)
        lacking = fonts.fonts if fonts else ()
        return Opening(pages, reader=reader, rendered=stream, converted=Conversion(
            found.program.name, found.version, digest, result.cached), missing_fonts=lacking)


def _table(declared: tuple[str, ...], ctx: KindContext) -> tuple[tuple[str, str], ...]:
    """The replacements for the 公文 fonts this machine lacks that the document asks for
    (`declared`; all of them for a binary .doc or .wps, whose fonts are not read)."""
    pairs = officefonts.replacements(ctx.fonts())
    asked = {officefonts.key(f) for f in declared}
    return tuple(p for p in pairs if officefonts.key(p[0]) in asked) if asked else pairs


@dataclass(frozen=True)
class FontReport:
    variant: str  # "replaced": a font of the same style stands in for each; "" otherwise
    fonts: tuple[str, ...]  # the fonts missing
    used: tuple[str, ...]  # "仿宋_GB2312 → 仿宋" each ("replaced"), else the PDF's fonts

    @property
    def params(self) -> dict[str, object]:
        return {"fonts": self.fonts, "used": self.used}


def font_report(declared: tuple[str, ...], pdf: bytes, ctx: KindContext) -> FontReport | None:
    """The Chinese fonts the document asks for (`declared`) that this machine lacks, and
    what the PDF was set in instead; None when none is missing."""
    in_pdf = officefonts.pdf_fonts(pdf)
    lacking = tuple(f for f in officefonts.missing(declared, in_pdf, ctx.fonts())
                    if officefonts.chinese(f))
    if not lacking:
        return None
    table = dict(_table(declared, ctx))
    if all(f in table for f in lacking):
        return FontReport("replaced", lacking, tuple(f"{f} → {table[f]}" for f in lacking))
    return FontReport("", lacking, in_pdf or ("?",))


def _stat_key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _pages(pdf: bytes) -> int:
    """Pages of LibreOffice's PDF (the callers keep the libraries quiet: the threads of
    check share one such context, see checks.files.probe_files)."""
    reader = PdfReader(io.BytesIO(pdf))
    count = len(reader.pages)
    release(reader)
    return count


def _place_key(path: Path) -> str:
    return hashlib.sha256(str(path.absolute()).encode("utf-8", "surrogateescape")).hexdigest()


def _last_pages(path: Path, ctx: KindContext) -> int | None:
    kept = ctx.cache(PAGES).get(_place_key(path))
    pages = kept.get("pages") if kept else None
    return pages if isinstance(pages, int) else None


def _remember_pages(path: Path, ctx: KindContext, pages: int) -> None:
    if _last_pages(path, ctx) != pages:
        ctx.cache(PAGES).put(_place_key(path), {"pages": pages})


def kind(name: str) -> SourceKind:
    return OfficeKind()
