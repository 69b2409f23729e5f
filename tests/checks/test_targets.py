"""Target findings and verdicts through `check`, on a real tree with 达标说明.yaml."""

from __future__ import annotations

from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.findings import Severity

from explainmaker import write
from makefiles import write_pdf


def tree_with(root: Path, indicator: str, text: str) -> Path:
    write(root / indicator / "达标说明" / "达标说明.yaml", text)
    for y in (2018, 2019, 2020):
        write_pdf(root / indicator / str(y) / f"01(1){y}年公报.pdf", text=f"{indicator}{y}")
    return root


def test_unmet_binding_target_is_an_error_reference_a_warning(tmp_path: Path,
                                                              catalogue: Catalogue) -> None:
    tree_with(tmp_path, "28-城镇污水处理率", """
年度:
  2018: {指标值: {城镇污水处理率: {数值: 93.1, 单位: '%'}}}
  2019: {指标值: {城镇污水处理率: {数值: 95, 单位: '%'}}}
""")
    tree_with(tmp_path, "30-城镇人均公园绿地面积", """
年度:
  2018: {指标值: {城镇人均公园绿地面积(平方米/人): {数值: 14, 单位: 平方米/人}}}
  2019: {指标值: {城镇人均公园绿地面积(平方米/人): {数值: 15, 单位: 平方米/人}}}
  2020: {指标值: {城镇人均公园绿地面积(平方米/人): {数值: 16, 单位: 平方米/人}}}
""")
    result = check(tmp_path, catalogue, indicators=[28, 30])
    got = {(f.code, f.indicator, f.severity) for f in result.report.findings
           if f.code.startswith(("target", "explanation"))}
    assert got == {("target-unmet", 28, Severity.ERROR),
                   ("explanation-missing-year", 28, Severity.WARNING),
                   ("target-unmet", 30, Severity.WARNING)}
    unmet = next(f for f in result.report.findings if f.code == "target-unmet"
                 and f.indicator == 28)
    assert unmet.path == unmet.params["file"] == "28-城镇污水处理率/达标说明/达标说明.yaml"
    assert (unmet.params["line"], unmet.params["year"]) == (3, 2018)
    assert (unmet.params["metric"], unmet.params["attribute"]) == ("城镇污水处理率", "约束性")
    (reason,) = unmet.params["reasons"]
    assert reason.key == "reason.threshold-unmet" and reason.params["value"] == "93.1%"
    missing = next(f for f in result.report.findings if f.code == "explanation-missing-year")
    assert missing.variant == "per-year"  # 28 has review points asking for every year
    assert (missing.params["years"], missing.params["first"]) == ((2020,), 2020)
    verdicts = {d.indicator.id: d.result.verdict.value for d in result.data.indicators}
    assert verdicts == {28: "unmet", 30: "unmet"}


def test_no_data_for_a_filled_year_and_strict(tmp_path: Path, catalogue: Catalogue) -> None:
    tree_with(tmp_path, "12-水环境质量", """
年度:
  2018: {上级考核: {完成: 是}, 达标理由: 完成}
  2019: {上级考核: {完成: 是}, 达标理由: 完成}
  2020: {上级考核: {完成: 是}, 达标理由: 完成}
""")
    result = check(tmp_path, catalogue, indicators=[12])
    no_data = [f for f in result.report.findings if f.code == "target-no-data"]
    assert len(no_data) == 9  # three metrics, three years, no values
    assert all(f.severity is Severity.WARNING for f in no_data)
    # only what is lacking: the met 上级考核 is not among the reasons
    assert {tuple(r.key for r in f.params["reasons"]) for f in no_data} == {
        ("reason.no-value",)}
    strict = check(tmp_path, catalogue, indicators=[12], strict=True)
    assert all(f.severity is Severity.ERROR for f in strict.report.findings
               if f.code == "target-no-data")


def test_cross_indicator_figures_are_compared_even_when_checking_one(
        tmp_path: Path, catalogue: Catalogue) -> None:
    tree_with(tmp_path, "28-城镇污水处理率", """
年度:
  2019: {相关数据: {建成区面积: {数值: 42.6, 单位: 平方公里}}}
""")
    tree_with(tmp_path, "30-城镇人均公园绿地面积", """
年度:
  2019: {相关数据: {建成区面积: {数值: 43.6, 单位: 平方公里}}}
""")
    result = check(tmp_path, catalogue, indicators=[30])
    assert [f.indicator for f in result.report.findings if f.code == "figure-mismatch"] == [30]
    assert not any(f.code == "explanation-data-missing" for f in result.report.findings)
    assert [d.indicator.id for d in result.data.indicators] == [30]


def test_broken_shared_data_is_reported_once(tmp_path: Path, catalogue: Catalogue) -> None:
    tree_with(tmp_path, "28-城镇污水处理率", "年度: {}\n")
    write(tmp_path / "共享数据.yaml", "常住人口: [1, 2\n")
    result = check(tmp_path, catalogue, indicators=[28])
    bad = [f for f in result.report.findings if f.code == "shared-data-invalid"]
    assert len(bad) == 1 and bad[0].path == "共享数据.yaml" and bad[0].indicator is None


def test_an_indicator_without_data_is_told_where_it_goes(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    write_pdf(tmp_path / "28-城镇污水处理率" / "2018" / "01(1)公报.pdf", text="x")
    result = check(tmp_path, catalogue, indicators=[28])
    (found,) = [f for f in result.report.findings if f.code == "explanation-data-missing"]
    assert (found.indicator, found.path, found.params) == (28, "28-城镇污水处理率",
                                                           {"file": "达标说明.yaml"})
