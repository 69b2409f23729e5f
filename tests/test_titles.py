"""Titles, 文号, 日期, 责任者 and 备注 of the 卷内目录: from names, folders, 目录.yaml and the
import record; the findings of `check` about them; and a real build whose 目录 shows them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.findings import Finding
from dossier.fonts import FontChoice, choose
from dossier.i18n import msg, pdf_text
from dossier.manifest import read_manifest
from dossier.naming import doc_date, doc_number, fold_width, is_generic, is_meaningless
from dossier.options import BuildOptions
from dossier.scan import IMPORT_RECORD, MaterialFile, scan
from dossier.titles import TITLES_FILE, Titled, Titles, from_name

from makefiles import make_volume_tree, write_jpeg, write_pdf

OPTS = BuildOptions(date="2021年3月", epoch=1614556800)
IND = "12-水环境质量"


# -- what a name says -------------------------------------------------------------------

@pytest.mark.parametrize(("title", "number", "rest"), [
    ("巴府发〔2018〕12号关于印发规划的通知", "巴府发〔2018〕12号", "关于印发规划的通知"),
    ("巴府发〔2018〕12号-关于印发规划的通知", "巴府发〔2018〕12号", "关于印发规划的通知"),
    ("关于…的函（川环函〔2019〕112号）", "川环函〔2019〕112号", "关于…的函"),
    ("关于印发规划的通知巴府发〔2018〕12号", "巴府发〔2018〕12号", "关于印发规划的通知"),
    ("〔2018〕12号 考核办法", "〔2018〕12号", "考核办法"),
    ("[2018]12号考核办法", "〔2018〕12号", "考核办法"),
    ("(2018)12号考核办法", "〔2018〕12号", "考核办法"),
    ("考核办法（2018）12号", "〔2018〕12号", "考核办法"),
    ("巴环发【2019】3号 通报", "巴环发〔2019〕3号", "通报"),
    ("巴府令〔2018〕第3号", "巴府令〔2018〕第3号", ""),
    ("考核办法 巴府办发〔 2018 〕 112 号", "巴府办发〔2018〕112号", "考核办法"),
])
def test_document_numbers(title: str, number: str, rest: str) -> None:
    found = doc_number(title)
    assert found is not None and (found.text, found.rest) == (number, rest)


@pytest.mark.parametrize("title", [
    "关于转发川府发〔2018〕3号文件的通知",  # inside the title: part of it
    "2018年度考核结果",
    "(2)河长名单",
    "〔2018〕考核办法",  # no 号
    "巴府发2018年12号",
])
def test_no_document_number(title: str) -> None:
    assert doc_number(title) is None


@pytest.mark.parametrize(("title", "date", "rest"), [
    ("2019年3月河长制简报", "201903", "2019年3月河长制简报"),
    ("2019年3月15日会议纪要", "20190315", "2019年3月15日会议纪要"),
    ("20190315会议纪要", "20190315", "会议纪要"),
    ("会议纪要_20190315", "20190315", "会议纪要"),
    ("会议纪要2019.3.15", "20190315", "会议纪要"),
    ("2019-03-15 会议纪要", "20190315", "会议纪要"),
    ("关于20190315会议的纪要", "20190315", "关于20190315会议的纪要"),  # inside: kept
    ("IMG_20180615_103512", "20180615", "IMG_20180615_103512"),
    ("2019-03-15", "20190315", ""),
])
def test_dates(title: str, date: str, rest: str) -> None:
    found = doc_date(title)
    assert found is not None and (found.text, found.rest) == (date, rest)


@pytest.mark.parametrize("title", [
    "2019年度考核结果", "2018-2020年汇总", "2019年1-12月月报", "2019年1月至6月报告",
    "2019年3月15日至4月1日检查", "2019年13月", "20191332", "2019.2.30", "13812345678",
    "巴府发〔2018〕12号",
])
def test_no_dates(title: str) -> None:
    assert doc_date(title) is None


def test_width_is_folded_but_chinese_punctuation_kept() -> None:
    assert fold_width("２０１９年１－１２月") == "2019年1-12月"
    assert fold_width("ＡＢＣ　报告") == "ABC 报告"
    assert fold_width("巴府发〔２０１８〕１２号（摘要）、附件：说明！？～") == \
        "巴府发〔2018〕12号（摘要）、附件：说明！？～"
    named = from_name("２０１９年１－１２月水质（川环函［２０１９］１１２号）")
    assert named == from_name("2019年1-12月水质（川环函[2019]112号）")
    assert (named.title, named.number, named.date) == ("2019年1-12月水质", "川环函〔2019〕112号",
                                                       "")


@pytest.mark.parametrize("title", [
    "IMG_20180615_103512", "img-2019", "微信图片_20190301123456", "mmexport1551234567890",
    "扫描件001", "扫描件", "扫描全能王 2019-03-15 10.23", "新建文档", "新建 Microsoft Word 文档",
    "新建文本文档 (2)", "Scan0001", "scan_003", "DSC_1234", "DSCN0042", "截图20190101",
    "屏幕截图 2021-01-05 101010", "Screenshot_20190101-120000", "未命名", "无标题", "001",
    "20190315", "２０１９",
])
def test_meaningless(title: str) -> None:
    assert is_meaningless(title) and is_generic(title)


@pytest.mark.parametrize("title", [
    "2019年巴中市水质通报", "新建污水处理厂环评批复", "扫描件-河长名单", "河道整治现场照片",
    "Scanning report", "第一季度", "附件2",
])
def test_not_meaningless(title: str) -> None:
    assert not is_meaningless(title)


@pytest.mark.parametrize(("title", "generic"), [
    ("第一季度", True), ("一季度", True), ("附件2", True), ("报告", True), ("上半年", True),
    ("照片3", True), ("河长名单", True),  # four characters: short
    ("2019年巴中市水质通报", False), ("巴中市河长名单", False),
])
def test_generic(title: str, generic: bool) -> None:
    assert is_generic(title) is generic


# -- a materials tree ---------------------------------------------------------------------

def _scan(root: Path, catalogue: Catalogue) -> dict[str, MaterialFile]:
    tree = scan(root, frozenset(catalogue.ids), frozenset(catalogue.settings.all_years))
    return {f.rel.split("/", 1)[1]: f for f in tree.files}


def _titled(root: Path, catalogue: Catalogue) -> dict[str, Titled]:
    titles = Titles(root)
    return {rel: titles.of(f) for rel, f in _scan(root, catalogue).items()}


def _codes(found: tuple[Finding, ...], *codes: str) -> list[Finding]:
    return [f for f in found if f.code in codes]


@pytest.mark.parametrize(("rel", "title"), [
    ("2021/水质通报/第一季度.pdf", "水质通报 第一季度"),
    ("2021/02(1)水质通报/01-第二季度.pdf", "水质通报 第二季度"),  # order and tags dropped
    ("2021/水质通报/一季度/01.pdf", "水质通报 一季度 01"),  # a general folder: and above it
    ("2021/水质通报/2021年第三季度水质通报.pdf", "2021年第三季度水质通报"),  # says it all
    ("2021/水质通报/水质通报第四季度.pdf", "水质通报第四季度"),  # has the folder's name
    ("2021/新建文件夹/第一季度.pdf", "第一季度"),  # a folder that says nothing
    ("2019/2019年/附件1.pdf", "附件1"),  # the section's year again
    ("直接证明材料/2019年/考核结果.pdf", "2019年 考核结果"),  # a year is context here
    ("2021/第一季度.pdf", "第一季度"),  # in the section folder: no context
])
def test_folder_is_the_context(tree: Path, catalogue: Catalogue, rel: str, title: str) -> None:
    write_pdf(tree / IND / rel)
    assert _titled(tree, catalogue)[rel].title == title


def test_titles_from_names(tree: Path, catalogue: Catalogue) -> None:
    write_pdf(tree / IND / "直接证明材料" / "01(1)巴府发〔2018〕12号关于印发规划的通知.pdf")
    write_pdf(tree / IND / "2019" / "02(2)20190315会议纪要.pdf")
    write_pdf(tree / IND / "2019" / "03-２０１９年１－１２月月报.pdf")
    got = _titled(tree, catalogue)
    first = got["直接证明材料/01(1)巴府发〔2018〕12号关于印发规划的通知.pdf"]
    assert (first.title, first.number, first.date, first.author, first.note) == (
        "关于印发规划的通知", "巴府发〔2018〕12号", "", "", "")
    assert not first.listed and first.list_rel == f"{IND}/直接证明材料/{TITLES_FILE}"
    assert (got["2019/02(2)20190315会议纪要.pdf"].title,
            got["2019/02(2)20190315会议纪要.pdf"].date) == ("会议纪要", "20190315")
    assert got["2019/03-２０１９年１－１２月月报.pdf"].title == "2019年1-12月月报"


def test_import_record_gives_the_author(tree: Path, catalogue: Catalogue) -> None:
    write_pdf(tree / IND / "2019" / "01(1)住建局报送的考核结果.pdf")
    write_pdf(tree / IND / "2019" / "02(1)本单位的考核结果.pdf")
    record = {"format": 1, "files": {f"{IND}/2019/01(1)住建局报送的考核结果.pdf": {
        "unit": "市住房和城乡建设局", "source": "a.zip", "date": "2021-03-04"}}}
    (tree / IMPORT_RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    got = _titled(tree, catalogue)
    assert got["2019/01(1)住建局报送的考核结果.pdf"].author == "市住房和城乡建设局"
    assert got["2019/02(1)本单位的考核结果.pdf"].author == ""


def test_list_sets_the_fields(tree: Path, catalogue: Catalogue) -> None:
    folder = tree / IND / "2019"
    for name in ("01(1)规划.pdf", "02(2)IMG_20190615_103512.jpg", "03(1)巴府发〔2019〕3号通知.pdf",
                 "04(1)报告.pdf", "05(1)考核结果.pdf"):
        (write_jpeg if name.endswith(".jpg") else write_pdf)(folder / name)
    record = {"files": {f"{IND}/2019/05(1)考核结果.pdf": {"unit": "市水利局"}}}
    (tree / IMPORT_RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (folder / TITLES_FILE).write_text(
        "01(1)规划.pdf:\n"
        "  题名: 巴中市生态文明建设规划（２０１８—２０２２年）\n"
        "  文号: 巴府发[2018]12号\n"
        "  责任者: 巴中市人民政府\n"
        "  日期: 2018-06-15\n"
        "  备注: 复印件\n"
        "02(2)IMG_20190615_103512: 河道整治现场照片\n"  # without extension; a text: 题名
        "03(1)巴府发〔2019〕3号通知.pdf:\n"
        "  文号: 无\n"  # blank where the name gives one
        "  日期: 2019年3月\n"
        "04(1)报告.pdf:\n"
        "05(1)考核结果.pdf:\n"
        "  责任者: 巴中市水利局\n", encoding="utf-8")
    got = _titled(tree, catalogue)
    plan = got["2019/01(1)规划.pdf"]
    assert (plan.title, plan.number, plan.author, plan.date, plan.note, plan.listed) == (
        "巴中市生态文明建设规划（2018—2022年）", "巴府发〔2018〕12号", "巴中市人民政府",
        "20180615", "复印件", True)
    photo = got["2019/02(2)IMG_20190615_103512.jpg"]
    assert (photo.title, photo.listed, photo.date) == ("河道整治现场照片", True, "20190615")
    third = got["2019/03(1)巴府发〔2019〕3号通知.pdf"]
    assert (third.title, third.number, third.date) == ("通知", "", "201903")
    assert got["2019/04(1)报告.pdf"].title == "报告" and not got["2019/04(1)报告.pdf"].listed
    assert got["2019/05(1)考核结果.pdf"].author == "巴中市水利局"  # over the import record
    result = check(tree, catalogue, indicators=[12])
    assert _codes(result.report.findings, "titles-invalid", "titles-unknown-file",
                  "misplaced-file", "ignored-file", "unsupported-file-type",
                  "meaningless-title") == []


def test_list_form_and_byte_order_mark(tree: Path, catalogue: Catalogue) -> None:
    folder = tree / IND / "2019"
    write_pdf(folder / "01(1)甲.pdf")
    write_pdf(folder / "02(1)乙.pdf")
    (folder / TITLES_FILE).write_bytes(
        "- 文件: 01(1)甲.pdf\n  题名: 甲方案\n  日期: 20190102\n"
        "- {文件: 02(1)乙.PDF, 题名: 乙方案, 文号: 12}\n".encode("utf-8-sig"))
    got = _titled(tree, catalogue)
    assert (got["2019/01(1)甲.pdf"].title, got["2019/01(1)甲.pdf"].date) == ("甲方案", "20190102")
    assert (got["2019/02(1)乙.pdf"].title, got["2019/02(1)乙.pdf"].number) == ("乙方案", "12")


def _list_findings(tree: Path, catalogue: Catalogue, content: bytes) -> list[Finding]:
    folder = tree / IND / "2019"
    write_pdf(folder / "01(1)考核结果.pdf")
    (folder / TITLES_FILE).write_bytes(content)
    found = check(tree, catalogue, indicators=[12]).report.findings
    return _codes(found, "titles-invalid", "titles-unknown-file")


LIST = f"{IND}/2019/{TITLES_FILE}"


@pytest.mark.parametrize(("content", "variant", "line", "problem"), [
    ("01(1)考核结果.pdf:\n  题名: 考核结果\n".encode("gbk"), "file", 0, "yaml.not-utf8/gbk"),
    (b"\x81\xff\n", "file", 0, "yaml.not-utf8"),
    ("01(1)考核结果.pdf:\n  题名: [考核结果\n".encode(), "line", 3, "yaml.syntax"),
    ("01(1)考核结果.pdf：考核结果\n".encode(), "line", 1, "yaml.fullwidth-colon/line"),
    (b"just text\n", "line", 1, "titles.shape"),
    ("01(1)考核结果.pdf: [a, b]\n".encode(), "", 1, "titles.entry-shape"),
    ("- 01(1)考核结果.pdf\n".encode(), "line", 1, "titles.entry-shape/list"),
    ("- 题名: 考核结果\n".encode(), "", 1, "schema.missing"),
    ("01(1)考核结果.pdf:\n  题名: 考核结果\n  标题: 考核结果\n".encode(), "", 3,
     "titles.unknown-key/close"),
    ("01(1)考核结果.pdf:\n  页数: 3\n".encode(), "", 2, "titles.unknown-key"),
    ("01(1)考核结果.pdf:\n  题名: true\n".encode(), "", 2, "schema.text"),
    ("- {文件: 01(1)考核结果.pdf}\n- {文件: 01(1)考核结果}\n".encode(), "line", 2,
     "titles.duplicate-file"),
])
def test_bad_lists_are_located_findings(tree: Path, catalogue: Catalogue, content: bytes,
                                        variant: str, line: int, problem: str) -> None:
    [found] = _list_findings(tree, catalogue, content)
    assert (found.code, found.variant, found.path, found.indicator) == (
        "titles-invalid", variant, LIST, 12)
    assert found.params["line"] == line and found.params["problem"].key == problem
    assert found.severity.value == "error"


def test_unknown_key_names_the_keys(tree: Path, catalogue: Catalogue) -> None:
    [found] = _list_findings(tree, catalogue, "01(1)考核结果.pdf:\n  标题: x\n".encode())
    problem = found.params["problem"]
    assert found.params["field"] == "01(1)考核结果.pdf.标题"
    assert problem.params["key"] == "标题" and problem.params["close"] == "题名"
    assert problem.params["keys"] == ("题名", "文号", "责任者", "日期", "备注", "印章")


def test_unknown_files(tree: Path, catalogue: Catalogue) -> None:
    found = _list_findings(tree, catalogue, "01(1)考核结杲.pdf: 甲\n02-不存在.pdf: 乙\n".encode())
    assert [(f.code, f.variant, f.params["line"], f.params["name"], f.params["close"])
            for f in found] == [
        ("titles-unknown-file", "close", 1, "01(1)考核结杲.pdf", "01(1)考核结果.pdf"),
        ("titles-unknown-file", "", 2, "02-不存在.pdf", "")]
    assert all(f.severity.value == "warning" and f.params["folder"] == f"{IND}/2019"
               for f in found)


def test_a_bad_list_does_not_stop_the_build(tmp_path: Path, catalogue: Catalogue,
                                            test_font: Path) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    (root / IND / "2019" / TITLES_FILE).write_bytes("01(1)x: [\n".encode("gbk"))
    plans, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, OPTS)
    [outcome] = build(plans, root, tmp_path / "out", font=choose(test_font))
    assert outcome.status == "built"


# -- meaningless names ------------------------------------------------------------------------

def test_meaningless_title_warning(tree: Path, catalogue: Catalogue) -> None:
    folder = tree / IND / "2019"
    write_jpeg(folder / "IMG_20180615_103512.jpg")
    write_jpeg(folder / "微信图片_20190301123456.jpg")
    write_pdf(folder / "03(1)扫描件001.pdf")
    write_pdf(folder / "04-20190315.pdf")
    write_pdf(folder / "05(2)河长名单.pdf")
    write_pdf(tree / IND / "2021" / "现场照片" / "DSC_1234.pdf")
    write_pdf(tree / IND / "Scan0001.pdf")  # outside a section: misplaced-file says it
    write_jpeg(folder / "06-Screenshot_2019.jpg")
    (folder / TITLES_FILE).write_text("06-Screenshot_2019.jpg: 巴中发布截图\n", encoding="utf-8")
    found = _codes(check(tree, catalogue, indicators=[12]).report.findings,
                   "meaningless-title")
    assert sorted((f.path, f.params["title"]) for f in found) == [
        (f"{IND}/2019/03(1)扫描件001.pdf", "扫描件001"),
        (f"{IND}/2019/04-20190315.pdf", "20190315"),
        (f"{IND}/2019/IMG_20180615_103512.jpg", "IMG_20180615_103512"),
        (f"{IND}/2019/微信图片_20190301123456.jpg", "微信图片_20190301123456"),
        (f"{IND}/2021/现场照片/DSC_1234.pdf", "DSC_1234"),
    ]
    by_file = {f.path: f for f in found}
    one = by_file[f"{IND}/2021/现场照片/DSC_1234.pdf"]
    assert one.params["list"] == f"{IND}/2021/现场照片/{TITLES_FILE}"
    assert one.severity.value == "warning" and one.indicator == 12
    assert one.params["file"] == one.path


# -- the 目录 of a real build -------------------------------------------------------------------

@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def _wide_tree(root: Path) -> Path:
    """The volume tree with a 文号, a date, a folder's context and a 目录.yaml."""
    ind = make_volume_tree(root)
    rule = "02(1)巴府发〔2018〕12号关于印发巴中市生态文明建设规划的通知.pdf"
    write_pdf(ind / "直接证明材料" / rule, 2)
    write_pdf(ind / "2019" / "03(2)20190315巴中市河长制工作会议纪要.pdf")
    write_pdf(ind / "2021" / "水质通报" / "第一季度.pdf")
    (ind / "长期有效" / TITLES_FILE).write_text(
        "示意图.png:\n  题名: 巴中市水功能区划示意图\n  责任者: 巴中市水利局\n  备注: 彩色\n",
        encoding="utf-8")
    return root


