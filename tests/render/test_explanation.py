"""The explanation laid out as PDF (render.explanation), read back with pypdf and, where
poppler is installed, looked at as pixels. The font is a test font of filled boxes made
for the characters of this file, so nothing depends on system fonts."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier.fonts import choose, register
from dossier.render.document import parse
from dossier.render.explanation import flowables, render_explanation
from dossier.render.typography import LEFT, SIZE_BODY, SIZE_TABLE, SIZE_TITLE, TEXT_H, TEXT_W, TOP

from fontmaker import DEFAULT_CHARS, make_font

PAGE_W, PAGE_H = 595.2756, 841.8898
RIGHT_EDGE = LEFT + TEXT_W
BOTTOM_EDGE = PAGE_H - TOP - TEXT_H
NO_START = "，。、；：？！）》」』”’"
NO_END = "（《「『“‘"
CJK_TEXT = ("水环境质量指标要求完成上级规定的考核任务，水质达到或优于Ⅲ类比例、劣Ⅴ类水体比例、"
            "黑臭水体消除比例保持稳定或持续改善。数据以四川省生态环境厅年度考核结果和巴中市"
            "环境质量状况公报为准（详见「附件」）。")


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A box font covering every character written in this file, plus ASCII."""
    chars = set(Path(__file__).read_text(encoding="utf-8")) | set(DEFAULT_CHARS)
    chars |= {chr(c) for c in range(33, 127)}
    chars = {c for c in chars if c.isprintable() and not c.isspace()}
    path = make_font(tmp_path_factory.mktemp("font") / "render-cjk.ttf", "".join(sorted(chars)))
    choice = choose(path)
    assert choice.embedded and choice.path == path
    register(choice)
    return choice.name


def advance(text: str, size: float) -> float:
    """Width of text in the box font: 1 em above U+2000, 0.55 em below."""
    return sum(1.0 if ord(ch) > 0x2000 else 0.55 for ch in text) * size


@dataclass(frozen=True)
class Run:
    x: float
    y: float
    size: float
    text: str

    @property
    def right(self) -> float:  # without character spacing: the natural width
        return self.x + advance(self.text, self.size)


def runs(pdf: bytes) -> list[list[Run]]:
    """Every text-showing run of every page, with its page position and size."""
    pages: list[list[Run]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[Run] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  found: list[Run] = found) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append(Run(x, y, size * cm[0], text.strip("\n")))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def lines(page: list[Run]) -> list[str]:
    """The text of a page line by line, top to bottom (runs on one baseline joined)."""
    rows: dict[float, list[Run]] = {}
    for run in page:
        rows.setdefault(round(run.y, 1), []).append(run)
    return ["".join(r.text for r in sorted(row, key=lambda r: r.x))
            for _, row in sorted(rows.items(), reverse=True)]


