"""The status as plain data in one language: stable codes and numbers beside the rendered
words. The JSON report is this; the XLSX 催办清单 and the HTML 总览 are drawn from it, so
every view says the same."""

from __future__ import annotations

from typing import Any

from dossier.findings import Severity
from dossier.i18n import Message, Translator, msg
from dossier.sections import LONG_TERM
from dossier.status.model import (
    Contribution,
    Due,
    Duty,
    IndicatorStatus,
    Missing,
    Point,
    SharedFigureStatus,
    Status,
    UnitStatus,
    Volume,
)

SCHEMA = 1  # of the JSON form; bumped when a field changes meaning


def status_data(status: Status, tr: Translator) -> dict[str, Any]:
    overdue_units = [u for u in status.units if u.overdue]
    return {
        "schema": SCHEMA,
        "title": status.title,
        "as_of": status.as_of.isoformat(),
        "materials": status.materials,
        "outs": list(status.outs),
        "unit": status.unit,
        "provenance": status.provenance,
        "contact_files": list(status.contact_files),
        "deadlines": [due_data(d, tr) for d in status.deadlines],
        "summary": {
            "indicators": len(status.indicators),
            "complete": sum(1 for i in status.indicators if i.progress.value == "done"),
            "overdue": sum(1 for i in status.indicators if i.progress.value == "overdue"),
            "errors": status.errors,
            "warnings": status.warnings,
            "verdicts": {v: sum(1 for i in status.indicators if i.verdict.value == v)
                         for v in ("met", "unmet", "no-data")},
            "units_overdue": len(overdue_units),
            "contacts_missing": sum(1 for u in status.units
                                    if u.contact_state.value in ("open", "overdue")),
            "figures_disagree": sum(1 for f in status.figures if f.disagree),
        },
        "indicators": [indicator_data(i, tr) for i in status.indicators],
        "units": [unit_data(u, tr) for u in status.units],
        "figures": [figure_data(f, tr) for f in status.figures],
        "findings": [f.to_dict(tr) for f in status.findings],
    }


def due_data(due: Due | None, tr: Translator) -> dict[str, Any] | None:
    if due is None:
        return None
    return {"kind": due.kind, "date": due.date.isoformat(), "to": due.to, "days": due.days,
            "what": due.what, "from": due.sender,
            "overdue": due.overdue, "text": tr.render(due_message(due)),
            "short": tr.render(due_message(due, short=True))}


def due_message(due: Due | None, short: bool = False) -> Message:
    """"2021-03-12, 6 days left"; short: "6 days left"."""
    head = "status-due-short" if short else "status-due"
    if due is None:
        return msg(f"{head}/none")
    date = due.date.isoformat()
    if due.days > 0:
        return msg(f"{head}/left", date=date, days=due.days)
    if due.days == 0:
        return msg(f"{head}/today", date=date)
    return msg(f"{head}/overdue", date=date, days=due.overdue)


def percent(fraction: float) -> int:
    """Whole percent, rounded down: 99.6 % complete is not 100 %."""
    return int(fraction * 100 + 1e-9)


def indicator_data(ind: IndicatorStatus, tr: Translator) -> dict[str, Any]:
    return {
        "indicator": ind.id, "name": ind.name, "attribute": ind.attribute,
        "has_folder": ind.has_folder,
        "collecting": ind.collecting, "leads": list(ind.leads),
        "responsible": list(ind.responsible),
        "files": ind.files, "pages": ind.pages,
        "points": [point_data(p) for p in ind.points],
        "required": ind.required, "covered": ind.covered, "complete": round(ind.complete, 4),
        "percent": percent(ind.complete),
        "errors": ind.errors, "warnings": ind.warnings,
        "verdict": ind.verdict.value, "verdict_text": tr.render(ind.verdict.message),
        "verdicts": ind.result.to_dict(tr)["metrics"],
        "volumes": [volume_data(v, tr) for v in ind.volumes],
        "contributions": [contribution_data(c, tr) for c in ind.contributions],
        "progress": ind.progress.value, "progress_text": tr.render(ind.progress.message),
        "due": due_data(ind.due, tr),
        "findings": [f.to_dict(tr) for f in ind.findings
                     if f.severity in (Severity.ERROR, Severity.WARNING)],
    }


