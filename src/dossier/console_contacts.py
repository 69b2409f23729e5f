"""What `dossier contacts` shows: the contacts received from the 联络人员名单 (附件2), the
units that have not sent theirs, and the problems of the forms. The rest of the console is
in console.py."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from dossier.console import Hints, make_table, severity_label, summary_line
from dossier.findings import Finding, Report, Severity
from dossier.i18n import Message, Translator

if TYPE_CHECKING:
    from dossier.contacts import ContactList
    from dossier.schema import Deadline

_MARK = {Severity.ERROR: ("×", "bold red"), Severity.WARNING: ("！", "yellow"),
         Severity.INFO: ("·", "cyan")}


def template_written(console: Console, tr: Translator, path: Path, units: int,
                     deadline: Deadline | None) -> None:
    console.print("[green]√[/] " + escape(tr.plural(
        "{file}: the 联络人员名单 (附件2) with {n} unit, ready to print or to send",
        "{file}: the 联络人员名单 (附件2) with {n} units, ready to print or to send",
        units, file=path)))
    if deadline is not None:
        console.print("  " + escape(tr("to be sent to {to} by {date}", to=deadline.to,
                                       date=deadline.date.isoformat())))


def contacts_report(console: Console, tr: Translator, contacts: ContactList,
                    expected: Sequence[str], deadline: Deadline | None, root: Path,
                    hints: Hints) -> None:
    """The contacts received, the units still missing, each problem, then a summary."""
    console.print("[bold]" + escape(tr("dossier contacts {root}", root=root)) + "[/] — "
                  + escape(tr.plural("{n} form read", "{n} forms read",
                                     len(contacts.files))))
    if not contacts.files:
        console.print("[yellow]" + escape(tr(
            "no 联络人员名单 in {root}: put the filled form (a file whose name contains "
            "联络人员, .xlsx or .yaml) at its top level, or the forms of the units into a "
            "folder 联络人员名单 there", root=root)) + "[/]")
        for hint in hints(Message("contacts-none", {"root": str(root)})):
            console.print(f"  [dim]{escape(hint)}[/]")
        return
    _table(console, tr, contacts)
    _missing(console, tr, contacts.missing(expected), len(expected), deadline)
    report = Report.of(contacts.findings)
    if report.findings:
        console.print()
    for f in sorted(report.findings, key=_order):
        console.print(_line(tr, f, hints))
    summary_line(console, tr, report)


def _table(console: Console, tr: Translator, contacts: ContactList) -> None:
    if not contacts.contacts:
        return
    one_file = len({c.file for c in contacts.contacts}) == 1  # then the row says enough
    table = make_table(tr, tr("Unit"), tr("Person"), tr("Position"), tr("Phone"),
                       tr("Remarks"), tr("Row") if one_file else tr("Form, row"))
    for c in contacts.contacts:
        where = str(c.row) if one_file else tr("{file}, row {row}", file=c.file, row=c.row)
        table.add_row(escape(c.unit), escape(c.name), escape(c.title), escape(c.phone),
                      escape(c.note), escape(where))
    console.print(table)


def _missing(console: Console, tr: Translator, missing: Sequence[str], total: int,
             deadline: Deadline | None) -> None:
    received = total - len(missing)
    if not missing:
        console.print("[green]√ " + escape(tr("every unit has sent its contact ({n})",
                                             n=received)) + "[/]")
        return
    text = tr.plural("{received} of {total} units have sent their contact; {n} has not: "
                     "{units}",
                     "{received} of {total} units have sent their contact; {n} have not: "
                     "{units}", len(missing), received=received, total=total, units=missing)
    console.print("[yellow]" + escape(text) + "[/]")
    if deadline is not None:
        console.print("  " + escape(tr("due {date}, to {to}", date=deadline.date.isoformat(),
                                       to=deadline.to)))


def _order(f: Finding) -> tuple[str, int, int]:
    return (f.path or "", int(f.params.get("row", 0) or 0), f.severity.rank)


def _line(tr: Translator, f: Finding, hints: Hints) -> str:
    mark, style = _MARK[f.severity]
    lines = [f"  [{style}]{mark} {escape(severity_label(tr, f.severity))}[/] "
             f"[dim]{f.code}[/]  {escape(tr.render(f.message))}"]
    lines += [f"      [dim]{escape(hint)}[/]" for hint in hints(f.message)]
    return "\n".join(lines)
