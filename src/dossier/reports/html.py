"""The HTML 总览: one self-contained page (CSS and JS inline, no network, no fonts to
fetch) drawn from `status_data`, so it says what the JSON report says.

The page is sortable by any column, filterable by unit and by text, has a drill-down per
indicator (findings, verdicts per year, the review-point grid, contributions, volumes
with links to their PDFs) and prints on A4 landscape. Everything a person reads is
rendered here, in the translator's language; the template only lays it out, and jinja
escapes every value (names come from users' files)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dossier.explain.evaluate import Verdict
from dossier.i18n import Translator, msg, placeholders
from dossier.messages import REGISTRY
from dossier.reports import Destination
from dossier.reports.data import due_message, status_data
from dossier.status.model import Status
from dossier.templating import make_environment
from dossier.templating import render as render_template

TEMPLATE = "总览.html.j2"
PREFIX = "status-html/"
LANG = {"zh": "zh-CN", "en": "en"}

# Marks that carry meaning without colour (the page prints in black and white)
YES, NO, NONE, UNKNOWN, WAIT, CHANGED = "√", "×", "—", "?", "○", "!"
VERDICT_MARK = {"met": YES, "unmet": NO, "no-data": UNKNOWN}
PROGRESS_MARK = {"done": YES, "open": WAIT, "overdue": NO, "unknown": UNKNOWN}
VOLUME_MARK = {"current": YES, "stale": CHANGED, "altered": CHANGED, "missing": NO,
               "conflict": NO}
VOLUME_RANK = {"conflict": 1, "missing": 2, "altered": 3, "stale": 4, "current": 5}  # 0: none
VERDICT_RANK = {"unmet": 0, "no-data": 1, "met": 2}  # sorting: worst first
PROGRESS_RANK = {"overdue": 0, "open": 1, "unknown": 2, "done": 3}
NO_DUE = 99999  # sorts an indicator without a deadline last


def render(status: Status, tr: Translator, to: Destination) -> bytes:
    data = status_data(status, tr)
    text = render_template(make_environment(), TEMPLATE, page=page(data, tr, to.path.parent),
                           labels=labels(tr))
    # a name with undecodable bytes (surrogates) becomes a character reference
    return text.encode("utf-8", "xmlcharrefreplace")


def labels(tr: Translator) -> dict[str, str]:
    """The page's fixed words, by key without the prefix ("col/name" -> "col_name").
    Those with placeholders keep them for the page's script to fill ({shown}, {total})."""
    words = {}
    for key in REGISTRY:
        if key.startswith(PREFIX):
            name = key[len(PREFIX):].replace("/", "_").replace("-", "_")
            words[name] = tr.render(msg(key, **_kept(key)))
    return words


def _kept(key: str) -> dict[str, str]:
    template = REGISTRY[key]
    text = template if isinstance(template, str) else template.singular
    return {name: "{" + name + "}" for name in placeholders(text)}


def say(tr: Translator, key: str, **params: Any) -> str:
    return tr.render(msg(PREFIX + key, **params))


def page(data: dict[str, Any], tr: Translator, here: Path) -> dict[str, Any]:
    indicators = [indicator_row(i, data, tr, here) for i in data["indicators"]]
    title = data.get("title")  # the catalogue's city and programme, when status_data has it
    return {
        "lang": LANG.get(tr.language, tr.language),
        "title": say(tr, "title", title=title) if title else say(tr, "title-plain"),
        "as_of": say(tr, "as-of", date=data["as_of"]),
        "materials": say(tr, "materials", folder=data["materials"]),
        "outs": say(tr, "outs", folders=data["outs"]) if data["outs"] else "",
        "unit_view": say(tr, "unit-view", unit=data["unit"]) if data["unit"] else "",
        "deadlines": deadlines(data),
        "summary": summary(data["summary"], tr),
        "filter_units": filter_units(data),
        "indicators": indicators,
        "units": [unit_row(u, tr) for u in data["units"]],
        "figures": [row for f in data["figures"] for row in figure_rows(f, tr)],
        "findings": [finding_row(f, tr) for f in data["findings"]],
    }


