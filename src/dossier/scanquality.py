"""How a scanned page looks: its effective resolution, and whether it is blank, too dark or
too faint to read (附件3 (五): check the binder before binding). Issue 13's first step.

Only scanned pages are looked at: a PDF page with no font (its text is an image), and image
files. A page's picture comes from its image itself where it is a JPEG (decoded at an
eighth of its size, which JPEG does almost for free), else from PDFium at 24 dpi. What is
learnt is cached by the file's SHA-256 (dossier.cache, kind "scans"), so a second check
costs nothing.

- resolution: the page's largest image, in pixels, over the page's size in inches (a scan
  fills its page); below 150 dpi a scanned text page is hard to read;
- blank: a bright page with almost no mark darker than the paper, or a page of one flat
  tone (a photo of a scene is neither). A double-sided scan holds the blank backs
  of one-sided sheets: when the blank pages of a document of four or more pages are all
  on even positions and are at least a quarter of its pages, they are taken as such
  backs and not reported;
- too dark: the paper itself is dark (its median below 90 of 255);
- too faint: there is writing, but even its darkest ink stays light (the 1st percentile
  above 170 of 255): a pale copy or a scan with the brightness turned up.
Photos (JPEG, PNG and HEIC files) are judged for blankness only."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter

from dossier.cache import Cache
from dossier.hashing import sha256_file

FORMAT = 5  # of what is cached (and how it is judged)
LOW_DPI = 150
_MARK_STEP = 20  # a pixel this much darker than the paper is a mark (ink, however pale)
_BLANK_INK = 0.002  # fewer marks than this share of the pixels: a blank page
_DARK_PAPER = 90
_FAINT_INK = 170
_SIDE = 600  # pixels of the longer side looked at (about 50 dpi on A4)
_PAPER = 170  # the median of a page this bright is paper
_FLAT = 12  # a page whose tones span less than this is one flat tone


@dataclass(frozen=True)
class PageLook:
    index: int  # 0-based page of the file
    dpi: int  # effective resolution; 0 when not known (an image file)
    blank: bool
    dark: bool
    faint: bool


def look_at(path: Path, kind: str, cache: Cache | None = None) -> tuple[PageLook, ...]:
    """The scanned pages of one usable file, as seen. Never raises for a hostile file: what
    cannot be looked at is left out."""
    key = _key(path, kind)
    if cache is not None and key:
        kept = cache.get(key)
        if kept is not None and isinstance(kept.get("pages"), list):
            try:
                return tuple(PageLook(**p) for p in kept["pages"])
            except TypeError:
                pass
    try:
        found = tuple(_pdf_pages(path) if kind == "pdf" else _image_pages(path))
    except Exception:  # hostile input: nothing said about it here (the probe says it)
        return ()
    if cache is not None and key:
        cache.put(key, {"pages": [asdict(p) for p in found]})
    return found


def duplex_backs(pages: tuple[PageLook, ...], count: int) -> bool:
    """Blank pages that are the backs of a double-sided scan (see the module's text)."""
    blank = [p.index for p in pages if p.blank]
    return (count >= 4 and len(blank) >= 2 and all(i % 2 == 1 for i in blank)
            and len(blank) * 4 >= count)


def _key(path: Path, kind: str) -> str:
    try:
        digest = sha256_file(path)
    except OSError:
        return ""
    return hashlib.sha256(f"{FORMAT}:{kind}:{digest}".encode()).hexdigest()


def _judge(index: int, gray: Image.Image, dpi: int, photo: bool = False) -> PageLook:
    """`photo`: a camera's image (JPEG, PNG, HEIC), not a scan: only blankness is judged
    (a dim photo of a site is no fault of reading)."""
    gray = gray.filter(ImageFilter.MinFilter(3))  # thin strokes survive the reduction
    gray.thumbnail((_SIDE, _SIDE))
    histogram = gray.histogram()[:256]
    total = sum(histogram) or 1
    paper = _percentile(histogram, total, 0.5)
    darkest, lightest = _percentile(histogram, total, 0.01), _percentile(histogram, total, 0.99)
    marks = sum(histogram[: max(0, paper - _MARK_STEP)]) / total
    # paper-bright with no marks, or one flat tone (a page scanned with the lid open is black)
    blank = (paper >= _PAPER and marks < _BLANK_INK) or lightest - darkest < _FLAT
    dark = not photo and not blank and paper < _DARK_PAPER
    faint = not photo and not blank and paper >= _PAPER and darkest > _FAINT_INK
    return PageLook(index, dpi, blank, dark, faint)


def _percentile(histogram: list[int], total: int, share: float) -> int:
    seen = 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= total * share:
            return value
    return 255


def _image_pages(path: Path) -> Iterator[PageLook]:
    with Image.open(path) as img:
        frames = int(getattr(img, "n_frames", 1) or 1)
        for index in range(min(frames, 500)):
            img.seek(index)
            if img.format == "JPEG":
                img.draft("L", (img.width // 8 or 1, img.height // 8 or 1))
            yield _judge(index, img.convert("L"), 0, photo=img.format != "TIFF")


def _pdf_pages(path: Path) -> Iterator[PageLook]:
    from pypdf import PdfReader

    with _quiet():
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        rendered = None
        try:
            for index, page in enumerate(reader.pages):
                if _has_text(page):
                    continue  # text, not a scan
                image = _largest_image(page.get("/Resources") or {})
                if image is None:
                    continue
                width_in = float(page.mediabox.width) / 72
                height_in = float(page.mediabox.height) / 72
                pixels = (int(image.get("/Width", 0)), int(image.get("/Height", 0)))
                if (pixels[0] > pixels[1]) != (width_in > height_in):
                    pixels = (pixels[1], pixels[0])  # a page turned by /Rotate
                dpi = round(min(pixels[0] / width_in, pixels[1] / height_in)) if width_in and \
                    height_in else 0
                gray = _jpeg(image)
                if gray is None:
                    with _PDFIUM:  # PDFium is not thread-safe: one page at a time
                        if rendered is None:
                            import pypdfium2  # type: ignore[import-untyped]

                            rendered = pypdfium2.PdfDocument(str(path))
                        bitmap = rendered[index].render(scale=48 / 72, grayscale=True)
                        gray = bitmap.to_pil().convert("L")
                yield _judge(index, gray, dpi)
        finally:
            if rendered is not None:
                with _PDFIUM:
                    rendered.close()


def _has_text(page: Any) -> bool:
    """The page shows text (a string drawn by Tj or TJ in its content; an empty text object
    does not count): not a scan, or a scan with a text layer (OCR'd)."""
    contents = page.get_contents()
    if contents is None:
        return False
    data = contents.get_data()
    return re.search(rb"[)>\]]\s*T[jJ]\b", data) is not None


_PDFIUM = threading.Lock()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Quiet libraries for the main thread; the caller's context covers worker threads."""
    if threading.current_thread() is threading.main_thread():
        from dossier.quiet import libraries_quiet

        with libraries_quiet():
            yield
    else:
        yield


def _largest_image(resources: Any) -> Any:
    try:
        xobjects = resources["/XObject"]
    except (KeyError, TypeError):
        return None
    best, area = None, 0
    for ref in xobjects.values():
        obj = ref.get_object()
        if obj.get("/Subtype") != "/Image":
            continue
        size = int(obj.get("/Width", 0)) * int(obj.get("/Height", 0))
        if size > area:
            best, area = obj, size
    return best


def _jpeg(image: Any) -> Image.Image | None:
    """A JPEG image stream decoded small (its raw bytes are a JPEG file)."""
    filters = image.get("/Filter")
    names = [str(n) for n in (filters if isinstance(filters, list) else [filters])]
    if not names or names[-1] != "/DCTDecode" or not set(names[:-1]) <= {
            "/ASCII85Decode", "/FlateDecode"}:
        return None
    data = image.get_data()  # the JPEG file as it is (pypdf leaves DCT encoded)
    img = Image.open(io.BytesIO(data))
    img.draft("L", (img.width // 8 or 1, img.height // 8 or 1))
    return img.convert("L")
