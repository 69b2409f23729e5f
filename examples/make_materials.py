"""Regenerate the bundled example tree `examples/materials/`.

    python examples/make_materials.py [--out examples/materials]

The tree is what a 牵头单位 might hold a week before the 2021-03-12 deadline: the skeleton
written by `dossier init` for every indicator, a few indicators complete, others missing a year
or a review point, one broken download, a Word report, an Excel 统计表 and an iPhone (HEIC)
photo bound as they are (LibreOffice converts the office files), a phone photo taken
sideways, a file filed under the wrong year, a duplicate, and explanation data
(达标说明.yaml, 共享数据.yaml) showing an unmet target, an inconsistent shared figure and an
unexplained jump, and the 联络人员名单 (附件2) of four units, one number without its area code.
`dossier check examples/materials` therefore exits 1 on purpose.

Pages are drawn with reportlab's built-in STSong-Light (not embedded) so every file stays a
few kilobytes; output is deterministic (reportlab invariant mode, fixed image seeds).
"""

from __future__ import annotations

import argparse
import io
import math
import random
import shutil
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from dossier.catalogue import load_catalogue  # noqa: E402
from dossier.naming import folder_name  # noqa: E402
from dossier.scaffold import init_tree  # noqa: E402
from dossier.templating import make_environment  # noqa: E402

FONT = "STSong-Light"
RED = Color(0.85, 0.1, 0.1)
W, H = A4


