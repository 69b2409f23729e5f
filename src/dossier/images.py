"""Images become A4 pages, built directly as PDF image XObjects.

JPEG bytes are embedded unchanged (DCTDecode pass-through), with the EXIF orientation
applied by the placement matrix rather than by re-encoding. PNG and TIFF frames are
stored losslessly (Flate); transparency is flattened onto white, bilevel scans stay 1 bit
a pixel, 16-bit grey is scaled to 8 bits. Every TIFF frame
becomes a page. Pages take the orientation of the image (landscape images get a
landscape page) and the image is fitted inside a small margin keeping its aspect ratio.

A single image taller than TALL page heights at the page's width (a long phone screenshot,
a 巴中发布 article) is not shrunk to a strip: it is cut into page-high slices, at blank rows
where there are any, each slice filling the width (see image_pages and slice_cuts). The
image is embedded once; each slice page shows its part of it through a clip."""

from __future__ import annotations

import io
import itertools
import math
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageOps
from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from dossier.probe import SWAPS, Probe, heif_opener, orientation, sniff

MARGIN = 8 * mm
TALL = 1.6  # an image taller than this many pages (at the page's width) is sliced
_FILL = 0.9  # slices are planned at this share of a page: room to move a cut to a blank row
_BLANK_SPREAD = 10  # a row whose grey values differ by no more than this is blank
_HEAD = 10 * mm  # kept clear above a slice: the page number and the 续 mark go there


def placement(orientation: int, x: float, y: float, w: float, h: float) -> list[float]:
    """The `cm` matrix drawing a stored image upright into the box (x, y, w, h),
    where w, h are the *displayed* size, for EXIF orientation 1-8."""
    return {
        1: [w, 0, 0, h, x, y],
        2: [-w, 0, 0, h, x + w, y],
        3: [-w, 0, 0, -h, x + w, y + h],
        4: [w, 0, 0, -h, x, y + h],
        5: [0, -h, -w, 0, x + w, y + h],
        6: [0, -h, w, 0, x, y + h],
        7: [0, h, w, 0, x, y],
        8: [0, h, -w, 0, x + w, y],
    }.get(orientation, [w, 0, 0, h, x, y])


def _page_for(width: float, height: float) -> tuple[float, float, float, float, float, float]:
    """(page_w, page_h, x, y, w, h): an A4 page in the image's orientation, image fitted."""
    page_w, page_h = (A4[1], A4[0]) if width > height else A4
    scale = min((page_w - 2 * MARGIN) / width, (page_h - 2 * MARGIN) / height)
    w, h = width * scale, height * scale
    return page_w, page_h, (page_w - w) / 2, (page_h - h) / 2, w, h


def _numbers(values: Sequence[float]) -> str:
    return " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in values)


def _add_image_page(writer: PdfWriter, xobject: StreamObject, disp_w: float, disp_h: float,
                    orientation: int) -> None:
    page_w, page_h, x, y, w, h = _page_for(disp_w, disp_h)
    _page(writer, writer._add_object(xobject), (page_w, page_h),
          f"q {_numbers(placement(orientation, x, y, w, h))} cm /Im0 Do Q")


def _page(writer: PdfWriter, image: object, size: tuple[float, float], drawing: str) -> None:
    page = PageObject.create_blank_page(writer, *size)
    content = StreamObject()
    content.set_data(drawing.encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): image}),
        NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/ImageC")]),
    })
    writer.add_page(page)


# -- tall images ------------------------------------------------------------------------

def _page_rows(width: float) -> float:
    """Rows of an image `width` pixels wide that fill one slice page at its width."""
    return float((A4[1] - 2 * MARGIN - _HEAD) / (A4[0] - 2 * MARGIN) * width)


def slice_count(width: int, height: int) -> int:
    """Pages an image of this displayed size takes: 1, or its slices when it is taller than
    TALL pages at the page's width. Decided by the size alone, so the probe, the plan and
    the volume agree without reading a pixel."""
    if width <= 0 or height <= TALL * _page_rows(width):
        return 1
    return math.ceil(height / (_FILL * _page_rows(width)))


def image_pages(found: Probe, slicing: bool) -> int:
    """The pages a probed image contributes to a volume (`slicing`: tall images are cut)."""
    if slicing and found.pages == 1 and found.size != (0, 0):
        return slice_count(*found.size)
    return found.pages


def slice_cuts(grey: Image.Image, count: int) -> list[int]:
    """The rows where the `count` slices of an upright grey image begin, and its height.
    Each cut is the blank row (one colour across: the gap between two messages or two
    paragraphs) nearest its even place, searched only as far as keeps every slice within
    a page; without one, the even place itself."""
    width, height = grey.size
    even = height / count
    room = max(0, int((_page_rows(width) - even) / 2))
    cuts = [0]
    for k in range(1, count):
        target = round(k * even)
        low, high = max(cuts[-1] + 1, target - room), min(height - 1, target + room)
        cuts.append(_blank_row(grey, low, high, target))
    return [*cuts, height]


