"""`dossier verify`: re-check built volumes against their manifests.

Each PDF is checked against its manifest on its own: size and SHA-256, the page count,
the cover and 目录 pages, the bookmarks and the 目录's links (where assemble.py put them).
The sources are checked too when their folder is at hand: the one given, else the one the
manifest records when it exists on this computer. Manifests record source paths relative
to the materials folder, so a delivered tree can be checked wherever it now lives; when
no folder is at hand the verdict says plainly that the sources were not checked.

A manifest is data from elsewhere: its paths must stay inside the materials folder, and
only regular files are ever read (never a device, a FIFO or a folder)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dossier.errors import os_cause
from dossier.hashing import sha256_stream
from dossier.i18n import Message, Translator, msg, pdf_text, plain
from dossier.manifest import read_manifest
from dossier.naming import safe_display, stays_inside
from dossier.quiet import libraries_quiet

CHECKED, NOT_CHECKED = "checked", "not-checked"  # Verdict.sources
PARSE_SECONDS = 60.0  # a PDF that keeps pypdf longer than this is damaged


@dataclass(frozen=True)
class Verdict:
    manifest: str  # the manifest's file name
    output: str  # the PDF's file name ("" when the manifest does not say)
    status: str  # ok | stale | corrupt | missing
    reasons: tuple[Message, ...]  # verify-… messages; none when ok
    sources: str = NOT_CHECKED  # checked | not-checked
    materials: str = ""  # the folder the sources were checked in ("" when not checked)
    notes: tuple[Message, ...] = ()  # what a person must know although nothing is wrong

    def to_dict(self, tr: Translator) -> dict[str, Any]:
        def one(m: Message) -> dict[str, Any]:
            return {"key": m.key, "params": plain(m.params), "message": tr.render(m)}

        return {"manifest": self.manifest, "output": self.output, "status": self.status,
                "sources": self.sources, "materials": self.materials,
                "reasons": [one(m) for m in self.reasons],
                "notes": [one(m) for m in self.notes]}


@dataclass(frozen=True)
class _File:
    path: str  # relative to the materials folder, "/"-separated
    size: int
    sha256: str | None
    # a placeholder's file the build refused unread ("" as its sha256): size and time
    unread: bool = False
    mtime_ns: int | None = None


@dataclass(frozen=True)
class _Placed:
    path: str
    title: str
    first: int  # output page numbers (1-based, cover included)
    last: int
    number: int = 1  # the material page number of its first page (as stamped)


@dataclass(frozen=True)
class _Recorded:
    """What a manifest says, its types checked."""

    output: str
    sha256: str
    size: int
    pages: int
    front_pages: int
    materials: str
    placed: tuple[_Placed, ...]
    files: tuple[_File, ...]  # sources, then inputs (共享数据.yaml)
    blanks: frozenset[int] = frozenset()  # output pages (1-based) left blank (--duplex)
    closing: int = 0  # the output page of the 卷内备考表 (0: none)

    @property
    def front(self) -> list[int]:
        """The output pages (1-based) of the cover and the 目录: the first front_pages
        pages that are not blank."""
        found: list[int] = []
        page = 0
        while len(found) < self.front_pages and page < self.pages:
            page += 1
            if page not in self.blanks:
                found.append(page)
        return found

    def after_blanks(self, page: int) -> int:
        """The last page of the blanks that follow `page` (or `page`)."""
        while page + 1 in self.blanks:
            page += 1
        return page


class _Incomplete(Exception):
    """The manifest lacks an entry `verify` needs, or holds a wrong type there."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class _Outside(Exception):
    """The manifest names a path that is absolute or climbs out of the materials folder."""

    def __init__(self, field: str, path: str) -> None:
        super().__init__(field)
        self.field, self.path = field, path


