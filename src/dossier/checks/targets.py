"""Targets: what the explanation data says about each metric, per year (附件3 二)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dossier.explain import DataSet, IndicatorData
from dossier.explain.evaluate import Verdict
from dossier.explain.model import EXPLANATION_FILE, Explanation, YearData
from dossier.findings import Finding, Severity, finding
from dossier.i18n import msg
from dossier.naming import safe_display
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
    yield from _stamped(item, explanation)
    per_year = [r for r in ind.requirements if r.yearly]
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
                variant = _unmet_variant(entry, progress, severity, bool(item.stamped))
                yield finding("target-unmet", variant=variant, indicator=ind.id, path=rel,
                              severity=severity if variant in ("", "explained-stamped")
                              else Severity.WARNING,
                              attribute=ind.attribute, reasons=yr.reasons_for(Verdict.UNMET),
                              **common)
            elif yr.verdict is Verdict.NO_DATA and yr.year in settings.evidence_years:
                yield finding("target-no-data", indicator=ind.id, path=rel,
                              reasons=yr.reasons_for(Verdict.NO_DATA), **common)


def _unmet_variant(entry: YearData, progress: bool, severity: Severity,
                   stamped: bool = False) -> str:
    """How a missed target is worded. A missed 约束性 target is a real obstacle to the
    application (an error, ""); the honest way on is a 未达标说明 for that year, printed in
    the 达标说明, which makes it a warning marked 已说明 ("explained") while the verdict
    stays 未达标. A 参考性 target ("reference") and the progress year ("progress") are
    warnings either way. When the unit's stamped 达标说明 is bound instead of the generated
    one, the 未达标说明 of the YAML is not printed anywhere ("explained-stamped": still an
    error, saying the stamped scan must hold it)."""
    if entry.unmet_note and stamped:
        return "explained-stamped"
    if entry.unmet_note:
        return "explained"
    if progress:
        return "progress"
    return "" if severity is Severity.ERROR else "reference"


def _stamped(item: IndicatorData, explanation: Explanation) -> Iterator[Finding]:
    """Which 达标说明 the volume binds, when the unit put its own stamped one there, and
    the names under 盖章版 that are not in the folder."""
    ind, stamped = item.indicator.id, item.stamped
    where = explanation.stamped_where
    for name in stamped.missing:
        assert where is not None
        yield finding("explanation-invalid", indicator=ind, path=explanation.rel,
                      file=where.file, line=where.line, field="盖章版",
                      problem=msg("explanation.stamped-not-found", name=name))
    if stamped and not explanation.blank:  # blank: nothing would be generated anyway
        files = tuple(safe_display(f.path.name) for f in stamped.files)
        yield finding("explanation-stamped", variant="declared" if stamped.declared else "",
                      indicator=ind, path=explanation.rel, files=files,
                      bound=tuple(safe_display(f.rel) for f in stamped.files))
