"""What the 达标说明 template sees: plain values (strings, numbers, lists, dicts) built
from the catalogue, the explanation data and the evaluation, so a user's template needs
no knowledge of the code and the sandbox has nothing to guard."""

from __future__ import annotations

from typing import Any

from dossier.explain import IndicatorData
from dossier.explain.evaluate import MetricResult, Verdict, YearResult
from dossier.explain.model import Explanation, Figure, YearData
from dossier.explain.units import fmt, with_unit
from dossier.schema import Settings


def _value(fig: Figure | None) -> str:
    if fig is None:
        return "—"
    parts = []
    if fig.value is not None:
        parts.append(with_unit(fig.value, fig.unit))
    if fig.status:
        parts.append(fig.status)
    return "，".join(parts) or "—"


def _row(metric: MetricResult, yr: YearResult) -> dict[str, Any]:
    fig = yr.figure
    return {"metric": metric.metric.name, "target": metric.metric.target,
            "value": _value(fig), "source": (fig.source if fig else "") or "—",
            "verdict": yr.verdict.label, "met": yr.verdict is Verdict.MET,
            "reason": yr.reason}


def _year(data: IndicatorData, year: int, entry: YearData | None,
          settings: Settings) -> dict[str, Any]:
    rows = [_row(m, yr) for m in data.result.metrics if (yr := m.year(year)) is not None]
    superior = None
    if entry and entry.superior:
        superior = {"done": entry.superior.done, "document": entry.superior.document,
                    "note": entry.superior.note}
    figures = [{"name": f.name, "value": _value(f), "source": f.source or "—",
                "shared": f.ref is not None} for f in (entry.figures if entry else ())]
    progress = year == settings.progress_year
    return {"year": year, "progress": progress,
            "label": f"{year}年度（进度）" if progress else f"{year}年度",
            "rows": rows, "superior": superior, "figures": figures,
            "reasons": entry.reasons if entry else "",
            "change_note": entry.change_note if entry else "",
            "has_data": entry is not None}


def context(data: IndicatorData, settings: Settings, lead_unit: str) -> dict[str, Any]:
    ind, result = data.indicator, data.result
    exp: Explanation | None = data.explanation
    assert exp is not None, "only indicators with explanation data get a generated 达标说明"
    years = [_year(data, y, exp.year(y), settings) for y in settings.all_years
             if y in settings.evidence_years or exp.year(y) is not None]
    unmet = [f"{m.metric.name}（{y.year}年）" for m in result.metrics for y in m.years
             if y.verdict is Verdict.UNMET and y.year in settings.evidence_years]
    missing = [f"{m.metric.name}（{y.year}年）" for m in result.metrics for y in m.years
               if y.verdict is Verdict.NO_DATA and y.year in settings.evidence_years]
    projects = [{"name": p.name, "year": p.year,
                 "investment": fmt(p.investment) if p.investment is not None else "—",
                 "status": p.status or "—", "unit": p.unit or "—", "note": p.note}
                for p in exp.projects]
    first, last = settings.evidence_years[0], settings.evidence_years[-1]
    return {
        "city": settings.city, "title": settings.title,
        "indicator": {"id": ind.id, "name": ind.name, "target": ind.target,
                      "attribute": ind.attribute, "domain": ind.domain, "task": ind.task,
                      "lead_units": "、".join(ind.lead_units) or lead_unit,
                      "responsible_units": "、".join(ind.responsible_units)},
        "metrics": [{"name": m.metric.name, "target": m.metric.target,
                     "verdict": m.verdict.label} for m in result.metrics],
        "standard": exp.standard, "years": years, "work": exp.work, "projects": projects,
        "investment_total": fmt(sum(p.investment or 0 for p in exp.projects)),
        "period": f"{first}—{last}年", "verdict": result.verdict.label,
        "unmet": unmet, "missing": missing,
    }
