"""Targets: what the explanation data says about each metric, per year (附件3 二)."""

from __future__ import annotations

from collections.abc import Iterator

from dossier.explain import DataSet, IndicatorData
from dossier.explain.evaluate import Verdict
from dossier.explain.model import EXPLANATION_FILE
from dossier.findings import Finding, Severity, finding
from dossier.schema import Settings


def target_findings(data: DataSet, settings: Settings,
                    folders: dict[int, str]) -> Iterator[Finding]:
    """`folders`: indicator id -> its folder (relative), for indicators without data."""
    for item in data.indicators:
        yield from _indicator(item, settings, folders.get(item.indicator.id))


def _indicator(item: IndicatorData, settings: Settings, folder: str | None) -> Iterator[Finding]:
    ind = item.indicator
    if item.loaded is None:
        yield finding("explanation-data-missing",
                      f"指标 {ind.id} has no {EXPLANATION_FILE}, so its targets are not "
                      f"evaluated and no 达标说明 is generated; `dossier init` writes a starter "
                      f"into its 达标说明 folder", indicator=ind.id, path=folder)
        return
    explanation = item.explanation
    if explanation is None:
        return  # unusable file: already reported by the loader
    rel = explanation.rel
    per_year = [r for r in ind.requirements if r.per_year]
    missing = [y for y in settings.evidence_years if explanation.year(y) is None]
    if missing:
        why = (f"; 审核要点 {'、'.join(r.tag for r in per_year)} ask for every year"
               if per_year else "")
        shown = "、".join(str(y) for y in missing)
        yield finding("explanation-missing-year",
                      f"{rel}: no data for {shown} yet (年度 → {missing[0]} is missing or "
                      f"empty){why}; fill in each year's 指标值, 上级考核 and 达标理由",
                      indicator=ind.id, path=rel)
    severity = Severity.ERROR if ind.attribute == "约束性" else Severity.WARNING
    for metric in item.result.metrics:
        for yr in metric.years:
            entry = explanation.year(yr.year)
            if entry is None:
                continue  # reported once above, not once per metric
            where = yr.figure.where if yr.figure else entry.where
            if yr.verdict is Verdict.UNMET:
                progress = yr.year not in settings.evidence_years  # 进度: judged, not required
                yield finding("target-unmet",
                              f"{where}: {metric.metric.name} {yr.year}年未达标（目标"
                              f"{metric.metric.target}）：{yr.reason}. {ind.attribute}指标: "
                              "check the figure and its source, or explain in 达标理由",
                              indicator=ind.id, path=rel,
                              severity=Severity.WARNING if progress else severity)
            elif yr.verdict is Verdict.NO_DATA and yr.year in settings.evidence_years:
                lacking = "；".join(g.reason for g in yr.goals if g.verdict is Verdict.NO_DATA)
                yield finding("target-no-data",
                              f"{where}: {metric.metric.name} {yr.year}年无法判定：{lacking}; "
                              "fill it in under 年度 → "
                              f"{yr.year} (指标值: 数值/单位/来源, 状态, or 上级考核)",
                              indicator=ind.id, path=rel)
