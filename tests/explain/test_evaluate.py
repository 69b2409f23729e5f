from __future__ import annotations

import pytest

from dossier.catalogue import Catalogue
from dossier.explain.evaluate import Verdict, combine, evaluate, reason_text
from dossier.i18n import Message, pdf_text, translator
from dossier.schema import Indicator, Metric, Settings

from explainmaker import explanation, fig, year

MET, UNMET, NO = Verdict.MET, Verdict.UNMET, Verdict.NO_DATA


def verdicts(ind: Indicator, *years_: object, settings: Settings,
             material: frozenset[int] = frozenset({2018, 2019, 2020})) -> dict[int, Verdict]:
    exp = explanation(ind.id, *years_)  # type: ignore[arg-type]
    result = evaluate(ind, exp, settings, material)
    return {y.year: y.verdict for y in result.metrics[0].years}


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (95, "%", MET),  # boundary: ≥95 includes 95
    (94.99, "%", UNMET),
    (100, "%", MET),
    (950, "‰", MET),  # same quantity, other unit
    (0.96, "小数", MET),
    (96, "平方米/人", NO),  # a unit that does not compare
    (96, "", NO),  # not a percentage unless it says so
])
def test_threshold_at_least(catalogue: Catalogue, value: float, unit: str,
                            expected: Verdict) -> None:
    ind = catalogue.get(28)  # 城镇污水处理率 ≥95%
    got = verdicts(ind, year(2018, fig(ind.metrics[0].name, 2018, value, unit)),
                   settings=catalogue.settings)
    assert got[2018] is expected


def test_threshold_equal_and_absolute_units(catalogue: Catalogue) -> None:
    s = catalogue.settings
    ind9 = catalogue.get(9)  # 100%
    name9 = ind9.metrics[0].name
    assert verdicts(ind9, year(2018, fig(name9, 2018, 100)), year(2019, fig(name9, 2019, 99.9)),
                    settings=s) == {2018: MET, 2019: UNMET, 2020: NO}
    ind30 = catalogue.get(30)  # ≥15 平方米/人
    name30 = ind30.metrics[0].name
    assert verdicts(ind30, year(2018, fig(name30, 2018, 15, "平方米/人")),
                    year(2019, fig(name30, 2019, 14.9, "㎡/人")),
                    year(2020, fig(name30, 2020, 15, "%")), settings=s) == {
        2018: MET, 2019: UNMET, 2020: NO}


def test_missing_years_are_no_data_and_progress_is_optional(catalogue: Catalogue) -> None:
    ind = catalogue.get(28)
    name = ind.metrics[0].name
    got = verdicts(ind, year(2019, fig(name, 2019, 96)), settings=catalogue.settings)
    assert got == {2018: NO, 2019: MET, 2020: NO}  # 2021 absent: not required
    got = verdicts(ind, year(2021, fig(name, 2021, 90)), settings=catalogue.settings)
    assert got[2021] is UNMET  # judged when given


def test_trend_not_worse_higher_is_better(catalogue: Catalogue) -> None:
    ind = catalogue.get(15)
    metric = next(m for m in ind.metrics if m.name.startswith("特有性"))
    only = ind.model_copy(update={"metrics": (metric,)})
    got = verdicts(only, year(2018, fig(metric.name, 2018, 90)),
                   year(2019, fig(metric.name, 2019, 90)),  # stable counts
                   year(2020, fig(metric.name, 2020, 89.5)), settings=catalogue.settings)
    assert got == {2018: MET, 2019: MET, 2020: UNMET}


