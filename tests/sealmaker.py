"""A labelled set of scanned pages, with and without red seals, for dossier.seals: pages
drawn with reportlab (seals as examples/make_materials.draw_seal draws a real one: ring,
arc text, star), rendered by PDFium, then aged as a scanner or a phone ages them (faded
ink, noise, blur, a small rotation, tinted paper, JPEG). Used by tests/test_seals.py and
bench/seals.py (precision and recall). Deterministic for a seed."""

from __future__ import annotations

import io
import math
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

from make_materials import FONT, RED, draw_seal, jpeg_pages_pdf, official_pdf

W, H = A4
DPI = 150
PINK = Color(0.93, 0.5, 0.5)
ORANGE_RED = Color(0.9, 0.28, 0.12)
CRIMSON = Color(0.78, 0.08, 0.3)


@dataclass(frozen=True)
class Truth:
    """Where a seal was drawn: its centre in mm from the top-left corner, and its radius."""

    x_mm: float
    y_mm: float
    r_mm: float


@dataclass(frozen=True)
class Sample:
    name: str
    picture: Image.Image
    dpi: int
    seals: tuple[Truth, ...]


def _body(c: canvas.Canvas, rng: random.Random, top: float = H - 260, lines: int = 14) -> None:
    c.setFillColor(black)
    c.setFont(FONT, 13)
    words = "生态文明建设示范市创建工作推进落实考核目标任务完成情况良好认真贯彻执行"
    y = top
    for _ in range(lines):
        n = rng.randint(18, 30)
        c.drawString(80, y, "".join(rng.choice(words) for _ in range(n)))
        y -= 26


def _masthead(c: canvas.Canvas, size: int = 30, issuer: str = "巴中市生态环境局") -> None:
    c.setFillColor(RED)
    c.setFont(FONT, size)
    c.drawCentredString(W / 2, H - 120, f"{issuer}文件")
    c.setStrokeColor(RED)
    c.setLineWidth(1.5)
    c.line(80, H - 172, W - 80, H - 172)
    c.setFillColor(black)


def _page(draw: Callable[[canvas.Canvas], None]) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _seal(c: canvas.Canvas, truths: list[Truth], x: float, y: float, name: str,
          turn: float = 0.0, worn: float = 0.0, **style: object) -> None:
    """A seal centred on (x, y), turned by `turn` degrees; `worn`: the share of its ring
    left out on one side (unevenly pressed)."""
    width = float(style.get("width_mm", 42))  # type: ignore[arg-type]
    height = float(style.get("height_mm") or width)  # type: ignore[arg-type]
    c.saveState()
    c.translate(x, y)
    c.rotate(turn)
    draw_seal(c, 0, 0, name, **style)  # type: ignore[arg-type]
    if worn:
        c.setFillColor(Color(1, 1, 1))
        reach = max(width, height) * mm
        path = c.beginPath()
        path.moveTo(0, 0)
        for k in range(21):
            angle = math.radians(-90 - 180 * worn + 360 * worn * k / 20)
            path.lineTo(reach * math.cos(angle), reach * math.sin(angle))
        path.close()
        c.drawPath(path, stroke=0, fill=1)
    c.restoreState()
    truths.append(Truth(x / mm, (H - y) / mm, max(width, height) / 2))


