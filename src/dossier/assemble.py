"""Assemble one volume: cover, 目录, then the material pages, stamped, bookmarked,
labelled and linked. Written to a temporary file in OUT and renamed into place."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, ByteStringObject

from dossier import __version__, snapshot
from dossier.atomic import atomic_output
from dossier.cache import Cache
from dossier.errors import BuildError, SourceError, os_cause
from dossier.fonts import FontChoice, missing_glyphs
from dossier.hashing import HashingWriter, NotRegularFile, sha256_file
from dossier.i18n import Message, Translator, msg, pdf_text
from dossier.kinds import EXPLANATION, PDF, by_content, implementation
from dossier.kinds.base import Conversion, KindContext, unreadable
from dossier.kinds.generated import placeholder
from dossier.naming import safe_display
from dossier.numbering import slice_mark, stamp_notes, stamp_source
from dossier.ocr import Read
from dossier.pagecount import pages_of, release
from dossier.pagelayout import BLANK, CLOSING, COVER, MATERIAL, TOC, Pages
from dossier.plan import CHINESE_NUMERALS, MAIN_SECTIONS, Source, VolumePlan
from dossier.quiet import libraries_quiet
from dossier.render.closing import ClosingFacts, render_closing
from dossier.render.front import render_front
from dossier.render.toc import TocEntry, page_range
from dossier.stamp import Stamper, find_font

PageProgress = Callable[[int], None]
MAX_LISTED = 20  # pages named in a note; more are shown as …
HASH_REFUSED = 64 << 20  # a file refused unread is hashed for the manifest up to this size


@dataclass(frozen=True)
class Placed:
    source: Source
    section: str
    first: int  # first material page number (1-based, as stamped)
    pages: int
    sha256: str
    placeholder: Message | None  # why the document was replaced by a placeholder page
    index: int = -1  # the output page (0-based, cover included) its first page is on
    moved: tuple[tuple[int, str], ...] = ()  # (page number, place): off content
    covered: tuple[int, ...] = ()  # page numbers over content: no place was free
    converted: Conversion | None = None  # an office document: how it became PDF


@dataclass(frozen=True)
class VolumeResult:
    output: Path
    pages: int  # all pages, cover and 目录 included
    front_pages: int  # cover + 目录
    placed: tuple[Placed, ...]
    sha256: str
    size: int
    warnings: tuple[Message, ...] = ()
    blanks: tuple[int, ...] = ()  # output pages (0-based) left blank (--duplex)
    closing: int = -1  # the output page (0-based) of the 卷内备考表, -1 without one
    material_pages: int = 0  # numbered pages
    ocr_failed: int = 0  # --ocr: image pages that got no text layer (the next build tries)


@dataclass
class _Ocr:
    """--ocr, while a volume is assembled: what Tesseract read on which output page, and
    the pages it could not read, by source (numbered within the document)."""

    reads: list[tuple[int, Read]] = field(default_factory=list)
    failed: dict[int, list[int]] = field(default_factory=dict)


class _Opened:
    """A source opened once, through its kind (dossier.kinds): counted now, appended
    later. Its file is read once, as it was scanned, into one snapshot (dossier.snapshot)
    whose SHA-256 the manifest records; a PDF is bound from that snapshot, so nothing
    that happens to the file afterwards reaches the volume. Kinds that read their file by
    path (images, office documents) are checked against the scan once more after they
    have read it."""

    def __init__(self, source: Source, allow_broken: bool, ctx: KindContext) -> None:
        self.source = source
        self.ctx = ctx
        self.shown = safe_display(source.rel)  # the path as messages print it
        self.reason: Message | None = None
        self.digest = ""  # "" for a placeholder whose file was not read
        self.identity = (0, 0)  # the inode and device read
        self.kind = source.kind  # by its suffix, until its content says otherwise
        try:
            data = self._snapshot()
            self.opening = implementation(self.kind).open(source, ctx, data)
            self.unchanged()
        except SourceError as exc:
            if not allow_broken:
                raise
            self.reason = exc.reason
            self.opening = placeholder(source, exc.reason, ctx.font)

    def _snapshot(self) -> io.BytesIO | None:
        """The file's bytes, as scanned, as a stream that is their only owner, for a kind
        that binds from them (a PDF); None for the others, whose file is hashed as it
        streams by, and for a generated 达标说明 (its data file is hashed)."""
        source = self.source
        if source.kind == EXPLANATION:
            with contextlib.suppress(OSError):
                self.digest = sha256_file(Path(source.path))
            return None
        try:
            snap = snapshot.read(Path(source.path), source.size, source.mtime_ns,
                                 screen=self._screen)
        except snapshot.Changed:
            raise SourceError(self.shown, msg("source-changed")) from None
        except snapshot.TooLarge:
            raise SourceError(self.shown, msg("source-too-large",
                                              limit=snapshot.MAX_BYTES >> 30)) from None
        except snapshot.TooSlow:
            raise SourceError(self.shown, msg("source-timeout")) from None
        except NotRegularFile:
            raise SourceError(self.shown, msg("source-not-regular")) from None
        except OSError as exc:
            raise SourceError(self.shown, unreadable(exc)) from None
        except SourceError:  # refused at a glance: hashed all the same, when not huge
            self._hash_refused()
            raise
        self.digest, self.identity = snap.sha256, snap.identity
        # `snap` goes on return: the stream owns the bytes
        return io.BytesIO(snap.data) if self.kind == PDF else None

    def _screen(self, fh: IO[bytes]) -> bool:
        """The kind the file's content asks for, and what that kind refuses at a glance
        (a gigabyte of zeros named .pdf is not read); whether its bytes are kept."""
        head = fh.read(1024)
        fh.seek(0)
        self.kind = by_content(Path(self.source.path), self.source.kind, head)
        implementation(self.kind).screen(fh, self.shown)
        return self.kind == PDF

    def _hash_refused(self) -> None:
        """The SHA-256 of a file its kind refused unread, for the manifest (verify then
        knows it), when it is at most HASH_REFUSED bytes; "" otherwise (verify compares
        its size and time)."""
        source = self.source
        if source.size > HASH_REFUSED:
            return
        with contextlib.suppress(OSError):
            self.digest = snapshot.read(Path(source.path), source.size, source.mtime_ns,
                                        screen=lambda fh: False).sha256

    def unchanged(self) -> None:
        """Raises SourceError when the file is no longer the one scanned and read."""
        source = self.source
        if source.kind != EXPLANATION and not snapshot.still(
                Path(source.path), source.size, source.mtime_ns, self.identity):
            raise SourceError(self.shown, msg("source-changed"))

    @property
    def pages(self) -> int:
        return self.opening.pages

    @property
    def sliced(self) -> bool:  # a tall image cut into slices: pages after the first say 续
        return self.opening.sliced

    def sha256(self) -> str:
        return self.digest

    def close(self) -> None:
        self.opening.close()


def _pdf_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")


def assemble(plan: VolumePlan, out_dir: Path, font: FontChoice,
             on_pages: PageProgress | None = None,
             kinds: KindContext | None = None) -> VolumeResult:
    """`kinds`: how sources are opened (the converter of office documents, the cache);
    its font and slicing are the plan's."""
    ctx = replace(kinds or KindContext(), font=font.name, slicing=plan.options.slice_images)
    with libraries_quiet():
        return _assemble(plan, out_dir, font, on_pages, ctx)