def official_pdf(issuer: str, number: str, title: str, body: list[str], pages: int = 1,
                 seal: str | None = None) -> bytes:
    """A one-or-more-page 公文-like PDF: red masthead, 文号, title, body, a round seal."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    for page in range(pages):
        if page == 0:
            c.setFillColor(RED)
            c.setFont(FONT, 30)
            c.drawCentredString(W / 2, H - 120, f"{issuer}文件")
            c.setFillColor(black)
            c.setFont(FONT, 14)
            c.drawCentredString(W / 2, H - 160, number)
            c.setStrokeColor(RED)
            c.setLineWidth(1.5)
            c.line(80, H - 172, W - 80, H - 172)
            c.setFont(FONT, 20)
            c.drawCentredString(W / 2, H - 215, title)
            y = H - 260
        else:
            y = H - 110
        c.setFont(FONT, 14)
        for line in body:
            c.drawString(90, y, line)
            y -= 28
        if seal and page == pages - 1:
            draw_seal(c, W - 170, y - 60, seal)
        c.setFont(FONT, 12)
        c.drawCentredString(W / 2, 60, f"— {page + 1} —")
        c.showPage()
    c.save()
    return buf.getvalue()


def draw_seal(c: canvas.Canvas, x: float, y: float, name: str, *, width_mm: float = 42,
              height_mm: float | None = None, colour: Color = RED, ring_mm: float = 1.2,
              star: bool = True, below: str = "") -> None:
    """A 公章 as one looks: a red ring (round, or oval when `height_mm` is given), the unit's
    name in an arc along its inside, a five-pointed star in the middle and a line of text
    (专用章) below the star. Centred on (x, y), in points."""
    from reportlab.lib.units import mm

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    rx, ry = width_mm * mm / 2, (height_mm or width_mm) * mm / 2
    c.saveState()
    c.setStrokeColor(colour)
    c.setFillColor(colour)
    c.setLineWidth(ring_mm * mm)
    c.ellipse(x - rx, y - ry, x + rx, y + ry, stroke=1, fill=0)
    size = min(rx, ry) * 0.3
    if name:
        span = min(250.0, 32.0 * len(name))  # degrees the arc of text covers
        for i, char in enumerate(name):
            turn = span / 2 - span * (i + 0.5) / len(name)  # from the left, over the top
            angle = math.radians(90 + turn)
            c.saveState()
            c.translate(x + (rx - size) * math.cos(angle), y + (ry - size) * math.sin(angle))
            c.rotate(turn)  # the top of each character points outwards
            c.setFont(FONT, size)
            c.drawCentredString(0, -size / 2, char)
            c.restoreState()
    if star:
        outer = min(rx, ry) * 0.3
        path = c.beginPath()
        for k in range(10):
            r = outer if k % 2 == 0 else outer * 0.382
            angle = math.radians(90 + 36 * k)
            px, py = x + r * math.cos(angle), y + r * math.sin(angle)
            path.moveTo(px, py) if k == 0 else path.lineTo(px, py)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
    if below:
        c.setFont(FONT, size * 0.9)
        c.drawCentredString(x, y - min(rx, ry) * 0.62, below)
    c.restoreState()


def scan_pdf(dpi: int, seed: int, pages: int = 1) -> bytes:
    """A scanner's PDF: each page an A4 JPEG at `dpi` of lines of writing and a table
    (drawn as strokes, no font), placed full-page without text."""
    rnd = random.Random(seed)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    pictures = []
    for _ in range(pages):
        img = Image.new("L", (width, height), 238)
        draw = ImageDraw.Draw(img)
        for row in range(24):
            y = int(height * 0.12) + row * int(dpi * 0.32)
            x = int(width * 0.12)
            while x < width * 0.85:
                w = int(dpi * rnd.uniform(0.12, 0.2))
                draw.rectangle([x, y, x + w, y + max(1, dpi // 10)], fill=rnd.randint(30, 70))
                x += w + int(dpi * 0.05)
        for k in range(6):  # a table below the writing
            y = int(height * 0.72) + k * int(dpi * 0.3)
            draw.line([(int(width * 0.12), y), (int(width * 0.88), y)], fill=40, width=2)
        pictures.append(img)
    return jpeg_pages_pdf(pictures, dpi, quality=70)


def jpeg_pages_pdf(pictures: list[Image.Image], dpi: int, quality: int) -> bytes:
    """Pictures bound as a scanner binds them: one JPEG per A4 page, full-page, no text."""
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    for picture in pictures:
        jpeg = io.BytesIO()
        picture.save(jpeg, "JPEG", quality=quality, dpi=(dpi, dpi))
        jpeg.seek(0)
        c.drawImage(ImageReader(jpeg), 0, 0, W, H)
        c.showPage()
    c.save()
    return buf.getvalue()


def photo_jpeg(seed: int, size: tuple[int, int] = (480, 360), orientation: int | None = None,
               caption: str = "") -> bytes:
    """A small field photo: sky, hills, water; optionally stored sideways with EXIF."""
    rnd = random.Random(seed)
    img = Image.new("RGB", size, (140 + rnd.randrange(40), 180, 225))
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.polygon([(0, h * 0.6), (w * 0.3, h * 0.35), (w * 0.6, h * 0.55), (w, h * 0.4),
                  (w, h), (0, h)], fill=(60, 120 + rnd.randrange(40), 60))
    draw.rectangle([0, int(h * 0.78), w, h], fill=(70, 120, 160))
    if caption:
        draw.text((8, 8), caption, fill=(255, 255, 255))
    exif = Image.Exif()
    if orientation:
        # Store the pixels as a sideways camera would; the EXIF tag says how to turn them.
        img = img.transpose(Image.Transpose.ROTATE_90 if orientation == 6
                            else Image.Transpose.ROTATE_270)
        exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70, exif=exif.tobytes())
    return buf.getvalue()


def chart_png() -> bytes:
    img = Image.new("RGB", (360, 240), "white")
    draw = ImageDraw.Draw(img)
    for n, value in enumerate((72, 80, 86, 91)):
        draw.rectangle([40 + n * 80, 220 - value * 2, 90 + n * 80, 220], fill=(30, 90, 170))
    draw.line([30, 220, 350, 220], fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _zip(members: dict[str, str]) -> bytes:
    """A zip with fixed dates and order: the same bytes on every run."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=(2021, 3, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _run(text: str, font: str, half_points: int, bold: bool = False) -> str:
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
    weight = "<w:b/>" if bold else ""
    return (f"<w:r><w:rPr>{fonts}{weight}<w:sz w:val=\"{half_points}\"/></w:rPr>"
            f"<w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r>")


def word_docx(title: str, paragraphs: list[str], table: list[list[str]]) -> bytes:
    """A Word document as a 公文 is written: the title in 方正小标宋简体 (二号), the text
    in 仿宋_GB2312 (三号), and a table. Written by hand (the OOXML a minimal .docx needs),
    so no Word and no extra package is needed to make it."""
    body = [f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{_run(title, "方正小标宋简体", 44)}'
            "</w:p>"]
    body += [f'<w:p><w:pPr><w:ind w:firstLine="640"/></w:pPr>{_run(p, "仿宋_GB2312", 32)}'
             "</w:p>" for p in paragraphs]
    rows = "".join("<w:tr>" + "".join(
        f"<w:tc><w:p>{_run(cell, '仿宋_GB2312', 28)}</w:p></w:tc>" for cell in row) + "</w:tr>"
        for row in table)
    border = "".join(f'<w:{side} w:val="single" w:sz="4"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    body.append(f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{border}'
                f"</w:tblBorders></w:tblPr>{rows}</w:tbl><w:p/>")
    section = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" '
               'w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" '
               'w:gutter="0"/></w:sectPr>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}>'
                f"<w:body>{''.join(body)}{section}</w:body></w:document>")
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
            f'"/word/document.xml" ContentType="{main}"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": document,
    })