def _positives(rng: random.Random) -> Iterator[tuple[str, bytes, tuple[Truth, ...]]]:
    x, y = W - 170 + rng.uniform(-40, 30), 230 + rng.uniform(-60, 60)
    styles: list[tuple[str, dict[str, object], bool]] = [
        ("round", {}, True),
        ("round-no-star", {"star": False, "below": "专用章", "width_mm": 40}, True),
        ("oval", {"width_mm": 45, "height_mm": 30, "star": False, "below": "财务专用章"},
         True),
        ("faint", {"colour": PINK, "ring_mm": 0.8}, True),
        ("orange-red", {"colour": ORANGE_RED}, True),
        ("crimson", {"colour": CRIMSON, "width_mm": 38}, True),
        ("thin-ring", {"ring_mm": 0.6, "width_mm": 38}, False),
        ("photocopy", {"colour": Color(0.72, 0.45, 0.45)}, True),
        ("worn", {"worn": 0.2}, True),
        ("oval-turned", {"width_mm": 45, "height_mm": 30, "turn": 25}, False),
        ("plain-page", {}, False),
    ]
    for label, style, masthead in styles:
        truths: list[Truth] = []

        def draw(c: canvas.Canvas, style: dict[str, object] = style, masthead: bool = masthead,
                 truths: list[Truth] = truths) -> None:
            if masthead:
                _masthead(c)
            _body(c, rng, top=H - 260 if masthead else H - 120)
            _seal(c, truths, x, y, "巴中市生态环境局", **style)

        pdf = _page(draw)
        yield f"seal-{label}", pdf, tuple(truths)
    truths2: list[Truth] = []

    def straddling(c: canvas.Canvas) -> None:  # 骑缝章: half on this page
        _body(c, rng, top=H - 120)
        _seal(c, truths2, W, H / 2 + rng.uniform(-80, 80), "巴中市人民政府")

    yield "seal-half", _page(straddling), tuple(truths2)
    truths3: list[Truth] = []

    def two(c: canvas.Canvas) -> None:  # two units' seals, overlapping (联合发文)
        _masthead(c, issuer="巴中市水利局 巴中市生态环境局")
        _body(c, rng)
        _seal(c, truths3, W / 2 - 50, 220, "巴中市水利局")
        _seal(c, truths3, W / 2 + 45, 225, "巴中市生态环境局")

    yield "seal-two-overlapping", _page(two), tuple(truths3)


def _negatives(rng: random.Random) -> Iterator[tuple[str, bytes, tuple[Truth, ...]]]:
    def masthead_only(c: canvas.Canvas) -> None:
        _masthead(c)
        _body(c, rng)

    def big_masthead(c: canvas.Canvas) -> None:
        _masthead(c, size=46, issuer="巴中市政府")
        _body(c, rng)

    def red_table(c: canvas.Canvas) -> None:
        c.setStrokeColor(RED)
        c.setLineWidth(1.2)
        for row in range(16):
            c.line(70, H - 150 - row * 36, W - 70, H - 150 - row * 36)
        for col in range(6):
            c.line(70 + col * (W - 140) / 5, H - 150, 70 + col * (W - 140) / 5, H - 690)
        c.setFillColor(black)
        c.setFont(FONT, 12)
        for row in range(15):
            c.drawString(80, H - 175 - row * 36, f"断面{row + 1}  III类  达标")

    def red_logo(c: canvas.Canvas) -> None:
        c.setFillColor(RED)
        c.circle(110, H - 100, 9 * mm, stroke=0, fill=1)
        c.setFillColor(Color(1, 1, 1))
        c.circle(110, H - 100, 4 * mm, stroke=0, fill=1)
        c.setFillColor(RED)
        c.setFont(FONT, 24)
        c.drawString(150, H - 110, "巴中市生态环境监测站")
        _body(c, rng, top=H - 180)

    def red_notes(c: canvas.Canvas) -> None:
        _body(c, rng, top=H - 120)
        c.setFillColor(RED)
        c.setFont(FONT, 14)
        for k in range(5):
            c.drawString(80, 300 - k * 26, "注：红色字体为本次修改内容，请核对后盖章。")
        c.setStrokeColor(RED)
        c.line(80, 320, W - 80, 320)

    def box_stamp(c: canvas.Canvas) -> None:  # a rectangular 经办 stamp is not a 公章
        _body(c, rng, top=H - 120)
        c.setStrokeColor(RED)
        c.setLineWidth(1.2 * mm)
        c.rect(W - 260, 200, 55 * mm, 22 * mm, stroke=1, fill=0)
        c.setFillColor(RED)
        c.setFont(FONT, 16)
        c.drawString(W - 245, 225, "已审核  经办人")

    def donut(c: canvas.Canvas) -> None:  # a ring chart with one red slice
        _body(c, rng, top=H - 120, lines=8)
        c.setLineWidth(12 * mm)
        for k, colour in enumerate((RED, Color(0.2, 0.4, 0.8), Color(0.3, 0.7, 0.3))):
            c.setStrokeColor(colour)
            path = c.beginPath()
            path.arc(W / 2 - 60 * mm / 2, 250 - 60 * mm / 2, W / 2 + 60 * mm / 2,
                     250 + 60 * mm / 2, startAng=k * 120 + 10, extent=110)
            c.drawPath(path, stroke=1, fill=0)

    def text_only(c: canvas.Canvas) -> None:
        _body(c, rng, top=H - 100, lines=24)

    for label, draw in (("masthead", masthead_only), ("big-masthead", big_masthead),
                        ("red-table", red_table), ("red-logo", red_logo),
                        ("red-notes", red_notes), ("box-stamp", box_stamp),
                        ("donut", donut), ("text", text_only)):
        yield f"none-{label}", _page(draw), ()