def flat(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")


def inside_text_block(pages: list[list[Run]]) -> None:
    for n, page in enumerate(pages):
        for run in page:
            where = f"page {n + 1}: {run.text[:20]!r} at x={run.x:.1f} y={run.y:.1f}"
            assert run.x >= LEFT - 0.01, where
            assert run.right <= RIGHT_EDGE + 0.01, where
            assert BOTTOM_EDGE - 0.01 <= run.y <= PAGE_H - TOP + 0.01, where


EXAMPLE = f"""# 「12 水环境质量」指标达标说明

## 一、考核标准

{CJK_TEXT}

| 指标 | 目标值 | 实际值 | 数据来源 | 结论 |
|:---|:---|:---:|:---|:---:|
| 水质达到或优于Ⅲ类比例提高幅度 | 完成上级规定的考核任务 | 85.7% | 2018年公报 | 达标 |
| 城镇人均公园绿地面积 | ≥15 | 15.2 平方米/人 | 2018—2020年城市建设统计年鉴 | 未达标 |

## 二、达标情况

### （一）2018年度

达标理由：国控、省控断面水质均达到Ⅲ类。
"""


def test_a4_page_with_title_headings_text_and_table(font: str) -> None:
    pdf = render_explanation(EXAMPLE, font, "水环境质量指标达标说明")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((PAGE_W, PAGE_H), abs=0.01)
    assert reader.metadata is not None and reader.metadata.title == "水环境质量指标达标说明"
    text = flat(pdf)
    for needle in ("「12水环境质量」指标达标说明", "一、考核标准", "二、达标情况", "（一）2018年度",
                   CJK_TEXT, "数据来源", "实际值", "85.7%", "2018年公报", "15.2平方米/人",
                   "达标理由：国控、省控断面水质均达到Ⅲ类。"):
        assert needle in text, needle
    [page] = runs(pdf)
    inside_text_block([page])
    title = page[0]
    assert title.size == SIZE_TITLE and title.text == "「12 水环境质量」指标达标说明"
    assert (title.x + title.right) / 2 == pytest.approx(LEFT + TEXT_W / 2, abs=0.5)  # centred
    heading = next(r for r in page if r.text == "一、考核标准")
    assert heading.size == SIZE_BODY and heading.x == pytest.approx(LEFT + 2 * SIZE_BODY)
    body = [r for r in page if r.size == SIZE_BODY and r.y < heading.y][:3]
    # 2 characters of first-line indent, then lines from the margin on a 28.9 pt grid
    assert body[0].x == pytest.approx(LEFT + 2 * SIZE_BODY)
    assert body[1].x == pytest.approx(LEFT) and body[2].x == pytest.approx(LEFT)
    assert body[0].y - body[1].y == pytest.approx(28.9) == body[1].y - body[2].y
    assert heading.y - body[0].y == pytest.approx(28.9)
    cells = [r for r in page if r.size == SIZE_TABLE]
    assert {"指标", "目标值", "实际值", "数据来源", "结论", "85.7%"} <= {r.text for r in cells}


def test_the_text_block_is_filled_exactly(font: str) -> None:
    """Body lines start at the margin (no frame padding inside it) and hold as many
    characters as fit in 156 mm at 16 pt: 27."""
    pdf = render_explanation("本" * 100, font)
    body = lines(runs(pdf)[0])
    assert [len(line) for line in body] == [25, 27, 27, 21]


def test_long_table_repeats_its_header_on_every_page(font: str) -> None:
    rows = "".join(f"| {n} | 项目R{n:03d} | 2020 | {n * 100} | 已完工 |\n" for n in range(1, 121))
    md = (CJK_TEXT + "\n\n## 四、重点项目台账\n\n| 序号 | 项目名称 | 年度 | 投资（万元） | 状态 |\n"
          "|:---:|:---|:---:|---:|:---:|\n" + rows)
    pdf = render_explanation(md, font)
    pages = runs(pdf)
    assert len(pages) >= 3
    seen: list[str] = []
    for page in pages:
        texts = lines(page)
        header = next(n for n, line in enumerate(texts) if "项目名称" in line)
        assert texts[header] == "序号项目名称年度投资（万元）状态"
        # the header is the table's first row on the page
        assert not any("项目R" in line for line in texts[:header])
        seen += [line for line in texts if "项目R" in line]
    assert seen == [f"{n}项目R{n:03d}2020{n * 100}已完工" for n in range(1, 121)]
    # the heading stays with the table, and the table is not pushed to a new page,
    # leaving most of the first one empty: it starts under the heading
    assert "四、重点项目台账" in lines(pages[0]) and "项目R001" in "".join(lines(pages[0]))
    inside_text_block(pages)


def test_long_text_wraps_inside_the_margins(font: str) -> None:
    paragraph = CJK_TEXT * 8
    unbroken = "城镇人均公园绿地面积" * 40
    word = "A" * 150
    md = (f"{paragraph}\n\n| 指标 | 说明 | 结论 |\n|---|---|---|\n"
          f"| 水质 | {unbroken} | 达标 |\n| 标识 | {word} | 达标 |\n")
    pdf = render_explanation(md, font)
    pages = runs(pdf)
    inside_text_block(pages)
    text = flat(pdf)
    assert paragraph in text and unbroken in text and word in text  # nothing lost
    # the long cell wraps inside its column: many lines, none wider than the block
    cell_lines = [r for page in pages for r in page if r.size == SIZE_TABLE and "城镇" in r.text]
    assert len(cell_lines) > 5


def test_row_taller_than_a_page_is_split_inside(font: str) -> None:
    long = "水环境质量" * 600
    md = f"前文。\n\n| 指标 | 说明 |\n|---|---|\n| 水质 | {long} |\n| 末行 | 结束 |\n"
    pdf = render_explanation(md, font)
    pages = runs(pdf)
    assert len(pages) >= 3
    inside_text_block(pages)
    for page in pages:  # the header repeats over the pieces of the row
        assert "指标说明" in lines(page)
    text = flat(pdf).replace("指标说明", "")
    assert text == "前文。水质" + long + "末行结束"


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(font: str) -> None:
    for shift in range(8):
        md = "\n\n".join("水" * (shift + n) + "「水环境」质量指标，达标。" * 12 for n in range(4))
        pdf = render_explanation(md, font)
        pages = runs(pdf)
        inside_text_block(pages)  # no punctuation hanging into the margin either
        for page in pages:
            for line in lines(page):
                assert line[0] not in NO_START and line[-1] not in NO_END, (shift, line)


def test_rendering_is_deterministic(font: str) -> None:
    first = render_explanation(EXAMPLE, font, "标题")
    assert render_explanation(EXAMPLE, font, "标题") == first
    assert render_explanation(EXAMPLE + "\n结论：达标。\n", font, "标题") != first


@pytest.mark.parametrize("markdown", ["", "\n\n   \n"])
def test_empty_markdown_gives_one_blank_page(font: str, markdown: str) -> None:
    pdf = render_explanation(markdown, font)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().strip() == ""
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((PAGE_W, PAGE_H), abs=0.01)


def test_markup_characters_are_printed_literally(font: str) -> None:
    md = ("# a<b>&c</b>\n\n正文 <b>粗</b> & x > y; 5<6 &amp; <br/> <font size=40>字</font>\n\n"
          "| 列<1> | a&b |\n|---|---|\n| <i>斜</i> | 1>0 |\n")
    text = flat(render_explanation(md, font))
    for needle in ("a<b>&c</b>", "正文<b>粗</b>&x>y;5<6&<br/><fontsize=40>字</font>",
                   "列<1>", "a&b", "<i>斜</i>", "1>0"):
        assert needle in text, needle


def test_two_line_title_breaks_after_the_closing_bracket(font: str) -> None:
    md = "# 「30 城镇人均公园绿地面积(平方米/人)」指标达标说明\n\n正文。\n"
    pdf = render_explanation(md, font)
    page = runs(pdf)[0]
    titles = [r for r in page if r.size == SIZE_TITLE]
    assert [r.text for r in titles] == ["「30 城镇人均公园绿地面积(平方米/人)」", "指标达标说明"]
    for run in titles:  # each line centred
        assert (run.x + run.right) / 2 == pytest.approx(LEFT + TEXT_W / 2, abs=0.5)


def test_title_without_a_break_point_is_balanced(font: str) -> None:
    page = runs(render_explanation("# " + "水" * 30 + "\n", font))[0]
    assert [r.text for r in page] == ["水" * 15, "水" * 15]


@pytest.mark.parametrize("filler", range(15, 23))
def test_headings_never_end_a_page(font: str, filler: int) -> None:
    md = "\n\n".join(f"第{n}行。" for n in range(filler))
    md += "\n\n## 二、达标情况\n\n### （一）2018年度\n\n" + CJK_TEXT + "\n"
    pages = [lines(page) for page in runs(render_explanation(md, font))]
    for page in pages:
        assert page[-1] not in ("二、达标情况", "（一）2018年度"), (filler, page[-3:])
    home = next(page for page in pages if "（一）2018年度" in page)
    assert home.index("（一）2018年度") < len(home) - 1  # followed by the text


@pytest.mark.parametrize("filler", range(15, 22))
def test_paragraph_split_leaves_no_lone_line(font: str, filler: int) -> None:
    md = "\n\n".join(f"第{n}行。" for n in range(filler)) + "\n\n" + CJK_TEXT * 2 + "\n"
    pages = [lines(page) for page in runs(render_explanation(md, font))]
    counts = [sum(1 for line in page if not line.startswith("第")) for page in pages]
    assert sum(counts) == len(lines(runs(render_explanation(CJK_TEXT * 2, font))[0])) == 8
    assert all(c == 0 or c >= 2 for c in counts), counts


@pytest.mark.parametrize("filler", [18, 19, 20])
def test_small_table_is_not_split(font: str, filler: int) -> None:
    md = "\n\n".join(f"第{n}行。" for n in range(filler))
    md += "\n\n| 相关数据 | 数值 |\n|---|---|\n" + "".join(f"| 城区人口{n} | 62.3 万人 |\n"
                                                        for n in range(4))
    pages = [lines(page) for page in runs(render_explanation(md, font))]
    homes = [page for page in pages if any("相关数据" in line for line in page)]
    assert len(homes) == 1  # the header is drawn once: the table was not split
    assert [line for line in homes[0] if "城区人口" in line] == [
        f"城区人口{n}62.3 万人" for n in range(4)]


def test_short_headers_and_values_do_not_break(font: str) -> None:
    long = "完成上级规定的考核任务，保持稳定或持续改善" * 2
    md = ("| 序号 | 指标 | 目标值 | 实际值 | 年度 | 数据来源 | 状态 | 结论 |\n"
          "|---|---|---|---|---|---|---|---|\n"
          f"| 1 | {long} | {long} | 15.2 平方米/人 | 2018—2020 | {long} | 已完工 | 未达标 |\n")
    page = runs(render_explanation(md, font))[0]
    texts = [r.text for r in page]
    for whole in ("序号", "指标", "目标值", "实际值", "年度", "数据来源", "状态", "结论",
                  "15.2 平方米/人", "2018—2020", "已完工", "未达标"):
        assert whole in texts, whole
    header = [r for r in page if r.text in ("序号", "结论")]
    assert header[0].y == header[1].y  # one header line
    inside_text_block([page])


def test_list_markers_are_set_in_the_body_size(font: str) -> None:
    page = runs(render_explanation("- 甲项\n- 乙项\n\n3. 丙项\n4. 丁项\n", font))[0]
    assert [r.text for r in page] == ["• 甲项", "• 乙项", "3.丙项", "4.丁项"]
    assert {r.size for r in page} == {SIZE_BODY}


def test_hard_breaks_and_code_lines(font: str) -> None:
    page = runs(render_explanation("行一  \n行二\n\n```\n代码一\n\n代码三\n```\n", font))[0]
    assert [r.text for r in page] == ["行一", "行二", "代码一", "代码三"]
    assert page[2].y - page[3].y == pytest.approx(2 * 28.9)  # the blank code line is kept


def test_flowables_one_per_block(font: str) -> None:
    blocks = parse(EXAMPLE)
    assert len(flowables(blocks, font)) == len(blocks) == 7
    assert flowables((), font) == []


REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
HAVE_POPPLER = shutil.which("pdftoppm") is not None


@pytest.mark.skipif(not HAVE_POPPLER and not REQUIRED, reason="poppler not installed")
def test_pixels_stay_in_the_text_block_and_lines_are_justified(font: str,
                                                               tmp_path: Path) -> None:
    md = (CJK_TEXT * 3 + "\n\n| 指标 | 说明 |\n|---|---|\n| 水质 | " + "水环境" * 60
          + " |\n| 标识 | " + "W" * 120 + " |\n")
    (tmp_path / "e.pdf").write_bytes(render_explanation(md, font))
    dpi = 144
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile",
                    str(tmp_path / "e.pdf"), str(tmp_path / "e")], check=True)
    img = Image.open(tmp_path / "e.png").convert("L")
    px = img.load()
    assert px is not None
    scale = dpi / 72

    def dark_columns(top: float, bottom: float) -> list[int]:
        """x (px) of every column with ink between two heights (pt from the top)."""
        y0, y1 = int(top * scale), int(bottom * scale)
        return [x for x in range(img.width) if any(px[x, y] < 128 for y in range(y0, y1))]

    ink = dark_columns(0, PAGE_H)
    assert ink, "nothing drawn"
    margin = 1.0  # pt: rules of the table sit on the edge of the block
    assert min(ink) >= (LEFT - margin) * scale
    assert max(ink) <= (RIGHT_EDGE + margin) * scale
    rows = [y for y in range(img.height) if any(px[x, y] < 128 for x in range(img.width))]
    assert min(rows) >= (TOP - margin) * scale
    assert max(rows) <= (PAGE_H - BOTTOM_EDGE + margin) * scale
    # every full line of the paragraph reaches the right edge of the block (justified):
    # box glyphs end 0.05 em before their advance
    page = runs((tmp_path / "e.pdf").read_bytes())[0]
    body = [r for r in page if r.size == SIZE_BODY][:-1]
    assert len(body) >= 5
    for run in body:
        top = PAGE_H - run.y - 0.6 * SIZE_BODY
        right = max(dark_columns(top, top + 0.4 * SIZE_BODY)) / scale
        assert right == pytest.approx(RIGHT_EDGE - 0.05 * SIZE_BODY, abs=1.0), run.text


