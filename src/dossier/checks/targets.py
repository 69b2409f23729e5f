"""Targets: what the explanation data says about each metric, per year (附件3 二)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
        yield finding("explanation-data-missing", indicator=ind.id, path=folder,
                      file=EXPLANATION_FILE)
        return
    explanation = item.explanation
    if explanation is None:
        return  # unusable file: already reported by the loader
    rel = explanation.rel
    per_year = [r for r in ind.requirements if r.per_year]
    missing = [y for y in settings.evidence_years if explanation.year(y) is None]
    if missing:
        yield finding("explanation-missing-year", variant="per-year" if per_year else "",
                      indicator=ind.id, path=rel, years=tuple(missing), first=missing[0],
                      tags=tuple(r.tag for r in per_year))
    severity = Severity.ERROR if ind.attribute == "约束性" else Severity.WARNING
    for metric in item.result.metrics:
        for yr in metric.years:
            entry = explanation.year(yr.year)
            if entry is None:
                continue  # reported once above, not once per metric
            where = yr.figure.where if yr.figure else entry.where
            common: dict[str, Any] = {"file": where.file, "line": where.line,
                                      "metric": metric.metric.name, "year": yr.year,
                                      "target": metric.metric.target}
            if yr.verdict is Verdict.UNMET:
                progress = yr.year not in settings.evidence_years  # 进度: judged, not required
                yield finding("target-unmet", indicator=ind.id, path=rel,
                              severity=Severity.WARNING if progress else severity,
                              attribute=ind.attribute, reasons=yr.reasons_for(Verdict.UNMET),
                              **common)
            elif yr.verdict is Verdict.NO_DATA and yr.year in settings.evidence_years:
                yield finding("target-no-data", indicator=ind.id, path=rel,
                              reasons=yr.reasons_for(Verdict.NO_DATA), **common)