def verify(out_dir: Path, materials: Path | None = None) -> list[Verdict]:
    """Re-check every volume in OUT against its manifest, reading everything. The sources
    are checked in `materials` when given, else in the folder each manifest records when
    it is on this computer. A manifest that cannot be read, lacks what is needed or names
    paths outside the materials folder gives a "corrupt" verdict."""
    verdicts: list[Verdict] = []
    for mpath in sorted(out_dir.glob("*.manifest.json")):
        data = read_manifest(mpath)
        if data is None:
            verdicts.append(Verdict(mpath.name, "", "corrupt",
                                    (msg("verify-manifest-unreadable", file=mpath.name),)))
            continue
        try:
            recorded = _recorded(data)
        except (_Incomplete, _Outside) as exc:
            verdicts.append(Verdict(mpath.name, _output_name(data), "corrupt",
                                    (_manifest_reason(mpath.name, exc),)))
            continue
        verdicts.append(_verdict(out_dir, mpath.name, recorded, materials))
    return verdicts


def _output_name(data: dict[str, Any]) -> str:
    out = data.get("output")
    name = out.get("file") if isinstance(out, dict) else None
    return name if isinstance(name, str) else ""


def _manifest_reason(manifest: str, exc: _Incomplete | _Outside) -> Message:
    if isinstance(exc, _Outside):
        return msg("verify-manifest-path", file=manifest, field=exc.field,
                   path=safe_display(exc.path))
    return msg("verify-manifest-incomplete", file=manifest, field=exc.field)


# -- reading the manifest ---------------------------------------------------------------

def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...], field: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _Incomplete(field)
    return value


def _entries(data: dict[str, Any], key: str, required: bool) -> list[dict[str, Any]]:
    entries = _get(data, key, list, key) if required else data.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise _Incomplete(key)
    return entries


def _recorded(data: dict[str, Any]) -> _Recorded:
    """Raises _Incomplete (or _Outside) before anything is read when the manifest lacks what
    it needs (or names a path outside the materials folder)."""
    out = _get(data, "output", dict, "output")
    name = _get(out, "file", str, "output.file")
    digest = _get(out, "sha256", str, "output.sha256")
    if not name or name in (".", "..") or Path(name).name != name:  # a file name in OUT
        raise _Incomplete("output.file")
    size = _get(out, "size", int, "output.size")
    pages = _get(out, "pages", int, "output.pages")
    front = _get(out, "front_pages", int, "output.front_pages")
    materials = _get(data, "materials", str, "materials")
    files: list[_File] = []
    placed: list[_Placed] = []
    for key in ("sources", "inputs"):
        for entry in _entries(data, key, required=key == "sources"):
            rel = _get(entry, "path", str, f"{key}.path")
            if not stays_inside(rel):
                raise _Outside(f"{key}.path", rel)
            recorded = _get(entry, "sha256", (str, type(None)), f"{key}.sha256")
            unread = recorded == "" and entry.get("placeholder") is not None
            files.append(_File(rel, _get(entry, "size", int, f"{key}.size"), recorded, unread,
                               entry.get("mtime_ns") if _is_int(entry.get("mtime_ns"))
                               else None))
            if key == "sources":
                placed.append(_placed(entry, rel))
    blanks = out.get("blank_pages", [])  # older manifests: none
    if not isinstance(blanks, list) or not all(_is_int(n) for n in blanks):
        raise _Incomplete("output.blank_pages")
    closing = out.get("closing_page", 0)
    if not _is_int(closing):
        raise _Incomplete("output.closing_page")
    return _Recorded(name, digest, size, pages, front, materials, tuple(placed), tuple(files),
                     frozenset(blanks), closing)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _placed(entry: dict[str, Any], rel: str) -> _Placed:
    title = _get(entry, "title", str, "sources.title")
    span = _get(entry, "output_pages", list, "sources.output_pages")
    if len(span) != 2 or not all(_is_int(n) for n in span):
        raise _Incomplete("sources.output_pages")
    number = entry.get("first_page", 1)
    if not _is_int(number):
        raise _Incomplete("sources.first_page")
    return _Placed(rel, title, span[0], span[1], number)




# -- one volume -------------------------------------------------------------------------

