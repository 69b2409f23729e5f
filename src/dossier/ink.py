"""Is there ink where a page number would go? Then the number goes to the next free place.

A form printed up to its top-right corner (第一联 存根), a letterhead, a Word 页眉: the
number's white patch would hide them. Before a page is stamped, the patch's area is looked
at, and when it holds ink the number moves to the first free place in ORDER after the one
asked for. When every place holds ink, it stays where it was asked, and the manifest says
so.

How a page is looked at, cheapest first:
- a scanned page (its content is one image drawn over the page, as scanners, phones and
  dossier's own image pages make it): only the image rows under the patch are decoded. A
  baseline JPEG is decoded down to those rows only (its frame height is shortened, so the
  decoder stops there) and at a reduced scale; an uncompressed-predictor Flate image is
  inflated down to those rows. About 0.5 ms a page;
- anything else (text, vector drawings, OCR layers, other image filters): the page is
  rendered at 36 dpi with PDFium (pypdfium2) and the patch's area read from it;
- a page neither way can read counts as free: the number goes where it was asked.

Ink: pixels clearly darker than the paper around them (the area's bright end), more than a
speck's worth. Each answer is cached by the source's SHA-256 (dossier.cache), so a page is
looked at once, whatever the number of rebuilds."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import PIL
from PIL import Image
from pypdf import PageObject
from pypdf.generic import ArrayObject, StreamObject

from dossier.cache import Cache
from dossier.options import StampOptions
from dossier.probe import ProbeTimeout, deadline
from dossier.stamp import Geometry, Spot, geometry, resolve, spot

# Where a number may go, in the order tried after the place asked for.
ORDER = ("top-right", "top-left", "top-center", "bottom-right", "bottom-left", "bottom-center")
VERSION = 2  # of the measure below: part of the cache key, with the decoders' versions
_RENDER_SECONDS = 10.0  # a page PDFium takes longer over is not looked at
_DPI = 36.0  # enough to see 5 mm print; a patch is then about 20 x 10 pixels
_INK_DROP = 70  # a pixel this much darker than the paper is ink
_INK_SHARE = 0.02  # … and ink covers more than this share of the patch
_AROUND = 8 * 72 / 25.4  # the paper's brightness: a band across the page, 8 mm around
_TOP_SHARE = 0.4  # image rows beyond this share of the height: decode it whole
_SIMPLE = re.compile(
    rb"^\s*q\s+(?:(?:[-\d.]+\s+){4}re\s+W\s+n\s+)?((?:[-\d.]+\s+){6})cm\s+/([^\s/]+)\s+Do\s+Q\s*$")


def places(asked: str, recto: bool) -> tuple[str, ...]:
    """The places to try, the one asked for first."""
    first = resolve(asked, recto)
    return (first, *(p for p in ORDER if p != first))


@dataclass(frozen=True)
class Choice:
    position: str  # where the number goes
    moved: bool  # not where it was asked: ink was there
    covered: bool  # ink everywhere: left where asked, over content


class SourceInk:
    """Looks at the pages of one source (a PDF or an image), once per page and place.

    `digest` gives the source's SHA-256 (the cache key; "" for no caching)."""

    def __init__(self, pdf: Path | bytes | io.BytesIO | None, digest: Callable[[], str],
                 opts: StampOptions, width: Callable[[float], float],
                 cache: Cache | None) -> None:
        """`pdf`: the PDF PDFium may render where the page itself says nothing of its ink
        (a file, a converted document's bytes; None for an image). `width`: of the widest
        number the patch must hold, at a font size: the place looked at does not depend on
        the page's own number, so what is learnt holds when the numbering shifts."""
        self.pdf = pdf
        self.opts, self.width = opts, width
        self._digest, self._cache = digest, cache
        self._known: dict[str, bool] | None = None
        self._new = False
        self._document: Any = None
        self._failed = False  # PDFium could not open the file

    def choose(self, index: int, page: PageObject, recto: bool) -> Choice:
        """Where the number of page `index` (0-based in the source) goes."""
        tried = places(self.opts.position, recto)
        shape = geometry(page)
        for place in tried:
            if not self.inked(index, page, shape, spot(shape, self.width, self.opts, place)):
                return Choice(place, place != tried[0], False)
        return Choice(tried[0], False, True)

    def inked(self, index: int, page: PageObject, shape: Geometry, at: Spot) -> bool:
        """Ink under the patch at `at`. A page that could not be looked at counts as free
        and is not remembered (the next build looks again), so a cached answer is always
        one that was seen."""
        known = self._load()
        key = f"{index}:{_round(at.patch)}"
        if key not in known:
            seen = self._look(index, page, shape, at.patch)
            if seen is None:
                return False
            known[key] = seen
            self._new = True
        return known[key]

    def _load(self) -> dict[str, bool]:
        if self._known is None:
            self._known = {}
            entry = self._cache.get(self._key()) if self._cache else None
            if entry and isinstance(entry.get("pages"), dict):
                self._known = {str(k): bool(v) for k, v in entry["pages"].items()}
        return self._known

    def _key(self) -> str:
        digest = self._digest()
        if not digest:
            return ""
        return hashlib.sha256(f"{_versions()}:{digest}".encode()).hexdigest()

    def save(self) -> None:
        """Keep what was learnt (after the volume is written)."""
        if self._new and self._cache is not None and self._known is not None:
            key = self._key()
            if key:
                self._cache.put(key, {"pages": self._known})
        self._new = False

    def close(self) -> None:
        if self._document is not None:
            with contextlib.suppress(Exception):  # closing never fails a build
                self._document.close()
            self._document = None

    # -- looking -----------------------------------------------------------------------

    def _look(self, index: int, page: PageObject, shape: Geometry,
              patch: tuple[float, float, float, float]) -> bool | None:
        """Ink or not; None when the page could not be looked at."""
        around = _grown(patch, shape, _AROUND)
        views = scanned_views(page, shape, patch, around)
        if views is None and self.pdf is not None:
            views = self._rendered(index, shape, patch, around)
        return None if views is None else has_ink(*views)

    def _rendered(self, index: int, shape: Geometry, patch: tuple[float, float, float, float],
                  around: tuple[float, float, float, float],
                  ) -> tuple[Image.Image, Image.Image] | None:
        if self._failed:
            return None
        try:
            with deadline(_RENDER_SECONDS):
                return self._render(index, shape, patch, around)
        except ProbeTimeout:
            return None
        except Exception:  # PDFium cannot open the file: not again for every page
            if self._document is None:
                self._failed = True
            return None

    def _render(self, index: int, shape: Geometry, patch: tuple[float, float, float, float],
                around: tuple[float, float, float, float],
                ) -> tuple[Image.Image, Image.Image] | None:
        import pypdfium2  # type: ignore[import-untyped]

        if self._document is None:
            pdf = self.pdf
            self._document = pypdfium2.PdfDocument(
                str(pdf) if isinstance(pdf, Path)
                else pdf.getvalue() if isinstance(pdf, io.BytesIO)  # the reader's stream
                else pdf)
        try:
            page = self._document[index]
            width, height = page.get_size()
            if abs(width - shape.width) > 1 or abs(height - shape.height) > 1:
                page.close()
                return None  # PDFium sees another page box: do not guess
            x0, y0, x1, y1 = around  # only that area is drawn
            bitmap = page.render(scale=_DPI / 72, grayscale=True,
                                 crop=(x0, y0, width - x1, height - y1))
            img: Image.Image = bitmap.to_pil().convert("L")
            page.close()
        except Exception:  # an unreadable page: not looked at
            return None
        sx, sy = img.width / (x1 - x0), img.height / (y1 - y0)
        left, top = int((patch[0] - x0) * sx), int((y1 - patch[3]) * sy)
        inner = img.crop((left, top, max(left + 1, math.ceil((patch[2] - x0) * sx)),
                          max(top + 1, math.ceil((y1 - patch[1]) * sy))))
        return inner, img