def monitoring_xlsx() -> bytes:
    """A wide 统计表 (14 columns, two sheets) as units keep them in Excel or WPS 表格: without
    fitting it would print as a cascade of column pages."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": datetime(2021, 3, 1, tzinfo=timezone.utc),
                         "author": "巴中市生态环境局"})
    head = book.add_format({"bold": True, "border": 1, "font_name": "宋体", "align": "center"})
    cell = book.add_format({"border": 1, "font_name": "宋体"})
    months = [f"{m}月" for m in range(1, 13)]
    rnd = random.Random(2019)
    for year in (2019, 2020):
        sheet = book.add_worksheet(f"{year}年")
        sheet.write_row(0, 0, ["断面名称", "水质目标", *months], head)
        for r, name in enumerate(("巴河大佛寺", "巴河江陵", "通江河碧溪", "南江河元潭",
                                  "恩阳河口"), start=1):
            grades = [rnd.choice(("Ⅱ类", "Ⅲ类", "Ⅱ类")) for _ in months]
            sheet.write_row(r, 0, [name, "Ⅲ类", *grades], cell)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 13, 8)
    book.close()
    return buf.getvalue()


def photo_heic(seed: int) -> bytes:
    """An iPhone photo (HEIC), stored sideways with EXIF orientation 6 as phones do."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    img = Image.open(io.BytesIO(photo_jpeg(seed, (400, 300))))
    img = img.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, "HEIF", quality=60, exif=exif.tobytes())
    return buf.getvalue()


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def doc(issuer: str, number: str, title: str, *lines: str, pages: int = 1,
        sealed: bool = True) -> bytes:
    return official_pdf(issuer, number, title, list(lines) or ["（正文略）"], pages,
                        seal=issuer if sealed else None)


def make(out: Path) -> None:
    catalogue = load_catalogue()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    by_id = {i.id: i for i in catalogue.indicators}
    init_tree(out, catalogue, [by_id[n] for n in EXAMPLE_IDS], make_environment())

    def folder(n: int) -> Path:
        return out / folder_name(n, by_id[n].name)

    _indicator_1(folder(1))
    _indicator_8(folder(8))
    _indicator_12(folder(12))
    _indicator_13(folder(13))
    _indicator_14(folder(14))
    _indicator_28(folder(28))
    _indicator_29(folder(29))
    _indicator_30(folder(30))
    for path in sorted(HERE.glob("data/*.yaml")):
        _place_data(out, path, by_id)
    for folder in sorted(p for p in out.rglob("*") if p.is_dir()):
        if not any(folder.iterdir()):
            (folder / ".gitkeep").touch()  # git keeps no empty folders; dossier skips this


def _place_data(out: Path, src: Path, by_id: dict[int, object]) -> None:
    """data/共享数据.yaml goes to the root, data/<n>.yaml to <n>/达标说明/达标说明.yaml."""
    if not src.stem.isdigit():
        shutil.copyfile(src, out / src.name)
        return
    from dossier.schema import Indicator

    ind = by_id[int(src.stem)]
    assert isinstance(ind, Indicator)
    target = out / folder_name(ind.id, ind.name) / "达标说明" / "达标说明.yaml"
    shutil.copyfile(src, target)


EXAMPLE_IDS = (1, 8, 12, 13, 14, 28, 29, 30)
ENV = "巴中市生态环境局"
GOV = "巴中市人民政府"
HOUSING = "巴中市住房和城乡建设局"
WATER = "巴中市水利局"
FOREST = "巴中市林业局"