def _toc_text(pdf: Path) -> tuple[str, int]:
    reader = PdfReader(pdf)
    front = reader.page_labels.index("1")
    return " ".join(reader.pages[n].extract_text() for n in range(1, front)), front


def _heads(*keys: str) -> list[str]:
    return [pdf_text().render(msg(k)) for k in keys]


def _build(root: Path, out: Path, catalogue: Catalogue, font: FontChoice) -> Path:
    plans, _ = make_plan(root, out, catalogue, (12,), None, OPTS)
    [outcome] = build(plans, root, out, font=font)
    assert outcome.status == "built" and outcome.messages == (), outcome.messages
    return out / plans[0].output


def test_toc_shows_the_columns(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    pdf = _build(_wide_tree(tmp_path / "m"), tmp_path / "out", catalogue, font)
    text, _ = _toc_text(pdf)
    flat = text.replace(" ", "").replace("\n", "")
    for head in _heads("pdf-toc-number", "pdf-toc-doc-number", "pdf-toc-author",
                       "pdf-toc-title", "pdf-toc-date", "pdf-toc-pages", "pdf-toc-note"):
        assert head.replace(" ", "") in flat
    for needle in ("巴府发〔2018〕", "12号", "20190315", "巴中市河长制", "巴中市水利局", "彩色",
                   "水质通报第一季度", "巴中市水功能区划示意图"):
        assert needle in flat, needle
    manifest = read_manifest(pdf.with_name(pdf.stem + ".manifest.json"))
    assert manifest is not None
    by_title = {s["title"]: s for s in manifest["sources"]}
    rule = by_title["关于印发巴中市生态文明建设规划的通知"]
    assert (rule["number"], rule["author"], rule["date"], rule["note"]) == (
        "巴府发〔2018〕12号", "", "", "")
    assert by_title["巴中市河长制工作会议纪要"]["date"] == "20190315"
    assert (by_title["巴中市水功能区划示意图"]["author"],
            by_title["巴中市水功能区划示意图"]["note"]) == ("巴中市水利局", "彩色")
    assert by_title["水质通报 第一季度"]["number"] == ""


def test_toc_keeps_three_columns(tmp_path: Path, catalogue: Catalogue,
                                 font: FontChoice) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    text, _ = _toc_text(_build(root, tmp_path / "out", catalogue, font))
    flat = text.replace(" ", "")
    assert all(h.replace(" ", "") in flat for h in _heads("pdf-toc-number", "pdf-toc-title",
                                                          "pdf-toc-pages"))
    assert not any(h.replace(" ", "") in flat for h in _heads(
        "pdf-toc-doc-number", "pdf-toc-author", "pdf-toc-date", "pdf-toc-note"))


def _rules(png: Path) -> int:
    """Vertical rules of the 目录's heading row (the columns plus one): pixel columns dark
    from its top border to its bottom border (text never spans the row's height)."""
    img = Image.open(png).convert("L")
    w, h = img.size

    def rule(y: int) -> bool:
        return sum(1 for x in range(w) if img.getpixel((x, y)) < 220) > w * 0.5

    top = next(y for y in range(h) if rule(y))
    bottom = next(y for y in range(top + 4, h) if rule(y))
    dark = [all(img.getpixel((x, y)) < 220 for y in range(top + 1, bottom)) for x in range(w)]
    return sum(1 for x in range(1, w) if dark[x] and not dark[x - 1])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_rendered_toc_columns(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    wide = _build(_wide_tree(tmp_path / "a" / "m"), tmp_path / "a" / "out", catalogue,
                  font)
    make_volume_tree(tmp_path / "b" / "m")
    narrow = _build(tmp_path / "b" / "m", tmp_path / "b" / "out", catalogue, font)
    counts = []
    for pdf in (wide, narrow):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", "-singlefile",
                        str(pdf), str(pdf.with_suffix(""))], check=True)
        counts.append(_rules(pdf.with_suffix(".png")))
    assert counts == [8, 4]