def test_trend_lower_is_better_with_superior_task(catalogue: Catalogue) -> None:
    ind = catalogue.get(21)  # 能耗: 完成上级任务; 保持稳定或持续改善 (lower is better)
    name = ind.metrics[0].name
    u = "吨标准煤/万元"
    got = verdicts(ind, year(2018, fig(name, 2018, 0.52, u), superior=True),
                   year(2019, fig(name, 2019, 0.50, u), superior=True),
                   year(2020, fig(name, 2020, 0.51, u), superior=True),
                   settings=catalogue.settings)
    assert got == {2018: MET, 2019: MET, 2020: UNMET}  # rose again
    got = verdicts(ind, year(2018, fig(name, 2018, 0.52, u), superior=False),
                   year(2019, fig(name, 2019, 0.50, u)),
                   year(2020, fig(name, 2020, 0.49, u), superior=True),
                   settings=catalogue.settings)
    assert got == {2018: UNMET, 2019: NO, 2020: MET}  # 2019: 上级考核 not given


def test_trend_compares_with_the_nearest_earlier_year(catalogue: Catalogue) -> None:
    ind = catalogue.get(21)
    name = ind.metrics[0].name
    u = "吨标准煤/万元"
    got = verdicts(ind, year(2018, fig(name, 2018, 0.5, u), superior=True),
                   year(2020, fig(name, 2020, 0.4, u), superior=True),
                   settings=catalogue.settings)
    assert got == {2018: MET, 2019: NO, 2020: MET}
    # a gap must not hide a decline
    worse = verdicts(ind, year(2018, fig(name, 2018, 0.5, u), superior=True),
                     year(2020, fig(name, 2020, 0.6, u), superior=True),
                     settings=catalogue.settings)
    assert worse[2020] is UNMET
    result = evaluate(ind, explanation(21, year(2019, fig(name, 2019, 0.5, u), superior=True)),
                      catalogue.settings, frozenset())
    y2019 = result.metrics[0].year(2019)
    assert y2019 is not None and y2019.verdict is NO
    assert [r.key for r in y2019.reasons] == ["reason.superior-done-document",
                                              "reason.no-earlier-year/not-worse"]
    assert [r.key for r in y2019.reasons_for(NO)] == ["reason.no-earlier-year/not-worse"]


def test_change_metrics_are_judged_as_not_negative(catalogue: Catalogue) -> None:
    ind = catalogue.get(11)  # PM2.5浓度下降幅度: a decline of 8%, then 5%, then 3% is fine
    metric = ind.metrics[1]
    only = ind.model_copy(update={"metrics": (metric,)})
    got = verdicts(only, *(year(y, fig(metric.name, y, v), superior=True)
                           for y, v in ((2018, 8), (2019, 5), (2020, -1))),
                   settings=catalogue.settings)
    assert got == {2018: MET, 2019: MET, 2020: UNMET}


def test_percentage_point_wording(catalogue: Catalogue) -> None:
    ind = catalogue.get(12)
    metric = ind.metrics[2]  # 黑臭水体消除比例: a ratio, trend
    only = ind.model_copy(update={"metrics": (metric,)})
    result = evaluate(only, explanation(12, year(2018, fig(metric.name, 2018, 90), superior=True),
                                        year(2019, fig(metric.name, 2019, 100), superior=True)),
                      catalogue.settings)
    y2019 = result.metrics[0].year(2019)
    assert y2019 is not None
    trend = y2019.reasons[-1]
    assert trend.key == "reason.trend-met/not-worse"
    assert trend.params["change"] == Message("change.up-points", {
        "prev_year": 2018, "before": "90%", "delta": "10"})


def test_other_units_change_in_their_unit_and_worse_is_said(catalogue: Catalogue) -> None:
    ind = catalogue.get(21)  # lower is better
    name = ind.metrics[0].name
    u = "吨标准煤/万元"
    result = evaluate(ind, explanation(21, year(2018, fig(name, 2018, 0.5, u), superior=True),
                                       year(2019, fig(name, 2019, 0.52, u), superior=False)),
                      catalogue.settings)
    y2019 = result.metrics[0].year(2019)
    assert y2019 is not None and y2019.verdict is UNMET
    superior, trend = y2019.reasons
    assert superior == Message("reason.superior-not-done-document", {"document": "文号"})
    assert trend.key == "reason.trend-unmet"
    assert trend.params["change"] == Message("change.up", {
        "prev_year": 2018, "before": f"0.5 {u}", "delta": f"0.02 {u}"})


