"""dossier.office: real documents converted by LibreOffice, read back; a hung conversion
killed; a broken one a clear error; the cache making a rebuild convert nothing.

Needs LibreOffice; `.ci/run` installs it and sets DOSSIER_REQUIRE_TOOLS=1, so these tests
run there, never skipped."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import office, tools
from dossier.cache import Cache

REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
FOUND = tools.find(tools.LIBREOFFICE)
needs_soffice = pytest.mark.skipif(FOUND is None and not REQUIRED,
                                   reason="LibreOffice not installed")


def _make(tmp_path: Path, suffix: str, filter_name: str, html: str) -> Path:
    """A real document of this kind, made by LibreOffice itself from HTML."""
    assert FOUND is not None
    source = tmp_path / "src.html"
    source.write_text(f"<html><meta charset='utf-8'><body>{html}</body></html>",
                      encoding="utf-8")
    ran = tools.run([str(FOUND.path), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                     "--headless", "--convert-to", f"{suffix[1:]}:{filter_name}", "--outdir",
                     str(tmp_path), str(source)], timeout=120)
    made = tmp_path / f"src{suffix}"
    assert made.is_file(), ran
    return made


TEXT = ("<h1>巴中市2019年水环境质量报告</h1>"
        "<table border=1><tr><td>断面</td><td>达标</td></tr></table>")


@needs_soffice
@pytest.mark.parametrize(("suffix", "filter_name"), [(".docx", "MS Word 2007 XML"),
                                                     (".doc", "MS Word 97"),
                                                     (".rtf", "Rich Text Format")])
def test_word_documents_become_pages_with_their_text(tmp_path: Path, suffix: str,
                                                     filter_name: str) -> None:
    assert FOUND is not None
    document = _make(tmp_path, suffix, filter_name, TEXT)
    before = document.read_bytes()
    pdf = office.convert(document, FOUND)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace(" ", "")
    assert "巴中市2019年水环境质量报告" in text and "断面" in text
    assert document.read_bytes() == before  # the source is never touched
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted(
        ["src.html", f"src{suffix}"])  # nothing written beside it


@needs_soffice
def test_the_cache_converts_once_and_keeps_the_bytes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert FOUND is not None
    document = _make(tmp_path, ".docx", "MS Word 2007 XML", TEXT)
    cache = Cache("convert", tmp_path / "cache")
    first = office.to_pdf(document, FOUND, cache)

    def refuse(*args: object, **kw: object) -> bytes:
        raise AssertionError("converted again")

    monkeypatch.setattr(office, "convert", refuse)
    assert office.to_pdf(document, FOUND, cache) == first  # byte-identical, from the cache


@needs_soffice
def test_a_broken_document_is_a_clear_error(tmp_path: Path) -> None:
    assert FOUND is not None
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(office.ConversionError) as caught:
        office.convert(broken, FOUND, timeout=120)
    assert caught.value.reason.key == "convert-failed"


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a POSIX shell script")
def test_a_hung_conversion_is_stopped(tmp_path: Path) -> None:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\nsleep 60\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    found = tools.Found(tools.LIBREOFFICE, script, "0")
    document = tmp_path / "a.docx"
    document.write_bytes(b"PK\x03\x04")
    with pytest.raises(office.ConversionError) as caught:
        office.convert(document, found, timeout=1)
    assert caught.value.reason.key == "convert-timeout"
    assert caught.value.reason.params["seconds"] == "1"


@needs_soffice
@pytest.mark.parametrize(("suffix", "filter_name", "kind"), [
    (".docx", "MS Word 2007 XML", "word"), (".doc", "MS Word 97", "word"),
    (".rtf", "Rich Text Format", "word"), (".odt", "writer8", "word")])
def test_documents_are_known_by_their_content(tmp_path: Path, suffix: str, filter_name: str,
                                              kind: str) -> None:
    document = _make(tmp_path, suffix, filter_name, TEXT)
    assert office.sniff(document) == kind
    renamed = document.rename(tmp_path / "看似PDF.pdf")  # a .docx renamed .pdf is a docx
    assert office.sniff(renamed) == kind


@needs_soffice
def test_spreadsheets_are_known_by_their_content(tmp_path: Path) -> None:
    assert FOUND is not None
    source = tmp_path / "t.csv"
    source.write_text("断面,达标\n巴河,是\n", encoding="utf-8")
    for suffix, filter_name in ((".xlsx", "Calc MS Excel 2007 XML"), (".xls", "MS Excel 97"),
                                (".ods", "calc8")):
        ran = tools.run([str(FOUND.path), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                         "--headless", "--convert-to", f"{suffix[1:]}:{filter_name}",
                         "--outdir", str(tmp_path), str(source)], timeout=120)
        made = tmp_path / f"t{suffix}"
        assert made.is_file(), ran
        assert office.sniff(made) == "spreadsheet", suffix


def test_ofd_and_other_content(tmp_path: Path) -> None:
    import zipfile

    ofd = tmp_path / "发票.zip"  # an OFD e-invoice, whatever it is named
    with zipfile.ZipFile(ofd, "w") as zf:
        zf.writestr("OFD.xml", "<ofd:OFD/>")
        zf.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    assert office.sniff(ofd) == "ofd"
    plain = tmp_path / "a.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "x")
    assert office.sniff(plain) is None
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04garbage")
    assert office.sniff(tmp_path / "broken.docx") is None
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    assert office.sniff(tmp_path / "a.pdf") is None
    assert office.sniff(tmp_path / "missing.doc") is None


def test_fit_sheet_sets_one_page_wide_and_keeps_the_rest() -> None:
    ns = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    data = b"<sheetData><row r=\"1\"><c r=\"A1\"/></row></sheetData>"
    wide = b'<dimension ref="A1:X61"/>'
    cases = [
        ns + b'<sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr>' + wide
        + data
        + b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
          b'footer="0.3"/><pageSetup paperSize="9" orientation="portrait"/></worksheet>',
        ns + b'<sheetPr codeName="Sheet1"/>' + wide + data
        + b"<drawing r:id=\"rId1\"/></worksheet>",
        ns + data + b"</worksheet>",
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<x:sheetData/></x:worksheet>",
    ]
    import re

    for xml in cases:
        fitted = office.fit_sheet(xml)
        prefix = b"x:" if b"<x:worksheet" in xml else b""
        assert re.search(rb"<" + prefix + rb'pageSetUpPr[^>]*fitToPage="1"', fitted), fitted
        setup = re.search(rb"<" + prefix + rb"pageSetup\b[^>]*>", fitted)
        assert setup is not None
        for attr in (b'fitToWidth="1"', b'fitToHeight="0"', b'orientation="landscape"'):
            assert attr in setup.group(), (attr, fitted)  # wide, or no dimension given
        # order as the schema wants it: sheetPr first, pageSetup before drawing
        assert fitted.index(prefix + b"sheetPr") < fitted.index(prefix + b"sheetData")
        if b"<drawing" in fitted:
            assert fitted.index(b"pageSetup") < fitted.index(b"<drawing")
        assert data in fitted or b"<x:sheetData/>" in fitted  # the content untouched
        assert office.fit_sheet(fitted) == fitted  # fitting twice changes nothing more
        import xml.dom.minidom

        xml_doc = fitted.replace(b"r:id", b"rid")
        xml.dom.minidom.parseString(xml_doc)  # still well-formed


@needs_soffice
def test_a_wide_sheet_is_one_page_wide(tmp_path: Path) -> None:
    assert FOUND is not None
    source = tmp_path / "w.csv"
    rows = [",".join(f"第{c}列断面" for c in range(24))]
    rows += [",".join(f"巴河{r}-{c}" for c in range(24)) for r in range(30)]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    tools.run([str(FOUND.path), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
               "--headless", "--infilter=CSV:44,34,76", "--convert-to",
               "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path), str(source)],
              timeout=120)  # 76: the CSV is UTF-8
    workbook = tmp_path / "w.xlsx"
    plain = tmp_path / "plain.ods"  # the same sheet without our fitting: a cascade of pages
    tools.run([str(FOUND.path), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
               "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "plain"),
               str(workbook)], timeout=120)
    cascade = len(PdfReader(tmp_path / "plain" / "w.pdf").pages)
    fitted = PdfReader(io.BytesIO(office.convert(workbook, FOUND)))
    assert cascade > 1 and len(fitted.pages) == 1
    box = fitted.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert "巴河29-23" in fitted.pages[0].extract_text().replace(" ", "")
    assert not plain.exists()
    # an old .xls (and WPS .et, .ods) is made an .xlsx first, and fitted the same way
    for suffix, filter_name in ((".xls", "MS Excel 97"), (".ods", "calc8")):
        tools.run([str(FOUND.path), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                   "--headless", "--convert-to", f"{suffix[1:]}:{filter_name}", "--outdir",
                   str(tmp_path / "old"), str(workbook)], timeout=120)
        old = tmp_path / "old" / f"w{suffix}"
        assert old.is_file()
        # with a font replacement table too (the fitting step's profile is reused)
        table = (("仿宋_GB2312", "WenQuanYi Micro Hei"),)
        fitted = PdfReader(io.BytesIO(office.converted(old, FOUND, fonts=table).pdf))
        assert len(fitted.pages) == 1, suffix
        assert "巴河29-23" in fitted.pages[0].extract_text().replace(" ", "")
        et = tmp_path / "old" / "w.et"  # WPS 表格 saves BIFF8 under .et
        if suffix == ".xls":
            et.write_bytes(old.read_bytes())
            assert len(PdfReader(io.BytesIO(office.convert(et, FOUND))).pages) == 1



def test_fit_sheet_leaves_views_narrow_sheets_and_the_authors_fit() -> None:
    ns = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    view = (b'<customSheetViews><customSheetView guid="{1}"><pageMargins left="1" right="1" '
            b'top="1" bottom="1" header="0" footer="0"/><pageSetup orientation="portrait"/>'
            b"</customSheetView></customSheetViews>")
    xml = (ns + b'<dimension ref="A1:C9"/><sheetData/>' + view
           + b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
             b'footer="0.3"/></worksheet>')
    fitted = office.fit_sheet(xml)
    assert view in fitted  # the custom view's own setup untouched
    own = fitted[fitted.index(b"</customSheetViews>"):]
    assert b'<pageSetup paperSize="9" fitToWidth="1" fitToHeight="0"/>' in own  # narrow: portrait
    authored = (ns + b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetData/>'
                b'<pageSetup fitToWidth="2" fitToHeight="1"/></worksheet>')
    assert office.fit_sheet(authored) == authored
    rule = (ns + b"<sheetData/><conditionalFormatting><cfRule><extLst/></cfRule>"
            b"</conditionalFormatting></worksheet>")
    placed = office.fit_sheet(rule)
    assert placed.index(b"<pageSetup") > placed.index(b"</conditionalFormatting>")


def test_a_damaged_workbook_goes_to_libreoffice_as_it_is(tmp_path: Path) -> None:
    import zipfile

    bad = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>" * 10)
    raw = bytearray(bad.read_bytes())
    raw[40:60] = b"\xff" * 20  # damage the deflated data
    bad.write_bytes(bytes(raw))
    work = tmp_path / "w"
    work.mkdir()
    copy, digest = office._copy(bad, str(work), ".xlsx")  # no exception: LibreOffice says
    assert copy.read_bytes() == bytes(raw) and len(digest) == 64
