"""Office documents and HEIC photos bound without a manual export: `dossier check` and
`dossier build` through LibreOffice, read back with pypdf and rendered with pdftoppm.

Needs LibreOffice; `.ci/run` installs it and sets DOSSIER_REQUIRE_TOOLS=1, so these tests
run there, never skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.fonts import FontChoice, choose
from dossier.options import BuildOptions
from officemaker import (
    FOUND,
    conversions,
    monitoring_xlsx,
    photo_heic,
    spy_soffice,
    write_docx,
)

from clirun import invoke
from makefiles import write_pdf

REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
pytestmark = pytest.mark.skipif(FOUND is None and not REQUIRED,
                                reason="LibreOffice not installed")
OPTS = BuildOptions(date="2021年3月", epoch=1614556800, volumes="by-year")


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def office_tree(root: Path) -> Path:
    """Indicator 8 with a Word report in 2020, a wide two-sheet workbook in 2019, an iPhone
    photo in 2021 and PDFs elsewhere."""
    ind = root / "08-河长制"
    write_pdf(ind / "达标说明" / "河长制达标说明.pdf", 1, "expl")
    write_pdf(ind / "直接证明材料" / "01(1)考核结果.pdf", 1, "direct")
    write_pdf(ind / "2018" / "01(1)2018年工作总结.pdf", 1, "y2018")
    write_docx(ind / "2020" / "01(1)2020年河长制工作总结.docx", "2020年巴中市河长制工作总结",
               "全市各级河长巡河12.6万人次，整治河湖问题1386个。")
    (ind / "2019").mkdir(parents=True, exist_ok=True)
    (ind / "2019" / "02(2)断面水质监测统计表.xlsx").write_bytes(monitoring_xlsx())
    (ind / "2021").mkdir(parents=True, exist_ok=True)
    (ind / "2021" / "巴河采样现场照片.heic").write_bytes(photo_heic(21))
    return ind


def run(root: Path, out: Path, catalogue: Catalogue, font: FontChoice,
        options: BuildOptions = OPTS, **kw: object) -> list:  # type: ignore[type-arg]
    cache = kw.pop("cache_dir", None)
    plans, _ = make_plan(root, out, catalogue, (8,), None, options,
                         cache_dir=cache)  # type: ignore[arg-type]
    return build(plans, root, out, font=font, cache_dir=cache, **kw)  # type: ignore[arg-type]


def _text(pdf: Path) -> str:
    return "".join(p.extract_text() for p in PdfReader(pdf).pages).replace(" ", "")


def test_word_excel_and_heic_are_bound_searchable_and_byte_identical(
        tmp_path: Path, catalogue: Catalogue, font: FontChoice,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    office_tree(root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    program, log = spy_soffice(tmp_path / "spy")
    monkeypatch.setenv("DOSSIER_SOFFICE", str(program))
    monkeypatch.setenv("DOSSIER_CACHE", str(tmp_path / "cache"))  # of this test alone
    outcomes = run(root, out, catalogue, font)
    assert {o.status for o in outcomes} == {"built"}
    assert conversions(log) == 2  # the .docx and the .xlsx, once each

    y2020 = out / "08-河长制-2020年度佐证材料.pdf"
    assert "2020年巴中市河长制工作总结" in _text(y2020)  # searchable Chinese text
    assert "巡河12.6万人次" in _text(y2020)
    y2019 = out / "08-河长制-2019年度佐证材料.pdf"
    reader = PdfReader(y2019)
    assert "巴河大佛寺" in _text(y2019) and "12月" in _text(y2019)
    # two sheets, each one page wide, in landscape: cover, 目录 and two pages
    assert len(reader.pages) == 4
    for page in reader.pages[2:]:
        assert page.mediabox.width > page.mediabox.height
    heic = PdfReader(out / "08-河长制-2021年度进度材料.pdf")
    assert len(heic.pages) == 3
    assert next(iter(heic.pages[2]["/Resources"]["/XObject"].values())).get_object()[
        "/Filter"] == "/DCTDecode"

    manifest = json.loads((out / "08-河长制-2019年度佐证材料.manifest.json").read_text("utf-8"))
    [sheet] = [s for s in manifest["sources"] if s["path"].endswith(".xlsx")]
    assert sheet["converted"]["converter"] == "LibreOffice"
    assert sheet["converted"]["version"] == FOUND.version  # type: ignore[union-attr]
    assert len(sheet["converted"]["pdf_sha256"]) == 64 and sheet["pages"] == 2
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    assert not [p for p in root.rglob("*") if p not in before and p.is_file()]

    # a forced rebuild converts nothing and gives the same bytes
    first = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    run(root, out, catalogue, font, force=True)
    assert conversions(log) == 2
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == first
    # so does an empty cache: LibreOffice's clock is taken out of its PDFs
    again = tmp_path / "again"
    run(root, again, catalogue, font, cache_dir=tmp_path / "fresh-cache", jobs=2)
    assert conversions(log) == 4
    assert {p.name: p.read_bytes() for p in again.glob("*.pdf")} == first


def test_pages_are_rendered_upright_and_readable(tmp_path: Path, catalogue: Catalogue,
                                                 font: FontChoice) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    office_tree(root)
    run(root, out, catalogue, font)
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "30", "-f", "3", "-l", "3", "-png",
                    str(out / "08-河长制-2021年度进度材料.pdf"), str(prefix)], check=True)
    [png] = tmp_path.glob("page*.png")
    page = Image.open(png).convert("RGB")
    box = Image.eval(page.convert("L"), lambda v: 255 if v < 240 else 0).getbbox()
    assert box is not None
    photo = page.crop(box)
    # the photo, stored sideways with EXIF 6, is upright and landscape: sky above, green
    # hills, water below
    w, h = photo.size
    assert w > h
    sky, water = photo.getpixel((w // 2, int(h * 0.1))), photo.getpixel((w // 2, int(h * 0.95)))
    assert sky[2] > 200 and sky[0] > 120, sky
    assert water[0] < 100 and water[2] > 130, water


def test_check_reports_pages_and_the_change_since_the_last_build(
        tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    ind = office_tree(root)
    result = invoke(["check", str(root), "-i", "8", "-f", "json", "-j", "2"])
    found = {f["path"]: f for f in json.loads(result.stdout)["findings"]
             if f["code"].startswith("office")}
    docx = "08-河长制/2020/01(1)2020年河长制工作总结.docx"
    assert found[docx]["code"] == "office-converted" and found[docx]["params"]["pages"] == 1
    assert "共 1 页" in found[docx]["message"]
    assert found["08-河长制/2019/02(2)断面水质监测统计表.xlsx"]["params"]["pages"] == 2
    run(root, out, catalogue, font)
    unchanged = invoke(["check", str(root), "-i", "8", "-f", "json"])
    assert not [f for f in json.loads(unchanged.stdout)["findings"]
                if f["code"] == "office-pages-changed"]
    # the report grows to two pages: check says so before the next build
    write_docx(ind / "2020" / "01(1)2020年河长制工作总结.docx", "2020年巴中市河长制工作总结",
               *(["全市各级河长巡河12.6万人次，整治河湖问题1386个。"] * 40))
    result = invoke(["check", str(root), "-i", "8", "-f", "json"])
    [changed] = [f for f in json.loads(result.stdout)["findings"]
                 if f["code"] == "office-pages-changed"]
    assert changed["path"] == docx and changed["params"]["before"] == 1
    assert changed["params"]["pages"] > 1 and changed["severity"] == "warning"


def test_without_libreoffice_each_document_is_one_clear_finding(
        tmp_path: Path, catalogue: Catalogue, font: FontChoice,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    office_tree(root)
    monkeypatch.setenv("DOSSIER_SOFFICE", "off")
    result = invoke(["check", str(root), "-i", "8"])
    assert result.exit_code == 1
    missing = [line for line in result.stdout.splitlines() if "office-no-converter" in line]
    assert len(missing) == 2
    assert any("2020年河长制工作总结.docx" in line and "LibreOffice" in line
               and "apt install" in line for line in missing)
    outcomes = {o.plan.volume: o for o in run(root, out, catalogue, font)}
    assert outcomes["2020"].status == "failed" and outcomes["2019"].status == "failed"
    reason = outcomes["2020"].messages[0].params["reason"]
    assert reason.key == "source-no-converter"
    assert outcomes["main"].status == "built" and outcomes["2021"].status == "built"
    # --allow-broken: a placeholder page says why
    broken = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, volumes="by-year",
                          allow_broken=True)
    done = {o.plan.volume: o for o in run(root, out, catalogue, font, options=broken)}
    assert done["2020"].status == "built"
    assert "LibreOffice" in _text(out / "08-河长制-2020年度佐证材料.pdf")


def test_mislabelled_locked_and_broken_documents(tmp_path: Path, catalogue: Catalogue,
                                                 font: FontChoice) -> None:
    import msoffcrypto.format.ooxml as ooxml

    root = tmp_path / "m"
    ind = root / "08-河长制"
    write_pdf(ind / "达标说明" / "河长制达标说明.pdf")
    write_pdf(ind / "直接证明材料" / "01(1)考核结果.pdf")
    plain = write_docx(tmp_path / "plain.docx", "河长制工作方案", "一、工作目标")
    (ind / "2018").mkdir(parents=True)
    shutil.copy(plain, ind / "2018" / "01(1)河长制工作方案.pdf")  # a Word file named .pdf
    with plain.open("rb") as fh, (ind / "2018" / "02(1)加密的方案.docx").open("wb") as locked:
        ooxml.OOXMLFile(fh).encrypt("secret", locked)
    (ind / "2018" / "03(1)损坏的方案.docx").write_bytes(plain.read_bytes()[:300])
    result = invoke(["check", str(root), "-i", "8", "-f", "json"])
    by_path = {(f["path"].rsplit("/", 1)[-1], f["code"]): f
               for f in json.loads(result.stdout)["findings"]}
    renamed = by_path[("01(1)河长制工作方案.pdf", "mislabelled-document")]
    assert renamed["key"] == "mislabelled-document/office" and renamed["severity"] == "warning"
    assert by_path[("01(1)河长制工作方案.pdf", "office-converted")]["params"]["pages"] == 1
    locked_finding = by_path[("02(1)加密的方案.docx", "office-convert-failed")]
    assert "密码" in locked_finding["message"]
    assert ("03(1)损坏的方案.docx", "office-convert-failed") in by_path
    # the renamed one is bound, as Word
    out = tmp_path / "out"
    broken = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, volumes="by-year",
                          allow_broken=True)
    outcomes = {o.plan.volume: o for o in run(root, out, catalogue, font, options=broken)}
    assert outcomes["2018"].status == "built"
    assert "河长制工作方案" in _text(out / "08-河长制-2018年度佐证材料.pdf")
    note = outcomes["2018"].messages[0]
    assert note.key == "build-placeholders" and len(note.params["files"]) == 2


def test_damaged_packages_are_findings_not_tracebacks(tmp_path: Path, catalogue: Catalogue,
                                                      font: FontChoice) -> None:
    """A .docx whose document.xml no longer inflates, an .ods (no xl/workbook.xml), a
    damaged zip named .pdf: each a finding naming it; the build goes on."""
    import zipfile
    import zlib

    root = tmp_path / "m"
    ind = root / "08-河长制"
    write_pdf(ind / "达标说明" / "河长制达标说明.pdf")
    write_pdf(ind / "直接证明材料" / "01(1)考核结果.pdf")
    good = write_docx(tmp_path / "good.docx", "河长制工作方案", "一、工作目标")
    damaged = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename)
    damaged[start + 5: start + 25] = b"\xff" * 20  # the deflated data, not the headers
    (ind / "2018").mkdir(parents=True)
    (ind / "2018" / "01(1)损坏的方案.docx").write_bytes(bytes(damaged))
    with pytest.raises((zlib.error, zipfile.BadZipFile)), zipfile.ZipFile(
            ind / "2018" / "01(1)损坏的方案.docx") as zf:
        zf.read("word/document.xml")
    (ind / "2018" / "02(1)下载的文件.pdf").write_bytes(bytes(damaged))  # a zip named .pdf
    (ind / "2019").mkdir()
    (ind / "2019" / "表.ods").write_bytes(_ods(tmp_path))
    result = invoke(["check", str(root), "-i", "8", "-f", "json"])
    assert result.exit_code == 1, result.output
    codes = {(f["path"].rsplit("/", 1)[-1], f["code"])
             for f in json.loads(result.stdout)["findings"]}
    assert ("表.ods", "office-converted") in codes
    assert any(name == "01(1)损坏的方案.docx" and code in ("office-convert-failed",
                                                           "office-converted")
               for name, code in codes)
    assert any(name == "02(1)下载的文件.pdf" for name, _ in codes)
    broken = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, volumes="by-year",
                          allow_broken=True)
    outcomes = {o.plan.volume: o.status for o in run(root, tmp_path / "out", catalogue, font,
                                                     options=broken)}
    assert set(outcomes.values()) == {"built"}, outcomes


def _ods(tmp_path: Path) -> bytes:
    """A real OpenDocument spreadsheet, made by LibreOffice from an .xlsx."""
    book = tmp_path / "book.xlsx"
    book.write_bytes(monitoring_xlsx())
    assert FOUND is not None
    subprocess.run([str(FOUND.path), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "ods", "--outdir", str(tmp_path / "ods"),
                    str(book)], check=True, capture_output=True, timeout=120)
    return (tmp_path / "ods" / "book.ods").read_bytes()
