"""Open one material file defensively and say what is wrong with it.

Cheap on purpose: a PDF's cross-reference table and page tree are read, never its
content streams; an image's header and end marker are read, never its pixels.
Any exception from a hostile file becomes a problem, never a crash."""

from __future__ import annotations

import contextlib
import functools
import logging
import signal
import struct
import threading
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

from PIL import Image, UnidentifiedImageError
from pypdf import PasswordType, PdfReader

from dossier.errors import os_cause
from dossier.findings import CODES, Severity
from dossier.i18n import Message
from dossier.messages import template

# magic bytes -> kind of content; each kind is described by the template content-kind/<kind>
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"PK\x03\x04", "zip"),  # docx/xlsx/ofd/zip
    (b"\xd0\xcf\x11\xe0", "ole"),  # old Office: doc/xls/wps
    (b"Rar!", "rar"),
    (b"%!PS", "ps"),
    (b"{\\rtf", "rtf"),
)
# Every kind sniff() may return; each has a template content-kind/<kind>.
CONTENT_KINDS = ("pdf", "jpeg", "png", "tiff", "gif", "bmp", "zip", "ole", "rar", "ps", "rtf",
                 "html", "heic", "webp")
_IMAGE_EXTENSIONS = {"jpeg": "jpg", "png": "png", "tiff": "tif", "heic": "heic"}
# HEIF brands of iPhone and Android photos and image sequences
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
_REPAIR_HINTS = ("xref", "startxref", "eof marker", "trailer", "rebuild")
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Problem:
    """What is wrong with a file: a finding code, the variant of its wording and the values
    its template needs (besides `file`, the shown path, which the caller adds). Raw text
    from pypdf or Pillow is kept in params["detail"] only; templates never show it."""

    code: str
    variant: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        template(self.key)  # a problem without a template fails where it is made

    @property
    def key(self) -> str:
        return f"{self.code}/{self.variant}" if self.variant else self.code

    def message_for(self, file: str) -> Message:
        """The problem as a message about `file` (a path to show)."""
        return Message(self.key, {**self.params, "file": file})


@dataclass(frozen=True)
class Probe:
    pages: int  # pages it will contribute (PDF pages, image frames); 0 when unusable
    problems: tuple[Problem, ...]
    # a single-frame image: its size as displayed (EXIF orientation applied), which says
    # whether it is cut into slices (dossier.images.image_pages); (0, 0) otherwise
    size: tuple[int, int] = (0, 0)

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