def test_same_inputs_same_bytes(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root = _wide_tree(tmp_path / "m")
    first = _build(root, tmp_path / "one", catalogue, font)
    second = _build(root, tmp_path / "two", catalogue, font)
    assert first.read_bytes() == second.read_bytes()


def test_list_changes_rebuild(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root = _wide_tree(tmp_path / "m")
    plans, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, OPTS)
    (root / IND / "长期有效" / TITLES_FILE).write_text("示意图.png: 示意图（新）\n",
                                                    encoding="utf-8")
    again, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, OPTS)
    assert again[0].fingerprint() != plans[0].fingerprint()


def test_a_meaningful_folder_is_enough_context(tree: Path, catalogue: Catalogue) -> None:
    write_pdf(tree / IND / "2021" / "巴中" / "水质通报" / "第一季度.pdf")
    assert _titled(tree, catalogue)["2021/巴中/水质通报/第一季度.pdf"].title == "水质通报 第一季度"


@pytest.mark.parametrize(("name", "title", "number", "date"), [
    # the subject's period is not the document's date
    ("巴府发〔2018〕12号关于印发2019年3月方案的通知", "关于印发2019年3月方案的通知",
     "巴府发〔2018〕12号", ""),
    # nothing left but the number and the date: the 文号 is the title
    ("川环函[2021]45号20210315", "川环函〔2021〕45号", "川环函〔2021〕45号", "20210315"),
    # a leading date, then the 文号 at the start of what remains
    ("20180615巴府发〔2018〕12号关于河长制的通知", "关于河长制的通知", "巴府发〔2018〕12号",
     "20180615"),
    ("2019年3月河长制简报", "2019年3月河长制简报", "", "201903"),
])
def test_names_a_reviewer_found_misread(name: str, title: str, number: str, date: str) -> None:
    found = from_name(name)
    assert (found.title, found.number, found.date) == (title, number, date)
