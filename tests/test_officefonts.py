"""dossier.officefonts: the fonts a document asks for, the ones this machine lacks, and
LibreOffice's replacement table making it use a font of the same style; dossier.sheetwidth:
a sheet too wide to read once fitted to the page width."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import office, officefonts
from dossier.officefonts import Installed
from dossier.sheetwidth import scale, wide_sheets
from officemaker import FOUND, word_docx

from clirun import invoke
from fontmaker import make_font
from makefiles import write_pdf

REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
needs_soffice = pytest.mark.skipif(FOUND is None and not REQUIRED,
                                   reason="LibreOffice not installed")


def test_a_documents_fonts_are_read_from_its_xml(tmp_path: Path) -> None:
    docx = tmp_path / "a.docx"
    docx.write_bytes(word_docx("标题", ["正文"], [["a", "b"]]))
    assert officefonts.declared(docx) == ("方正小标宋简体", "仿宋_GB2312")
    assert officefonts.declared(tmp_path / "missing.docx") == ()
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert officefonts.declared(tmp_path / "old.doc") == ()  # binary: not read


def test_missing_fonts_and_their_stand_ins() -> None:
    have = Installed(frozenset(officefonts.key(n) for n in
                               ("仿宋", "FangSong", "Noto Serif CJK SC", "WenQuanYi Micro Hei")))
    pairs = dict(officefonts.replacements(have))
    assert pairs["仿宋_GB2312"] == "仿宋"  # the same font under another name first
    assert pairs["方正小标宋简体"] == "Noto Serif CJK SC"  # a 宋体 style, not a 黑体
    assert pairs["黑体"] == "WenQuanYi Micro Hei"
    assert "仿宋" not in pairs  # installed: nothing to replace
    assert officefonts.replacements(Installed(frozenset(), known=False)) == ()
    # what the PDF holds counts: a font found there or a metric-compatible one is not missing
    assert officefonts.missing(["仿宋_GB2312", "Times New Roman", "黑体"],
                               ["FangSong_GB2312", "LiberationSerif"], Installed(
                                   frozenset(), known=False)) == ("黑体",)
    assert officefonts.chinese("仿宋_GB2312") and officefonts.chinese("FangSong_GB2312")
    assert not officefonts.chinese("Times New Roman")


def test_the_replacement_table_is_valid_libreoffice_registry() -> None:
    import xml.dom.minidom

    text = officefonts.registry([("仿宋_GB2312", "仿宋"), ("A&B", "C<D")])
    dom = xml.dom.minidom.parseString(text.encode("utf-8"))
    values = [v.firstChild.data for v in dom.getElementsByTagName("value")]
    assert values[0] == "true" and "仿宋_GB2312" in values and "C<D" in values


def test_pdf_font_names_lose_their_subset_tag() -> None:
    pdf = b"<< /Type /Font /BaseFont /ABCDEF+FangSong_GB2312 >> << /BaseFont /Dejavu#20Sans >>"
    assert officefonts.pdf_fonts(pdf) == ("FangSong_GB2312", "Dejavu Sans")


@needs_soffice
def test_a_missing_gongwen_font_is_replaced_and_reported(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """On a machine with only a 黑体, 仿宋_GB2312 text came out in it. With a 宋体-style font
    installed (here a test font named Noto Serif CJK SC, through fontconfig), the document's
    仿宋_GB2312 is set in it, and check names the missing fonts and their stand-ins."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    make_font(fonts / "serif.ttf", "河长制工作方案一二三全市巡河万人次整治问题个项目完成",
              family="Noto Serif CJK SC")
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{fonts}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>"
                    "</fontconfig>", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    have = officefonts.installed()
    assert have.has("Noto Serif CJK SC")
    document = tmp_path / "方案.docx"
    document.write_bytes(word_docx("河长制工作方案", ["全市巡河万人次"], [["项目", "完成"]]))
    pairs = tuple(p for p in officefonts.replacements(have)
                  if p[0] in officefonts.declared(document))
    assert FOUND is not None
    assert ("仿宋_GB2312", "Noto Serif CJK SC") in pairs
    pdf = office.converted(document, FOUND, fonts=pairs).pdf
    used = officefonts.pdf_fonts(pdf)
    # without the table the text is set in what fontconfig falls back to, not the serif
    plain = officefonts.pdf_fonts(office.convert(document, FOUND))
    assert any("serif" in u.lower() and "dejavu" not in u.lower() for u in used), used
    assert not any("serif" in u.lower() and "dejavu" not in u.lower() for u in plain), plain
    assert "全市巡河万人次" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace(" ", "")

    root = tmp_path / "m" / "08-河长制"
    write_pdf(root / "达标说明" / "说明.pdf")
    write_pdf(root / "直接证明材料" / "01(1)考核.pdf")
    (root / "2018").mkdir(parents=True)
    (root / "2018" / "01(1)河长制工作方案.docx").write_bytes(document.read_bytes())
    result = invoke(["check", str(tmp_path / "m"), "-i", "8", "-f", "json"])
    [found] = [f for f in json.loads(result.stdout)["findings"]
               if f["code"] == "office-font-missing"]
    assert found["key"] == "office-font-missing/replaced"
    assert set(found["params"]["fonts"]) == {"方正小标宋简体", "仿宋_GB2312"}
    assert "仿宋_GB2312 → Noto Serif CJK SC" in found["params"]["used"]
    assert "同类字体" in found["message"]


def _sheet(columns: int, width: float) -> bytes:
    last = ""
    n = columns
    while n:
        n, r = divmod(n - 1, 26)
        last = chr(65 + r) + last
    return (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{last}20"/><cols><col min="1" max="{columns}" '
            f'width="{width}" customWidth="1"/></cols><sheetData/></worksheet>').encode()


def test_a_sheet_too_wide_to_read_is_named(tmp_path: Path) -> None:
    assert scale(_sheet(14, 8)) > 1  # the example's 统计表: fits as it is
    assert scale(_sheet(40, 12)) < 0.5
    assert scale(b"<worksheet/>") is None
    book = tmp_path / "宽表.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets>'
                    '<sheet name="汇总" sheetId="1" r:id="rId1"/>'
                    '<sheet name="明细&amp;附表" sheetId="2" r:id="rId2"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships>'
                    '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
                    '<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/>'
                    "</Relationships>")
        zf.writestr("xl/worksheets/sheet1.xml", _sheet(6, 10))
        zf.writestr("xl/worksheets/sheet2.xml", _sheet(60, 10))
    [wide] = wide_sheets(book)
    assert wide.name == "明细&附表" and wide.percent < 50
    assert wide_sheets(tmp_path / "none.xlsx") == ()
