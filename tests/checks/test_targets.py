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


UNMET_28 = """
年度:
  2018:
    指标值: {城镇污水处理率: {数值: 93.1, 单位: '%'}}
    未达标说明: 2018年部分乡镇污水处理厂尚在建设，已于2019年6月全部建成投运。
  2019: {指标值: {城镇污水处理率: {数值: 95, 单位: '%'}}}
  2020: {指标值: {城镇污水处理率: {数值: 96.2, 单位: '%'}}}
"""


def test_a_missed_binding_target_is_a_blocker_that_names_the_honest_way(
        tmp_path: Path, catalogue: Catalogue) -> None:
    from dossier.i18n import translator

    tree_with(tmp_path, "28-城镇污水处理率", UNMET_28.replace("    未达标说明:", "    #"))
    [unmet] = [f for f in check(tmp_path, catalogue, indicators=[28]).report.findings
               if f.code == "target-unmet"]
    assert (unmet.key, unmet.severity) == ("target-unmet", Severity.ERROR)
    text = translator("en").render(unmet.message)
    assert "未达标说明" in text and "达标理由" not in text  # not the dishonest way
    assert "未达标说明" in translator("zh").render(unmet.message)


def test_unmet_note_turns_the_error_into_an_explained_warning(tmp_path: Path,
                                                             catalogue: Catalogue) -> None:
    from dossier.status import status

    tree_with(tmp_path, "28-城镇污水处理率", UNMET_28)
    result = check(tmp_path, catalogue, indicators=[28])
    [unmet] = [f for f in result.report.findings if f.code == "target-unmet"]
    assert (unmet.key, unmet.severity) == ("target-unmet/explained", Severity.WARNING)
    assert (unmet.params["year"], unmet.params["line"]) == (2018, 4)
    assert not [f for f in result.report.findings if f.severity is Severity.ERROR
                and f.code.startswith(("target", "explanation"))]
    [data] = result.data.indicators
    assert data.result.verdict.value == "unmet"  # the verdict does not change
    assert data.explanation is not None
    note = data.explanation.year(2018)
    assert note is not None and note.unmet_note.startswith("2018年部分乡镇")
    import datetime as dt

    st = status(tmp_path, catalogue, as_of=dt.date(2021, 3, 6))
    ind = st.indicator(28)
    assert ind is not None and ind.verdict.value == "unmet"  # status counts it as 未达标


def test_unmet_reference_target_and_progress_year_are_worded_as_warnings(
        tmp_path: Path, catalogue: Catalogue) -> None:
    tree_with(tmp_path, "30-城镇人均公园绿地面积", """
年度:
  2018: {指标值: {城镇人均公园绿地面积(平方米/人): {数值: 14, 单位: 平方米/人}}}
  2019: {指标值: {城镇人均公园绿地面积(平方米/人): {数值: 15, 单位: 平方米/人}}}
  2020: {指标值: {城镇人均公园绿地面积(平方米/人): {数值: 16, 单位: 平方米/人}}}
""")
    progress = "  2021: {指标值: {城镇污水处理率: {数值: 94, 单位: '%'}}}\n"
    tree_with(tmp_path, "28-城镇污水处理率", UNMET_28 + progress)
    found = {(f.indicator, f.params["year"]): (f.key, f.severity)
             for f in check(tmp_path, catalogue, indicators=[28, 30]).report.findings
             if f.code == "target-unmet"}
    assert found == {(30, 2018): ("target-unmet/reference", Severity.WARNING),
                     (28, 2018): ("target-unmet/explained", Severity.WARNING),
                     (28, 2021): ("target-unmet/progress", Severity.WARNING)}


def test_the_units_stamped_explanation_is_named(tmp_path: Path, catalogue: Catalogue) -> None:
    tree_with(tmp_path, "28-城镇污水处理率", UNMET_28)
    ind = tmp_path / "28-城镇污水处理率" / "达标说明"
    write_pdf(ind / "城镇污水处理率指标达标情况说明（盖章）.pdf", text="stamped")
    result = check(tmp_path, catalogue, indicators=[28])
    [info] = [f for f in result.report.findings if f.code == "explanation-stamped"]
    assert (info.key, info.severity) == ("explanation-stamped", Severity.INFO)
    assert info.params["files"] == ("城镇污水处理率指标达标情况说明（盖章）.pdf",)
    assert info.path == "28-城镇污水处理率/达标说明/达标说明.yaml"
    # the data is still evaluated: the unmet target is still there, and its 未达标说明,
    # printed only in the generated explanation, must go into the stamped one
    assert [f.key for f in result.report.findings if f.code == "target-unmet"] == [
        "target-unmet/explained-stamped"]
    # declared under 盖章版: only that file, whatever its name; a wrong name is an error
    write_pdf(ind / "扫描件001.pdf", text="scan")
    (tmp_path / "28-城镇污水处理率" / "达标说明" / "达标说明.yaml").write_text(
        "盖章版: [扫描件001.pdf, 没有这个文件.pdf]\n" + UNMET_28, encoding="utf-8")
    result = check(tmp_path, catalogue, indicators=[28])
    [info] = [f for f in result.report.findings if f.code == "explanation-stamped"]
    assert info.key == "explanation-stamped/declared" and info.params["files"] == (
        "扫描件001.pdf",)
    [wrong] = [f for f in result.report.findings if f.code == "explanation-invalid"]
    assert (wrong.severity, wrong.params["line"], wrong.params["field"]) == (
        Severity.ERROR, 1, "盖章版")
    assert wrong.params["problem"].key == "explanation.stamped-not-found"
    assert wrong.params["problem"].params["name"] == "没有这个文件.pdf"


def test_an_explanation_the_stamped_scan_hides_stays_an_error(tmp_path: Path,
                                                              catalogue: Catalogue) -> None:
    """The unit binds its own stamped 达标说明: the 未达标说明 of the YAML is printed nowhere,
    so the missed 约束性 target stays an error that says where the note must go."""
    from makefiles import write_pdf

    tree_with(tmp_path, "28-城镇污水处理率", UNMET_28)
    write_pdf(tmp_path / "28-城镇污水处理率" / "达标说明" / "城镇污水处理率指标达标说明.pdf")
    result = check(tmp_path, catalogue, indicators=[28])
    [unmet] = [f for f in result.report.findings if f.code == "target-unmet"]
    assert (unmet.key, unmet.severity) == ("target-unmet/explained-stamped", Severity.ERROR)
    assert "explanation-stamped" in {f.code for f in result.report.findings}
