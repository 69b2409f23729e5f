"""Page numbers stamped straight into each page's content stream.

The glyphs a stamp needs are reserved in the font subset of the volume's front matter
(reportlab writes that font object once; see render/front.py), and every page gets: its
old content wrapped in q/Q, a tiny `BT … Tj ET` stream appended, and that font added to
its resources. No overlay merging: about 0.03 ms a page, correct under /Rotate and
CropBox offsets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from dossier.options import StampOptions

FONT_KEY = "/DossierPN"


@dataclass
class StampFont:
    """A font object living in one writer, and how to encode text for it."""

    name: str  # reportlab font name (for widths)
    ref: IndirectObject
    codes: dict[str, bytes]

    def encode(self, text: str) -> bytes:
        try:
            return b"".join(self.codes[ch] for ch in text)
        except KeyError as exc:
            raise ValueError(f"the page-number format uses {exc} which the font lacks") from None

    def width(self, text: str, size: float) -> float:
        return float(pdfmetrics.stringWidth(text, self.name, size))


def reserve_glyphs(c: Canvas, font_name: str, alphabet: str) -> tuple[dict[str, bytes], str]:
    """Before anything is drawn on `c`: give the characters of `alphabet` codes in the
    canvas's first subset of the font, so the page-number stamps can use the font object
    the canvas writes. Returns the codes and the font's resource name."""
    alphabet = "".join(dict.fromkeys(alphabet))
    font = pdfmetrics.getFont(font_name)
    codes: dict[str, bytes] = {}
    if isinstance(font, TTFont):
        for ch in alphabet:
            chunks = font.splitString(ch, c._doc)
            if len(chunks) != 1 or chunks[0][0] != 0:
                raise ValueError("page-number alphabet does not fit one font subset")
            codes[ch] = chunks[0][1]
        return codes, str(font.getSubsetInternalName(0, c._doc))
    if isinstance(font, UnicodeCIDFont):
        codes = {ch: ch.encode("utf_16_be") for ch in alphabet}
    else:
        codes = {ch: ch.encode("cp1252") for ch in alphabet}
    return codes, str(c._doc.getInternalFontName(font_name))


def find_font(writer: PdfWriter, page_index: int, font_name: str, internal: str,
              codes: dict[str, bytes]) -> StampFont:
    """The stamp font: the font object `internal` of a page already in `writer` (the front
    matter, drawn after `reserve_glyphs`)."""
    resources = cast(DictionaryObject, writer.pages[page_index]["/Resources"].get_object())
    fonts = cast(DictionaryObject, resources["/Font"].get_object())
    ref = fonts.raw_get(internal)
    if not isinstance(ref, IndirectObject):  # reportlab writes fonts as indirect objects
        raise ValueError(f"the front matter has no font object {internal}")
    return StampFont(font_name, ref, codes)


def _display_to_user(rotation: int, box: tuple[float, float, float, float], u: float,
                     v: float) -> tuple[float, float, list[int]]:
    """Map a point of the page as displayed to user space; also the text matrix rotation."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if rotation == 90:
        return x0 + w - v, y0 + u, [0, 1, -1, 0]
    if rotation == 180:
        return x0 + w - u, y0 + h - v, [-1, 0, 0, -1]
    if rotation == 270:
        return x0 + v, y0 + h - u, [0, -1, 1, 0]
    return x0 + u, y0 + v, [1, 0, 0, 1]


@dataclass(frozen=True)
class Geometry:
    """A page as displayed: its /Rotate, its CropBox and its displayed size."""

    rotation: int  # 0, 90, 180 or 270
    box: tuple[float, float, float, float]  # the CropBox, x0 < x1, y0 < y1
    width: float
    height: float

    def to_user(self, u: float, v: float) -> tuple[float, float]:
        """A point of the displayed page in the page's user space."""
        x, y, _ = _display_to_user(self.rotation, self.box, u, v)
        return x, y


def geometry(page: PageObject) -> Geometry:
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    rotation = rotation - rotation % 90
    box = tuple(float(v) for v in page.cropbox)
    x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), \
        max(box[1], box[3])
    w, h = (y1 - y0, x1 - x0) if rotation in (90, 270) else (x1 - x0, y1 - y0)
    return Geometry(rotation, (x0, y0, x1, y1), w, h)


def resolve(position: str, recto: bool) -> str:
    """`outer` as the side of the sheet: right on a recto, left on a verso."""
    if position == "outer":
        return "top-right" if recto else "top-left"
    return position


