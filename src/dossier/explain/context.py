"""What the 达标说明 template sees: plain values (strings, numbers, lists, dicts) built
from the catalogue, the explanation data and the evaluation, so a user's template needs
no knowledge of the code and the sandbox has nothing to guard.

The 达标说明 is bound into the PDF, so every text here is Chinese whatever the interface
language: labels, verdicts and reasons are rendered with `pdf_text()`."""

from __future__ import annotations

from typing import Any

from dossier.explain import IndicatorData
from dossier.explain.evaluate import MetricResult, Verdict, YearResult, reason_text
from dossier.explain.model import Explanation, Figure, YearData
from dossier.explain.units import fmt, with_unit
from dossier.i18n import Message, Translator, msg, pdf_text
from dossier.schema import Settings

NONE = "—"  # an empty table cell


def _value(zh: Translator, fig: Figure | None) -> str:
    if fig is None:
        return NONE
    value = with_unit(fig.value, fig.unit) if fig.value is not None else ""
    if value and fig.status:
        return zh.render(msg("explanation.value-and-status", value=value, status=fig.status))
    return value or fig.status or NONE


def _row(zh: Translator, metric: MetricResult, yr: YearResult) -> dict[str, Any]:
    fig = yr.figure
    return {"metric": metric.metric.name, "target": metric.metric.target,
            "value": _value(zh, fig), "source": (fig.source if fig else "") or NONE,
            "verdict": zh.render(yr.verdict.message), "met": yr.verdict is Verdict.MET,
            "reason": reason_text(zh, yr.reasons)}


def _year(zh: Translator, data: IndicatorData, year: int, entry: YearData | None,
          settings: Settings) -> dict[str, Any]:
    rows = [_row(zh, m, yr) for m in data.result.metrics if (yr := m.year(year)) is not None]
    superior = None
    if entry and entry.superior:
        superior = {"done": entry.superior.done, "document": entry.superior.document,
                    "note": entry.superior.note}
    figures = [{"name": f.name, "value": _value(zh, f), "source": f.source or NONE,
                "shared": f.ref is not None} for f in (entry.figures if entry else ())]
    progress = year == settings.progress_year
    label = msg("explanation.year-progress" if progress else "explanation.year", year=year)
    return {"year": year, "progress": progress, "label": zh.render(label),
            "rows": rows, "superior": superior, "figures": figures,
            "reasons": entry.reasons if entry else "",
            "change_note": entry.change_note if entry else "",
            "unmet_note": entry.unmet_note if entry else "",
            "has_data": entry is not None}


def title(name: str) -> Message:
    """The title of the generated 达标说明 (outline, 目录): name指标达标说明."""
    return msg("explanation.title", name=name)


def full_name(unit: str, city: str) -> str:
    """A 落款 gives the issuing unit's full name (GB/T 9704): 市住房和城乡建设局 signs as
    巴中市住房和城乡建设局; a name that already starts with the city is kept."""
    if unit.startswith("市") and city.endswith("市") and not unit.startswith(city):
        return city + unit[1:]
    return unit


def context(data: IndicatorData, settings: Settings, lead_unit: str,
            date: str = "") -> dict[str, Any]:
    """`lead_unit` and `date` ("2021年3月") sign the explanation (落款)."""
    zh = pdf_text()
    ind, result = data.indicator, data.result
    exp: Explanation | None = data.explanation
    assert exp is not None, "only indicators with explanation data get a generated 达标说明"
    years = [_year(zh, data, y, exp.year(y), settings) for y in settings.all_years
             if y in settings.evidence_years or exp.year(y) is not None]

    def items(verdict: Verdict) -> list[str]:
        return [zh.render(msg("explanation.metric-year", metric=m.metric.name, year=y.year))
                for m in result.metrics for y in m.years
                if y.verdict is verdict and y.year in settings.evidence_years]

    projects = [{"name": p.name, "year": p.year,
                 "investment": fmt(p.investment) if p.investment is not None else NONE,
                 "status": p.status or NONE, "unit": p.unit or NONE, "note": p.note}
                for p in exp.projects]
    first, last = settings.evidence_years[0], settings.evidence_years[-1]
    return {
        "city": settings.city, "title": settings.title,
        "indicator": {"id": ind.id, "name": ind.name, "target": ind.target,
                      "attribute": ind.attribute, "domain": ind.domain, "task": ind.task,
                      "lead_units": zh.join(ind.lead_units) or lead_unit,
                      "responsible_units": zh.join(ind.responsible_units)},
        "metrics": [{"name": m.metric.name, "target": m.metric.target,
                     "verdict": zh.render(m.verdict.message)} for m in result.metrics],
        "standard": exp.standard, "years": years, "work": exp.work, "projects": projects,
        "investment_total": fmt(sum(p.investment or 0 for p in exp.projects)),
        "period": zh.render(msg("explanation.period", first=first, last=last)),
        "verdict": zh.render(result.verdict.message), "met": result.verdict is Verdict.MET,
        "unmet": items(Verdict.UNMET), "missing": items(Verdict.NO_DATA),
        "explained": any(y["unmet_note"] for y in years),
        "signature": {"unit": full_name(lead_unit, settings.city), "date": date},
    }