def point_data(p: Point) -> dict[str, Any]:
    return {"tag": p.tag, "text": p.text, "per_year": p.per_year,
            "required": list(p.required), "covered": list(p.covered),
            "missing": list(p.missing), "files": p.files, "replaces": p.replaces, "by": p.by}


def volume_label(volume: Volume) -> Message:
    if volume.label in ("single", "main"):
        return msg(f"status-volume-label/{volume.label}")
    if volume.label == LONG_TERM:
        return msg("status-volume-label/long-term")
    return msg("status-volume-label/year", year=volume.label)


def volume_data(v: Volume, tr: Translator) -> dict[str, Any]:
    return {"file": v.file, "out": v.out, "label": v.label,
            "label_text": tr.render(volume_label(v)), "pages": v.pages,
            "state": v.state.value, "state_text": tr.render(v.state.message),
            "changed": list(v.changed)}


def contribution_data(c: Contribution, tr: Translator) -> dict[str, Any]:
    return {"unit": c.unit, "role": c.role.value, "role_text": tr.render(c.role.message),
            "files": c.files, "progress": c.progress.value,
            "progress_text": tr.render(c.progress.message), "due": due_data(c.due, tr)}


def missing_message(m: Missing, tr: Translator) -> Message:
    to = m.due.to if m.due else ""
    if m.what == "point":
        if m.year is None:
            return msg("status-missing/point-once", indicator=m.indicator, tag=m.tag,
                       text=m.text)
        return msg("status-missing/point", indicator=m.indicator, tag=m.tag, text=m.text,
                   year=m.year)
    if m.what == "errors":
        return msg("status-missing/errors", indicator=m.indicator, count=m.count)
    return msg("status-missing/part", indicator=m.indicator, to=to)


def missing_data(m: Missing, tr: Translator) -> dict[str, Any]:
    return {"indicator": m.indicator, "what": m.what, "tag": m.tag, "text": m.text,
            "year": m.year, "count": m.count, "due": due_data(m.due, tr),
            "message": tr.render(missing_message(m, tr))}


def duty_data(d: Duty, tr: Translator) -> dict[str, Any]:
    return {"indicator": d.indicator, "role": d.role.value, "role_text": tr.render(d.role.message),
            "progress": d.progress.value, "progress_text": tr.render(d.progress.message),
            "due": due_data(d.due, tr)}


def unit_data(u: UnitStatus, tr: Translator) -> dict[str, Any]:
    contact = u.contact
    return {
        "unit": u.unit, "kind": u.kind, "overdue": u.overdue,
        "duties": [duty_data(d, tr) for d in u.duties],
        "missing": [missing_data(m, tr) for m in u.missing],
        "contact": None if contact is None else {
            "name": contact.name, "title": contact.title, "phone": contact.phone,
            "note": contact.note, "file": contact.file},
        "contact_state": u.contact_state.value,
        "contact_text": tr.render(u.contact_state.message),
        "contact_due": due_data(u.contact_due, tr),
    }


def figure_data(f: SharedFigureStatus, tr: Translator) -> dict[str, Any]:
    verdict = (msg("status-figure-disagrees", years=[str(y) for y in f.disagree])
               if f.disagree else msg("status-figure-agrees"))
    return {"name": f.name, "unit": f.unit, "indicators": list(f.indicators),
            "uses": [{"indicator": u.indicator, "year": u.year, "value": u.value,
                      "shown": u.shown, "file": u.file, "line": u.line,
                      "from_shared": u.from_shared} for u in f.uses],
            "shared": [{"year": y, "shown": v} for y, v in f.shared],
            "disagree": list(f.disagree), "verdict_text": tr.render(verdict)}
