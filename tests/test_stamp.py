"""Page-number stamps: glyphs reserved in the front matter's font subset, content streams
appended, resources extended without clobbering what a page already has."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from dossier.fonts import FontChoice, choose
from dossier.options import StampOptions
from dossier.render.typography import canvas
from dossier.stamp import FONT_KEY, Stamper, find_font, reserve_glyphs


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def _writer_with_front(font: FontChoice, alphabet: str) -> tuple[PdfWriter, Stamper]:
    buf = io.BytesIO()
    with canvas(buf, font.name) as c:
        codes, internal = reserve_glyphs(c, font.name, alphabet)
        c.setFont(font.name, 12)
        c.drawString(100, 100, "目录")
        c.showPage()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(buf.getvalue())))
    stamp_font = find_font(writer, 0, font.name, internal, codes)
    return writer, Stamper(writer, stamp_font, StampOptions(format="第{n}页"))


def _page(writer: PdfWriter, fonts: DictionaryObject | None = None,
          text: bytes = b"") -> None:
    writer.add_blank_page(595, 842)
    page = writer.pages[-1]
    if fonts is not None:
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    if text:
        stream = StreamObject()
        stream.set_data(text)
        page[NameObject("/Contents")] = writer._add_object(stream)


def test_stamp_reuses_the_front_font_and_reads_back(font: FontChoice) -> None:
    writer, stamper = _writer_with_front(font, "第页0123456789")
    _page(writer)
    _page(writer, text=b"q Q")
    for n, page in enumerate(writer.pages[1:], start=1):
        stamper.stamp(page, n, 2)
    out = io.BytesIO()
    writer.write(out)
    reader = PdfReader(out)
    front_font = reader.pages[0]["/Resources"]["/Font"].get_object()
    for n, page in enumerate(reader.pages[1:], start=1):
        assert f"第{n}页" in page.extract_text().replace(" ", "")
        ref = page["/Resources"]["/Font"].get_object().raw_get(FONT_KEY)
        assert ref.idnum in {front_font.raw_get(k).idnum for k in front_font}
        contents = page["/Contents"]
        assert isinstance(contents, ArrayObject) and contents[0].get_object().get_data() == b"q\n"


def test_a_page_that_already_uses_the_name_keeps_its_font(font: FontChoice) -> None:
    """A volume built by dossier, bound again as material, has /DossierPN for its own
    numbers: those must keep their font, ours goes under another name."""
    writer, stamper = _writer_with_front(font, "第页0123456789")
    theirs = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    _page(writer, DictionaryObject({NameObject(FONT_KEY): theirs}),
          b"BT /DossierPN 12 Tf 500 800 Td (old 7) Tj ET")
    stamper.stamp(writer.pages[1], 1, 1)
    fonts = writer.pages[1]["/Resources"]["/Font"].get_object()
    assert fonts.raw_get(FONT_KEY) == theirs
    assert fonts.raw_get(FONT_KEY + "2") == stamper.font.ref
    tail = writer.pages[1]["/Contents"][-1].get_object().get_data()
    assert f"{FONT_KEY}2 ".encode() in tail
    out = io.BytesIO()
    writer.write(out)
    text = PdfReader(out).pages[1].extract_text().replace(" ", "")
    assert "old7" in text and "第1页" in text
    stamper.stamp(writer.pages[1], 1, 1)  # stamping twice reuses our own entry
    assert FONT_KEY + "3" not in writer.pages[1]["/Resources"]["/Font"].get_object()