def _photo(rng: random.Random) -> Image.Image:
    """A site photo's stand-in: sky, ground, a red banner and red flowers."""
    img = Image.new("RGB", (1240, 1754), (120 + rng.randint(0, 40), 160, 210))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 900, 1240, 1754), fill=(90, 120 + rng.randint(0, 30), 60))
    d.rectangle((200, 500, 1040, 640), fill=(200, 30, 30))  # 横幅
    for _ in range(40):
        x, y, r = rng.randint(0, 1240), rng.randint(950, 1750), rng.randint(8, 40)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(210, 40 + rng.randint(0, 40), 50))
    return img.filter(ImageFilter.GaussianBlur(2))


def age(picture: Image.Image, rng: random.Random, strength: float = 1.0) -> Image.Image:
    """What a scanner or a copier does to a page: pale ink, tinted paper, noise, blur, a
    slight turn, JPEG."""
    import numpy as np

    fade = rng.uniform(0.0, 0.45) * strength
    img = Image.blend(picture.convert("RGB"), Image.new("RGB", picture.size, "white"), fade)
    array = np.asarray(img).astype(np.float32)
    tint = np.array([rng.uniform(-6, 2), rng.uniform(-8, 0), rng.uniform(-18, 0)]) * strength
    np_rng = np.random.default_rng(rng.randrange(2**32))
    noise = np_rng.normal(0, rng.uniform(2, 10) * strength, array.shape[:2])[..., None]
    array = np.clip(array + tint + noise, 0, 255).astype(np.uint8)
    img = Image.fromarray(array)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 1.2) * strength))
    img = img.rotate(rng.uniform(-3, 3) * strength, resample=Image.Resampling.BILINEAR,
                     fillcolor=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(55, 90))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def render(pdf: bytes, dpi: int = DPI) -> Image.Image:
    import pypdfium2  # type: ignore[import-untyped]

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def labelled_set(seed: int = 13, rounds: int = 4, strength: float = 1.0) -> Iterator[Sample]:
    """`rounds` times each kind of page, each time drawn and aged afresh; `strength`
    scales the ageing (1.6: a poor copy of a poor scan)."""
    rng = random.Random(seed)
    for k in range(rounds):
        for name, pdf, truths in (*_positives(rng), *_negatives(rng)):
            yield Sample(f"{name}-{k}", age(render(pdf), rng, strength), DPI, truths)
        yield Sample(f"none-photo-{k}", age(_photo(rng), rng, 0.5 * strength), DPI, ())


def scanned_pdf(pictures: list[Image.Image], dpi: int = DPI) -> bytes:
    """Pictures bound as a scanner binds them: one JPEG per page, no text."""
    return jpeg_pages_pdf(pictures, dpi, quality=80)


def seal_page(name: str = "巴中市住房和城乡建设局", seal: bool = True,
              masthead: bool = True, seed: int = 1) -> Image.Image:
    """One aged scan of a 公文 page, with or without a seal."""
    pdf = official_pdf(name, "巴建发〔2020〕3号", "考核结果", ["考核合格。"],
                       seal=name if seal else None) if masthead else _page(
        lambda c: _body(c, random.Random(seed)))
    return age(render(pdf), random.Random(seed), 0.6)
