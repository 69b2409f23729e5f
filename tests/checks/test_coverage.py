from __future__ import annotations

from dossier.catalogue import Catalogue
from dossier.checks.coverage import coverage, coverage_findings, excerpt, years_covered

from makefiles import mf


def test_years_covered(catalogue: Catalogue) -> None:
    s = catalogue.settings
    assert years_covered(mf("2019", "(1)x"), s) == {2019}
    assert years_covered(mf("长期有效", "(1)x"), s) == {2018, 2019, 2020}
    assert years_covered(mf("直接证明材料", "(1)2018-2020年汇总"), s) == {2018, 2019, 2020}
    assert years_covered(mf("直接证明材料", "(1)考核结果"), s) == set()
    assert years_covered(mf("达标说明", "(1)2019年"), s) == set()


def test_explanations_and_misplaced_files_prove_nothing(catalogue: Catalogue) -> None:
    req = catalogue.get(12).requirements[0]
    files = [mf("达标说明", "(1)说明"), mf(None, "(1)散落")]
    assert coverage(req, files, catalogue.settings).files == ()


def test_non_per_year_point_needs_any_material(catalogue: Catalogue) -> None:
    ind = catalogue.get(1)  # (1), (2) are not per year
    files = (mf("直接证明材料", "(1)关于审议发布规划的文件", 1),
             mf("长期有效", "(2)生态文明建设规划", 1))
    assert list(coverage_findings(ind, files, catalogue.settings)) == []


def test_missing_years_are_named(catalogue: Catalogue) -> None:
    ind = catalogue.get(12)
    files = (mf("2018", "(1)(2)a"), mf("直接证明材料", "(1)(2)2020年b"))
    found = list(coverage_findings(ind, files, catalogue.settings, "12-水环境质量"))
    assert [f.code for f in found] == ["requirement-missing-year"] * 2
    assert [f.params["years"] for f in found] == [(2019,), (2019,)]
    assert [f.params["have"] for f in found] == [(2018, 2020), (2018, 2020)]
    assert [f.params["tag"] for f in found] == ["(1)", "(2)"]
    assert found[0].path == "12-水环境质量"


def test_alternative_partly_given(catalogue: Catalogue) -> None:
    ind = catalogue.get(27)  # (2) replaces the annual (1) and is per year
    found = list(coverage_findings(ind, (mf("2018", "(2)取水量", 27),), catalogue.settings))
    assert [f.key for f in found] == ["requirement-missing/annual-alternative",
                                      "requirement-missing-year"]
    assert found[0].params["tag"] == "(1)" and found[0].params["alternative"] == "(2)"
    assert found[1].params["tag"] == "(2)" and found[1].params["years"] == (2019, 2020)
    # a once-only point with an alternative (a catalogue may have one): the plain wording
    first, second = ind.requirements
    once = ind.model_copy(update={"requirements": (first.model_copy(update={"annual": None}),
                                                   second)})
    found = list(coverage_findings(once, (), catalogue.settings))
    assert [f.key for f in found] == ["requirement-missing/alternative"]


def test_unknown_tag(catalogue: Catalogue) -> None:
    found = list(coverage_findings(catalogue.get(12), (mf("2018", "(7)x"),), catalogue.settings))
    [unknown] = [f for f in found if f.code == "unknown-tag"]
    assert unknown.params["tag"] == "(7)" and unknown.params["tags"] == ("(1)", "(2)")
    assert unknown.params["file"] == unknown.path


def test_variants_of_a_missing_point(catalogue: Catalogue) -> None:
    s = catalogue.settings
    # 12 (1) is per year and has no alternative
    [first, *_] = coverage_findings(catalogue.get(12), (), s)
    assert first.key == "requirement-missing/per-year" and first.params["tag"] == "(1)"
    assert first.params["excerpt"] == excerpt(catalogue.get(12).requirements[0].text)
    # 1 (1) is not per year
    [first, *_] = coverage_findings(catalogue.get(1), (), s)
    assert first.key == "requirement-missing"
    # material for a per-year point, but none of it dated: the undated wording
    found = list(coverage_findings(catalogue.get(12), (mf("直接证明材料", "(1)(2)汇总"),), s))
    assert {f.key for f in found} == {"requirement-missing-year/undated"}
    assert all(f.params["have"] == () for f in found)