def _assemble(plan: VolumePlan, out_dir: Path, font: FontChoice,
              on_pages: PageProgress | None, ctx: KindContext) -> VolumeResult:
    opts = plan.options
    opened: list[tuple[str, _Opened]] = []
    try:
        for section in plan.sections:
            for source in section.sources:
                opened.append((section.key, _Opened(source, opts.allow_broken, ctx)))
        return _write(plan, out_dir, font, opened, on_pages, ctx)
    finally:
        for _, item in opened:
            item.close()


def _toc_entries(plan: VolumePlan, placed: list[Placed]) -> list[TocEntry]:
    tr = pdf_text()
    entries: list[TocEntry] = []
    number = 0
    for section in plan.sections:
        docs = [p for p in placed if p.section == section.key]
        if not docs:
            entries.append(TocEntry(True, "", section.title, tr.render(msg("pdf-toc-none")),
                                    None))
            continue
        total = sum(d.pages for d in docs)
        entries.append(TocEntry(True, "", section.title, page_range(docs[0].first, total),
                                docs[0].first))
        for d in docs:
            number += 1
            title = (tr.render(msg("pdf-toc-unreadable", title=d.source.title))
                     if d.placeholder else d.source.title)
            entries.append(TocEntry(False, str(number), title, page_range(d.first, d.pages),
                                    d.first, d.source.number, d.source.author,
                                    d.source.date, d.source.note))
    return entries