def _verdict(out_dir: Path, manifest: str, rec: _Recorded, given: Path | None) -> Verdict:
    problem = _check_output(out_dir, rec)
    if problem is not None:
        status, reason = problem
        return Verdict(manifest, rec.output, status, (reason,))
    root = given if given is not None else _recorded_root(rec.materials)
    if root is None:
        note = msg("verify-sources-not-checked", folder=safe_display(rec.materials),
                   out=str(out_dir))
        return Verdict(manifest, rec.output, "ok", (), NOT_CHECKED, "", (note,))
    reasons = tuple(r for f in rec.files if (r := _check_source(root, f)) is not None)
    return Verdict(manifest, rec.output, "stale" if reasons else "ok", reasons, CHECKED,
                   str(root))


def _recorded_root(recorded: str) -> Path | None:
    """The materials folder the manifest records, when it is a folder of this computer."""
    path = Path(recorded)
    return path if path.is_absolute() and path.is_dir() else None


def _check_output(out_dir: Path, rec: _Recorded) -> tuple[str, Message] | None:
    """(status, reason) when the PDF is gone or does not agree with its manifest."""
    name = rec.output
    path = out_dir / name
    try:
        with _open_regular(path) as fh:
            if (os.fstat(fh.fileno()).st_size != rec.size
                    or sha256_stream(fh, rec.size + 1) != rec.sha256):
                return "corrupt", msg("verify-output-differs", file=name)
            fh.seek(0)
            reason = _pdf_problem(fh, rec)
    except _NotAFile:
        return "corrupt", msg("verify-output-not-a-file", file=name)
    except OSError as exc:
        if _absent(exc):
            return "missing", msg("verify-output-missing", file=name)
        return "corrupt", msg("verify-output-unreadable", file=name, **os_cause(exc))
    return None if reason is None else ("corrupt", reason)


def _check_source(root: Path, item: _File) -> Message | None:
    shown = safe_display(item.path)
    try:
        with _open_regular(root / item.path) as fh:
            info = os.fstat(fh.fileno())
            if info.st_size != item.size or (
                    info.st_mtime_ns != item.mtime_ns if item.unread
                    else sha256_stream(fh, item.size + 1) != item.sha256):
                return msg("verify-source-changed", file=shown)
    except _NotAFile:
        return msg("verify-source-not-a-file", file=shown)
    except OSError as exc:
        if _absent(exc):
            return msg("verify-source-removed", file=shown)
        return msg("verify-source-unreadable", file=shown, **os_cause(exc))
    return None


class _NotAFile(Exception):
    """A folder, a device, a FIFO or a socket: never read."""


def _absent(exc: OSError) -> bool:
    return exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP)


def _open_regular(path: Path) -> IO[bytes]:
    """Opens a regular file for reading. Anything else raises _NotAFile without being read
    (or, thanks to O_NONBLOCK, waited on: a FIFO swapped in after the stat)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise _NotAFile
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotAFile
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# -- the PDF against its manifest -------------------------------------------------------

def _pdf_problem(fh: IO[bytes], rec: _Recorded) -> Message | None:
    """The first disagreement between the PDF and its manifest, or None. A PDF that pypdf
    cannot parse (or that keeps it too long) is damaged."""
    from pypdf import PdfReader

    from dossier.probe import ProbeTimeout, deadline

    try:
        with libraries_quiet(), deadline(PARSE_SECONDS):
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                return msg("verify-output-unparseable", file=rec.output, detail="encrypted")
            return _structure(reader, rec)
    except ProbeTimeout:
        return msg("verify-output-unparseable", file=rec.output, detail="timeout")
    except Exception as exc:  # hostile input: any failure means a damaged PDF
        return msg("verify-output-unparseable", file=rec.output,
                   detail=f"{type(exc).__name__}: {exc}"[:300])



def _structure(reader: Any, rec: _Recorded) -> Message | None:
    """Page count, the manifest's own page numbers, the front pages, the bookmarks and the
    目录's links, in that order: the first that disagrees."""
    name, front = rec.output, rec.front_pages
    pages = len(reader.pages)
    if pages != rec.pages:
        return msg("verify-output-pages", file=name, pages=pages, expected=rec.pages)
    misfit = _misfit(rec)
    if misfit is not None:
        return msg("verify-manifest-pages", file=name, source=safe_display(misfit.path),
                   first=misfit.first, last=misfit.last, pages=pages)
    if not _front_agrees(reader.page_labels, rec):
        return msg("verify-output-front", file=name, count=front - 1)
    if not _outline_agrees(reader, rec):
        return msg("verify-output-outline", file=name)
    if _toc_targets(reader, rec.front[1:]) != {p.first - 1 for p in rec.placed}:
        return msg("verify-output-toc-links", file=name)
    return None


