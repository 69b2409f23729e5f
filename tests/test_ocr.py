"""dossier.ocr with the real Tesseract and its chi_sim model (`.ci/run` installs Debian's
tesseract-ocr and tesseract-ocr-chi-sim and sets DOSSIER_REQUIRE_TOOLS=1, so these tests
never skip there): scanned pages made here (a 公文 drawn by reportlab, rendered, aged, bound
as JPEG pages; a phone photo of one) get a text layer in the volume, their images untouched;
check --ocr finds a cited figure in a scan and flags one that is not there."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import ocr
from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.i18n import translator

from clirun import invoke
from makefiles import write_sealed_pdf
from sealmaker import age, render, scanned_pdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from make_materials import official_pdf

ENGINE = ocr.find_engine()
REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
pytestmark = pytest.mark.skipif(isinstance(ENGINE, ocr.Missing) and not REQUIRED,
                                reason="Tesseract with chi_sim is not installed")
LINES = ["巴中市2020年城镇污水处理率为96.2%，考核合格。", "建成区面积43.5平方公里。"]


def scan_page(seed: int = 2) -> bytes:
    """A scanned 公文 page: text that exists only as pixels."""
    import random

    pdf = official_pdf("巴中市住房和城乡建设局", "巴建发〔2020〕3号", "城镇污水处理考核结果",
                       LINES, seal="巴中市住房和城乡建设局")
    return scanned_pdf([age(render(pdf, 200), random.Random(seed), 0.2)], 200)


def materials(root: Path) -> Path:
    ind = root / "28-城镇污水处理率"
    write_sealed_pdf(ind / "达标说明" / "城镇污水处理率达标说明.pdf", "城镇污水处理率达标说明")
    for year in (2018, 2019):
        write_sealed_pdf(ind / str(year) / f"01(1){year}年城乡建设统计公报.pdf",
                         f"{year}年城乡建设统计公报")
    (ind / "2020").mkdir(parents=True)
    (ind / "2020" / "01(1)2020年城镇污水处理考核结果.pdf").write_bytes(scan_page())
    write_sealed_pdf(ind / "直接证明材料" / "01(1)考核结果.pdf", "考核结果")
    return ind


def test_the_engine_is_found_with_its_chinese_model() -> None:
    assert isinstance(ENGINE, ocr.Engine)
    assert ENGINE.languages.startswith("chi_sim") and ENGINE.version


def test_a_scanned_page_gets_a_text_layer_and_keeps_its_image(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    assert isinstance(ENGINE, ocr.Engine)
    engine = ocr.Engine(ENGINE.path, ENGINE.version, ENGINE.languages, tmp_path / "cache")
    scan = scan_page()
    writer = PdfWriter(clone_from=io.BytesIO(scan))
    writer.add_page(PdfReader(io.BytesIO(scan)).pages[0])
    writer.pages[1].rotate(90)  # a page turned by /Rotate: the layer turns with it
    image = writer.pages[0]["/Resources"]["/XObject"]
    before = [x.get_object()._data for x in image.values()]
    for page in writer.pages:
        assert ocr.image_only(page)
        read = ocr.read_page(engine, page)
        assert read is not None and "96.2" in read.text.replace(" ", "")
        ocr.add_text_layer(writer, page, read)
    out = tmp_path / "ocr.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    reader = PdfReader(out)
    for page in reader.pages:
        text = "".join(page.extract_text().split())
        assert "96.2" in text and "考核" in text
        assert not ocr.image_only(page)  # it shows text now
    after = [x.get_object()._data for x in reader.pages[0]["/Resources"]["/XObject"].values()
             if x.get_object().get("/Subtype") == "/Image"]
    assert after == before  # the image's bytes as they were
    # the layer lies where the words are: 96.2% is in the upper half of the upright page,
    # and in the right half of the page turned by 90° (its top is on the right)
    import subprocess

    boxes = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True,
                           text=True, check=True).stdout
    upright, turned = (
        next(line for line in page.splitlines() if ">96.2" in line)
        for page in boxes.split("<page ")[1:])

    def at(word: str, key: str) -> float:
        return float(word.split(f'{key}="')[1].split('"')[0])

    assert 200 < at(upright, "yMin") < 842 / 2 and 200 < at(upright, "xMin") < 420
    assert 842 / 2 < at(turned, "xMin") < 842 and 200 < at(turned, "yMin") < 420
    assert list((tmp_path / "cache" / "ocr").rglob("*.pdf"))  # cached by the page's hash


def test_build_ocr_makes_a_scanned_volume_searchable_and_rebuilds_the_same(
        tmp_path: Path) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    materials(root)
    env = {"COLUMNS": "120", "SOURCE_DATE_EPOCH": "1614556800",
           "DOSSIER_CACHE": str(tmp_path / "cache")}
    args = ["build", str(root), "-i", "28", "-o", str(out), "--volumes", "single", "--ocr"]
    result = invoke(args, env=env)
    assert result.exit_code == 0, result.output
    [volume] = out.glob("*.pdf")
    text = "".join(p.extract_text() for p in PdfReader(volume).pages).replace(" ", "")
    assert "96.2" in text and "43.5" in text
    first = volume.read_bytes()
    assert invoke([*args, "--force"], env=env).exit_code == 0
    assert volume.read_bytes() == first  # the same layer from the cache: the same bytes
    plain = invoke(["build", str(root), "-i", "28", "-o", str(tmp_path / "plain"),
                    "--volumes", "single"], env=env)
    assert plain.exit_code == 0
    [without] = (tmp_path / "plain").glob("*.pdf")
    assert "96.2" not in "".join(p.extract_text() for p in PdfReader(without).pages)


def test_check_ocr_finds_a_cited_figure_in_a_scan_and_flags_an_absent_one(
        tree: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    ind = materials(tree)
    (ind / "达标说明" / "达标说明.yaml").write_text(
        "年度:\n  2020:\n    指标值:\n"
        "      城镇污水处理率: {数值: 96.2, 单位: '%', 来源: 2020年城镇污水处理考核结果}\n"
        "    相关数据:\n"
        "      建成区面积: {数值: 44.1, 单位: 平方公里, 来源: 2020年城镇污水处理考核结果}\n",
        encoding="utf-8")
    without = check(tree, catalogue, indicators=[28], cache_dir=tmp_path / "c")
    assert {f.code for f in without.report.findings if f.code.startswith("figure-")} == {
        "figure-evidence-unreadable"}
    result = check(tree, catalogue, indicators=[28], cache_dir=tmp_path / "c", ocr=True)
    found = [f for f in result.report.findings if f.code.startswith("figure-")]
    assert [(f.code, f.params["figure"]) for f in found] == [
        ("figure-not-in-evidence", "建成区面积")]  # 96.2 is read in the scan; 44.1 is not
    text = translator("zh").render(found[0].message)
    assert "44.1" in text and "2020年城镇污水处理考核结果.pdf" in text


def test_without_tesseract_check_says_how_to_install_it_and_build_refuses(
        tree: Path, catalogue: Catalogue, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    materials(tree)
    monkeypatch.setenv("DOSSIER_TESSERACT", "off")
    result = check(tree, catalogue, indicators=[28], ocr=True)
    [missing] = [f for f in result.report.findings if f.code == "ocr-unavailable"]
    text = translator("zh").render(missing.message)
    assert "Tesseract" in text and "tesseract-ocr-chi-sim" in text
    built = invoke(["build", str(tree), "-i", "28", "-o", str(tmp_path / "o"), "--ocr"],
                   env={"COLUMNS": "200", "DOSSIER_TESSERACT": "off"})
    assert built.exit_code == 2 and "tesseract-ocr-chi-sim" in built.stderr
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.pdf"))


def test_a_page_tesseract_cannot_read_is_bound_without_a_layer_said_and_tried_again(
        tmp_path: Path) -> None:
    assert isinstance(ENGINE, ocr.Engine)
    works = tmp_path / "works"  # once this file exists, the real Tesseract reads the pages
    fake = tmp_path / "tesseract"  # knows its version and languages, then fails on a page
    fake.write_text("#!/bin/sh\ncase \"$1\" in\n  --version) echo 'tesseract 5.3.0';;\n"
                    "  --list-langs) printf 'List of available languages\\nchi_sim\\neng\\n';;\n"
                    f"  *) [ -f '{works}' ] && exec '{ENGINE.path}' \"$@\"\n"
                    "     echo 'Error: cannot read' >&2; exit 1;;\nesac\n", encoding="utf-8")
    fake.chmod(0o755)
    root, out = tmp_path / "m", tmp_path / "out"
    materials(root)
    args = ["build", str(root), "-i", "28", "-o", str(out), "--volumes", "single", "--ocr"]
    env = {"COLUMNS": "200", "DOSSIER_TESSERACT": str(fake),
           "DOSSIER_CACHE": str(tmp_path / "cache")}
    result = invoke(args, env=env)
    assert result.exit_code == 0, result.output
    assert "第 1 页 Tesseract 未能识别" in result.output  # the page of the scanned file
    [volume] = out.glob("*.pdf")
    assert "96.2" not in "".join(p.extract_text() for p in PdfReader(volume).pages)
    # the volume is not up to date while pages lack their layer: the next build tries again
    works.touch()
    again = invoke(args, env=env)
    assert again.exit_code == 0 and "未能识别" not in again.output, again.output
    assert "96.2" in "".join(p.extract_text() for p in PdfReader(volume).pages)
    assert "已是最新" in invoke(args, env=env).output


def test_a_layer_is_laid_after_the_page_number_and_changes_no_shared_stream(
        tmp_path: Path) -> None:
    """Two pages that share one content stream and one resource dictionary (as some
    scanner software writes a repeated page) each get their own layer, once; the page
    number is placed as it is without --ocr."""
    import subprocess

    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    scan = PdfReader(io.BytesIO(scan_page()))
    writer = PdfWriter()
    first = writer.add_page(scan.pages[0])
    second = writer.add_blank_page(float(first.mediabox.width), float(first.mediabox.height))
    second[NameObject("/Contents")] = first.raw_get("/Contents")
    second[NameObject("/Resources")] = first.raw_get("/Resources")
    shared = tmp_path / "shared.pdf"
    with shared.open("wb") as fh:
        writer.write(fh)
    root = tmp_path / "m"
    ind = materials(root)
    (ind / "2020" / "01(1)2020年城镇污水处理考核结果.pdf").write_bytes(shared.read_bytes())
    env = {"COLUMNS": "200", "SOURCE_DATE_EPOCH": "1614556800",
           "DOSSIER_CACHE": str(tmp_path / "cache")}
    volumes = {}
    for name, extra in (("plain", []), ("ocr", ["--ocr"])):
        result = invoke(["build", str(root), "-i", "28", "-o", str(tmp_path / name),
                         "--volumes", "single", *extra], env=env)
        assert result.exit_code == 0, result.output
        [volumes[name]] = (tmp_path / name).glob("*.pdf")
    plain, searchable = PdfReader(volumes["plain"]), PdfReader(volumes["ocr"])
    pages = [n for n, page in enumerate(searchable.pages)
             if "/DossierOCR" in (page["/Resources"].get("/XObject") or {})]
    assert len(pages) == 2
    for n in pages:
        text = subprocess.run(["pdftotext", "-f", str(n + 1), "-l", str(n + 1),
                               str(volumes["ocr"]), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.count("96.2") == 1  # its own layer, and only that

        def streams(reader: PdfReader) -> list[bytes]:
            contents = reader.pages[n].get_object()["/Contents"]  # noqa: B023
            return [c.get_object().get_data() for c in contents]

        # the page number's stream is the same as without --ocr: it saw the same scan
        assert set(streams(plain)) <= set(streams(searchable))
