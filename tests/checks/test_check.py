"""check() end to end on generated trees: every finding, never just the first."""

from __future__ import annotations

import os
from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.findings import Severity
from dossier.i18n import Message

from makefiles import (
    write_encrypted_pdf,
    write_html_as_pdf,
    write_jpeg,
    write_pdf,
    write_sealed_pdf,
    write_tiff,
    write_truncated_pdf,
    write_zero_page_pdf,
)


def codes(result, indicator: int | None = 12) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    """The findings of an indicator, but the seals found (tests/test_seals.py has those)."""
    return sorted((f.code, f.path) for f in result.report.findings
                  if f.indicator == indicator and f.code != "seal-found")


def complete_12(root: Path) -> Path:
    ind = root / "12-水环境质量"
    write_sealed_pdf(ind / "达标说明" / "水环境质量达标说明.pdf", "水环境质量达标说明")
    for year in (2018, 2019, 2020):
        write_sealed_pdf(ind / str(year) / f"01(1){year}年度水环境质量考核结果.pdf",
                         f"{year}年度水环境质量考核结果")
        write_pdf(ind / str(year) / f"02(2)巴中市{year}年环境质量状况公报.pdf", text=f"b{year}")
    write_pdf(ind / "2021" / "2021年一季度水质通报.pdf", text="c")
    write_sealed_pdf(ind / "直接证明材料" / "01-考核结果汇总.pdf", "考核结果汇总")
    return ind


def test_complete_indicator_has_no_findings(tree: Path, catalogue: Catalogue) -> None:
    complete_12(tree)
    result = check(tree, catalogue, indicators=[12])
    # an empty 长期有效 is fine: it is optional; without 达标说明.yaml targets are not evaluated
    assert codes(result) == [("explanation-data-missing", "12-水环境质量")]
    assert result.files == 9 and result.pages == 9
    assert not result.report.has_errors