def test_excerpt_shortens_long_points() -> None:
    assert excerpt("短") == "短"
    long = "审" * 80
    assert excerpt(long) == "审" * 58 + "…" and len(excerpt(long)) == 59


def test_an_annual_point_needs_every_year(catalogue: Catalogue) -> None:
    """28 (1) asks for 年度考核结果 without naming a year: one file proves one year."""
    s = catalogue.settings
    ind = catalogue.get(28)
    req = ind.requirements[0]
    assert req.annual == "年度考核结果" and not req.per_year and req.yearly
    one = (mf("2018", "(1)2018年城镇污水处理考核结果", 28),)
    assert coverage(req, one, s).missing(req, s.evidence_years) == (2019, 2020)
    found = list(coverage_findings(ind, one, s, "28-城镇污水处理率"))
    assert [f.key for f in found] == ["requirement-missing-year/annual"]
    assert found[0].params["tag"] == "(1)" and found[0].params["asks"] == "年度考核结果"
    assert found[0].params["years"] == (2019, 2020) and found[0].params["have"] == (2018,)
    assert found[0].path == "28-城镇污水处理率"
    # the same point with its three years (or a file naming them) is complete
    every = tuple(mf(str(y), f"(1){y}年城镇污水处理考核结果", 28) for y in s.evidence_years)
    assert list(coverage_findings(ind, every, s)) == []
    summary = (mf("直接证明材料", "(1)2018—2020年城镇污水处理考核结果", 28),)
    assert list(coverage_findings(ind, summary, s)) == []


def test_variants_of_a_missing_annual_point(catalogue: Catalogue) -> None:
    s = catalogue.settings
    # an undated 考核结果 for 28 (1): the annual, undated wording
    undated = (mf("直接证明材料", "(1)城镇污水处理考核结果", 28),)
    [found] = coverage_findings(catalogue.get(28), undated, s)
    assert found.key == "requirement-missing-year/annual-undated"
    assert found.params["years"] == (2018, 2019, 2020) and found.params["have"] == ()
    # nothing at all for 28: (1) is annual and has the alternative (2)
    [found] = coverage_findings(catalogue.get(28), (), s)
    assert found.key == "requirement-missing/annual-alternative"
    assert (found.params["asks"], found.params["alternative"]) == ("年度考核结果", "(2)")
    # 3 (2) 有关考核结果文件: annual without an alternative; 3 (1) says 2018年—2020年
    keys = {f.params["tag"]: f.key for f in coverage_findings(catalogue.get(3), (), s)}
    assert keys == {"(1)": "requirement-missing/per-year", "(2)": "requirement-missing/annual"}
    # the per-year wording carries no `asks`
    [first, *_] = coverage_findings(catalogue.get(12), (), s)
    assert "asks" not in first.params


def test_an_annual_alternative_is_checked_per_year(catalogue: Catalogue) -> None:
    """26 (2) replaces the per-year (1) with 环境统计数据, made each year."""
    s = catalogue.settings
    ind = catalogue.get(26)
    found = list(coverage_findings(ind, (mf("2019", "(2)2019年环境统计数据", 26),), s))
    assert [f.key for f in found] == ["requirement-missing/per-year-alternative",
                                      "requirement-missing-year/annual"]
    assert found[1].params["tag"] == "(2)" and found[1].params["years"] == (2018, 2020)
    every = tuple(mf(str(y), f"(2){y}年环境统计数据", 26) for y in s.evidence_years)
    [by] = coverage_findings(ind, every, s)
    assert by.code == "requirement-by-alternative" and by.params["alternative"] == "(2)"


def test_long_term_material_covers_an_annual_point_as_any_yearly_one(
        catalogue: Catalogue) -> None:
    s = catalogue.settings
    ind = catalogue.get(11)  # (1) 年度考核结果, (2) says 2018年—2020年
    files = (mf("长期有效", "(1)(2)空气质量考核", 11),)
    assert list(coverage_findings(ind, files, s)) == []