# -- the 落款 and the room for the seal ------------------------------------------------

SIGNED = "\n\n```落款\n市住房和城乡建设局\n2021年3月\n```\n"


def signature_runs(page: list[Run]) -> tuple[Run, Run]:
    unit = next(r for r in page if r.text == "市住房和城乡建设局")
    date = next(r for r in page if r.text == "2021年3月")
    return unit, date


def seal_square(page: list[Run]) -> tuple[float, float, float, float]:
    """The square the seal may take (left, bottom, right, top in PDF points), from the
    date (its centre) and the last line of text above it (its foot)."""
    from dossier.render.explanation import LINE, SEAL_ROOM

    unit, date = signature_runs(page)
    above = [r for r in page if r.y > unit.y + 1]
    foot = min(r.y for r in above) - (LINE - ((LINE - SIZE_BODY) / 2 + SIZE_BODY * 0.88))
    centre = (date.x + date.right) / 2
    return centre - SEAL_ROOM / 2, foot - SEAL_ROOM, centre + SEAL_ROOM / 2, foot


def test_signature_is_right_aligned_under_the_text_with_room_for_the_seal(font: str) -> None:
    from dossier.render.explanation import DATE_INDENT, LINE, SEAL_ROOM

    pdf = render_explanation(EXAMPLE + "\n## 四、结论\n\n" + CJK_TEXT + SIGNED, font)
    pages = runs(pdf)
    inside_text_block(pages)
    page = pages[-1]
    unit, date = signature_runs(page)
    # GB/T 9704: the date 右空四字, the unit centred on it, one line above
    assert date.right == pytest.approx(RIGHT_EDGE - DATE_INDENT * SIZE_BODY, abs=0.1)
    assert (unit.x + unit.right) / 2 == pytest.approx((date.x + date.right) / 2, abs=0.1)
    assert unit.y - date.y == pytest.approx(LINE, abs=0.1)
    assert unit.size == date.size == SIZE_BODY
    left, bottom, right, top = seal_square(page)
    assert right - left == top - bottom == pytest.approx(SEAL_ROOM)
    assert SEAL_ROOM >= 45 * 72 / 25.4  # 45 mm at least: a 公章 is about 42 mm across
    assert left >= LEFT and right <= RIGHT_EDGE and bottom >= BOTTOM_EDGE - 0.01
    # the unit and the date lie inside it (a unit name wider than the seal sticks out on
    # both sides: the seal presses on its middle), a little below its middle; nothing
    # else does
    for run in (unit, date):
        assert bottom < run.y and run.y + SIZE_BODY < top
    assert left < date.x < date.right < right
    assert (unit.y + date.y + SIZE_BODY) / 2 < (top + bottom) / 2
    others = [r for r in page if r not in (unit, date)]
    assert all(r.y > top for r in others)
    # the last lines of text are on this page
    assert lines(page)[-3].endswith("。") and len(others) >= 2