def _misfit(rec: _Recorded) -> _Placed | None:
    """The first document whose pages do not follow on from the one before it (the first
    right after the cover and 目录), or the last when it does not end the volume."""
    front = rec.front
    if len(front) < 2 and rec.placed:
        return rec.placed[0]
    after = front[-1] if front else 0
    for item in rec.placed:
        after = rec.after_blanks(after)  # a section starts on a right-hand page
        if item.first != after + 1 or item.last < item.first:
            return item
        after = item.last
    if rec.placed:
        after = rec.after_blanks(after)
        if rec.closing:  # the 卷内备考表 ends the volume
            after = after + 1 if rec.closing == after + 1 else -1
        if after != rec.pages:
            return rec.placed[-1]
    return None


def _front_agrees(labels: list[str], rec: _Recorded) -> bool:
    """Page labels as assemble.py sets them (see dossier.pagelayout): 封面, 目录1 … 目录N,
    the first material page's number, 空白 on each blank and 备考表 on the closing sheet."""
    front = rec.front
    if not 2 <= rec.front_pages == len(front) or len(labels) != rec.pages:
        return False
    tr = pdf_text()
    cover, toc = tr.render(msg("pdf-cover")), tr.render(msg("pdf-toc"))
    wanted = {front[0]: cover, **{page: f"{toc}{n}" for n, page in enumerate(front[1:], 1)}}
    wanted |= {page: tr.render(msg("pdf-blank")) for page in rec.blanks}
    if rec.closing:
        wanted[rec.closing] = tr.render(msg("pdf-closing"))
    if rec.placed:
        wanted[rec.placed[0].first] = str(rec.placed[0].number)
    return all(0 < page <= rec.pages and labels[page - 1] == text
               for page, text in wanted.items())


def _outline_agrees(reader: Any, rec: _Recorded) -> bool:
    """封面 and 目录 first; then each section, whose documents are its children, pointing
    at the pages the manifest records (in the manifest's order, with its titles)."""
    top = reader.outline
    if len(top) < 2 or isinstance(top[0], list) or isinstance(top[1], list):
        return False
    if [_page_index(reader, d) for d in top[:2]] != [page - 1 for page in rec.front[:2]]:
        return False
    documents: list[tuple[str, int | None]] = []
    parent = None
    for item in top[2:]:
        if not isinstance(item, list):
            parent = item
            continue
        if parent is None or any(isinstance(child, list) for child in item):
            return False
        pages = [_page_index(reader, child) for child in item]
        if _page_index(reader, parent) != pages[0]:
            return False  # a section leads to its first document
        documents += [(str(child.title), page) for child, page in zip(item, pages, strict=True)]
    return documents == [(p.title, p.first - 1) for p in rec.placed]


def _page_index(reader: Any, dest: Any) -> int | None:
    """The page a bookmark leads to. assemble.py adds the section bookmarks before their
    pages exist, so pypdf writes the page's index (an integer) where a reference belongs;
    viewers follow both."""
    page = dest.page
    if isinstance(page, int) and not isinstance(page, bool):
        return int(page)
    index: int | None = reader.get_destination_page_number(dest)
    return index


def _toc_targets(reader: Any, toc: Sequence[int]) -> set[int | None]:
    """The page indexes the link annotations of the 目录 pages (1-based `toc`) lead to."""
    targets: set[int | None] = set()
    for index in (page - 1 for page in toc):
        for ref in reader.pages[index].get("/Annots") or ():
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if dest is None and "/A" in annot:
                dest = annot["/A"].get_object().get("/D")
            dest = dest.get_object() if dest is not None else None
            page = dest[0].get_object() if isinstance(dest, list) and dest else None
            targets.add(reader.get_page_number(page) if page is not None else None)
    return targets
