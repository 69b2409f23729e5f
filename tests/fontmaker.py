"""Tiny fonts for tests, built with fontTools, so tests never depend on system fonts."""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

from dossier.fonts import required_text

DEFAULT_CHARS = required_text() + (
    "巴中市创建国家生态文明建设示范市水环境质量指标一二三四五六七八九十、「」月牵头单位：")


def _box(pen, width: int) -> None:  # type: ignore[no-untyped-def]
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((width - 50, 700))
    pen.lineTo((width - 50, 0))
    pen.closePath()


def make_font(path: Path, chars: str = DEFAULT_CHARS, *, cff: bool = False,
              fs_type: int = 0, family: str = "") -> Path:
    """A font whose every glyph is a filled box, covering exactly `chars` (plus space).

    The family name is unique per file name: reportlab keeps parsed faces by name, so two
    test fonts sharing a name would be mixed up."""
    family = family or "DossierTest" + "".join(ch for ch in path.stem if ch.isalnum())
    chars = "".join(dict.fromkeys(" " + chars))
    names = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    width = {n: (1000 if i and ord(chars[i - 1]) > 0x2000 else 550) for i, n in enumerate(names)}
    if cff:
        charstrings = {}
        for n in names:
            pen = T2CharStringPen(width[n], None)
            _box(pen, width[n])
            charstrings[n] = pen.getCharString()
        fb.setupCFF(family, {"FullName": family}, charstrings, {})
    else:
        glyphs = {}
        for n in names:
            pen = TTGlyphPen(None)
            _box(pen, width[n])
            glyphs[n] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (width[n], 50) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(fsType=fs_type, sTypoAscender=880, sTypoDescender=-120, usWinAscent=880,
                usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))
    return path
