"""The 目录's layout: three columns, or the seven of the 卷内目录 (序号, 文号, 责任者, 题名,
日期, 页号, 备注) fitted into A4 portrait, with every cell wrapping; drawn and read back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from dossier.fonts import FontChoice, choose
from dossier.i18n import msg, pdf_text
from dossier.render.toc import (
    THREE,
    TITLE_MIN,
    WIDE,
    Layout,
    TocEntry,
    _boxes,
    draw_toc,
    toc_layout,
)
from dossier.render.typography import LEFT, TEXT_W, canvas


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def _doc(n: int, title: str = "巴中市河长制工作总结", **fields: str) -> TocEntry:
    return TocEntry(False, str(n), title, str(n), n, **fields)


SECTION = TocEntry(True, "", "一、指标达标直接证明材料", "1–3", 1)


def _fields(layout: Layout) -> tuple[str, ...]:
    return tuple(c.field for c in layout.columns)


def _widths(layout: Layout) -> dict[str, float]:
    return {c.field: c.width for c in layout.columns}


def test_three_columns_without_fields(font: FontChoice) -> None:
    assert toc_layout([SECTION, _doc(1), _doc(2)], font.name) is THREE
    assert _fields(THREE) == ("number", "title", "pages")


@pytest.mark.parametrize("field", ["doc_number", "author", "date"])
def test_any_field_gives_the_seven_columns(font: FontChoice, field: str) -> None:
    layout = toc_layout([SECTION, _doc(1), _doc(2, **{field: "巴府发〔2018〕12号"})], font.name)
    assert _fields(layout) == WIDE == ("number", "doc_number", "author", "title", "date",
                                       "pages", "note")
    assert layout.size == 10.5


def test_a_note_alone_adds_its_column(font: FontChoice) -> None:
    layout = toc_layout([SECTION, _doc(1, note="复印件")], font.name)
    assert _fields(layout) == ("number", "title", "pages", "note")


def test_a_section_row_with_a_field_changes_nothing(font: FontChoice) -> None:
    entries = [TocEntry(True, "", "一、指标达标说明", "1", 1, author="x"), _doc(1)]
    assert toc_layout(entries, font.name) is THREE


@pytest.mark.parametrize("length", [1, 8, 30])
def test_columns_fill_the_text_block(font: FontChoice, length: int) -> None:
    entries = [SECTION, _doc(1, doc_number="巴府办发〔2018〕112号" * (length // 8 + 1),
                             author="巴中市生态环境局" * length, date="20190315",
                             note="复印件" * length)]
    layout = toc_layout(entries, font.name)
    widths = _widths(layout)
    assert sum(widths.values()) == pytest.approx(TEXT_W)
    assert widths["title"] >= TITLE_MIN - 0.01
    assert all(w >= 10 * mm - 0.01 for w in widths.values())
    assert layout.edges[-1] == pytest.approx(LEFT + TEXT_W)


def test_short_columns_fit_their_text(font: FontChoice) -> None:
    layout = toc_layout([_doc(1, date="20190315")], font.name)
    widths = _widths(layout)
    assert stringWidth("20190315", font.name, layout.size) + 2 * layout.pad <= widths["date"]
    for column in layout.columns:  # empty 文号, 责任者 and 备注: as wide as their heading
        if column.field in ("doc_number", "author", "note"):
            need = stringWidth(pdf_text().render(msg(column.head)), font.name, layout.size)
            assert column.width <= max(need + 2 * layout.pad, 14 * mm) + 0.01


def test_cells_wrap_within_their_columns(font: FontChoice) -> None:
    long_title = "关于印发巴中市创建国家生态文明建设示范市规划（2018—2022年）的通知"
    entry = _doc(1, long_title, doc_number="巴府办发〔2018〕112号", author="巴中市人民政府办公室",
                 date="20180615", note="复印件，原件存市档案馆")
    layout = toc_layout([entry], font.name)
    for box in _boxes(layout, entry, font.name):
        for line in box.lines:
            assert stringWidth(line, font.name, layout.size) <= box.right - box.left - \
                2 * layout.pad + 0.01
    boxes = dict(zip(_fields(layout), _boxes(layout, entry, font.name), strict=True))
    assert len(boxes["title"].lines) >= 2 and "".join(boxes["title"].lines) == long_title
    number = boxes["doc_number"].lines
    assert "".join(number) == "巴府办发〔2018〕112号"
    assert len(number) == 1 or number[0].endswith("〕")  # a long 文号 breaks after its year


def test_wrapped_lines_are_even(font: FontChoice) -> None:
    entry = _doc(1, "水" * 41, author="x")  # no lone character on a last line
    layout = toc_layout([entry], font.name)
    title = dict(zip(_fields(layout), _boxes(layout, entry, font.name), strict=True))["title"]
    sizes = [len(line) for line in title.lines]
    assert len(sizes) >= 2 and max(sizes) - min(sizes) <= 1, sizes


def test_section_row_spans_the_columns_before_the_pages(font: FontChoice) -> None:
    layout = toc_layout([SECTION, _doc(1, date="20190315")], font.name)
    boxes = _boxes(layout, SECTION, font.name)
    assert [b.lines for b in boxes[1:]] == [["1–3"], []]  # 页号, then an empty 备注
    assert boxes[0].left == LEFT and boxes[0].right == layout.edges[layout.pages_index]


def _draw(entries: list[TocEntry], font: FontChoice) -> tuple[PdfReader, int, list]:  # type: ignore[type-arg]
    buf = io.BytesIO()
    with canvas(buf, font.name) as c:
        pages, links = draw_toc(c, entries, font.name)
    return PdfReader(io.BytesIO(buf.getvalue())), pages, links


def test_long_toc_continues_with_its_columns(font: FontChoice) -> None:
    entries = [SECTION] + [_doc(n, f"第{n}份文件的题名", doc_number=f"巴府发〔2018〕{n}号",
                                date="20180615") for n in range(1, 60)]
    reader, pages, links = _draw(entries, font)
    date = pdf_text().render(msg("pdf-toc-date")).replace(" ", "")
    assert pages == len(reader.pages) >= 2
    assert [link.target for link in links] == [1, *range(1, 60)]
    assert [link.toc_page for link in links] == sorted(link.toc_page for link in links)
    for page in reader.pages:
        flat = page.extract_text().replace(" ", "")
        assert date in flat  # every page repeats the headings
    assert "巴府发〔2018〕59号" in reader.pages[-1].extract_text().replace(" ", "")


def test_same_entries_same_bytes(font: FontChoice) -> None:
    entries = [SECTION, _doc(1, doc_number="巴府发〔2018〕12号", author="巴中市人民政府")]
    first = io.BytesIO()
    second = io.BytesIO()
    for buf in (first, second):
        with canvas(buf, font.name) as c:
            draw_toc(c, entries, font.name)
    assert first.getvalue() == second.getvalue()
