"""checks.evidence and dossier.evidence: figures of 达标说明.yaml looked for in the documents
their 来源 names (by 文号, review point or title), on real PDFs made here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.checks.evidence import Candidate, cite
from dossier.evidence import DocumentText, forms, number_pattern, number_text
from dossier.i18n import translator
from dossier.titles import Titled

from makefiles import mf

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from make_materials import official_pdf


@pytest.mark.parametrize(("value", "text", "found"), [
    (95.6, "处理率95.6%。", True), (95.6, "处理率 95.60 %", True), (95.6, "９５.６％", True),
    (95.6, "195.6", False), (95.6, "95.61", False), (95.6, "95", False),
    (100, "100%", True), (100, "为100.0%", True), (100, "1000", False),
    (100, "2100.5", False), (100, "10.05", False), (100, "100.5", False),
    (1234.5, "共1,234.5吨", True), (1234.5, "共1234.5吨", True), (0, "提高0个百分点", True),
    (0, "2018年", False), (62.3, "62.3万人", True), (-3.5, "下降-3.5%", True),
    (-3.5, "−3.5%", True), (-3.5, "单位GDP能耗下降 3.5%", True), (3.5, "增长-3.5%", False),
    (-3.5, "3.5%", False), (-3.5, "-3.51", False), (1234567, "1,234,567元", True),
    (1234.5, "共 1 234.5 吨", True), (95.6, "95. 6%", True),
    # a table row or a Chinese list keeps each of its numbers
    (100, "95 100 98.6", True), (98.6, "95 100 98.6", True), (95, "95 100 98.6", True),
    (90, "85，90，95", True), (95, "85，90，95", True), (200, "100,200,300", True),
    (0.1, "0.1", True), (0.1, "0.10000000000000001", False),
])
def test_a_figure_is_found_in_the_forms_a_report_prints_it(value: float, text: str,
                                                            found: bool) -> None:
    assert any(number_pattern(value).search(form) for form in forms(text)) is found
    assert DocumentText(("", text)).contains(value) is found


@pytest.mark.parametrize(("value", "text"), [
    (95.6, "95.6"), (100, "100"), (100.0, "100"), (-3.5, "-3.5"), (0.0001, "0.0001"),
    (1e-7, "0.0000001"), (0.1 + 0.2, "0.30000000000000004"), (1234567.0, "1234567"),
    (-0.0, "0"),
])
def test_a_figure_is_written_as_given_without_rounding(value: float, text: str) -> None:
    assert number_text(value) == text


def candidate(stem: str, title: str, number: str = "", years: tuple[int, ...] = (2019,),
              section: str = "2019") -> Candidate:
    return Candidate(mf(section, stem, 28), Titled(title=title, number=number, own=title),
                     frozenset(years))


def test_a_source_names_documents_by_number_review_point_or_title() -> None:
    docs = [candidate("01(1)2019年城乡建设统计公报", "2019年巴中市城乡建设统计公报"),
            candidate("02(2)运行台账", "污水处理厂运行台账"),
            candidate("03(1)考核结果", "考核结果", number="川建城函〔2021〕9号",
                      years=(2018, 2019, 2020), section="直接证明材料"),
            candidate("01(1)2018年城乡建设统计公报", "2018年巴中市城乡建设统计公报",
                      years=(2018,), section="2018")]

    def names(source: str, year: int = 2019) -> list[str]:
        return [c.titled.title for c in cite(source, year, docs)]

    assert names("川建城函[2021]9号") == ["考核结果"]
    assert names("审核要点(2)") == ["污水处理厂运行台账"]
    assert names("（2）") == ["污水处理厂运行台账"]
    assert names("要点2", 2018) == []  # no (2) file is evidence for 2018
    assert names("2019年四川省城乡建设统计公报") == ["2019年巴中市城乡建设统计公报"]
    assert names("《2018年巴中市城乡建设统计公报》", 2018) == ["2018年巴中市城乡建设统计公报"]
    assert names("环卫部门测算") == []


def test_a_short_title_inside_a_long_source_names_nothing() -> None:
    docs = [candidate("03(1)考核结果", "考核结果", section="直接证明材料"),
            candidate("01(1)运行台账", "运行台账")]
    assert cite("四川省住房和城乡建设厅关于2019年度城镇污水处理工作考核结果的通报及附表",
                2019, docs) == []
    # a title that is a fair share of the 来源, or long enough, is still named by it
    assert [c.titled.title for c in cite("考核结果通报", 2019, docs)] == ["考核结果"]
    long = candidate("02(1)城镇污水处理厂运行台账", "城镇污水处理厂运行台账")
    assert cite("巴中市2019年度各县区城镇污水处理厂运行台账汇编及说明材料", 2019, [long]) == [long]


def test_of_files_named_alike_those_for_the_figures_year_are_kept() -> None:
    for_2018 = candidate("01(1)运行台账", "污水处理厂运行台账", years=(2018,), section="2018")
    for_2019 = candidate("01(1)运行台账", "污水处理厂运行台账", years=(2019,))
    assert cite("污水处理厂运行台账", 2019, [for_2018, for_2019]) == [for_2019]
    assert cite("污水处理厂运行台账", 2018, [for_2018, for_2019]) == [for_2018]
    # no file for the year: the ones named are kept
    assert cite("污水处理厂运行台账", 2020, [for_2018, for_2019]) == [for_2018, for_2019]


def write_doc(path: Path, title: str, *lines: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(official_pdf("巴中市住房和城乡建设局", "", title, list(lines),
                                  seal="巴中市住房和城乡建设局"))


def tree_28(root: Path, printed: dict[int, str], source: str = "{year}年城乡建设统计公报",
            ) -> Path:
    ind = root / "28-城镇污水处理率"
    for year, value in printed.items():
        write_doc(ind / str(year) / f"01(1){year}年城乡建设统计公报.pdf",
                  f"{year}年巴中市城乡建设统计公报", f"城镇污水处理率{value}%。")
    lines = ["年度:"]
    for year in printed:
        lines += [f"  {year}:", "    指标值:",
                  f"      城镇污水处理率: {{数值: 95.6, 单位: '%', 来源: "
                  f"{source.format(year=year)}}}"]
    (ind / "达标说明").mkdir(parents=True, exist_ok=True)
    (ind / "达标说明" / "达标说明.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ind


def evidence(result) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [f for f in result.report.findings if f.code.startswith("figure-") and
            f.code != "figure-mismatch"]


def test_check_warns_of_a_figure_its_evidence_lacks(tree: Path, catalogue: Catalogue) -> None:
    tree_28(tree, {2018: "95.6", 2019: "95.60", 2020: "96.2"})
    result = check(tree, catalogue, indicators=[28])
    [found] = evidence(result)
    assert found.code == "figure-not-in-evidence" and found.severity.value == "warning"
    assert found.params["year"] == 2020 and found.params["value"] == "95.6"
    assert found.params["documents"] == ("28-城镇污水处理率/2020/01(1)2020年城乡建设统计公报.pdf",)
    text = translator("zh").render(found.message)
    assert "2020年城镇污水处理率为 95.6%" in text and "2020年城乡建设统计公报.pdf" in text
    assert "达标说明.yaml 第 " in text


def test_a_source_naming_no_bound_document_is_not_checked(tree: Path,
                                                          catalogue: Catalogue) -> None:
    tree_28(tree, {2019: "90.1"}, source="环卫部门测算")
    assert evidence(check(tree, catalogue, indicators=[28])) == []


def test_a_scan_without_text_cannot_be_checked_and_says_so(tree: Path,
                                                           catalogue: Catalogue) -> None:
    from sealmaker import scanned_pdf, seal_page

    ind = tree_28(tree, {2019: "95.6"}, source="2019年污水处理厂运行台账")
    (ind / "2019" / "02(2)2019年污水处理厂运行台账.pdf").write_bytes(
        scanned_pdf([seal_page(seal=False)]))
    [found] = evidence(check(tree, catalogue, indicators=[28]))
    assert found.code == "figure-evidence-unreadable" and found.severity.value == "info"
    assert "--ocr" in translator("zh").render(found.message)