def sniff(head: bytes) -> str | None:
    """The kind of content (one of CONTENT_KINDS) by its magic bytes, or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:1024]:
        return "pdf"
    low = head[:512].lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        return "html"  # typically a web page saved with a .pdf name
    if head[4:8] == b"ftyp" and head[8:12] in (*_HEIF_BRANDS, b"heif"):
        return "heic"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    return None


def content_kind(kind: str) -> Message:
    """What a person reads for a kind of content ("a web page (HTML or XML)")."""
    return Message(f"content-kind/{kind}")


def _detail(exc: BaseException) -> str:
    """The exception as raw text for params["detail"] (never shown by a template)."""
    text = str(exc).strip()
    first = text.splitlines()[0][:160] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def unreadable(exc: OSError) -> Problem:
    return Problem("unreadable-file", params=os_cause(exc))


def probe(path: Path, kind: str, timeout: float = TIMEOUT_SECONDS) -> Probe:
    try:
        with deadline(timeout):
            return _probe(path, kind)
    except ProbeTimeout:
        return Probe(0, (Problem("probe-timeout", params={"seconds": f"{timeout:g}"}),))
    except (MemoryError, RecursionError) as exc:
        return Probe(0, (Problem("corrupt-pdf" if kind == "pdf" else "broken-image",
                                 params={"detail": type(exc).__name__}),))


def _probe(path: Path, kind: str) -> Probe:
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        return Probe(0, (unreadable(exc),))
    if not head:
        return Probe(0, (Problem("empty-file"),))
    found = sniff(head)
    if kind == "pdf":
        if found is None:
            return Probe(0, (Problem("not-a-pdf", "unknown"),))
        if found in _IMAGE_EXTENSIONS:
            return Probe(0, (Problem("not-a-pdf", "image", {
                "kind": found, "content": content_kind(found),
                "extension": _IMAGE_EXTENSIONS[found]}),))
        if found != "pdf":
            return Probe(0, (Problem("not-a-pdf", params={"kind": found,
                                                          "content": content_kind(found)}),))
        return _probe_pdf(path)
    suffix = path.suffix.lower()
    if found is None:
        return Probe(0, (Problem("broken-image", "unknown", {"suffix": suffix}),))
    if found == "pdf":
        return Probe(0, (Problem("broken-image", "pdf-content",
                                 {"suffix": suffix, "kind": found}),))
    if found not in _IMAGE_EXTENSIONS:
        return Probe(0, (Problem("broken-image", "other-type", {
            "suffix": suffix, "kind": found, "content": content_kind(found)}),))
    problems: list[Problem] = []
    if found != kind:
        problems.append(Problem("mislabelled-image", params={
            "suffix": suffix, "kind": found, "content": content_kind(found),
            "extension": _IMAGE_EXTENSIONS[found]}))
    result = _probe_image(path, found)
    return Probe(result.pages, (*problems, *result.problems), result.size)


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
            if pdf_end_missing(fh, path.stat().st_size):
                return Probe(0, (Problem("corrupt-pdf", params={"detail": END_MISSING}),))
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                result = reader.decrypt("")
                if result == PasswordType.NOT_DECRYPTED:
                    return Probe(0, (Problem("encrypted-pdf"),))
                problems.append(Problem("owner-password-pdf"))
            pages = len(reader.pages)  # the page tree walked, not its /Count
            repaired = [m for m in warned if any(h in m.lower() for h in _REPAIR_HINTS)]
            declared = _declared_pages(reader)
            if declared is not None and declared != pages:  # a lying /Count: bound as walked
                repaired.append(f"the page tree declares {declared} pages; {pages} are there")
            if repaired and pages:
                for page in reader.pages:  # a repaired file must really resolve
                    page.get_contents()
    except Exception as exc:  # hostile input: any failure is a finding
        return Probe(0, (Problem("corrupt-pdf", params={"detail": _detail(exc)}),))
    if pages == 0:
        return Probe(0, (*problems, Problem("empty-pdf")))
    if repaired:
        problems.append(Problem("repaired-pdf", params={"detail": repaired[0][:160]}))
    return Probe(pages, tuple(problems))


MAX_REPAIR = 16 << 20  # bytes: a larger PDF without an end is not searched for one
END_MISSING = "no %%EOF or startxref in its last MiB: the end of the file is missing"


def pdf_end_missing(fh: IO[bytes], size: int) -> bool:
    """A large file whose last MiB holds neither %%EOF nor startxref: pypdf would read the
    whole file backwards, line by line, looking for them (minutes for a gigabyte of zeros).
    Such a file is damaged past repair; a smaller one is left to pypdf's repair."""
    if size <= MAX_REPAIR:
        return False
    fh.seek(size - (1 << 20))
    tail = fh.read(1 << 20)
    fh.seek(0)
    return b"%%EOF" not in tail and b"startxref" not in tail


def hopeless_pdf(fh: IO[bytes]) -> tuple[str, str] | None:
    """(source message key, detail) for a file pypdf would spend minutes on or cannot read
    at all: empty, not starting as a PDF (a gigabyte of zeros named .pdf), or large with
    its end missing; None for one worth opening. `fh` is left at its start."""
    head = fh.read(2048)
    size = fh.seek(0, 2)
    fh.seek(0)
    if not head:
        return "source-empty", "0 bytes"
    if sniff(head) != "pdf":
        return "source-not-pdf", "no %PDF- header"
    if pdf_end_missing(fh, size):
        return "source-corrupt-pdf", END_MISSING
    return None


def _declared_pages(reader: PdfReader) -> int | None:
    """The /Count of the page tree's root, or None when there is none to read."""
    try:
        count = reader.root_object["/Pages"].get_object().get("/Count")  # type: ignore[union-attr]
    except Exception:  # no page tree root: pypdf's own count stands
        return None
    return int(count) if isinstance(count, int) else None


