from __future__ import annotations

from dossier.catalogue import Catalogue
from dossier.checks.consistency import change_findings, figure_findings
from dossier.explain.model import Place, SharedData, SharedFigure

from explainmaker import explanation, fig, year

SHARED = SharedData("共享数据.yaml", (SharedFigure("城区人口", "万人", (
    (2019, 64.1, "年鉴"),), Place("共享数据.yaml", 1)),))


def test_same_figure_in_two_indicators_must_match() -> None:
    a = explanation(28, year(2019, figures=(fig("建成区面积", 2019, 42.6, "平方公里",
                                                 where="a.yaml:5"),)), rel="a.yaml")
    b = explanation(30, year(2019, figures=(fig("建成区面积", 2019, 43.6, "平方公里",
                                                 where="b.yaml:9"),)), rel="b.yaml")
    same_value = explanation(31, year(2019, figures=(fig("建成区面积", 2019, 4260, "公顷"),)))
    found = list(figure_findings([a, b, same_value], None))
    # every indicator involved hears of it; 4260 公顷 = 42.6 平方公里 agrees with 28
    assert [(f.code, f.indicator) for f in found] == [
        ("figure-mismatch", 30), ("figure-mismatch", 28),
        ("figure-mismatch", 31), ("figure-mismatch", 30)]
    assert found[0].path == "b.yaml" and found[1].path == "a.yaml"
    assert all(f.variant == "" for f in found)
    assert found[0].params == {
        "file": "b.yaml", "line": 9, "name": "建成区面积", "year": 2019, "value": "43.6 平方公里",
        "other_value": "42.6 平方公里", "other_indicator": 28, "other_file": "a.yaml",
        "other_line": 5}
    assert (found[1].params["line"], found[1].params["other_indicator"]) == (5, 30)


def test_the_same_figure_twice_in_one_indicator() -> None:
    a = explanation(28, year(2019, fig("城镇污水处理率", 2019, 96, where="a.yaml:3"),
                             figures=(fig("城镇污水处理率", 2019, 90, where="a.yaml:6"),)))
    (found,) = figure_findings([a], None)
    assert (found.indicator, found.variant) == (28, "same-file")
    assert (found.params["line"], found.params["other_line"]) == (6, 3)
    assert (found.params["value"], found.params["other_value"]) == ("90%", "96%")


def test_other_years_and_same_indicator_are_not_compared() -> None:
    a = explanation(28, year(2018, figures=(fig("建成区面积", 2018, 41.2, "平方公里"),)),
                    year(2019, figures=(fig("建成区面积", 2019, 42.6, "平方公里"),)))
    assert list(figure_findings([a], None)) == []


def test_figures_must_agree_with_shared_data() -> None:
    written = explanation(29, year(2019, figures=(fig("城区人口", 2019, 63.8, "万人",
                                                      where="c.yaml:12"),)), rel="c.yaml")
    referenced = explanation(28, year(2019, figures=(fig("城区人口", 2019, 64.1, "万人",
                                                         ref="城区人口"),)))
    converted = explanation(30, year(2019, figures=(fig("城区人口", 2019, 641000, "人"),)))
    found = list(figure_findings([referenced, written, converted], SHARED))
    # compared with 共享数据.yaml only, not with indicator 28 as well
    assert [(f.code, f.indicator) for f in found] == [("shared-figure-mismatch", 29)]
    assert found[0].params == {
        "file": "c.yaml", "line": 12, "name": "城区人口", "year": 2019, "value": "63.8 万人",
        "shared_value": "64.1 万人", "shared_file": "共享数据.yaml", "shared_line": 1}


def test_big_changes_need_an_explanation(catalogue: Catalogue) -> None:
    ind = catalogue.get(30)
    name = ind.metrics[0].name
    unit = "平方米/人"
    exp = explanation(30, year(2018, fig(name, 2018, 15.0, unit)),
                      year(2019, fig(name, 2019, 18.0, unit)),  # +20%: at the limit, fine
                      year(2020, fig(name, 2020, 21.7, unit, where="d.yaml:20")))  # +20.6%
    found = list(change_findings(exp, ind, catalogue.settings))
    assert [(f.code, f.indicator, f.variant) for f in found] == [("unexplained-change", 30, "")]
    assert found[0].params == {
        "file": "d.yaml", "line": 20, "name": name, "before": "18 平方米/人", "prev_year": 2019,
        "now": "21.7 平方米/人", "year": 2020, "change": "20.6%", "limit": "20%"}
    explained = explanation(30, year(2019, fig(name, 2019, 18.0, unit)),
                            year(2020, fig(name, 2020, 30.0, unit), change_note="新建公园"))
    assert list(change_findings(explained, ind, catalogue.settings)) == []


def test_change_from_zero_and_per_metric_threshold(catalogue: Catalogue) -> None:
    ind = catalogue.get(12)
    name = ind.metrics[2].name
    exp = explanation(12, year(2018, fig(name, 2018, 0)), year(2019, fig(name, 2019, 5)))
    (found,) = change_findings(exp, ind, catalogue.settings)
    assert found.variant == "from-zero" and found.params["change"] == ""
    assert (found.params["before"], found.params["now"]) == ("0%", "5%")
    loose = ind.model_copy(update={"metrics": tuple(
        m.model_copy(update={"change_threshold": 0.5}) for m in ind.metrics)})
    exp = explanation(12, year(2018, fig(name, 2018, 60)), year(2019, fig(name, 2019, 80)))
    assert list(change_findings(exp, loose, catalogue.settings)) == []
    assert len(list(change_findings(exp, ind, catalogue.settings))) == 1
