"""How a scanned page looks: its effective resolution, whether it is blank, too dark, too
faint to read or askew, and, for photos, whether the sheet was photographed at a slant
(附件3 (五): check the binder before binding).

Only scanned pages are looked at: a PDF page that shows no text (its text is an image), and
image files. A page's picture comes from its image itself where it is a JPEG (decoded at
the smallest size that shows the page at 50 dpi or more, which JPEG does almost for free),
else from PDFium at 48 dpi. What is learnt is cached by the file's SHA-256 (dossier.cache,
kind "scans"), so a second check costs nothing.

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
- skewed: the lines of writing lean by more than 2° (dossier.pagegeometry);
Photos (JPEG, PNG and HEIC files) are judged for blankness, and for perspective: a sheet
photographed at a slant, whose corners depart from square by more than 15°.

Where a document needs a seal (dossier.checks.seals), every page of it, scanned or not, is
also looked at in colour for red seals (dossier.seals), at about 75 dpi: from its JPEG at a
quarter or half of its size, else from PDFium. Each page's count of seals is kept with the
rest."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image

from dossier.cache import Cache
from dossier.hashing import sha256_file
from dossier.pagegeometry import skew_angle, slant

FORMAT = 7  # of what is cached (and how it is judged)
MAX_SKEW = 2.0  # degrees a scan's lines may lean before it is reported
MAX_SLANT = 15.0  # degrees a photographed sheet's corner may depart from square
LOW_DPI = 150
_MARK_STEP = 20  # a pixel this much darker than the paper is a mark (ink, however pale)
_BLANK_INK = 0.002  # fewer marks than this share of the pixels: a blank page
_DARK_PAPER = 90
_FAINT_INK = 170
_SIDE = 600  # pixels of the longer side looked at (about 50 dpi on A4)
_PAPER = 170  # the median of a page this bright is paper
_FLAT = 12  # a page whose tones span less than this is one flat tone
_SEAL_DPI = 75  # seals are looked for at about this resolution (dossier.seals.WORK_DPI)
_GREY_DPI = 50  # the rest is judged at about this (a line of writing is 6 pixels apart)
_A4_LONG_IN = 297 / 25.4  # an image file's page is taken as A4 for its seals' size


@dataclass(frozen=True)
class PageLook:
    index: int  # 0-based page of the file
    dpi: int  # effective resolution; 0 when not known (an image file)
    blank: bool
    dark: bool
    faint: bool
    scanned: bool = True  # False: a page of text, looked at for seals only
    seals: int = -1  # red seals found on it; -1: not looked for
    skew: float = 0.0  # degrees its lines of writing lean (dossier.pagegeometry); 0: level
    slant: float = 0.0  # a photo: degrees its sheet's corners depart from square


def sealed_pages(pages: tuple[PageLook, ...]) -> tuple[int, ...] | None:
    """The 0-based pages that carry a seal; None when the seals were not looked for."""
    if not pages or any(p.seals < 0 for p in pages):
        return None
    return tuple(p.index for p in pages if p.seals > 0)


def look_at(path: Path, kind: str, cache: Cache | None = None,
            seals: bool = False) -> tuple[PageLook, ...]:
    """The scanned pages of one usable file, as seen; with `seals`, every page, looked at
    for seals too. Never raises for a hostile file: what cannot be looked at is left out."""
    key = _key(path, f"{kind}:seals" if seals else kind)
    if cache is not None and key:
        kept = cache.get(key)
        if kept is not None and isinstance(kept.get("pages"), list):
            try:
                return tuple(PageLook(**p) for p in kept["pages"])
            except TypeError:
                pass
    try:
        found = tuple(_pdf_pages(path, seals) if kind == "pdf" else _image_pages(path, seals))
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
    if max(gray.size) > 2 * _SIDE:
        gray.thumbnail((2 * _SIDE, 2 * _SIDE))  # a large picture costs the filter less
    gray = _darkest_around(gray)  # thin strokes survive the reduction
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
    skew = 0.0
    if not photo and not blank:
        skew = skew_angle(gray, paper) or 0.0
    return PageLook(index, dpi, blank, dark, faint, skew=skew)


def _darkest_around(gray: Image.Image) -> Image.Image:
    """Each pixel the darkest of its 3 × 3 neighbourhood (Pillow's MinFilter(3), in numpy:
    a tenth of its time)."""
    import numpy as np

    pixels = np.asarray(gray.convert("L"), dtype=np.uint8)
    padded = np.pad(pixels, 1, mode="edge")
    height, width = pixels.shape
    rows = np.minimum(np.minimum(padded[:-2], padded[1:-1]), padded[2:])
    darkest = np.minimum(np.minimum(rows[:, :-2], rows[:, 1:-1]), rows[:, 2:])
    return Image.fromarray(np.ascontiguousarray(darkest[:height, :width]))


def _percentile(histogram: list[int], total: int, share: float) -> int:
    seen = 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= total * share:
            return value
    return 255


def _image_pages(path: Path, seals: bool = False) -> Iterator[PageLook]:
    with Image.open(path) as img:
        frames = int(getattr(img, "n_frames", 1) or 1)
        for index in range(min(frames, 500)):
            img.seek(index)
            if img.format == "JPEG":
                side = (_SEAL_DPI if seals else _GREY_DPI) * _A4_LONG_IN
                ratio = max(1.0, max(img.size) / side)
                img.draft("RGB" if seals else "L", (int(img.width / ratio) or 1,
                                                    int(img.height / ratio) or 1))
            photo = img.format != "TIFF"
            look = _judge(index, img.convert("L"), 0, photo=photo)
            if photo and not look.blank:
                look = replace(look, slant=round(slant(img) or 0.0, 1))
            if seals:
                picture = img.convert("RGB")
                look = replace(look, seals=_seals(picture, max(picture.size) / _A4_LONG_IN))
            yield look


def _pdf_pages(path: Path, seals: bool = False) -> Iterator[PageLook]:
    from pypdf import PdfReader

    with _quiet():
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        pages = _Pages(path)
        try:
            for index, page in enumerate(reader.pages):
                image = None if has_text(page) else largest_image(
                    page.get("/Resources") or {})
                if image is None and not seals:
                    continue  # text, not a scan
                size = (float(page.mediabox.width) / 72, float(page.mediabox.height) / 72)
                picture, dpi = None, 0.0
                if image is not None:
                    picture, dpi = _jpeg(image, size, _SEAL_DPI if seals else 0)
                if picture is None:
                    dpi = _SEAL_DPI if seals else 48
                    picture = pages.render(index, dpi, colour=seals)
                look = (_judge(index, picture.convert("L"), _scan_dpi(image, size))
                        if image is not None else PageLook(index, 0, False, False, False,
                                                           scanned=False))
                if seals:
                    look = replace(look, seals=_seals(picture, dpi))
                yield look
        finally:
            pages.close()


class _Pages:
    """One file's pages rendered by PDFium, opened when first needed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc: Any = None

    def render(self, index: int, dpi: float, colour: bool) -> Image.Image:
        with PDFIUM:  # PDFium is not thread-safe: one page at a time
            if self.doc is None:
                import pypdfium2  # type: ignore[import-untyped]

                self.doc = pypdfium2.PdfDocument(str(self.path))
            bitmap = self.doc[index].render(scale=dpi / 72, grayscale=not colour)
            picture: Image.Image = bitmap.to_pil().convert("RGB" if colour else "L")
            del bitmap  # freed under the lock: it holds its page
            return picture

    def close(self) -> None:
        if self.doc is not None:
            with PDFIUM:
                self.doc.close()


