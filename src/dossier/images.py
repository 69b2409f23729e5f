"""Images become A4 pages, built directly as PDF image XObjects.

JPEG bytes are embedded unchanged (DCTDecode pass-through), with the EXIF orientation
applied by the placement matrix rather than by re-encoding. PNG and TIFF frames are
stored losslessly (Flate); transparency is flattened onto white, bilevel scans stay 1 bit
a pixel, 16-bit grey is scaled to 8 bits. Every TIFF frame
becomes a page. Pages take the orientation of the image (landscape images get a
landscape page) and the image is fitted inside a small margin keeping its aspect ratio."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps
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

MARGIN = 8 * mm
_SWAPS = {5, 6, 7, 8}  # orientations whose displayed width is the stored height


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


def _add_image_page(writer: PdfWriter, xobject: StreamObject, disp_w: float, disp_h: float,
                    orientation: int) -> None:
    page_w, page_h, x, y, w, h = _page_for(disp_w, disp_h)
    page = PageObject.create_blank_page(writer, page_w, page_h)
    matrix = " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in
                      placement(orientation, x, y, w, h))
    content = StreamObject()
    content.set_data(f"q {matrix} cm /Im0 Do Q".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(xobject)}),
        NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/ImageC")]),
    })
    writer.add_page(page)


def _jpeg_xobject(path: Path, img: Image.Image) -> StreamObject:
    xobj = StreamObject()
    xobj.set_data(path.read_bytes())
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


def add_image(writer: PdfWriter, path: Path) -> int:
    """Append the pages of one image file to `writer`; returns how many were added.
    Raises OSError/ValueError (and Pillow's errors) on a broken image."""
    added = 0
    with Image.open(path) as img:
        if img.format == "JPEG":
            orientation = int(img.getexif().get(0x0112, 1) or 1)
            w, h = img.size
            if orientation in _SWAPS:
                w, h = h, w
            _add_image_page(writer, _jpeg_xobject(path, img), w, h, orientation)
            return 1
        for frame in _frames(img):
            upright = ImageOps.exif_transpose(frame)
            upright.load()
            _add_image_page(writer, _flate_xobject(upright), upright.width, upright.height, 1)
            added += 1
    return added
