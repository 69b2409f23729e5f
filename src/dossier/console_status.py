"""The terminal view of `dossier status`: drawn from the same data as the JSON, XLSX and
HTML reports (`reports.data.status_data`), so all of them say the same."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape

from dossier.console import make_table
from dossier.i18n import Translator, msg

_PROGRESS_STYLE = {"done": "green", "open": "yellow", "overdue": "bold red", "unknown": "dim"}
_VERDICT_STYLE = {"met": "green", "unmet": "bold red", "no-data": "yellow"}
_VOLUME_STYLE = {"current": "green", "stale": "yellow", "altered": "bold red",
                 "missing": "bold red"}


def status_report(console: Console, tr: Translator, data: Mapping[str, Any]) -> None:
    _heading(console, tr, data)
    _indicators(console, tr, data["indicators"], bool(data["outs"]))
    _units(console, tr, data["units"])
    _figures(console, tr, data["figures"])
    _general(console, tr, data["findings"])
    _summary(console, tr, data)


def _heading(console: Console, tr: Translator, data: Mapping[str, Any]) -> None:
    title = tr("Status of the materials in {folder}, as of {date}", folder=data["materials"],
               date=data["as_of"])
    if data["unit"]:
        title = tr("Status of {unit}'s part in {folder}, as of {date}", unit=data["unit"],
                   folder=data["materials"], date=data["as_of"])
    console.print(f"[bold]{escape(title)}[/]")
    if not data["provenance"]:
        console.print("[dim]" + escape(tr(
            "No import record (导入记录.json) here: which unit sent what cannot be told.")) + "[/]")
    for out in data["outs"]:
        console.print("[dim]" + escape(tr("Volumes read from {folder}", folder=out)) + "[/]")
    for due in data["deadlines"]:
        style = "bold red" if due["overdue"] else "yellow" if due["days"] <= 3 else "dim"
        console.print(f"  [{style}]{escape(due['text'])}[/]  "
                      + escape(tr("{sender} to {to}: {what}", sender=due["from"], to=due["to"],
                                  what=due["what"])))


def _bar(percent: int, width: int = 10) -> str:
    full = percent * width // 100
    return "█" * full + "░" * (width - full)


def _indicators(console: Console, tr: Translator, rows: Sequence[Mapping[str, Any]],
                built: bool) -> None:
    """One row per indicator; narrow enough for an 80-column console (the dates of the
    deadlines are above, each row says only how many days are left)."""
    columns = [tr("Indicator"), tr("Name"), tr("Collecting unit"), tr("Complete"),
               tr("Files/pages"), tr("Errors/warnings"), tr("Target met"),
               *([tr("Volumes")] if built else []), tr("State")]
    table = make_table(tr, *columns)
    for n in (0, 3, 4, 5, 6):
        table.columns[n].no_wrap = True
    table.columns[1].ratio = 3
    table.columns[2].ratio = 2
    wide = console.width >= 110
    for r in rows:
        due = r["due"]["short"] if r["due"] and r["progress"] != "done" else ""
        style = _PROGRESS_STYLE[r["progress"]]
        cells = [
            str(r["indicator"]), escape(r["name"]), escape(r["collecting"] or "—"),
            f"{_bar(r['percent'], 5)} {r['percent']}%" if wide else f"{r['percent']}%",
            f"{r['files']}/{r['pages']}",
            f"[{'bold red' if r['errors'] else 'green'}]{r['errors']}[/]/{r['warnings']}",
            f"[{_VERDICT_STYLE[r['verdict']]}]{escape(r['verdict_text'])}[/]"]
        if built:
            cells.append(_volumes(tr, r["volumes"]))
        cells.append(f"[{style}]{escape(r['progress_text'])}[/] {escape(due)}".strip())
        table.add_row(*cells)
    console.print(table)


def _volumes(tr: Translator, volumes: Sequence[Mapping[str, Any]]) -> str:
    if not volumes:
        return "[dim]" + escape(tr("not built")) + "[/]"
    states: dict[str, int] = {}
    texts: dict[str, str] = {}
    for v in volumes:
        states[v["state"]] = states.get(v["state"], 0) + 1
        texts[v["state"]] = v["state_text"]
    return tr.join([f"[{_VOLUME_STYLE[s]}]{escape(texts[s])} {n}[/]"
                    for s, n in states.items()])


def _units(console: Console, tr: Translator, units: Sequence[Mapping[str, Any]]) -> None:
    owing = [u for u in units
             if u["missing"] or u["contact_state"] in ("open", "overdue", "invalid")]
    if not owing:
        console.print("\n[green]√ " + escape(tr("No unit owes anything.")) + "[/]")
        return
    console.print("\n[bold]" + escape(tr("What each unit still owes")) + "[/]")
    for u in sorted(owing, key=lambda u: (-u["overdue"], u["unit"])):
        contact = u["contact"]
        who = (tr("contact: {name} {title} {phone}", name=contact["name"],
                  title=contact["title"], phone=contact["phone"]) if contact
               else u["contact_text"])
        days = tr.plural("{n} day overdue", "up to {n} days overdue", u["overdue"])
        late = f"  [bold red]{escape(days)}[/]" if u["overdue"] else ""
        console.print(f"\n  [bold]{escape(u['unit'])}[/]{late}  [dim]{escape(who)}[/]")
        if u["contact_state"] in ("open", "overdue"):
            _item(console, tr("its contact (联络人员名单, 附件2)"), u["contact_due"])
        elif u["contact_state"] == "invalid":
            _item(console, tr.render(msg("status-missing/contact-invalid")), None)
        parts: dict[str, list[Mapping[str, Any]]] = {}
        points: dict[tuple[int, str], list[Mapping[str, Any]]] = {}
        for m in u["missing"]:
            if m["what"] == "part":  # one line per recipient: a district owes dozens
                parts.setdefault(m["due"]["to"] if m["due"] else "", []).append(m)
            elif m["what"] == "point" and m["year"] is not None:  # one line per point
                points.setdefault((m["indicator"], m["tag"]), []).append(m)
            else:
                _item(console, m["message"], m["due"])
        for (number, tag), items in points.items():
            text = (items[0]["message"] if len(items) == 1 else tr.render(msg(
                "status-missing/point-years", indicator=number, tag=tag, text=items[0]["text"],
                years=[str(m["year"]) for m in items])))
            _item(console, text, items[0]["due"])
        for to, items in parts.items():
            _item(console, tr("its part of 指标 {ids}, to send to {to}",
                              ids=[str(m["indicator"]) for m in items], to=to), items[0]["due"])


def _item(console: Console, text: str, due: Mapping[str, Any] | None) -> None:
    style = "bold red" if due and due["overdue"] else "yellow"
    when = due["text"] if due else ""
    console.print(f"    · {escape(text)}  [{style}]{escape(when)}[/]")


def _figures(console: Console, tr: Translator, figures: Sequence[Mapping[str, Any]]) -> None:
    if not figures:
        return
    console.print("\n[bold]" + escape(tr("Figures used by several indicators (附件3 四)"))
                  + "[/]")
    table = make_table(tr, tr("Figure"), tr("Year"), tr("Values by indicator"),
                       tr("共享数据.yaml"), tr("Agreement"))
    for f in figures:
        years = sorted({u["year"] for u in f["uses"]} | {s["year"] for s in f["shared"]})
        shared = {s["year"]: s["shown"] for s in f["shared"]}
        for n, year in enumerate(years):
            uses = [u for u in f["uses"] if u["year"] == year]
            values = tr.join([tr("{indicator}: {value}", indicator=u["indicator"],
                                 value=u["shown"]) for u in uses])
            bad = year in f["disagree"]
            mark = "[bold red]× " + escape(tr("disagree")) + "[/]" if bad else "[green]√[/]"
            table.add_row(escape(f["name"]) if n == 0 else "", str(year), escape(values),
                          escape(shared.get(year, "—")), mark)
    console.print(table)


def _general(console: Console, tr: Translator, findings: Sequence[Mapping[str, Any]]) -> None:
    shown = [f for f in findings if f["severity"] in ("error", "warning")]
    if not shown:
        return
    console.print("\n[bold]" + escape(tr("The materials folder as a whole")) + "[/]")
    for f in shown:
        mark = "[bold red]×" if f["severity"] == "error" else "[yellow]！"
        console.print(f"  {mark}[/] {escape(f['message'])}  [dim]{f['code']}[/]")


def _summary(console: Console, tr: Translator, data: Mapping[str, Any]) -> None:
    s = data["summary"]
    text = tr("Summary: {complete} of {total} indicators complete, {overdue} overdue; "
              "{units} units overdue; {contacts} contacts missing; {errors} errors, "
              "{warnings} warnings",
              complete=s["complete"], total=s["indicators"], overdue=s["overdue"],
              units=s["units_overdue"], contacts=s["contacts_missing"], errors=s["errors"],
              warnings=s["warnings"])
    style = "bold red" if s["overdue"] or s["units_overdue"] else "green"
    console.print(f"\n[{style}]{escape(text)}[/]")