def test_threshold_reasons_carry_value_and_target(catalogue: Catalogue) -> None:
    ind = catalogue.get(28)  # ≥95%
    name = ind.metrics[0].name
    result = evaluate(ind, explanation(28, year(2018, fig(name, 2018, 93.1)),
                                       year(2019, fig(name, 2019, 950, "‰")),
                                       year(2020, fig(name, 2020, 96, "平方米/人"))),
                      catalogue.settings)
    reasons = {y.year: y.reasons for y in result.metrics[0].years}
    target = Message("target.at-least", {"value": "95%"})
    assert reasons[2018] == (Message("reason.threshold-unmet",
                                     {"value": "93.1%", "target": target}),)
    assert reasons[2019] == (Message("reason.threshold-met", {"value": "95%", "target": target}),)
    assert reasons[2020] == (Message("reason.unit-mismatch",
                                     {"unit": "平方米/人", "target_unit": "%"}),)


def test_an_index_compares_without_unit(catalogue: Catalogue) -> None:
    ind = catalogue.get(13)  # EI ≥60: an index
    name = ind.metrics[0].name
    got = verdicts(ind, year(2018, fig(name, 2018, 71.2, "无")),
                   year(2019, fig(name, 2019, 59.9, "")), settings=catalogue.settings)
    assert got[2018] is MET and got[2019] is UNMET


def test_decreasing_is_strict(catalogue: Catalogue) -> None:
    ind = catalogue.get(34)
    metric = next(m for m in ind.metrics if m.goals[0].kind == "trend")
    only = ind.model_copy(update={"metrics": (metric,)})
    got = verdicts(only, year(2018, fig(metric.name, 2018, 5, "千克")),
                   year(2019, fig(metric.name, 2019, 4.5, "千克")),
                   year(2020, fig(metric.name, 2020, 4.5, "千克")), settings=catalogue.settings)
    assert got == {2018: MET, 2019: MET, 2020: UNMET}


@pytest.mark.parametrize(("status", "achieved", "expected"), [
    ("已制定实施", None, MET),
    ("制定实施", None, MET),
    ("暂未制定", None, UNMET),
    ("拟于2022年制定实施", None, UNMET),
    ("不适用", None, UNMET),
    ("正在编制", None, NO),  # cannot tell: ask for 达标
    ("正在编制", True, MET),
    ("已制定实施", False, UNMET),
])
def test_qualitative_status_wording(catalogue: Catalogue, status: str, achieved: bool | None,
                                    expected: Verdict) -> None:
    ind = catalogue.get(1)
    name = ind.metrics[0].name
    f = fig(name, 2018, None, "", status=status)
    f = type(f)(**{**f.__dict__, "achieved": achieved})
    assert verdicts(ind, year(2018, f), settings=catalogue.settings)[2018] is expected


@pytest.mark.parametrize(("status", "expected"), [
    ("不明显", MET),
    ("无明显外来物种入侵", NO),  # negated wording of a negative target: ask, never invert
    ("明显", NO),
])
def test_negatively_worded_targets_are_not_inverted(catalogue: Catalogue, status: str,
                                                    expected: Verdict) -> None:
    ind = catalogue.get(15)
    metric = ind.metrics[1]  # 外来物种入侵: 不明显
    only = ind.model_copy(update={"metrics": (metric,)})
    got = verdicts(only, year(2018, fig(metric.name, 2018, None, "", status=status)),
                   settings=catalogue.settings)
    assert got[2018] is expected