@pytest.mark.parametrize("filler", range(8, 24))
def test_signature_never_starts_a_page_alone(font: str, filler: int) -> None:
    md = "\n\n".join(f"第{n}行。" for n in range(filler)) + "\n\n" + CJK_TEXT + SIGNED
    pages = runs(render_explanation(md, font))
    home = next(p for p in pages if any(r.text == "2021年3月" for r in p))
    unit, _ = signature_runs(home)
    text = [line for line in lines([r for r in home if r.y > unit.y + 1])]
    # at least two lines of the last paragraph go with the 落款
    assert sum(1 for line in text if not line.startswith("第")) >= 2, (filler, text)
    bottom = seal_square(home)[1]
    assert bottom >= BOTTOM_EDGE - 0.01  # and the seal's room is on the page
    paragraph = sum(1 for p in pages for line in lines(p)
                    if not line.startswith("第") and line not in ("市住房和城乡建设局",
                                                                 "2021年3月"))
    assert paragraph == len(lines(runs(render_explanation(CJK_TEXT, font))[0]))


def test_signature_after_a_heading_or_alone(font: str) -> None:
    after_heading = runs(render_explanation("## 四、结论" + SIGNED, font))
    assert len(after_heading) == 1 and signature_runs(after_heading[0])
    alone = runs(render_explanation(SIGNED, font))
    assert [r.text for r in alone[0]] == ["市住房和城乡建设局", "2021年3月"]
    # a long unit name stays inside the text block
    long_unit = runs(render_explanation("正文。\n\n```落款\n" + "巴中市" * 8 + "\n2021年3月\n```\n",
                                        font))
    inside_text_block(long_unit)