def _volume_entries(plan: VolumePlan, pages: int, ctx: KindContext) -> list[TocEntry]:
    """The 主册 of a by-year build lists every volume of the indicator with its page count
    (numbered pages: the material), and the years without material (无)."""
    if not plan.companions:
        return []
    tr = pdf_text()
    numeral = CHINESE_NUMERALS[len(MAIN_SECTIONS)]  # after the 主册's sections, in every part
    rows = [TocEntry(True, "", tr.render(msg("pdf-toc-volumes", numeral=numeral)), "", None),
            TocEntry(False, "", tr.render(msg("pdf-toc-volume", number=plan.number,
                                              title=plan.holds)),
                     tr.render(msg("pdf-toc-volume-this", pages=pages)), None, span=True)]
    for other in plan.companions:
        if other.number == 0:
            rows.append(TocEntry(False, "", tr.render(msg("pdf-toc-volume-empty",
                                                          title=other.holds)),
                                 tr.render(msg("pdf-toc-none")), None, span=True))
            continue
        count = sum(pages_of(s, ctx) for s in other.sources)
        rows.append(TocEntry(False, "", tr.render(msg("pdf-toc-volume", number=other.number,
                                                      title=other.holds)),
                             tr.render(msg("pdf-toc-volume-pages", pages=count)), None,
                             span=True))
    return rows


def _outline(writer: PdfWriter, plan: VolumePlan, starts: Sequence[tuple[str, str, int]],
             labels: tuple[str, str], toc: int, tr: Translator) -> None:
    """Bookmarks, added once every page exists (a bookmark to a page not yet appended
    would hold a bare number where PDF wants a page reference): cover, 目录, then each
    section with its documents; an empty section leads to the 目录."""
    writer.add_outline_item(title=labels[0], page_number=0)
    writer.add_outline_item(title=labels[1], page_number=toc)
    for section in plan.sections:
        docs = [(title, start) for key, title, start in starts if key == section.key]
        title = (section.title if docs
                 else tr.render(msg("pdf-outline-empty", title=section.title)))
        parent = writer.add_outline_item(title=title, page_number=docs[0][1] if docs else toc)
        for doc_title, start in docs:
            writer.add_outline_item(title=doc_title, page_number=start, parent=parent)