def test_qualitative_needs_status_and_material(catalogue: Catalogue) -> None:
    ind = catalogue.get(1)  # 制定实施
    name = ind.metrics[0].name
    years_ = (year(2018, fig(name, 2018, None, "", status="已制定实施")),
              year(2019, fig(name, 2019, None, "", status="未制定")),
              year(2020, fig(name, 2020, None, "", status="已制定实施")))
    got = verdicts(ind, *years_, settings=catalogue.settings, material=frozenset({2018, 2019}))
    assert got == {2018: MET, 2019: UNMET, 2020: NO}  # 2020: no tagged material
    result = evaluate(ind, explanation(1, *years_), catalogue.settings, frozenset({2018, 2019}))
    keys = {y.year: [(r.key, r.params["status"]) for r in y.reasons]
            for y in result.metrics[0].years}
    assert keys == {2018: [("reason.status-met", "已制定实施")],
                    2019: [("reason.status-unmet", "未制定")],
                    2020: [("reason.status-without-material", "已制定实施")]}


@pytest.mark.parametrize(("status", "achieved", "key"), [
    ("", None, "reason.status-missing"),
    ("", True, "reason.declared-met"),
    ("", False, "reason.declared-unmet"),
    ("正在编制", None, "reason.status-unclear"),
])
def test_qualitative_reasons(catalogue: Catalogue, status: str, achieved: bool | None,
                             key: str) -> None:
    ind = catalogue.get(1)
    name = ind.metrics[0].name
    f = fig(name, 2018, None, "", status=status or None)
    f = type(f)(**{**f.__dict__, "achieved": achieved})
    result = evaluate(ind, explanation(1, year(2018, f)), catalogue.settings,
                      frozenset({2018}))
    (reason,) = result.metrics[0].years[0].reasons
    assert reason.key == key and reason.params["target"] == "制定实施"


def test_indicator_verdict_and_no_file(catalogue: Catalogue) -> None:
    ind = catalogue.get(28)
    result = evaluate(ind, None, catalogue.settings)
    assert not result.evaluated and result.verdict is NO
    name = ind.metrics[0].name
    full = explanation(28, *(year(y, fig(name, y, 96)) for y in (2018, 2019, 2020)))
    assert evaluate(ind, full, catalogue.settings).verdict is MET
    result = evaluate(ind, full, catalogue.settings)
    data = result.to_dict(translator("en"))
    first = data["metrics"][0]["years"][0]
    assert data["verdict"] == "met" and first["value"] == 96
    reason = result.metrics[0].years[0].reasons[0]
    assert first["reasons"] == [{"key": "reason.threshold-met", "params": {
        "value": "96%", "target": {"key": "target.at-least", "params": {"value": "95%"}}}}]
    assert first["reason"] == translator("en").render(reason)
    zh = result.to_dict(translator("zh"))["metrics"][0]["years"][0]
    assert zh["reason"] == translator("zh").render(reason) != first["reason"]
    assert zh["reasons"] == first["reasons"]  # the same data in every language


def test_combine() -> None:
    assert combine([MET, NO, UNMET]) is UNMET
    assert combine([MET, NO]) is NO
    assert combine([]) is NO
    assert combine([MET, MET]) is MET


def test_verdict_labels_come_from_the_catalogue() -> None:
    assert [v.message.key for v in Verdict] == ["verdict.met", "verdict.unmet",
                                                "verdict.no-data"]
    # the notice's own words, on the 达标说明 pages (PDF text is always Chinese)
    assert [pdf_text().render(v.message) for v in Verdict] == ["达标", "未达标", "无数据"]


def test_several_reasons_are_one_text_in_each_language() -> None:
    reasons = (Message("reason.no-value"), Message("reason.superior-missing"))
    for language in ("zh", "en"):
        tr = translator(language)
        sep = tr.render(Message("reason.separator"))
        assert reason_text(tr, reasons) == sep.join(tr.render(r) for r in reasons)
    assert reason_text(translator("zh"), ()) == ""


def test_metric_without_unit_accepts_plain_values(catalogue: Catalogue) -> None:
    metric = Metric(name="m", target="≥1", goals=({"kind": "threshold", "op": ">=",
                                                   "value": 1},))  # type: ignore[arg-type]
    ind = catalogue.get(28).model_copy(update={"metrics": (metric,)})
    assert verdicts(ind, year(2018, fig("m", 2018, 1, "个")), settings=catalogue.settings)[
        2018] is MET
