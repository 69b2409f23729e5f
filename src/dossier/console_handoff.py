"""What the hand-off commands show a person (正文 二、三): `pack` (a 责任单位's zips),
`import` (what a 牵头单位 merged) and `tidy` (the fixes proposed, made or reversed). The
rest of the console is in console.py."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from dossier.console import Hints, count_text, make_table
from dossier.findings import Severity
from dossier.i18n import Message, Translator

if TYPE_CHECKING:
    from dossier.importing import Imported
    from dossier.pack import PackPlan


def pack_report(console: Console, tr: Translator, plan: PackPlan, out_dir: Path,
                written: Sequence[Path], dry_run: bool) -> None:
    """Whom each zip goes to, what it holds, and how the sender's check went."""
    if plan.parcels:
        table = make_table(tr, tr("Receiving unit"), tr("Indicators"), tr("Files"),
                       tr("Deadline"), tr("Zip"))
        for parcel in plan.parcels:
            table.add_row(escape(parcel.lead), escape(tr.join(parcel.indicators)),
                          str(len(parcel.files)), parcel.deadline, escape(parcel.name))
        console.print(table)
    if plan.waiting:
        waiting = [tr("{lead} (indicators {ids})", lead=p.lead, ids=p.indicators)
                   for p in plan.waiting]
        console.print("[yellow]" + escape(tr("nothing in the folder yet for: {waiting}",
                                             waiting=waiting)) + "[/]")
    for name in plan.left_out:
        console.print("[bold red]× " + escape(tr(
            "{file} is not packed: no encoding reads its name; rename it and pack again",
            file=name)) + "[/]")
    if plan.unassigned:
        console.print("[yellow]" + escape(tr(
            "not packed, the catalogue names no 牵头单位: indicators {ids}; ask the "
            "领导小组办公室", ids=plan.unassigned)) + "[/]")
    errors = sum(1 for f in plan.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in plan.findings if f.severity is Severity.WARNING)
    if dry_run:
        text = tr("{unit}: {zips} zips would be written to {out} (dry run)", unit=plan.unit,
                  zips=len(plan.parcels), out=out_dir)
    else:
        text = tr("{unit}: {zips} zips written to {out}", unit=plan.unit, zips=len(written),
                  out=out_dir)
    console.print(escape(text))
    if not plan.parcels:
        return
    style = "bold red" if errors else ("yellow" if warnings else "green")
    console.print(f"[{style}]" + escape(tr(
        "The check of what is sent: {errors}, {warnings}; the zips hold the full report "
        "(检查结果.txt). Fix errors before sending.", errors=count_text(tr, Severity.ERROR, errors),
        warnings=count_text(tr, Severity.WARNING, warnings))) + "[/]")


def import_report(console: Console, tr: Translator, done: Sequence[Imported], into: Path,
                  dry_run: bool) -> None:
    """Per source: who supplied it, where its files went, and what needs a look."""
    for item in done:
        supplier = item.unit or tr("unknown unit")
        console.print("[bold]" + escape(tr("{source} (from {unit})", source=item.source,
                                           unit=supplier)) + "[/]")
        for problem in item.problems:
            console.print("  [bold red]× [/]" + escape(tr.render(problem)))
        for note in item.notes:
            console.print("  · " + escape(tr.render(note)))
        count = {o: sum(1 for p in item.placed if p.outcome == o)
                 for o in ("placed", "identical", "kept-beside", "unsorted")}
        for p in item.placed:
            if p.outcome in ("kept-beside", "unsorted"):
                console.print("  [yellow]！[/]" + escape(tr.render(p.message)))
        if not item.refused:
            numbers = {"placed": count["placed"], "identical": count["identical"],
                       "beside": count["kept-beside"], "unsorted": count["unsorted"]}
            line = (tr("would be: {placed} placed, {identical} already there, {beside} kept "
                       "beside an existing file, {unsorted} to sort by hand", **numbers)
                    if dry_run else
                    tr("{placed} placed, {identical} already there, {beside} kept beside an "
                       "existing file, {unsorted} to sort by hand", **numbers))
            console.print("  " + escape(line))
    if dry_run:
        text = tr("{into}: dry run, nothing was written", into=into)
    elif all(item.refused for item in done):
        text = tr("{into}: nothing was merged", into=into)
    else:
        text = tr("{into}: merged; who supplied which file is in 导入记录.json", into=into)
    console.print(escape(text))


def tidy_report(console: Console, tr: Translator, done: Sequence[Message],
                problems: Sequence[Message], stage: str, hints: Hints) -> None:
    """The changes tidy proposes (preview), made (applied) or reversed (undo)."""
    for m in done:
        console.print("  " + escape(tr.render(m)))
    for m in problems:
        console.print("  [yellow]！[/]" + escape(tr.render(m)))
    summary = Message(f"tidy-summary/{stage}", {"count": len(done)})
    for hint in hints(summary):
        console.print(f"[dim]{escape(hint)}[/]")