@dataclass(frozen=True)
class Spot:
    """Where one stamp goes on a displayed page: the text origin and its white patch."""

    u: float
    v: float
    size: float
    width: float  # of the text

    @property
    def patch(self) -> tuple[float, float, float, float]:
        """The white patch under the text, in displayed coordinates (x0, y0, x1, y1)."""
        pad = self.size * 0.2
        return (self.u - pad, self.v - self.size * 0.25, self.u + self.width + pad,
                self.v + self.size * 0.95)


def spot(page: Geometry, text_width: Callable[[float], float], opts: StampOptions,
         position: str) -> Spot:
    """The stamp's place at `position` (resolved: not outer) on a page."""
    margin = opts.margin_mm * mm
    size = min(opts.size, page.height / 20, page.width / 10)  # tiny pages get tiny numbers
    width = text_width(size)
    vertical, _, horizontal = position.partition("-")
    u = {"left": margin, "center": (page.width - width) / 2}.get(
        horizontal, page.width - margin - width)
    v = margin if vertical == "bottom" else page.height - margin - size * 0.75
    return Spot(u, v, size, width)


def stamp_operators(page: PageObject, text: str, font: StampFont, opts: StampOptions,
                    recto: bool, key: str = FONT_KEY, position: str | None = None) -> bytes:
    """`recto`: the page is a right-hand one (odd in the printed volume), for `outer`.
    `position`: where it goes instead of the options' position (a free corner)."""
    shape = geometry(page)
    at = spot(shape, lambda size: font.width(text, size), opts,
              position or resolve(opts.position, recto))
    x, y, rot = _display_to_user(shape.rotation, shape.box, at.u, at.v)
    hexed = font.encode(text).hex()
    pad, size = at.size * 0.2, at.size
    # A white box under the number keeps it readable on dark scans.
    return (f"q {rot[0]} {rot[1]} {rot[2]} {rot[3]} {x:.2f} {y:.2f} cm "
            f"1 g {-pad:.2f} {-size * 0.25:.2f} {at.width + 2 * pad:.2f} {size * 1.2:.2f} re f "
            f"0 g BT {key} {size:.2f} Tf 0 0 Td <{hexed}> Tj ET Q").encode("ascii")


class Stamper:
    def __init__(self, writer: PdfWriter, font: StampFont, opts: StampOptions) -> None:
        self.writer = writer
        self.font = font
        self.opts = opts
        push = StreamObject()
        push.set_data(b"q\n")
        self.push = writer._add_object(push)

    def stamp(self, page: PageObject, number: int, total: int, recto: bool = True,
              position: str | None = None) -> None:
        """`recto`: the page falls on the right when printed double-sided (an even index
        in the volume: the cover is page 1), which `outer` numbers at the right.
        `position`: a free corner chosen instead (see dossier.ink)."""
        text = self.opts.format.format(n=number, total=total)
        self._draw(page, text, self.opts, recto, position)

    def mark(self, page: PageObject, text: str, recto: bool = True,
             number_at: str | None = None) -> None:
        """A small note at the top of a page, in the corner the page number (at
        `number_at`, else where the options put it) leaves free (续 on the slices of a
        tall image)."""
        number = number_at or resolve(self.opts.position, recto)
        corner = "top-right" if number == "top-left" else "top-left"
        self._draw(page, text, replace(self.opts, size=min(self.opts.size, 10.5)), recto,
                   corner)

    def _draw(self, page: PageObject, text: str, opts: StampOptions, recto: bool,
              position: str | None = None) -> None:
        if page.get("/Resources") is None:
            page[NameObject("/Resources")] = DictionaryObject()
        res = cast(DictionaryObject, page["/Resources"].get_object())
        if res.get("/Font") is None:
            res[NameObject("/Font")] = DictionaryObject()
        fonts = cast(DictionaryObject, res["/Font"].get_object())
        key = self._free_key(fonts)
        fonts[NameObject(key)] = self.font.ref
        tail = StreamObject()
        tail.set_data(b"\nQ\n" + stamp_operators(page, text, self.font, opts, recto, key,
                                                   position))
        contents = page.get("/Contents")
        old: list[PdfObject] = []
        if contents is not None:
            resolved = contents.get_object()
            old = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([self.push, *old,
                                                     self.writer._add_object(tail)])

    def _free_key(self, fonts: DictionaryObject) -> str:
        """FONT_KEY, unless the page already uses that name for another font (a volume
        built by dossier bound again as material): then the first free variant."""
        key, n = FONT_KEY, 1
        while key in fonts and fonts.raw_get(key) != self.font.ref:
            n += 1
            key = f"{FONT_KEY}{n}"
        return key