def test_every_bad_file_is_reported_and_the_run_goes_on(tree: Path,
                                                      catalogue: Catalogue) -> None:
    ind = complete_12(tree)
    d = ind / "长期有效"
    write_truncated_pdf(d / "截断.pdf")
    write_html_as_pdf(d / "网页.pdf")
    write_zero_page_pdf(d / "零页.pdf")
    write_encrypted_pdf(d / "加密.pdf", user_password="x")
    write_encrypted_pdf(d / "仅权限密码.pdf", user_password="")
    (d / "空.pdf").write_bytes(b"")
    (d / "表格.xlsx").write_bytes(b"PK\x03\x04")
    write_jpeg(d / "照片.jpg", orientation=6)
    write_tiff(d / "多页.tif", frames=2)
    (d / "坏图.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = check(tree, catalogue, indicators=[12])
    got = codes(result)
    base = "12-水环境质量/长期有效/"
    for code, name in [("corrupt-pdf", "截断.pdf"), ("not-a-pdf", "网页.pdf"),
                       ("empty-pdf", "零页.pdf"), ("encrypted-pdf", "加密.pdf"),
                       ("owner-password-pdf", "仅权限密码.pdf"), ("empty-file", "空.pdf"),
                       ("office-convert-failed", "表格.xlsx"), ("broken-image", "坏图.png")]:
        assert (code, base + name) in got
    by_path = {f.path: f for f in result.report.findings}
    assert by_path[base + "网页.pdf"].params["kind"] == "html"
    assert by_path[base + "表格.xlsx"].key == "office-convert-failed"  # a damaged workbook
    # every finding about one file names it in `file`, for the templates
    for name in ("截断.pdf", "网页.pdf", "零页.pdf", "加密.pdf", "空.pdf", "表格.xlsx", "坏图.png"):
        assert by_path[base + name].params["file"] == base + name
    # the good photo and TIFF are read without a problem (being flat tones made here, they
    # are blank scans: that is checks/scans.py's finding, tested in test_scanquality)
    assert [(c, p) for c, p in got if p and ("照片" in p or "多页" in p)
            and c != "scan-blank-page"] == []
    assert result.pages == 9 + 1 + 1 + 2  # good material + owner-only PDF + photo + 2 frames


def test_requirements_years_and_alternatives(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    ind = root / "28-城镇污水处理率"
    for s in ("达标说明", "直接证明材料", "2018", "2019", "2020", "2021"):
        (ind / s).mkdir(parents=True)
    # (1) missing, its alternative (2) is per year and given for 2018 and (by name) 2019
    write_pdf(ind / "2018" / "(2)2018年污水处理厂运行台账.pdf", text="1")
    write_pdf(ind / "直接证明材料" / "(2)2019年污水处理量统计.pdf", text="2")
    write_pdf(ind / "直接证明材料" / "(5)未知标记.pdf", text="3")
    result = check(root, catalogue, indicators=[28])
    found = {f.code: f for f in result.report.findings if f.indicator == 28}
    missing = found["requirement-missing"]
    assert (missing.params["tag"], missing.params["alternative"]) == ("(1)", "(2)")
    assert missing.variant == "annual-alternative"  # names the alternative (28 (1) is annual)
    per_year = found["requirement-missing-year"]
    assert per_year.params["tag"] == "(2)" and per_year.params["years"] == (2020,)
    assert per_year.params["have"] == (2018, 2019)
    assert found["unknown-tag"].params["tag"] == "(5)"
    # now complete the alternative: (1) is covered by it
    write_pdf(ind / "2020" / "(2)2020年污水处理量统计.pdf", text="4")
    result = check(root, catalogue, indicators=[28])
    got = {f.code for f in result.report.findings if f.indicator == 28}
    assert "requirement-by-alternative" in got
    assert not {"requirement-missing", "requirement-missing-year"} & got


def test_broken_material_does_not_satisfy_a_requirement(tree: Path,
                                                        catalogue: Catalogue) -> None:
    ind = complete_12(tree)
    (ind / "2019" / "02(2)巴中市2019年环境质量状况公报.pdf").unlink()
    write_truncated_pdf(ind / "2019" / "02(2)巴中市2019年环境质量状况公报.pdf")
    got = {f.code for f in check(tree, catalogue, indicators=[12]).report.findings}
    assert {"corrupt-pdf", "requirement-missing-year"} <= got


def test_long_term_covers_every_year(tree: Path, catalogue: Catalogue) -> None:
    ind = complete_12(tree)
    for year in (2018, 2019, 2020):
        (ind / str(year) / f"01(1){year}年度水环境质量考核结果.pdf").unlink()
    write_pdf(ind / "长期有效" / "(1)水环境质量目标责任书.pdf")
    got = {f.code for f in check(tree, catalogue, indicators=[12]).report.findings}
    assert "requirement-missing-year" not in got and "requirement-missing" not in got


def test_years_in_names(tree: Path, catalogue: Catalogue) -> None:
    ind = complete_12(tree)
    write_pdf(ind / "2019" / "2018年工作总结.pdf", text="x1")
    write_pdf(ind / "2019" / "巴中市规划(2018—2022年).pdf", text="x2")
    write_pdf(ind / "直接证明材料" / "2016年旧文件.pdf", text="x3")
    write_pdf(ind / "长期有效" / "2015年印发的管理办法.pdf", text="x4")
    got = codes(check(tree, catalogue, indicators=[12]))
    assert ("year-mismatch", "12-水环境质量/2019/2018年工作总结.pdf") in got
    assert ("year-out-of-range", "12-水环境质量/直接证明材料/2016年旧文件.pdf") in got
    assert not any("规划" in (p or "") or "管理办法" in (p or "") for _, p in got)


def test_duplicates_across_indicators(tree: Path, catalogue: Catalogue) -> None:
    complete_12(tree)
    a = write_pdf(tree / "12-水环境质量" / "长期有效" / "同一文件.pdf", text="same")
    other = tree / "08-河长制" / "长期有效"
    other.mkdir(parents=True)
    (other / "同一文件副本.pdf").write_bytes(a.read_bytes())
    result = check(tree, catalogue, indicators=[8, 12])
    dup = [f for f in result.report.findings if f.code == "duplicate-file"]
    assert len(dup) == 1
    # files are met in indicator order: the later one is the duplicate
    assert (dup[0].indicator, dup[0].path) == (12, "12-水环境质量/长期有效/同一文件.pdf")
    assert dup[0].params == {"file": "12-水环境质量/长期有效/同一文件.pdf",
                             "other": "08-河长制/长期有效/同一文件副本.pdf"}


def test_structure_findings(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    (root / "12-水环境质量" / "2018").mkdir(parents=True)
    (root / "12 水环境质量（旧）").mkdir()
    (root / "17-不存在的指标").mkdir()
    result = check(root, catalogue, indicators=[12, 1])
    got = {(f.code, f.indicator) for f in result.report.findings}
    assert ("missing-indicator-folder", 1) in got
    assert ("duplicate-indicator-folder", 12) in got
    assert ("unknown-indicator-folder", None) in got
    assert ("missing-section", 12) in got and ("missing-year-folder", 12) in got
    years = {f.params["section"]: (f.severity, f.key) for f in result.report.findings
             if f.code == "missing-year-folder" and f.path == "12-水环境质量"}
    assert years == {"2019": (Severity.ERROR, "missing-year-folder"),
                     "2020": (Severity.ERROR, "missing-year-folder"),
                     "2021": (Severity.WARNING, "missing-year-folder/progress")}


def test_strict_turns_warnings_into_errors(tree: Path, catalogue: Catalogue) -> None:
    ind = complete_12(tree)
    (ind / "2021" / "2021年一季度水质通报.pdf").unlink()  # empty progress folder: warning
    lenient = check(tree, catalogue, indicators=[12]).report
    assert not lenient.has_errors and lenient.count(Severity.WARNING) == 1
    strict = check(tree, catalogue, indicators=[12], strict=True).report
    assert strict.has_errors and strict.count(Severity.WARNING) == 0


def test_unit_filter_and_catalogue_warnings(tmp_path: Path, catalogue: Catalogue) -> None:
    (tmp_path / "m").mkdir()
    result = check(tmp_path / "m", catalogue, unit="市林业局")
    ids = {i.id for i in result.indicators}
    assert ids == {14, 15} | ({i.id for i in catalogue.indicators
                               if i.involves("市林业局")} - {14, 15})
    assert any(f.code == "catalogue-missing-responsible-unit" and f.indicator == 15
               for f in result.report.findings)


def test_check_never_writes(tree: Path, catalogue: Catalogue) -> None:
    complete_12(tree)
    write_truncated_pdf(tree / "12-水环境质量" / "长期有效" / "坏.pdf")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tree.rglob("*") if p.is_file()}
    os.chmod(tree, 0o555)
    try:
        check(tree, catalogue, indicators=[12])
    finally:
        os.chmod(tree, 0o755)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tree.rglob("*") if p.is_file()}
    assert before == after


def test_oddities_become_findings_with_their_wording(tmp_path: Path,
                                                     catalogue: Catalogue) -> None:
    from dossier.checks.structure import structure_findings
    from dossier.scan import MaterialsTree, Oddity

    odd = (Oddity("link-outside", "12-x/2019/a.pdf", 12, "outside", {"target": "/etc/a.pdf"}),
           Oddity("link-outside", "12-x/2019/b.pdf", 12, "broken", {"target": "/nope"}),
           Oddity("stray-year-folder", "12-x/2016", 12, params={"year": 2016}),
           Oddity("unreadable", "12-x/2018", 12, params={"errno": "EACCES",
                                                               "cause": Message("os/denied")}),
           Oddity("unknown-folder", "12-x/草稿", 12))
    found = [f for f in structure_findings(MaterialsTree(tmp_path, (), odd),
                                           [catalogue.get(12)], catalogue.settings)
             if f.path and f.path.startswith("12-x/")]
    assert [(f.key, f.path) for f in found] == [
        ("path-outside-tree", "12-x/2019/a.pdf"), ("path-outside-tree/broken", "12-x/2019/b.pdf"),
        ("unknown-folder/year", "12-x/2016"), ("unreadable-file/listing", "12-x/2018"),
        ("unknown-folder", "12-x/草稿")]
    assert found[1].params == {"target": "/nope"}
    assert found[2].params == {"year": 2016, "first": 2018, "last": 2021, "long_term": "长期有效"}
    assert found[3].params["errno"] == "EACCES"
    assert found[4].params["sections"] == ("达标说明", "直接证明材料", "2018", "2019", "2020",
                                           "2021", "长期有效")


def test_a_yaml_with_a_hidden_txt_extension(tree: Path, catalogue: Catalogue) -> None:
    (tree / "12-水环境质量" / "达标说明" / "达标说明.yaml.txt").write_text("年度: {}\n",
                                                                    encoding="utf-8")
    result = check(tree, catalogue, indicators=[12])
    [found] = [f for f in result.report.findings if f.code == "unsupported-file-type"]
    assert found.key == "unsupported-file-type/hidden-extension"
    assert found.params["name"] == "达标说明.yaml" and found.params["suffix"] == ".txt"