def _indicator_1(ind: Path) -> None:
    """Complete: both review points, long-term plan in 长期有效."""
    write(ind / "达标说明" / "生态文明建设规划指标达标说明.pdf",
          doc(ENV, "", "生态文明建设规划指标达标说明",
              "一、考核标准：制定实施生态文明建设规划。",
              "二、达标情况：2018年市人民政府印发规划并组织实施。", pages=2))
    write(ind / "直接证明材料" / "01(1)关于印发巴中市生态文明建设规划的通知.pdf",
          doc(GOV, "巴府发〔2018〕12号", "关于印发巴中市国家生态文明建设示范市规划的通知",
              "各区县人民政府，市级各部门：", "现将规划印发给你们，请认真贯彻执行。"))
    for year in (2018, 2019, 2020):
        write(ind / str(year) / f"01(1){year}年度生态文明建设工作要点.pdf",
              doc(ENV, f"巴环发〔{year}〕8号", f"{year}年度生态文明建设工作要点",
                  "一、总体要求", "二、重点任务", "三、保障措施", pages=2))
    write(ind / "2021" / "2021年一季度创建工作进展情况.pdf",
          doc(ENV, "", "2021年一季度创建工作进展情况", "一、工作开展情况"))
    write(ind / "长期有效" / "(2)巴中市国家生态文明建设示范市规划（2018—2022年）.pdf",
          doc(GOV, "", "巴中市国家生态文明建设示范市规划", "第一章 总则", "第二章 目标",
              pages=4))


