"""Open one material file defensively and say what is wrong with it.

Cheap on purpose: a PDF's cross-reference table and page tree are read, never its
content streams; an image's header and end marker are read, never its pixels.
Any exception from a hostile file becomes a problem, never a crash."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from PIL import Image, UnidentifiedImageError
from pypdf import PasswordType, PdfReader

from dossier.findings import CODES, Severity

# magic bytes -> (kind, human description)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "PDF"),
    (b"\xff\xd8\xff", "jpeg", "JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "png", "PNG image"),
    (b"II*\x00", "tiff", "TIFF image"),
    (b"MM\x00*", "tiff", "TIFF image"),
    (b"GIF8", "gif", "GIF image"),
    (b"BM", "bmp", "BMP image"),
    (b"PK\x03\x04", "zip", "ZIP container (docx/xlsx/ofd/zip)"),
    (b"\xd0\xcf\x11\xe0", "ole", "old Office document (doc/xls/wps)"),
    (b"Rar!", "rar", "RAR archive"),
    (b"%!PS", "ps", "PostScript"),
    (b"{\\rtf", "rtf", "RTF document"),
)
_REPAIR_HINTS = ("xref", "startxref", "eof marker", "trailer", "rebuild")
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


@dataclass(frozen=True)
class Probe:
    pages: int  # pages it will contribute (PDF pages, image frames); 0 when unusable
    problems: tuple[Problem, ...]

    @property
    def usable(self) -> bool:
        return not any(CODES[p.code][0] is Severity.ERROR for p in self.problems)


class ProbeTimeout(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt a parser that loops on a hostile file (Unix main thread only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise ProbeTimeout

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, description) of content by its magic bytes, or None."""
    for magic, kind, desc in _MAGIC:
        if head.startswith(magic):
            return kind, desc
    if b"%PDF-" in head[:1024]:
        return "pdf", "PDF"
    low = head[:512].lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        return "html", "HTML/XML page (a web page saved with a .pdf name)"
    if head[4:12] in (b"ftypheic", b"ftypheif", b"ftypmif1"):
        return "heic", "HEIC photo"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp", "WebP image"
    return None


def probe(path: Path, kind: str, timeout: float = TIMEOUT_SECONDS) -> Probe:
    try:
        with deadline(timeout):
            return _probe(path, kind)
    except ProbeTimeout:
        return Probe(0, (Problem("probe-timeout", f"gave up after {timeout:.0f} s; the file "
                                 "may be damaged or hostile: re-save or re-scan it"),))
    except (MemoryError, RecursionError) as exc:
        return Probe(0, (Problem("corrupt-pdf" if kind == "pdf" else "broken-image",
                                 f"cannot be parsed ({type(exc).__name__})"),))


def _probe(path: Path, kind: str) -> Probe:
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        return Probe(0, (Problem("unreadable-file", f"cannot be opened: {exc.strerror or exc}"),))
    if not head:
        return Probe(0, (Problem("empty-file", "the file is empty (0 bytes); copy it again"),))
    found = sniff(head)
    if kind == "pdf":
        if found is None or found[0] != "pdf":
            what = found[1] if found else "not a PDF"
            return Probe(0, (Problem("not-a-pdf", f"named .pdf but its content is {what}; "
                                     "open it in its own program and save/print as PDF"),))
        return _probe_pdf(path)
    if found is None or found[0] not in ("jpeg", "png", "tiff"):
        what = found[1] if found else "not a readable image"
        hint = "rename it to .pdf" if found and found[0] == "pdf" else "re-export it as JPEG or PDF"
        return Probe(0, (Problem("broken-image", f"named {path.suffix} but its content is "
                                 f"{what}; {hint}"),))
    problems: list[Problem] = []
    if found[0] != kind:
        problems.append(Problem("mislabelled-image", f"named {path.suffix} but is a {found[1]}; "
                                f"rename it to .{ {'jpeg': 'jpg'}.get(found[0], found[0]) }"))
    result = _probe_image(path, found[0])
    return Probe(result.pages, (*problems, *result.problems))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _pypdf_warnings() -> Iterator[list[str]]:
    logger = logging.getLogger("pypdf")
    handler = _Collect()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _probe_pdf(path: Path) -> Probe:
    problems: list[Problem] = []
    try:
        with _pypdf_warnings() as warned, path.open("rb") as fh:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                result = reader.decrypt("")
                if result == PasswordType.NOT_DECRYPTED:
                    return Probe(0, (Problem("encrypted-pdf", "needs a password to open; ask "
                                             "the sender for an unprotected copy"),))
                problems.append(Problem("owner-password-pdf", "has an owner password only "
                                        "(printing/editing limits); it opens and binds fine"))
            pages = len(reader.pages)
            repaired = [m for m in warned if any(h in m.lower() for h in _REPAIR_HINTS)]
            if repaired and pages:
                for page in reader.pages:  # a repaired file must really resolve
                    page.get_contents()
    except Exception as exc:  # hostile input: any failure is a finding
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        return Probe(0, (Problem("corrupt-pdf", f"cannot be read as PDF ({type(exc).__name__}"
                                 f"{': ' + detail if detail else ''}); re-save or re-scan it"),))
    if pages == 0:
        return Probe(0, (*problems, Problem("empty-pdf", "has no pages")))
    if repaired:
        problems.append(Problem("repaired-pdf", f"is damaged ({repaired[0]}) but could be "
                                "read; re-save it to be safe"))
    return Probe(pages, tuple(problems))


def _tail(path: Path, size: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(0, 2)
        end = fh.tell()
        fh.seek(max(0, end - size))
        return fh.read()


def _probe_image(path: Path, kind: str) -> Probe:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns on odd EXIF; not the user's concern
            frames = _image_frames(path, kind)
        if kind == "jpeg":
            tail = _tail(path, 256 * 1024)
            last_sos = tail.rfind(b"\xff\xda")
            if tail.find(b"\xff\xd9", max(last_sos, 0)) < 0:
                raise ValueError("truncated: no JPEG end marker")
        elif kind == "png" and b"IEND" not in _tail(path, 4096):
            raise ValueError("truncated: no PNG end chunk")
    except Image.DecompressionBombError as exc:
        return Probe(0, (Problem("broken-image", f"is implausibly large ({exc})"),))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            KeyError, IndexError, TypeError, ZeroDivisionError) as exc:
        return Probe(0, (Problem("broken-image", f"cannot be read as image ({exc}); "
                                 "re-save or re-photograph it"),))
    return Probe(frames, ())


def _image_frames(path: Path, kind: str) -> int:
    with Image.open(path) as img:
        width, height = img.size
        if width <= 0 or height <= 0:
            raise ValueError("zero-size image")
        frames = int(getattr(img, "n_frames", 1) or 1)
        if kind == "tiff":
            _check_tiff_strips(path, img, frames)
    return frames


def _check_tiff_strips(path: Path, img: Image.Image, frames: int) -> None:
    size = path.stat().st_size
    for index in range(frames):
        img.seek(index)
        tags = getattr(img, "tag_v2", {})
        offsets = tags.get(273) or tags.get(324) or ()
        counts = tags.get(279) or tags.get(325) or ()
        if isinstance(offsets, int):
            offsets, counts = (offsets,), (counts,)
        for off, cnt in zip(offsets, counts, strict=False):
            if int(off) + int(cnt) > size:
                raise ValueError(f"truncated: frame {index + 1} data lies past the end of the file")