def _write(plan: VolumePlan, out_dir: Path, font: FontChoice,
           opened: list[tuple[str, _Opened]], on_pages: PageProgress | None,
           ctx: KindContext) -> VolumeResult:
    opts = plan.options
    placed: list[Placed] = []
    next_page = plan.first_page  # a part of a split volume numbers on from the one before
    for key, item in opened:
        placed.append(Placed(item.source, key, next_page, item.pages, "", item.reason,
                             converted=item.opening.converted))
        next_page += item.pages
    own = next_page - plan.first_page
    total = plan.page_total or own  # {total} of the stamp: the whole volume's pages
    if plan.parts and own != plan.planned_pages:  # a document changed since the plan
        raise BuildError("build-part-pages", file=plan.output, planned=plan.planned_pages,
                         found=own)

    entries = _toc_entries(plan, placed) + _volume_entries(plan, own, ctx)
    front = render_front(plan, font.name, entries,
                         opts.stamp.format.format(n=1234567890, total=1234567890)
                         + slice_mark(1234567890, 1234567890))
    warnings = []
    lacking = missing_glyphs(font.name, "".join(e.text for e in entries) + plan.indicator_name
                             + plan.lead_unit + plan.settings_title
                             + "".join(s.text for s in plan.sources)
                             + (opts.closing.compiler + opts.closing.checker
                                if opts.closing else ""))
    unfonted = [item for _, item in opened if item.opening.missing_fonts]
    if unfonted:  # one note for the volume; check names each document
        fonts = tuple(dict.fromkeys(f for i in unfonted for f in i.opening.missing_fonts))
        warnings.append(msg("build-office-fonts", count=len(unfonted), fonts=fonts))
    if lacking:
        warnings.append(msg("build-font-lacks-glyphs",
                            font=font.path.name if font.path else font.name,
                            chars=tuple(lacking)))
    writer = PdfWriter()
    layout = Pages(opts.duplex)
    cache = Cache("ink") if opts.stamp.avoid_ink else None
    writer.append(PdfReader(io.BytesIO(front.pdf)))
    toc_pages = front.toc_pages
    layout.add(COVER)
    if layout.needs_blank():  # the back of the cover
        writer.insert_blank_page(index=1)
        layout.add(BLANK)
    toc_first = len(layout.kinds)
    for n in range(1, toc_pages + 1):
        layout.add(TOC, n)
    stamper = Stamper(writer, find_font(writer, 0, font.name, front.stamp_font,
                                        front.stamp_codes), opts.stamp)
    front_pages = 1 + toc_pages
    if on_pages:
        on_pages(front_pages)
    tr = pdf_text()
    cover_label, toc_label = tr.render(msg("pdf-cover")), tr.render(msg("pdf-toc"))
    starts: list[tuple[str, str, int]] = []  # (section, title, first page index) per document
    ocr = _Ocr()
    section = None
    for n, ((key, item), where) in enumerate(zip(opened, placed, strict=True)):
        if key != section:  # a section starts on a right-hand page when double-sided
            section = key
            _to_recto(writer, layout)
        start = len(writer.pages)
        placed[n] = replace(where, index=start)
        _append(writer, item)
        added = len(writer.pages) - start
        if added != where.pages:
            raise SourceError(item.shown, msg("source-page-count", added=added,
                                              expected=where.pages))
        for offset in range(added):
            layout.add(MATERIAL, where.first + offset)
        if ctx.ocr is not None:
            _read_pages(writer, n, start, where, ctx, ocr)
        placed[n] = stamp_source(stamper, placed[n], item, writer, total, cache)
        item.close()  # its pages are the writer's copies now: its snapshot can go
        starts.append((key, where.source.title, start))
        if on_pages:
            on_pages(added)
    warnings += stamp_notes(placed)
    _lay_text(writer, ocr, placed)  # after the stamps, which look at the scan as it is
    warnings += [_ocr_failed(opened[n][1].shown, pages) for n, pages in sorted(ocr.failed.items())]
    if opts.closing is not None:
        _to_recto(writer, layout)
        writer.append(PdfReader(io.BytesIO(render_closing(
            _closing_facts(plan, placed, own), font.name))))
        layout.add(CLOSING)
    _outline(writer, plan, starts, (cover_label, toc_label), toc_first, tr)

    index_of = {p.first: p.index for p in placed}
    for link in front.links:
        writer.add_annotation(toc_first + link.toc_page,
                              Link(rect=link.rect, target_page_index=index_of[link.target]))
    layout.apply_labels(writer, {COVER: cover_label, TOC: toc_label,
                                 BLANK: tr.render(msg("pdf-blank")),
                                 CLOSING: tr.render(msg("pdf-closing"))})
    _metadata(writer, plan, tr)

    # Every source's hash, from its snapshot.
    hashed = tuple(replace(p, sha256=item.sha256()) for p, (_, item) in zip(placed, opened,
                                                                             strict=True))
    final = out_dir / plan.output
    try:
        with atomic_output(final) as fh, HashingWriter(fh) as out:
            writer.write(out)  # type: ignore[arg-type]
        digest, size = out.hexdigest(), out.size
    except OSError as exc:
        raise BuildError("output-unwritable", file=str(final), **os_cause(exc)) from None
    pages = len(writer.pages)
    release(writer)
    return VolumeResult(final, pages, front_pages, hashed, digest, size, tuple(warnings),
                        layout.blanks, layout.closing, own,
                        sum(len(p) for p in ocr.failed.values()))