def _grown(box: tuple[float, float, float, float], shape: Geometry,
           by: float) -> tuple[float, float, float, float]:
    """The band across the page `by` above and below the patch: where the paper's
    brightness is read (a JPEG decodes whole rows anyway)."""
    return (0.0, max(0.0, box[1] - by), shape.width, min(shape.height, box[3] + by))


def _round(box: tuple[float, float, float, float]) -> str:
    return ",".join(f"{v:.2f}" for v in box)


@functools.lru_cache(maxsize=1)
def _versions() -> str:
    """What the answers depend on besides the page: this measure, Pillow's decoder and
    PDFium, and the layout of dossier's own image pages."""
    from importlib import metadata

    from dossier.images import MARGIN

    try:
        pdfium = metadata.version("pypdfium2")
    except metadata.PackageNotFoundError:
        pdfium = "none"
    return f"{VERSION}:{PIL.__version__}:{pdfium}:{MARGIN:.3f}"


def has_ink(patch: Image.Image, around: Image.Image) -> bool:
    """Dark marks under the patch: pixels far darker than the paper (the bright end, 90th
    percentile, of the band across the page around it), over more than a speck's share of
    the patch. A block of print that fills the patch counts; a page dark all over (a photo
    of a document on a table) has none."""
    hist = around.histogram()
    total = sum(hist)
    if total == 0:
        return False
    seen, paper = 0, 255
    for level in range(255, -1, -1):
        seen += hist[level]
        if seen >= total * 0.1:
            paper = level
            break
    under = patch.histogram()
    dark = sum(under[: max(0, paper - _INK_DROP)])
    return dark > max(2, sum(under) * _INK_SHARE)