def _blank_row(grey: Image.Image, low: int, high: int, target: int) -> int:
    """The best cut in rows low … high, nearest `target`: a blank row (one colour across),
    else a quiet one (the same as the rows above and below it, as between two lines of
    text inside a message bubble: no character is cut), else `target`."""
    if high < low:
        return target
    width = grey.width
    first, end = max(0, low - 1), min(grey.height, high + 2)
    image = grey.crop((0, first, width, end))
    band = image.tobytes()

    def near(rows: list[int]) -> int:
        return min(rows, key=lambda r: (abs(r - target), r))

    rows = range(low, high + 1)
    blank = [r for r in rows
             if max(line := band[(r - first) * width:(r - first + 1) * width]) - min(line)
             <= _BLANK_SPREAD]
    if blank:
        return near(blank)
    # step[n]: how much row first+n+1 differs from row first+n, at its most
    steps = ImageChops.difference(image.crop((0, 0, width, end - first - 1)),
                                  image.crop((0, 1, width, end - first))).tobytes()
    step = [max(steps[n * width:(n + 1) * width]) for n in range(end - first - 1)]
    quiet = [r for r in rows if first < r < end - 1
             and step[r - first - 1] <= _BLANK_SPREAD and step[r - first] <= _BLANK_SPREAD]
    if not quiet:
        return target
    inks = {r: _ink(band[(r - first) * width:(r - first + 1) * width]) for r in quiet}
    least = min(inks.values())
    return near([r for r in quiet if inks[r] == least])


def _ink(row: bytes) -> int:
    """Pixels of a row that stand out from its background (its median grey)."""
    median = sorted(row)[len(row) // 2]
    return sum(1 for v in row if abs(v - median) > _BLANK_SPREAD)


def _add_slices(writer: PdfWriter, xobject: StreamObject, disp_w: int, disp_h: int,
                orientation: int, cuts: Sequence[int]) -> None:
    """One portrait page per slice, the image at the page's width: embedded once, each
    page clipped to its rows and aligned at the top, below a band left for the page
    number and the 续 mark."""
    image = writer._add_object(xobject)
    page_w, page_h = A4
    scale = (page_w - 2 * MARGIN) / disp_w
    w, h = disp_w * scale, disp_h * scale
    top_edge = page_h - MARGIN - _HEAD
    for top, bottom in itertools.pairwise(cuts):
        clip = (MARGIN, top_edge - (bottom - top) * scale, w, (bottom - top) * scale)
        y = top_edge - h + top * scale
        _page(writer, image, (page_w, page_h),
              f"q {_numbers(clip)} re W n {_numbers(placement(orientation, MARGIN, y, w, h))}"
              f" cm /Im0 Do Q")


def _jpeg_xobject(path: Path | bytes, img: Image.Image) -> StreamObject:
    """`path`: the JPEG file, or its bytes."""
    xobj = StreamObject()
    xobj.set_data(path if isinstance(path, bytes) else path.read_bytes())
    space = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}.get(img.mode)
    if space is None:
        raise ValueError(f"unsupported JPEG colour mode {img.mode}")
    xobj.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(img.width),
        NameObject("/Height"): NumberObject(img.height),
        NameObject("/ColorSpace"): NameObject(space),
        NameObject("/BitsPerComponent"): NumberObject(8),
        NameObject("/Filter"): NameObject("/DCTDecode"),
    })
    if img.mode == "CMYK" and "adobe" in img.info:  # Adobe CMYK JPEGs are stored inverted
        xobj[NameObject("/Decode")] = ArrayObject([FloatObject(v) for v in [1, 0] * 4])
    return xobj


def _gray8(img: Image.Image) -> Image.Image:
    """8-bit grey from 16-bit or float samples. Pillow's convert("L") clips them (a 16-bit
    scan would come out white): 16-bit samples are divided by 256, others are stretched
    from their own range."""
    if img.mode.startswith("I;16"):
        return img.convert("I").point(lambda v: v / 256).convert("L")
    extrema = img.getextrema()  # one band: (min, max)
    lo, hi = float(extrema[0]), float(extrema[1])  # type: ignore[arg-type]
    if img.mode == "F" and lo >= 0 and hi <= 1:  # floats in 0..1
        return img.point(lambda v: v * 255).convert("L")
    if lo >= 0 and hi <= 255:
        return img.convert("L")
    if img.mode == "I" and lo >= 0 and hi <= 65535:
        return img.point(lambda v: v / 256).convert("L")
    span = float(hi - lo) or 1.0
    return img.convert("F").point(lambda v: (v - lo) * 255.0 / span).convert("L")


