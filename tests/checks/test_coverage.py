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
    ind = catalogue.get(27)  # (2) replaces (1) and is per year
    found = list(coverage_findings(ind, (mf("2018", "(2)取水量", 27),), catalogue.settings))
    assert [f.key for f in found] == ["requirement-missing/alternative",
                                      "requirement-missing-year"]
    assert found[0].params["tag"] == "(1)" and found[0].params["alternative"] == "(2)"
    assert found[1].params["tag"] == "(2)" and found[1].params["years"] == (2019, 2020)


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
