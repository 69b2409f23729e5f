"""Evaluate each metric of an indicator per year against the catalogue's machine-readable
targets: 达标 (met), 未达标 (unmet) or 无数据 (no data)."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dossier.explain.model import Explanation, Figure, YearData
from dossier.explain.units import canonical, convert, fmt, same, with_unit
from dossier.schema import (
    Goal,
    Indicator,
    Metric,
    QualitativeGoal,
    Settings,
    SuperiorTaskGoal,
    ThresholdGoal,
    TrendGoal,
)


class Verdict(str, enum.Enum):
    MET = "met"
    UNMET = "unmet"
    NO_DATA = "no-data"

    @property
    def label(self) -> str:
        return {"met": "达标", "unmet": "未达标", "no-data": "无数据"}[self.value]


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """Unmet if any is unmet; otherwise no data if any lacks data; otherwise met."""
    items = list(verdicts)
    if Verdict.UNMET in items:
        return Verdict.UNMET
    if not items or Verdict.NO_DATA in items:
        return Verdict.NO_DATA
    return Verdict.MET


@dataclass(frozen=True)
class GoalResult:
    kind: str  # threshold | trend | superior_task | qualitative
    verdict: Verdict
    reason: str  # Chinese, for the 结论 column and for findings


@dataclass(frozen=True)
class YearResult:
    year: int
    verdict: Verdict
    figure: Figure | None
    goals: tuple[GoalResult, ...]

    @property
    def reason(self) -> str:
        return "；".join(g.reason for g in self.goals if g.reason)


@dataclass(frozen=True)
class MetricResult:
    metric: Metric
    years: tuple[YearResult, ...]
    verdict: Verdict  # over the evidence years

    def year(self, year: int) -> YearResult | None:
        return next((y for y in self.years if y.year == year), None)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    evaluated: bool  # False: no usable 达标说明.yaml
    metrics: tuple[MetricResult, ...]
    verdict: Verdict


    def to_dict(self) -> dict[str, Any]:
        """The JSON form `dossier check --format json` prints under "verdicts"."""
        return {
            "indicator": self.indicator.id, "name": self.indicator.name,
            "attribute": self.indicator.attribute, "evaluated": self.evaluated,
            "verdict": self.verdict.value,
            "metrics": [{
                "name": m.metric.name, "target": m.metric.target, "verdict": m.verdict.value,
                "years": [{"year": y.year, "verdict": y.verdict.value,
                           "value": y.figure.value if y.figure else None,
                           "unit": y.figure.unit if y.figure else None,
                           "status": y.figure.status if y.figure else None,
                           "source": y.figure.source if y.figure else None,
                           "reason": y.reason} for y in m.years],
            } for m in self.metrics],
        }


_OPS = {">=": "≥", "<=": "≤", "=": "="}
_TRENDS = {"not_worse": "保持稳定或持续改善", "decreasing": "逐步下降",
           "not_decreasing": "不降低"}


def evaluate(ind: Indicator, explanation: Explanation | None, settings: Settings,
             evidence_years: frozenset[int] = frozenset()) -> IndicatorResult:
    """`evidence_years`: years for which the indicator has tagged material (qualitative
    targets need the declared status plus at least one tagged material)."""
    if explanation is None:
        results = tuple(MetricResult(m, (), Verdict.NO_DATA) for m in ind.metrics)
        return IndicatorResult(ind, False, results, Verdict.NO_DATA)
    results = tuple(_metric(m, explanation, settings, evidence_years) for m in ind.metrics)
    return IndicatorResult(ind, True, results, combine(r.verdict for r in results))


def _metric(metric: Metric, explanation: Explanation, settings: Settings,
            evidence_years: frozenset[int]) -> MetricResult:
    years: list[YearResult] = []
    for year in settings.all_years:
        data = explanation.year(year)
        figure = data.metric(metric.name) if data else None
        if figure is None and year == settings.progress_year:
            continue  # progress figures are welcome, not required
        prev_figure = _latest_before(explanation, metric.name, year)
        first = year == settings.all_years[0]
        progress = year == settings.progress_year
        goals = tuple(_goal(g, metric, data, figure, prev_figure, first, year in evidence_years)
                      for g in metric.goals
                      if not (progress and isinstance(g, SuperiorTaskGoal)
                              and (data is None or data.superior is None)))
        years.append(YearResult(year, combine(g.verdict for g in goals), figure, goals))
    evidence = [y.verdict for y in years if y.year in settings.evidence_years]
    return MetricResult(metric, tuple(years), combine(evidence))


def _latest_before(explanation: Explanation, name: str, year: int) -> Figure | None:
    """The metric's value in the nearest earlier year that has one (a gap must not hide a
    decline: 2018 90, 2019 blank, 2020 80 is compared with 2018)."""
    for data in sorted(explanation.years, key=lambda y: -y.year):
        if data.year < year and (fig := data.metric(name)) is not None and fig.value is not None:
            return fig
    return None


def _goal(goal: Goal, metric: Metric, data: YearData | None, figure: Figure | None,
          prev: Figure | None, first: bool, has_material: bool) -> GoalResult:
    if isinstance(goal, ThresholdGoal):
        return _threshold(goal, figure)
    if isinstance(goal, TrendGoal):
        return _trend(goal, metric, figure, prev, first)
    if isinstance(goal, SuperiorTaskGoal):
        return _superior(data)
    assert isinstance(goal, QualitativeGoal)
    return _qualitative(goal, figure, has_material)


def target_text(goal: ThresholdGoal) -> str:
    return f"{_OPS[goal.op]}{with_unit(goal.value, goal.unit)}"


def _threshold(goal: ThresholdGoal, figure: Figure | None) -> GoalResult:
    kind = "threshold"
    if figure is None or figure.value is None:
        return GoalResult(kind, Verdict.NO_DATA, "未填写实际值")
    value = convert(figure.value, figure.unit, goal.unit)
    if value is None:
        return GoalResult(kind, Verdict.NO_DATA, f"单位“{figure.unit}”与目标单位“{goal.unit}”"
                          f"不一致，无法比较（单位请写“{goal.unit}”）")
    ok = {">=": value > goal.value or same(value, goal.value),
          "<=": value < goal.value or same(value, goal.value),
          "=": same(value, goal.value)}[goal.op]
    shown = with_unit(value, goal.unit)
    if ok:
        return GoalResult(kind, Verdict.MET, f"{shown}，达到{target_text(goal)}")
    return GoalResult(kind, Verdict.UNMET, f"{shown}，未达到{target_text(goal)}")


def _trend(goal: TrendGoal, metric: Metric, figure: Figure | None, prev: Figure | None,
           first: bool) -> GoalResult:
    kind, wanted = "trend", _TRENDS[goal.trend]
    if figure is None or figure.value is None:
        return GoalResult(kind, Verdict.NO_DATA, "未填写实际值")
    if prev is None or prev.value is None:
        if first:
            return GoalResult(kind, Verdict.MET, "基准年")
        return GoalResult(kind, Verdict.NO_DATA, f"缺少此前年度数据，无法判断{wanted}")
    now = convert(figure.value, figure.unit, metric.unit)
    before = convert(prev.value, prev.unit, metric.unit)
    if now is None or before is None:
        return GoalResult(kind, Verdict.NO_DATA, "两年单位不一致，无法比较")
    change = now - before if goal.better == "higher" else before - now  # > 0: better
    if goal.trend == "decreasing":
        ok = now < before and not same(now, before)
    else:  # not_worse, not_decreasing: stable counts
        ok = change > 0 or same(now, before)
    text = f"较{prev.year}年（{with_unit(before, metric.unit)}）"
    if same(now, before):
        text += "持平"
    else:
        points = "个百分点" if canonical(metric.unit) == "%" else f" {metric.unit or ''}".rstrip()
        text += ("上升" if now > before else "下降") + fmt(abs(now - before)) + points
    if ok:
        return GoalResult(kind, Verdict.MET, f"{text}，{wanted}")
    return GoalResult(kind, Verdict.UNMET, f"{text}，未{wanted}" if goal.trend == "decreasing"
                      else f"{text}，变差")


def _superior(data: YearData | None) -> GoalResult:
    kind = "superior_task"
    if data is None or data.superior is None:
        return GoalResult(kind, Verdict.NO_DATA, "未填写上级考核结果")
    doc = f"（{data.superior.document}）" if data.superior.document else ""
    if data.superior.done:
        return GoalResult(kind, Verdict.MET, f"完成上级考核任务{doc}")
    return GoalResult(kind, Verdict.UNMET, f"未完成上级考核任务{doc}")


# Words that deny or postpone a status: “暂未制定”, “拟于2022年制定”, “不适用”.
_DENIALS = ("未", "没有", "否", "拟", "计划", "待", "不适用", "无法")


def _qualitative(goal: QualitativeGoal, figure: Figure | None,
                 has_material: bool) -> GoalResult:
    """A declared 达标 (是/否) decides; otherwise the 状态 text must state the target itself
    (“已制定实施” for 制定实施). Wording the tool cannot read with certainty is 无数据 with a
    request for 达标: 是/否, never a guess."""
    kind, target = "qualitative", goal.status
    status = (figure.status or "").strip() if figure else ""
    declared = figure.achieved if figure else None
    if not status and declared is None:
        return GoalResult(kind, Verdict.NO_DATA, f"未填写状态（目标：{target}）")
    shown = status or ("达标" if declared else "未达标")
    if declared is False:
        return GoalResult(kind, Verdict.UNMET, f"{shown}，目标为{target}")
    if declared is None:
        plain = _compact(status).removeprefix("已")
        negative_target = "不" in target
        if not negative_target and any(w in plain for w in _DENIALS):
            return GoalResult(kind, Verdict.UNMET, f"{status}，目标为{target}")
        if _compact(target) not in plain:
            return GoalResult(kind, Verdict.NO_DATA, f"无法从状态“{status}”判断是否{target}"
                              "（请填写 达标: 是 或 否）")
    if not has_material:
        return GoalResult(kind, Verdict.NO_DATA, f"{shown}，但本年度没有标注审核要点的证明材料")
    return GoalResult(kind, Verdict.MET, shown)


def _compact(text: str) -> str:
    return re.sub(r"[\s，,、；;。]", "", unicodedata.normalize("NFKC", text))