def _scan_dpi(image: Any, size: tuple[float, float]) -> int:
    """A scan's effective resolution: its image's pixels over the page's inches."""
    width_in, height_in = size
    pixels = (int(image.get("/Width", 0)), int(image.get("/Height", 0)))
    if (pixels[0] > pixels[1]) != (width_in > height_in):
        pixels = (pixels[1], pixels[0])  # a page turned by /Rotate
    if not width_in or not height_in:
        return 0
    return round(min(pixels[0] / width_in, pixels[1] / height_in))


def _seals(picture: Image.Image, dpi: float) -> int:
    from dossier.seals import find_seals  # OpenCV is loaded only where seals are looked for

    return len(find_seals(picture, dpi))


def has_text(page: Any) -> bool:
    """The page shows text (a string drawn by Tj or TJ in its content, or in a form XObject
    it draws, a few levels deep; an empty text object does not count): not a scan, or a
    scan with a text layer (OCR'd)."""
    contents = page.get_contents()
    if contents is None:
        return False
    if _TEXT.search(contents.get_data()) is not None:
        return True
    return _forms_show_text(page.get("/Resources"), depth=0)


_TEXT = re.compile(rb"[)>\]]\s*T[jJ]\b")


def _forms_show_text(resources: Any, depth: int) -> bool:
    try:
        xobjects = resources.get_object()["/XObject"].get_object()
        forms = [x.get_object() for x in xobjects.values()]
    except Exception:  # no XObjects, or not a dictionary of them
        return False
    for form in forms:
        try:
            if form.get("/Subtype") != "/Form":
                continue
            if _TEXT.search(form.get_data()) is not None:
                return True
            if depth < 3 and _forms_show_text(form.get("/Resources"), depth + 1):
                return True
        except Exception:  # an unreadable form shows nothing
            continue
    return False