def _flate_xobject(img: Image.Image) -> StreamObject:
    bits = 8
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        img = flat
    elif img.mode == "1":
        bits = 1  # bilevel scans (fax G4 TIFFs) stay 1 bit a pixel: 8x smaller than grey
    elif img.mode in ("I", "F") or img.mode.startswith("I;16"):
        img = _gray8(img)
    elif img.mode not in ("L", "RGB", "CMYK"):
        img = img.convert("RGB")
    space = {"1": "/DeviceGray", "L": "/DeviceGray", "RGB": "/DeviceRGB",
             "CMYK": "/DeviceCMYK"}[img.mode]
    xobj = StreamObject()
    # mode "1" packs 8 pixels a byte, rows padded to a byte, 1 = white: as PDF wants
    xobj.set_data(zlib.compress(img.tobytes(), 6))
    xobj.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(img.width),
        NameObject("/Height"): NumberObject(img.height),
        NameObject("/ColorSpace"): NameObject(space),
        NameObject("/BitsPerComponent"): NumberObject(bits),
        NameObject("/Filter"): NameObject("/FlateDecode"),
    })
    return xobj


def _frames(img: Image.Image) -> Iterator[Image.Image]:
    for index in range(int(getattr(img, "n_frames", 1) or 1)):
        img.seek(index)
        yield img


def add_image(writer: PdfWriter, path: Path, slicing: bool = True) -> int:
    """Append the pages of one image file to `writer`; returns how many were added (as
    image_pages says for its probe). Raises OSError/ValueError (and Pillow's errors) on a
    broken image."""
    added = 0
    if path.suffix.lower() in (".heic", ".heif") or _is_heif(path):
        heif_opener()
    with Image.open(path) as img:
        frames = int(getattr(img, "n_frames", 1) or 1)
        if img.format == "HEIF":
            return _add_heif(writer, img, frames, slicing)
        if img.format == "JPEG":
            turn = orientation(img)
            w, h = img.size
            if turn in SWAPS:
                w, h = h, w
            count = slice_count(w, h) if slicing else 1
            if count > 1:
                grey = _upright(img.convert("L"), turn)
                _add_slices(writer, _jpeg_xobject(path, img), w, h, turn,
                            slice_cuts(grey, count))
                return count
            _add_image_page(writer, _jpeg_xobject(path, img), w, h, turn)
            return 1
        for frame in _frames(img):
            upright = ImageOps.exif_transpose(frame)
            upright.load()
            count = slice_count(*upright.size) if slicing and frames == 1 else 1
            if count > 1:
                _add_slices(writer, _flate_xobject(upright), upright.width, upright.height, 1,
                            slice_cuts(upright.convert("L"), count))
                return count
            _add_image_page(writer, _flate_xobject(upright), upright.width, upright.height, 1)
            added += 1
    return added


def _is_heif(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return sniff(fh.read(16)) == "heic"
    except OSError:
        return False


def _add_heif(writer: PdfWriter, img: Image.Image, frames: int, slicing: bool) -> int:
    """A HEIC photo: each image upright (its orientation applied), stored as a JPEG of high
    quality. HEVC cannot go into a PDF as it is, and lossless storage of a 12-megapixel
    photo would take ~30 MB a page; the same photo gives the same bytes."""
    added = 0
    for frame in _frames(img):
        upright = ImageOps.exif_transpose(frame)
        if upright.mode in ("RGBA", "LA"):  # transparency onto white, as for PNG
            flat = Image.new("RGB", upright.size, (255, 255, 255))
            flat.paste(upright, mask=upright.getchannel("A"))
            upright = flat
        upright = upright.convert("RGB")
        buffer = io.BytesIO()
        upright.save(buffer, "JPEG", quality=92, subsampling=0, optimize=False)
        data = buffer.getvalue()
        with Image.open(io.BytesIO(data)) as encoded:
            count = slice_count(*upright.size) if slicing and frames == 1 else 1
            if count > 1:
                _add_slices(writer, _jpeg_xobject(data, encoded), upright.width,
                            upright.height, 1, slice_cuts(upright.convert("L"), count))
                return count
            _add_image_page(writer, _jpeg_xobject(data, encoded), upright.width,
                            upright.height, 1)
        added += 1
    return added


def _upright(grey: Image.Image, turn: int) -> Image.Image:
    """A stored image turned as EXIF orientation `turn` displays it."""
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(turn)
    return grey.transpose(method) if method is not None else grey