# -- scanned pages -------------------------------------------------------------------------

def scanned_views(page: PageObject, shape: Geometry, patch: tuple[float, float, float, float],
                  around: tuple[float, float, float, float],
                  ) -> tuple[Image.Image, Image.Image] | None:
    """The pixels under `patch` and around it when the page is one image drawn over it,
    decoded only as far as needed; None when the page is anything else or the image
    cannot be read so."""
    try:
        found = _only_image(page)
        if found is None:
            return None
        matrix, image = found
        inner = _pixel_box(matrix, image, shape, patch)
        outer = _pixel_box(matrix, image, shape, around)
        if inner is None or outer is None:
            white = Image.new("L", (1, 1), 255)  # off the image: the page's white
            return white, white
        decoded = _decode_part(image, outer, inner[2] - inner[0])
        if decoded is None:
            return None
        view, factor = decoded
        left, top = (inner[0] - outer[0]) / factor, (inner[1] - outer[1]) / factor
        box = (int(left), int(top), max(int(left) + 1, math.ceil(left + (inner[2] - inner[0])
                                                                  / factor)),
               max(int(top) + 1, math.ceil(top + (inner[3] - inner[1]) / factor)))
        return view.crop(box), view
    except Exception:  # hostile or odd image data: not this way
        return None


def _only_image(page: PageObject) -> tuple[list[float], StreamObject] | None:
    contents = page.get("/Contents")
    if contents is None:
        return None
    resolved = contents.get_object()
    parts = list(resolved) if isinstance(resolved, ArrayObject) else [resolved]
    if sum(len(getattr(p.get_object(), "_data", b"")) for p in parts) > 2048:
        return None
    data = b"\n".join(p.get_object().get_data() for p in parts)
    found = _SIMPLE.match(data)
    if found is None:
        return None
    matrix = [float(v) for v in found.group(1).split()]
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return None
    image = xobjects.get_object().get("/" + found.group(2).decode("latin-1"))
    if image is None:
        return None
    image = image.get_object()
    if not isinstance(image, StreamObject) or image.get("/Subtype") != "/Image":
        return None
    return matrix, image


def _pixel_box(matrix: list[float], image: StreamObject, shape: Geometry,
               patch: tuple[float, float, float, float]) -> tuple[int, int, int, int] | None:
    """The patch in the image's pixels (left, top, right, bottom), or None off the image."""
    a, b, c, d, e, f = matrix
    det = a * d - b * c
    if abs(det) < 1e-9:
        raise ValueError("flat image matrix")
    width, height = _int(image, "/Width"), _int(image, "/Height")
    xs, ys = [], []
    for u, v in ((patch[0], patch[1]), (patch[2], patch[1]), (patch[0], patch[3]),
                 (patch[2], patch[3])):
        x, y = shape.to_user(u, v)
        x, y = x - e, y - f
        s, t = (d * x - c * y) / det, (-b * x + a * y) / det  # unit square of the image
        xs.append(s * width)
        ys.append((1 - t) * height)
    left, right = max(0, math.floor(min(xs))), min(width, math.ceil(max(xs)))
    top, bottom = max(0, math.floor(min(ys))), min(height, math.ceil(max(ys)))
    if right <= left or bottom <= top:
        return None
    return left, top, right, bottom


