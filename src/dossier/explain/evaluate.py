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
from dossier.i18n import Message, Translator
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
    def message(self) -> Message:
        """达标 / 未达标 / 无数据 (keys verdict.met, verdict.unmet, verdict.no-data)."""
        return Message(f"verdict.{self.value}")


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
    reason: Message | None  # why (a "reason.*" key), for the 结论 column and for findings


@dataclass(frozen=True)
class YearResult:
    year: int
    verdict: Verdict
    figure: Figure | None
    goals: tuple[GoalResult, ...]

    @property
    def reasons(self) -> tuple[Message, ...]:
        """The reasons of every goal, in the catalogue's order of goals."""
        return tuple(g.reason for g in self.goals if g.reason is not None)

    def reasons_for(self, verdict: Verdict) -> tuple[Message, ...]:
        """The reasons of the goals with this verdict (why it is unmet, what is lacking)."""
        return tuple(g.reason for g in self.goals
                     if g.reason is not None and g.verdict is verdict)


def reason_text(tr: Translator, reasons: Iterable[Message]) -> str:
    """Several reasons as one text: each rendered, joined the language's way (；)."""
    return tr.render(Message("reason.separator")).join(tr.render(r) for r in reasons)


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

    def to_dict(self, tr: Translator) -> dict[str, Any]:
        """The JSON form `dossier check --format json` prints under "verdicts": stable codes,
        each year's `reason` rendered by `tr` and its `reasons` as {key, params}."""
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
                           "reason": reason_text(tr, y.reasons),
                           "reasons": [r.to_dict() for r in y.reasons]} for y in m.years],
            } for m in self.metrics],
        }


_OPS = {">=": "target.at-least", "<=": "target.at-most", "=": "target.exactly"}
_TRENDS = {"not_worse": "not-worse", "decreasing": "decreasing",
           "not_decreasing": "not-decreasing"}


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


def target_text(goal: ThresholdGoal) -> Message:
    """≥95%, ≤1.5 吨, =100%: the target as a message (value pre-formatted with its unit)."""
    return Message(_OPS[goal.op], {"value": with_unit(goal.value, goal.unit)})


def _result(kind: str, verdict: Verdict, key: str, **params: Any) -> GoalResult:
    return GoalResult(kind, verdict, Message(key, params))


def _threshold(goal: ThresholdGoal, figure: Figure | None) -> GoalResult:
    kind = "threshold"
    if figure is None or figure.value is None:
        return _result(kind, Verdict.NO_DATA, "reason.no-value")
    value = convert(figure.value, figure.unit, goal.unit)
    if value is None:
        return _result(kind, Verdict.NO_DATA, "reason.unit-mismatch", unit=figure.unit,
                       target_unit=goal.unit or "")
    ok = {">=": value > goal.value or same(value, goal.value),
          "<=": value < goal.value or same(value, goal.value),
          "=": same(value, goal.value)}[goal.op]
    shown = with_unit(value, goal.unit)
    if ok:
        return _result(kind, Verdict.MET, "reason.threshold-met", value=shown,
                       target=target_text(goal))
    return _result(kind, Verdict.UNMET, "reason.threshold-unmet", value=shown,
                   target=target_text(goal))


def _change(now: float, before: float, prev_year: int, unit: str | None) -> Message:
    """How the value moved since `prev_year`: the same, up or down (percentage points for
    a percentage, the unit otherwise)."""
    params: dict[str, Any] = {"prev_year": prev_year, "before": with_unit(before, unit)}
    if same(now, before):
        return Message("change.same", params)
    direction = "up" if now > before else "down"
    delta = abs(now - before)
    if canonical(unit) == "%":
        return Message(f"change.{direction}-points", {**params, "delta": fmt(delta)})
    return Message(f"change.{direction}", {**params, "delta": with_unit(delta, unit)})


def _trend(goal: TrendGoal, metric: Metric, figure: Figure | None, prev: Figure | None,
           first: bool) -> GoalResult:
    kind, trend = "trend", _TRENDS[goal.trend]
    if figure is None or figure.value is None:
        return _result(kind, Verdict.NO_DATA, "reason.no-value")
    if prev is None or prev.value is None:
        if first:
            return _result(kind, Verdict.MET, "reason.base-year")
        return _result(kind, Verdict.NO_DATA, f"reason.no-earlier-year/{trend}")
    now = convert(figure.value, figure.unit, metric.unit)
    before = convert(prev.value, prev.unit, metric.unit)
    if now is None or before is None:
        return _result(kind, Verdict.NO_DATA, "reason.units-differ", prev_year=prev.year,
                       unit=figure.unit, prev_unit=prev.unit)
    change = now - before if goal.better == "higher" else before - now  # > 0: better
    if goal.trend == "decreasing":
        ok = now < before and not same(now, before)
    else:  # not_worse, not_decreasing: stable counts
        ok = change > 0 or same(now, before)
    moved = _change(now, before, prev.year, metric.unit)
    if ok:
        return _result(kind, Verdict.MET, f"reason.trend-met/{trend}", change=moved)
    if goal.trend == "decreasing":
        return _result(kind, Verdict.UNMET, "reason.trend-unmet/decreasing", change=moved)
    return _result(kind, Verdict.UNMET, "reason.trend-unmet", change=moved)


def _superior(data: YearData | None) -> GoalResult:
    kind = "superior_task"
    if data is None or data.superior is None:
        return _result(kind, Verdict.NO_DATA, "reason.superior-missing")
    document = data.superior.document
    suffix = "-document" if document else ""
    if data.superior.done:
        return _result(kind, Verdict.MET, f"reason.superior-done{suffix}", document=document)
    return _result(kind, Verdict.UNMET, f"reason.superior-not-done{suffix}",
                   document=document)


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
        return _result(kind, Verdict.NO_DATA, "reason.status-missing", target=target)
    # with a status the reasons quote it; without, they say what 达标 declares
    how = "status" if status else "declared"
    if declared is False:
        return _result(kind, Verdict.UNMET, f"reason.{how}-unmet", status=status,
                       target=target)
    if declared is None:
        plain = _compact(status).removeprefix("已")
        negative_target = "不" in target
        if not negative_target and any(w in plain for w in _DENIALS):
            return _result(kind, Verdict.UNMET, "reason.status-unmet", status=status,
                           target=target)
        if _compact(target) not in plain:
            return _result(kind, Verdict.NO_DATA, "reason.status-unclear", status=status,
                           target=target)
    if not has_material:
        return _result(kind, Verdict.NO_DATA, f"reason.{how}-without-material",
                       status=status, target=target)
    return _result(kind, Verdict.MET, f"reason.{how}-met", status=status, target=target)


def _compact(text: str) -> str:
    return re.sub(r"[\s，,、；;。]", "", unicodedata.normalize("NFKC", text))