def _indicator_8(ind: Path) -> None:
    """Missing 2020 policy documents; a 河长 list as a multi-page scan."""
    write(ind / "直接证明材料" / "01(2)2019年度河长制工作考核结果.pdf",
          doc("四川省河长制办公室", "川河长办〔2020〕3号", "关于2019年度河长制工作考核结果的通报",
              "巴中市：考核等次为优秀。"))
    for year in (2018, 2019):
        write(ind / str(year) / f"01(1){year}年巴中市全面落实河长制工作方案.pdf",
              doc(WATER, f"巴河长办〔{year}〕1号", f"{year}年全面落实河长制工作方案",
                  "一、工作目标", "二、主要任务"))
    frames = [Image.new("L", (210, 297), 235 - 10 * n) for n in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    write(ind / "长期有效" / "(2)巴中市各级河长名单（扫描件）.tif", buf.getvalue())
    # The clerk never converted the Word file.
    write(ind / "2020" / "01(1)2020年河长制工作总结.docx", word_docx(
        "2020年巴中市河长制工作总结",
        ["2020年，全市各级河长巡河12.6万人次，整治河湖问题1,386个，全面完成年度目标任务。",
         "一、压实河长责任。二、推进河湖治理。三、强化考核问责。"],
        [["项目", "目标", "完成"], ["巡河人次（万）", "10", "12.6"],
         ["整治问题（个）", "1,200", "1,386"]]))


def _indicator_12(ind: Path) -> None:
    """Complete, with a sideways phone photo, a multi-page result and a 目录.yaml giving
    the result's 文号, 责任者 and 日期 (the 目录 then shows those columns)."""
    write(ind / "达标说明" / "水环境质量指标达标说明.pdf",
          doc(ENV, "", "水环境质量指标达标说明", "一、考核标准", "二、达标情况", pages=2))
    write(ind / "直接证明材料" / "01(1)2018-2020年水环境质量考核结果汇总.pdf",
          doc("四川省生态环境厅", "川环函〔2021〕45号", "2018—2020年水环境质量目标考核结果",
              "巴中市：2018—2020年均完成目标任务。", pages=3))
    for year in (2018, 2019, 2020):
        write(ind / str(year) / f"01(1){year}年度水环境质量目标责任书.pdf",
              doc("四川省生态环境厅", "", f"{year}年度水环境质量目标责任书",
                  "一、目标任务", "二、考核办法"))
        write(ind / str(year) / f"02(2){year}年巴中市环境质量状况公报（水环境部分）.pdf",
              doc(ENV, "", f"{year}年巴中市环境质量状况公报",
                  "一、地表水：水质达到或优于III类比例为100%，比上年提高0个百分点；",
                  "劣V类水体比例为0%，比上年下降0个百分点。", "二、饮用水源：水质达标率100%。",
                  pages=2))
    write(ind / "2020" / "03-巴河断面现场照片.jpg",
          photo_jpeg(12, orientation=6, caption="Ba River 2020"))
    write(ind / "2021" / "2021年一季度水质通报.pdf",
          doc(ENV, "", "2021年一季度地表水水质通报",
              "国控断面水质均达到III类，优于III类比例比上年同期提高0个百分点。"))
    # kept as the units keep them: an Excel 统计表 and an iPhone photo, bound as they are
    write(ind / "2019" / "04(2)2019—2020年地表水断面水质监测统计表.xlsx", monitoring_xlsx())
    write(ind / "2021" / "2021年3月巴河断面采样现场照片.heic", photo_heic(21))
    # 目录.yaml: what the 卷内目录 says of a file when its name does not (文号, 责任者, 日期)
    (ind / "直接证明材料" / "目录.yaml").write_text(
        "01(1)2018-2020年水环境质量考核结果汇总.pdf:\n"
        "  文号: 川环函〔2021〕45号\n  责任者: 四川省生态环境厅\n  日期: 20210315\n",
        encoding="utf-8")


def _indicator_13(ind: Path) -> None:
    """2019 material filed in the 2018 folder (year mismatch), and nothing for 2020."""
    write(ind / "直接证明材料" / "01(1)2018年度四川省生态环境状况评价报告（节选）.pdf",
          doc("四川省生态环境厅", "", "2018年度四川省生态环境状况评价报告", "巴中市EI为71.2。"))
    write(ind / "2018" / "01(1)2019年度生态环境状况指数评价.pdf",
          doc(ENV, "", "2019年度生态环境状况指数评价", "巴中市EI为71.9。"))


def _indicator_14(ind: Path) -> None:
    """Complete, plus the same photo stored twice."""
    photo = photo_jpeg(14, caption="planting 2019")
    for year in (2018, 2019, 2020):
        write(ind / str(year) / f"01(1){year}年巴中市林业草原统计公报.pdf",
              doc(FOREST, "", f"{year}年巴中市林业草原统计公报", "森林覆盖率", "草地面积"))
    write(ind / "2019" / "02全民义务植树活动照片.jpg", photo)
    write(ind / "2019" / "03全民义务植树活动照片（副本）.jpg", photo)
    write(ind / "长期有效" / "林草覆盖率变化示意图.png", chart_png())


def _indicator_28(ind: Path) -> None:
    """Complete through point (1); one document is a broken download; a low-resolution
    scan."""
    write(ind / "直接证明材料" / "01(1)2018—2020年城镇污水处理考核结果.pdf",
          doc("四川省住房和城乡建设厅", "川建城函〔2021〕9号", "城镇污水处理工作考核结果",
              "巴中市2018—2020年度考核合格。"))
    # what the 公报 print; 2020's 无害化处理率 is not the 100 % that 29's 达标说明.yaml cites
    # from it (figure-not-in-evidence)
    printed = {2018: ("93.1", "100"), 2019: ("95.6", "100"), 2020: ("96.2", "98.6")}
    for year, (sewage, waste) in printed.items():
        write(ind / str(year) / f"01(1){year}年城乡建设统计公报.pdf",
              doc(HOUSING, "", f"{year}年巴中市城乡建设统计公报",
                  f"城镇污水处理率{sewage}%，城镇生活垃圾无害化处理率{waste}%。"))
    # scanned at 100 dpi by a clerk in a hurry (scan-low-resolution)
    write(ind / "2019" / "02(2)2019年巴中市污水处理厂运行台账（扫描件）.pdf", scan_pdf(100, 28))
    good = doc(HOUSING, "", "污水处理厂运行月报", "进水量", "出水水质", pages=3)
    write(ind / "2020" / "02(2)巴中市污水处理厂运行月报.pdf", good[: len(good) // 2])


def _indicator_29(ind: Path) -> None:
    """Only 2018 and 2020: the 2019 folder is empty; the 考核结果 carries no seal."""
    write(ind / "直接证明材料" / "01(1)城镇生活垃圾无害化处理考核结果.pdf",
          doc("四川省住房和城乡建设厅", "", "城镇生活垃圾无害化处理考核结果", "考核合格。",
              sealed=False))  # the clerk scanned the copy before it was sealed
    for year in (2018, 2020):
        write(ind / str(year) / f"01(2){year}年生活垃圾清运处理量统计.pdf",
              doc(HOUSING, "", f"{year}年生活垃圾清运处理量统计", "产生量", "清运量"))


def _indicator_30(ind: Path) -> None:
    """A tag (5) that the indicator does not have."""
    for year in (2018, 2019, 2020):
        write(ind / str(year) / f"01(2){year}年建成区公园绿地统计.pdf",
              doc(HOUSING, "", f"{year}年建成区公园绿地统计", "公园绿地面积"))
    write(ind / "直接证明材料" / "01(5)城市建设统计年鉴（节选）.pdf",
          doc("四川省住房和城乡建设厅", "", "城市建设统计年鉴（节选）", "人均公园绿地面积"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "materials")
    args = parser.parse_args()
    make(args.out)
    files = [p for p in args.out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    sys.stderr.write(f"wrote {len(files)} files ({size / 1024:.0f} KiB) to {args.out}\n")


if __name__ == "__main__":
    main()