def _to_recto(writer: PdfWriter, layout: Pages) -> None:
    """Double-sided: a blank, unnumbered page, so that what follows starts on the right.
    The blank has the size of the page whose back it is."""
    if layout.needs_blank():
        writer.add_blank_page()
        layout.add(BLANK)


def _append(writer: PdfWriter, item: _Opened) -> None:
    """The pages of one source: its PDF, its image, or a placeholder page."""
    try:
        item.opening.append(writer, item.ctx.slicing)
        if item.reason is None and item.opening.image is not None:
            item.unchanged()  # an image is read by its path once more
    except SourceError:
        raise
    except OSError as exc:
        raise SourceError(item.shown, unreadable(exc)) from None
    except Exception as exc:
        key = "source-broken-image" if item.opening.image is not None else "source-copy-failed"
        raise SourceError(item.shown, msg(key, detail=f"{type(exc).__name__}: {exc}")) from None


def _read_pages(writer: PdfWriter, n: int, start: int, where: Placed, ctx: KindContext,
                ocr: _Ocr) -> None:
    """--ocr: what Tesseract reads on each page of source `n` that is a picture only
    (dossier.ocr), before anything is stamped on it."""
    from dossier.ocr import image_only, read_page

    assert ctx.ocr is not None
    for offset in range(where.pages):
        page = writer.pages[start + offset]
        if not image_only(page):
            continue
        try:
            read = read_page(ctx.ocr, page)
        except Exception:  # a page PDFium or Tesseract cannot take: bound as it is
            read = None
        if read is None:
            ocr.failed.setdefault(n, []).append(offset + 1)
        elif read.text.strip():
            ocr.reads.append((start + offset, read))


def _lay_text(writer: PdfWriter, ocr: _Ocr, placed: Sequence[Placed]) -> None:
    """The text layers read before the pages were stamped, laid over them now."""
    from dossier.ocr import add_text_layer

    for index, read in ocr.reads:
        try:
            add_text_layer(writer, writer.pages[index], read)
        except Exception:  # a layer pypdf cannot lay: the page is bound as it is
            n = max(n for n, p in enumerate(placed) if p.index <= index)
            ocr.failed.setdefault(n, []).append(index - placed[n].index + 1)


def _ocr_failed(shown: str, pages: Sequence[int]) -> Message:
    """The pages of one document (numbered within it) that got no text layer."""
    listed = tuple(str(p) for p in pages[:MAX_LISTED])
    return msg("build-ocr-failed", file=shown, count=len(pages),
               pages=listed + (("…",) if len(pages) > MAX_LISTED else ()))


def _closing_facts(plan: VolumePlan, placed: Sequence[Placed], own: int) -> ClosingFacts:
    closing = plan.options.closing
    assert closing is not None
    tr = pdf_text()
    return ClosingFacts(
        items=len(placed), pages=own, first=plan.first_page,
        last=plan.first_page + own - 1, part=plan.part, parts=plan.parts,
        placeholders=tuple(tr.render(msg("pdf-toc-unreadable", title=p.source.title))
                           for p in placed if p.placeholder is not None),
        compiler=closing.compiler, checker=closing.checker, date=plan.options.date)


def _metadata(writer: PdfWriter, plan: VolumePlan, tr: Translator) -> None:
    names = {"title": plan.settings_title, "indicator": plan.indicator,
             "name": plan.indicator_name}
    title = tr.render(msg("pdf-title/volume", volume=plan.volume_title, **names)
                      if plan.volume_title else msg("pdf-title", **names))
    writer.add_metadata({
        "/Title": title,
        "/Author": plan.lead_unit or plan.city,
        "/Subject": tr.render(msg("pdf-subject", indicator=plan.indicator,
                                  name=plan.indicator_name)),
        "/Creator": f"dossier {__version__}",
        "/Producer": f"dossier {__version__} (pypdf, reportlab)",
        "/CreationDate": _pdf_date(plan.options.epoch),
        "/ModDate": _pdf_date(plan.options.epoch),
    })
    ident = ByteStringObject(bytes.fromhex(plan.fingerprint())[:16])
    writer._ID = ArrayObject([ident, ident])
    writer.page_mode = "/UseOutlines"