PDFIUM = threading.Lock()  # PDFium is not thread-safe: every use in the process holds it


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Quiet libraries for the main thread; the caller's context covers worker threads."""
    if threading.current_thread() is threading.main_thread():
        from dossier.quiet import libraries_quiet

        with libraries_quiet():
            yield
    else:
        yield


def largest_image(resources: Any) -> Any:
    """The page's image XObject of most pixels, or None (also for XObjects too odd to
    tell)."""
    from pypdf.generic import StreamObject

    try:
        xobjects = resources.get_object()["/XObject"].get_object()
        refs = list(xobjects.values())
    except Exception:  # no XObjects, or not a dictionary of them
        return None
    best, area = None, 0
    for ref in refs:
        try:
            obj = ref.get_object()
            if not isinstance(obj, StreamObject) or obj.get("/Subtype") != "/Image":
                continue
            width, height = obj.get("/Width", 0), obj.get("/Height", 0)
            if not isinstance(width, int) or not isinstance(height, int):
                continue
            size = int(width) * int(height)
        except Exception:  # a broken reference or value: not this image
            continue
        if size > area:
            best, area = obj, size
    return best


def _jpeg(image: Any, size: tuple[float, float], dpi: float,
          ) -> tuple[Image.Image | None, float]:
    """A JPEG image stream decoded small (its raw bytes are a JPEG file): to the smallest
    size JPEG decodes to that shows the page at 50 dpi or more, in grey, or, with `dpi`, at
    `dpi` or more in colour. The picture and its resolution on the page."""
    filters = image.get("/Filter")
    names = [str(n) for n in (filters if isinstance(filters, list) else [filters])]
    if not names or names[-1] != "/DCTDecode" or not set(names[:-1]) <= {
            "/ASCII85Decode", "/FlateDecode"}:
        return None, 0.0
    data = image.get_data()  # the JPEG file as it is (pypdf leaves DCT encoded)
    img = Image.open(io.BytesIO(data))
    mode = "RGB" if dpi else "L"
    ratio = max(1.0, max(img.size) / ((max(size) or 11.69) * (dpi or _GREY_DPI)))
    img.draft(mode, (int(img.width / ratio) or 1, int(img.height / ratio) or 1))
    picture = img.convert(mode)
    long_in = max(size) or 1.0
    return picture, max(picture.size) / long_in
