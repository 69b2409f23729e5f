from __future__ import annotations

from dossier.catalogue import Catalogue
from dossier.checks.coverage import coverage, coverage_findings, years_covered

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
    assert all("2019" in f.message and "2020、" not in f.message for f in found)
    assert found[0].path == "12-水环境质量"


def test_alternative_partly_given(catalogue: Catalogue) -> None:
    ind = catalogue.get(27)  # (2) replaces (1) and is per year
    found = list(coverage_findings(ind, (mf("2018", "(2)取水量", 27),), catalogue.settings))
    assert [f.code for f in found] == ["requirement-missing", "requirement-missing-year"]
    assert "(2)" in found[0].message and "2019、2020" in found[1].message


def test_unknown_tag(catalogue: Catalogue) -> None:
    found = list(coverage_findings(catalogue.get(12), (mf("2018", "(7)x"),), catalogue.settings))
    assert "unknown-tag" in [f.code for f in found]