def deadlines(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The catalogue's deadlines, in date order, with days left or overdue."""
    return [{"what": d["what"], "from": d["from"], "to": d["to"], "text": d["text"],
             "late": d["days"] < 0} for d in data["deadlines"]]


def summary(counts: dict[str, Any], tr: Translator) -> list[dict[str, Any]]:
    def item(label: str, value: int, alert: bool = False) -> dict[str, Any]:
        return {"label": label, "value": value, "alert": alert and value > 0}

    verdicts = counts["verdicts"]
    return [
        item(say(tr, "summary/indicators"), counts["indicators"]),
        item(say(tr, "summary/complete"), counts["complete"]),
        item(say(tr, "summary/overdue"), counts["overdue"], True),
        item(say(tr, "summary/errors"), counts["errors"], True),
        item(say(tr, "summary/warnings"), counts["warnings"]),
        *(item(f"{VERDICT_MARK[v]} {tr.render(Verdict(v).message)}", verdicts[v],
               v == "unmet") for v in ("met", "unmet", "no-data")),
        item(say(tr, "summary/units-overdue"), counts["units_overdue"], True),
        item(say(tr, "summary/contacts-missing"), counts["contacts_missing"], True),
        item(say(tr, "summary/figures-disagree"), counts["figures_disagree"], True),
    ]


def indicator_units(ind: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """The units an indicator concerns: its 牵头单位 and 责任单位, the units contributing
    (groups stand for their members) and every unit that owes something for it."""
    names = [*ind["leads"], *ind["responsible"], *(c["unit"] for c in ind["contributions"])]
    names += [u["unit"] for u in data["units"]
              if any(d["indicator"] == ind["indicator"] for d in u["duties"])]
    return _unique(names)


def filter_units(data: dict[str, Any]) -> list[str]:
    listed = [u["unit"] for u in data["units"]]
    named = {n for i in data["indicators"] for n in indicator_units(i, data)}
    return _unique([*listed, *sorted(named - set(listed))])


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def indicator_row(ind: dict[str, Any], data: dict[str, Any], tr: Translator,
                  here: Path) -> dict[str, Any]:
    units = indicator_units(ind, data)
    due = ind["due"]
    volumes = [volume_row(v, tr, here) for v in ind["volumes"]]
    return {
        "id": ind["indicator"], "name": ind["name"], "attribute": ind["attribute"],
        "toggle": say(tr, "button/details", indicator=ind["indicator"]),
        "collecting": ind["collecting"] or NONE, "has_folder": ind["has_folder"],
        "units_text": say(tr, "detail/units", leads=ind["leads"] or [NONE],
                          responsible=ind["responsible"] or [NONE]),
        "units_json": json.dumps(units, ensure_ascii=False),
        "search": " ".join([str(ind["indicator"]), ind["name"], *units]),
        "files": ind["files"], "pages": ind["pages"],
        "percent": ind["percent"], "complete": ind["complete"],
        "covered": ind["covered"], "required": ind["required"],
        "errors": ind["errors"], "warnings": ind["warnings"],
        "verdict": ind["verdict"], "verdict_text": ind["verdict_text"],
        "verdict_mark": VERDICT_MARK[ind["verdict"]],
        "verdict_rank": VERDICT_RANK[ind["verdict"]],
        "progress": ind["progress"], "progress_text": ind["progress_text"],
        "progress_mark": PROGRESS_MARK[ind["progress"]],
        "progress_rank": PROGRESS_RANK[ind["progress"]],
        "due_text": due["text"] if due else tr.render(due_message(None)),
        "due_days": due["days"] if due else NO_DUE,
        "late": bool(due and due["days"] < 0 and ind["progress"] != "done"),
        "volumes_summary": volumes_summary(volumes, tr),
        "volumes_rank": min((VOLUME_RANK[v["state"]] for v in volumes), default=0),
        "volumes": volumes,
        "findings": [finding_row(f, tr) for f in ind["findings"]],
        "verdicts": [metric_row(m, tr) for m in ind["verdicts"]],
        "grid": points_grid(ind["points"], tr),
        "contributions": [contribution_row(c, tr) for c in ind["contributions"]],
    }


def volumes_summary(volumes: list[dict[str, Any]], tr: Translator) -> list[str]:
    """Each state the indicator's volumes are in, worst first ("√ up to date")."""
    if not volumes:
        return [f"{NONE} {tr.render(msg('status-volume/none'))}"]
    states = sorted({(VOLUME_RANK[v["state"]], v["mark"], v["state_text"]) for v in volumes})
    return [f"{mark} {text}" for _, mark, text in states]


def volume_row(v: dict[str, Any], tr: Translator, here: Path) -> dict[str, Any]:
    return {"label_text": v["label_text"], "file": v["file"], "pages": v["pages"],
            "state": v["state"], "state_text": v["state_text"],
            "mark": VOLUME_MARK[v["state"]],
            "changed_text": say(tr, "detail/changed", files=v["changed"]) if v["changed"] else "",
            "href": None if v["state"] == "missing" else pdf_href(v["out"], v["file"], here)}


def pdf_href(out: str, file: str, here: Path) -> str:
    """A link from the page's folder to out/file: relative, with forward slashes and
    percent-encoded; a file URL when no relative path exists (another drive)."""
    target = os.path.abspath(os.path.join(out, file))
    try:
        rel = os.path.relpath(target, os.path.abspath(here))
    except ValueError:  # Windows: the page and the volumes are on different drives
        return Path(target).as_uri()
    return quote(rel.replace(os.sep, "/"), safe="/")


def finding_row(f: dict[str, Any], tr: Translator) -> dict[str, Any]:
    severity = f["severity"]
    return {"severity": severity, "severity_text": say(tr, f"severity/{severity}"),
            "mark": {"error": NO, "warning": CHANGED}.get(severity, ""),
            "code": f["code"], "message": f["message"], "path": f["path"] or NONE}


def metric_row(m: dict[str, Any], tr: Translator) -> dict[str, Any]:
    return {"name": m["name"], "target": m["target"], "verdict": m["verdict"],
            "verdict_text": tr.render(Verdict(m["verdict"]).message),
            "mark": VERDICT_MARK[m["verdict"]],
            "years": [{"year": y["year"], "value": figure_text(y), "verdict": y["verdict"],
                       "verdict_text": tr.render(Verdict(y["verdict"]).message),
                       "mark": VERDICT_MARK[y["verdict"]], "reason": y["reason"]}
                      for y in m["years"]]}


def figure_text(year: dict[str, Any]) -> str:
    if year["value"] is not None:
        number = f"{year['value']:f}".rstrip("0").rstrip(".")
        unit = year["unit"] or ""
        return f"{number}{unit}" if unit in ("", "%", "‰") else f"{number} {unit}"
    return str(year["status"]) if year["status"] else NONE


def points_grid(points: list[dict[str, Any]], tr: Translator) -> dict[str, Any]:
    """The review points against the years they need: √ covered, × missing, — not asked.
    A once-only point has its cell in a column of its own."""
    years = sorted({y for p in points for y in p["required"] if y is not None})
    once = any(None in p["required"] for p in points)
    columns: list[int | None] = [*years, *([None] if once else [])]
    heads = [str(y) if y is not None else say(tr, "col/once") for y in columns]
    rows = []
    for p in points:
        def cell(year: int | None, p: dict[str, Any] = p) -> str:
            if year not in p["required"]:
                return NONE
            return YES if p["by"] or year in p["covered"] else NO
        note = (say(tr, "detail/replaces", tag=p["replaces"]) if p["replaces"] else
                say(tr, "detail/covered-by", tag=p["by"]) if p["by"] else "")
        rows.append({"tag": p["tag"], "text": p["text"], "note": note, "files": p["files"],
                     "cells": [cell(y) for y in columns]})
    return {"heads": heads, "rows": rows}


def contribution_row(c: dict[str, Any], tr: Translator) -> dict[str, Any]:
    return {"unit": c["unit"], "role_text": c["role_text"], "files": c["files"],
            "progress": c["progress"], "progress_text": c["progress_text"],
            "mark": PROGRESS_MARK[c["progress"]],
            "due_text": c["due"]["text"] if c["due"] else tr.render(due_message(None))}


def unit_row(u: dict[str, Any], tr: Translator) -> dict[str, Any]:
    contact = u["contact"]
    return {
        "unit": u["unit"], "kind": u["kind"], "overdue": u["overdue"],
        "duties": duty_lines(u["duties"], tr), "missing": missing_groups(u["missing"], tr),
        "contact": None if contact is None else [
            v for v in (contact["name"], contact["title"], contact["phone"], contact["note"])
            if v],
        "contact_state": u["contact_state"], "contact_text": u["contact_text"],
        "contact_mark": {"received": YES, "overdue": NO, "open": WAIT, "invalid": NO}.get(
            u["contact_state"], NONE),
        "contact_due": u["contact_due"]["text"] if u["contact_due"] else "",
    }


def duty_lines(duties: list[dict[str, Any]], tr: Translator) -> list[dict[str, Any]]:
    """A unit's duties, those alike (same part, same recipient, state and deadline) on one
    line: a district owes some thirty indicators to a handful of collecting units."""
    alike: dict[tuple[str, str, str, str, str], list[str]] = {}
    for d in duties:
        due = d["due"]
        key = (d["progress"], d["role_text"], due["to"] if due else NONE, d["progress_text"],
               due["text"] if due else tr.render(due_message(None)))
        alike.setdefault(key, []).append(str(d["indicator"]))
    return [{"text": say(tr, "unit/duty", indicators=ids, role=role, to=to, state=state,
                         due=due_text),
             "mark": PROGRESS_MARK[progress], "late": progress == "overdue"}
            for (progress, role, to, state, due_text), ids in alike.items()]


def missing_groups(missing: list[dict[str, Any]], tr: Translator) -> list[dict[str, Any]]:
    """What a unit still owes, indicator by indicator, each with its deadline once."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for m in missing:
        grouped.setdefault(m["indicator"], []).append(m)
    groups = []
    for number, items in grouped.items():
        due = items[0]["due"]
        groups.append({
            "head": say(tr, "unit/missing", indicator=number,
                        due=due["text"] if due else tr.render(due_message(None))),
            "late": bool(due and due["days"] < 0),
            "entries": [m["message"] for m in items]})
    return groups


def figure_rows(f: dict[str, Any], tr: Translator) -> list[dict[str, Any]]:
    """One row per year of a figure: what each indicator gives and what 共享数据.yaml holds."""
    shared = {s["year"]: s["shown"] for s in f["shared"]}
    years = sorted({u["year"] for u in f["uses"]} | set(shared))
    rows = []
    for n, year in enumerate(years):
        uses = [u for u in f["uses"] if u["year"] == year]
        rows.append({
            "first": n == 0, "span": len(years), "name": f["name"], "unit": f["unit"],
            "year": year,
            "given": [{"text": say(tr, "figure/value", indicator=u["indicator"],
                                    value=u["shown"]),
                        "note": tr.render(msg("status-figure-shared")) if u["from_shared"]
                        else ""} for u in uses],
            "shared": shared.get(year, NONE),
            "disagree": year in f["disagree"],
            "agree_text": (f"{NO} {say(tr, 'figure/disagrees')}" if year in f["disagree"]
                           else f"{YES} {tr.render(msg('status-figure-agrees'))}"),
        })
    return rows