def _tail(path: Path, size: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(0, 2)
        end = fh.tell()
        fh.seek(max(0, end - size))
        return fh.read()


class _Truncated(ValueError):
    """The image data stops before its end marker or past the end of the file."""


class _ZeroSize(ValueError):
    """The image claims a width or height of zero."""


class _BadChain(ValueError):
    """A TIFF's chain of frames (IFDs) loops back or never ends."""


MAX_FRAMES = 5000  # frames of one TIFF; a scanner's multi-page file has tens


def _check_tiff_chain(path: Path) -> None:
    """Follow the TIFF's IFD offsets as stored: one that points back to an earlier frame
    (Pillow then stops quietly and binds what it saw), or more than MAX_FRAMES, is a
    broken image. BigTIFF is left to Pillow."""
    from dossier.hashing import open_regular

    size = path.stat().st_size
    with open_regular(path) as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise _Truncated("the TIFF header is incomplete")
        order = "<" if head[:2] == b"II" else ">"
        if struct.unpack(order + "H", head[2:4])[0] != 42:
            return
        offset: int = struct.unpack(order + "I", head[4:8])[0]
        seen: set[int] = set()
        while offset:
            if offset in seen:
                raise _BadChain(f"frame {len(seen) + 1} points back to an earlier frame")
            if len(seen) >= MAX_FRAMES:
                raise _BadChain(f"more than {MAX_FRAMES} frames")
            if offset + 2 > size:
                raise _Truncated(f"frame {len(seen) + 1} lies past the end of the file")
            seen.add(offset)
            fh.seek(offset)
            (entries,) = struct.unpack(order + "H", fh.read(2))
            fh.seek(offset + 2 + 12 * entries)
            tail = fh.read(4)
            if len(tail) < 4:
                raise _Truncated(f"frame {len(seen)} lies past the end of the file")
            (offset,) = struct.unpack(order + "I", tail)


def _probe_image(path: Path, kind: str) -> Probe:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns on odd EXIF; not the user's concern
            frames, size = _image_frames(path, kind)
        if kind == "jpeg":
            tail = _tail(path, 256 * 1024)
            last_sos = tail.rfind(b"\xff\xda")
            if tail.find(b"\xff\xd9", max(last_sos, 0)) < 0:
                raise _Truncated("no JPEG end marker")
        elif kind == "png" and b"IEND" not in _tail(path, 4096):
            raise _Truncated("no PNG end chunk")
    except Image.DecompressionBombError as exc:
        return Probe(0, (Problem("broken-image", "too-large", {"detail": _detail(exc)}),))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            KeyError, IndexError, TypeError, ZeroDivisionError) as exc:
        return Probe(0, (Problem("broken-image", _image_variant(exc), {"detail": _detail(exc)}),))
    return Probe(frames, (), size)


def _image_variant(exc: Exception) -> str:
    if isinstance(exc, _ZeroSize):
        return "zero-size"
    if isinstance(exc, _NoDecoder):
        return "no-decoder"
    if isinstance(exc, _BadChain):
        return "frames"
    if isinstance(exc, (_Truncated, EOFError)) or "truncated" in str(exc).lower():
        return "truncated"  # ours, or Pillow's "image file is truncated"
    return ""


def heif_opener() -> bool:
    """Pillow opens HEIC/HEIF once pillow-heif registers itself; False without it."""
    return _heif_registered()


@functools.lru_cache(maxsize=1)
def _heif_registered() -> bool:
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


class _NoDecoder(ValueError):
    """No decoder for this kind of image is installed (pillow-heif for HEIC)."""


def _image_frames(path: Path, kind: str) -> tuple[int, tuple[int, int]]:
    """The frames, and the displayed size of a single frame ((0, 0) for several)."""
    if kind == "heic" and not heif_opener():
        raise _NoDecoder("pillow-heif is not installed")
    with Image.open(path) as img:
        width, height = img.size
        if width <= 0 or height <= 0:
            raise _ZeroSize(f"{width}x{height}")
        if kind == "tiff":
            _check_tiff_chain(path)
        frames = int(getattr(img, "n_frames", 1) or 1)
        if kind == "tiff":
            _check_tiff_strips(path, img, frames)
        if frames != 1:
            return frames, (0, 0)
        return frames, (height, width) if orientation(img) in SWAPS else (width, height)


# EXIF orientations whose displayed width is the stored height
SWAPS = frozenset({5, 6, 7, 8})


def orientation(img: Image.Image) -> int:
    """The EXIF orientation (1–8) of an open image; 1 when it has none or it is unreadable."""
    try:
        value = img.getexif().get(0x0112, 1)
    except Exception:  # hostile EXIF: the image is shown as stored
        return 1
    # only a number, as Pillow's exif_transpose takes it ("6" as text turns nothing there)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


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
                raise _Truncated(f"frame {index + 1} data lies past the end of the file")
