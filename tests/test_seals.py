"""dossier.seals on real rendered pages (tests/sealmaker.py: seals drawn as a real 公章 is,
rendered by PDFium, aged with noise, blur, rotation and JPEG), and checks.seals end to end:
which documents need a seal, seal-missing and seal-found, 印章: 无需 in 目录.yaml."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from dossier import scanquality
from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.checks.seals import seal_need
from dossier.i18n import translator
from dossier.seals import find_seals, red_mask
from dossier.titles import Titled

from makefiles import mf
from sealmaker import labelled_set, render, scanned_pdf, seal_page


@pytest.fixture(scope="module")
def samples() -> list:  # type: ignore[type-arg]
    return list(labelled_set(seed=7, rounds=1))


def test_every_kind_of_seal_is_found_where_it_was_stamped(samples: list) -> None:  # type: ignore[type-arg]
    positives = [s for s in samples if s.seals]
    assert len(positives) >= 12
    for sample in positives:
        found = find_seals(sample.picture, sample.dpi)
        assert len(found) == len(sample.seals), sample.name
        for truth in sample.seals:
            assert any(math.hypot(f.x_mm - truth.x_mm, f.y_mm - truth.y_mm) < 5
                       for f in found), (sample.name, found)


def test_mastheads_rules_tables_logos_and_photos_are_not_seals(samples: list) -> None:  # type: ignore[type-arg]
    negatives = [s for s in samples if not s.seals]
    assert {s.name.rsplit("-", 1)[0] for s in negatives} >= {
        "none-masthead", "none-big-masthead", "none-red-table", "none-red-logo",
        "none-red-notes", "none-box-stamp", "none-donut", "none-photo"}
    for sample in negatives:
        assert find_seals(sample.picture, sample.dpi) == (), sample.name
        if "masthead" in sample.name:
            assert red_mask(__import__("numpy").asarray(sample.picture)).any()  # red is there


def test_a_seal_cut_by_the_page_edge_is_partial_and_its_size_is_a_seals(samples: list) -> None:  # type: ignore[type-arg]
    half = next(s for s in samples if s.name.startswith("seal-half"))
    [seal] = find_seals(half.picture, half.dpi)
    assert seal.partial
    whole = next(s for s in samples if s.name.startswith("seal-round-"))
    [seal] = find_seals(whole.picture, whole.dpi)
    assert not seal.partial and 38 <= seal.width_mm <= 46 and 38 <= seal.height_mm <= 46


def test_the_picture_may_be_of_any_resolution() -> None:
    page = render(__import__("make_materials").official_pdf(
        "巴中市水利局", "", "证明", ["兹证明。"], seal="巴中市水利局"), dpi=300)
    for dpi in (300, 100):
        picture = page.resize((round(page.width * dpi / 300), round(page.height * dpi / 300)))
        assert len(find_seals(picture, dpi)) == 1, dpi


def test_scanned_pdf_pages_are_looked_at_for_seals(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(scanned_pdf([seal_page(seal=False), seal_page(seal=True, seed=2)]))
    pages = scanquality.look_at(pdf, "pdf", seals=True)
    assert [p.seals for p in pages] == [0, 1]
    assert scanquality.sealed_pages(pages) == (1,)
    assert scanquality.sealed_pages(scanquality.look_at(pdf, "pdf")) is None  # not looked


def titled(title: str, number: str = "", seal: str = "") -> Titled:
    return Titled(title=title, number=number, own=title, seal=seal)


def test_which_documents_need_a_seal() -> None:
    f = mf("直接证明材料", "01(1)考核结果")
    assert seal_need(f, titled("2019年度河长制工作考核结果")).word == "考核结果"  # type: ignore[union-attr]
    assert seal_need(f, titled("规划", "巴府发〔2018〕12号")).variant == "number"  # type: ignore[union-attr]
    assert seal_need(f, titled("关于××情况的证明")).word == "证明"  # type: ignore[union-attr]
    assert seal_need(f, titled("河长制佐证材料汇编")) is None
    assert seal_need(f, titled("直接证明材料清单")) is None
    assert seal_need(f, titled("工作考核结果", seal="no")) is None
    assert seal_need(f, titled("现场照片", seal="yes")).variant == "listed"  # type: ignore[union-attr]
    assert seal_need(mf("达标说明", "达标说明"), titled("达标说明")).variant == "explanation"  # type: ignore[union-attr]


def test_check_warns_of_a_missing_seal_and_lists_the_sealed_pages(
        tree: Path, catalogue: Catalogue) -> None:
    direct = tree / "12-水环境质量" / "直接证明材料"
    direct.mkdir(parents=True, exist_ok=True)
    (direct / "01(1)2019年度水质考核结果.pdf").write_bytes(
        scanned_pdf([seal_page(seal=False, seed=3)]))
    (direct / "02(1)2020年度水质考核结果.pdf").write_bytes(
        scanned_pdf([seal_page(seal=False, seed=4), seal_page(seal=True, seed=5)]))
    (direct / "03(1)2018年度水质考核结果（红头，未盖章）.pdf").write_bytes(
        scanned_pdf([seal_page(seal=False, seed=6)]))
    (direct / "目录.yaml").write_text("03(1)2018年度水质考核结果（红头，未盖章）.pdf:\n"
                                      "  印章: 无需\n", encoding="utf-8")
    result = check(tree, catalogue, indicators=[12])
    seals = {(f.code, f.path.rsplit("/", 1)[-1]) for f in result.report.findings
             if f.code.startswith("seal-") and f.path}
    assert seals == {("seal-missing", "01(1)2019年度水质考核结果.pdf"),
                     ("seal-found", "02(1)2020年度水质考核结果.pdf")}
    assert result.seals["12-水环境质量/直接证明材料/02(1)2020年度水质考核结果.pdf"] == (1,)
    assert result.seals["12-水环境质量/直接证明材料/01(1)2019年度水质考核结果.pdf"] == ()
    missing = next(f for f in result.report.findings if f.code == "seal-missing")
    text = translator("zh").render(missing.message)
    assert "01(1)2019年度水质考核结果.pdf" in text and "印章: 无需" in text
    assert "目录.yaml" in text


def test_a_bad_seal_word_in_the_list_is_reported(tree: Path, catalogue: Catalogue) -> None:
    direct = tree / "12-水环境质量" / "直接证明材料"
    direct.mkdir(parents=True, exist_ok=True)
    (direct / "01(1)考核结果.pdf").write_bytes(scanned_pdf([seal_page(seal=True)]))
    (direct / "目录.yaml").write_text("01(1)考核结果.pdf:\n  印章: 也许\n", encoding="utf-8")
    result = check(tree, catalogue, indicators=[12])
    [bad] = [f for f in result.report.findings if f.code == "titles-invalid"]
    assert "也许" in translator("zh").render(bad.message)