@pytest.mark.skipif(not HAVE_POPPLER and not REQUIRED, reason="poppler not installed")
def test_seal_room_is_blank_in_the_rendered_page(font: str, tmp_path: Path) -> None:
    md = "## 四、结论\n\n" + CJK_TEXT + SIGNED
    pdf = render_explanation(md, font)
    (tmp_path / "s.pdf").write_bytes(pdf)
    dpi = 60
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile",
                    str(tmp_path / "s.pdf"), str(tmp_path / "s")], check=True)
    img = Image.open(tmp_path / "s.png").convert("L")
    px = img.load()
    assert px is not None
    scale = dpi / 72
    page = runs(pdf)[0]
    unit, date = signature_runs(page)
    left, bottom, right, top = seal_square(page)

    def in_text(x: float, y: float) -> bool:  # PDF points: inside the unit's or date's em box
        return any(r.x - 1 <= x <= r.right + 1 and r.y - 0.2 * SIZE_BODY <= y
                   <= r.y + SIZE_BODY for r in (unit, date))

    stray = [(x, y) for x in range(int(left * scale) + 1, int(right * scale))
             for y in range(int((PAGE_H - top) * scale) + 1, int((PAGE_H - bottom) * scale))
             if px[x, y] < 128 and not in_text(x / scale, PAGE_H - y / scale)]
    assert not stray
    inked = [(x, y) for x in range(img.width) for y in range(img.height) if px[x, y] < 128
             and in_text(x / scale, PAGE_H - y / scale)]
    assert inked  # the unit and the date are drawn