def _int(image: StreamObject, key: str, default: int | None = None) -> int:
    value = image.get(key, default)
    if value is None:
        raise ValueError(f"image without {key}")
    return int(value)


def _filters(image: StreamObject) -> list[str]:
    found = image.get("/Filter")
    if found is None:
        return []
    found = found.get_object()
    return [str(x) for x in found] if isinstance(found, (list, ArrayObject)) else [str(found)]


def _decode_part(image: StreamObject, box: tuple[int, int, int, int],
                 detail: int) -> tuple[Image.Image, float] | None:
    """The image's pixels in `box` (left, top, right, bottom), perhaps at a reduced scale
    that keeps the patch (`detail` pixels wide) readable, and that scale's factor."""
    filters = _filters(image)
    data = image._data  # the stream as stored: nothing is decoded but what is needed
    if filters == ["/DCTDecode"]:
        return _jpeg_part(data, box, _int(image, "/Height"), detail)
    if filters == ["/FlateDecode"] and "/DecodeParms" not in image:
        return _flate_part(image, data, box)
    return None


def _jpeg_part(data: bytes, box: tuple[int, int, int, int], height: int,
               detail: int) -> tuple[Image.Image, float]:
    left, top, right, bottom = box
    frame = _baseline_frame(data)
    if frame is not None and bottom <= height * _TOP_SHARE:
        # The frame says the image ends below the patch, so the decoder stops there.
        rows = min(height, -(-bottom // 16) * 16 + 16)  # whole MCU rows
        data = b"".join((data[:frame + 5], struct.pack(">H", rows), data[frame + 7:]))
    img = Image.open(io.BytesIO(data))
    full_w = img.size[0]
    scale = _scale(detail)
    if scale > 1:
        img.draft("L", (img.width // scale, img.height // scale))
    img.load()
    grey = img.convert("L")
    factor = full_w / grey.width if grey.width else 1
    crop = (int(left / factor), int(top / factor), max(int(left / factor) + 1,
                                                       math.ceil(right / factor)),
            max(int(top / factor) + 1, math.ceil(bottom / factor)))
    return grey.crop(crop), factor


def _scale(width: int) -> int:
    """The JPEG's reduced decoding scale: at least 16 pixels across the patch (about
    36 dpi: 5 mm print stays visible)."""
    for scale in (8, 4, 2):
        if width / scale >= 16:
            return scale
    return 1


def _baseline_frame(data: bytes) -> int | None:
    """Offset of a baseline JPEG's SOF0/SOF1 marker, or None (progressive, odd, damaged)."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1):
            return i
        if (0xC2 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC)) or marker == 0xDA:
            return None
        i += 2 + length
    return None


_FLATE_MODES = {("/DeviceGray", 8): ("L", 1), ("/DeviceRGB", 8): ("RGB", 3),
                ("/DeviceGray", 1): ("1", 0)}


def _flate_part(image: StreamObject, data: bytes,
                box: tuple[int, int, int, int]) -> tuple[Image.Image, float] | None:
    space = image.get("/ColorSpace")
    bits = _int(image, "/BitsPerComponent", 8)
    mode = _FLATE_MODES.get((str(space.get_object()) if space is not None else "", bits))
    if mode is None:
        return None
    width, height = _int(image, "/Width"), _int(image, "/Height")
    row = (width + 7) // 8 if mode[0] == "1" else width * mode[1]
    rows = box[3]
    raw = zlib.decompressobj().decompress(data, row * rows)
    rows = len(raw) // row
    if rows < box[3] or rows > height:
        return None
    img = Image.frombytes(mode[0], (width, rows), raw[:row * rows]).convert("L")
    return img.crop(box), 1.0


def patches(page: PageObject, width: Callable[[float], float], opts: StampOptions,
            recto: bool) -> Sequence[tuple[str, tuple[float, float, float, float]]]:
    """Every place and its patch on a page, in the order tried (for tests and the bench)."""
    shape = geometry(page)
    return [(p, spot(shape, width, opts, p).patch) for p in places(opts.position, recto)]
