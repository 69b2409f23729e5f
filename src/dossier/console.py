"""Everything the CLI shows a person: rich tables, the check report, progress, errors.
Every word comes from the message catalogue through the translator `tr`; machine output
(JSON) is printed by cli.py, never through rich markup.

Only characters a GBK console can print are used for marks (√ × ！), so a Chinese
Windows console or a redirected file never fails on them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from dossier.findings import Finding, Report, Severity
from dossier.i18n import Message, Translator
from dossier.units import Role

__all__ = ["escape"]

if TYPE_CHECKING:  # types only: importing them would load pypdf/reportlab for every command
    from dossier.build import Outcome
    from dossier.catalogue import Catalogue
    from dossier.checks import CheckResult
    from dossier.fonts import FontCandidate, FontChoice
    from dossier.plan import VolumePlan
    from dossier.retire import Retired
    from dossier.scaffold import InitResult
    from dossier.schema import Indicator
    from dossier.verify import Verdict

Hints = Callable[[Message], Sequence[str]]  # the CLI's hints for a message (flags, commands)

_STYLE = {Severity.ERROR: ("×", "bold red"), Severity.WARNING: ("！", "yellow"),
          Severity.INFO: ("·", "cyan")}
_BOX = box.SIMPLE_HEAD  # light lines only: every character is in GBK


def severity_label(tr: Translator, severity: Severity) -> str:
    return {Severity.ERROR: tr("error"), Severity.WARNING: tr("warning"),
            Severity.INFO: tr("info")}[severity]


def make_console(stderr: bool = False) -> Console:
    """Wraps long lines for a person at a terminal; never when piped (grep-able logs)."""
    console = Console(stderr=stderr, highlight=False)
    console.soft_wrap = not console.is_terminal
    return console


def make_table(tr: Translator, *columns: str) -> Table:
    table = Table(header_style="bold", box=_BOX)
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


def units(tr: Translator, names: Sequence[str]) -> str:
    return tr.join(names) if names else "—"


def error(console: Console, tr: Translator, text: str, hints: Sequence[str] = (),
          details: Sequence[str] = ()) -> None:
    label = tr("Error:")
    gap = "" if label.endswith("：") else " "
    console.print(f"[bold red]{escape(label)}[/]{gap}{escape(text)}")
    for detail in details:
        console.print(f"  {escape(detail)}")
    for hint in hints:
        console.print(f"  [dim]{escape(hint)}[/]")


def warning(console: Console, tr: Translator, message: Message) -> None:
    label = tr("Warning:")
    gap = "" if label.endswith("：") else " "
    console.print(f"[yellow]{escape(label)}[/]{gap}{escape(tr.render(message))}")


def indicator_table(console: Console, tr: Translator, indicators: Sequence[Indicator],
                    roles: Mapping[int, Role] | None = None, unit: str | None = None) -> None:
    """The indicators; with a unit, its part in each (牵头 and collects, second lead, 责任)."""
    columns = [tr("No."), tr("Indicator"), tr("Target"), tr("Attribute"), tr("Lead units"),
               tr("Review points")]
    if roles is not None:
        columns.insert(2, tr("Role"))
    table = make_table(tr, *columns)
    for ind in indicators:
        row = [str(ind.id), escape(ind.name), escape(ind.target), ind.attribute,
               escape(units(tr, ind.lead_units)), str(len(ind.requirements))]
        if roles is not None:
            role = roles.get(ind.id)
            shown = escape(tr.render(role.message)) if role else ""
            row.insert(2, f"[bold]{shown}[/]" if role and role.leads else shown)
        table.add_row(*row)
    console.print(table)
    if roles is not None:
        count = {r: sum(1 for v in roles.values() if v is r) for r in Role}
        console.print(tr("{unit}: collects {collects}, leads but not first {second}, "
                         "contributes to {contributes}", unit=unit or "",
                         collects=count[Role.COLLECTS], second=count[Role.SECOND_LEAD],
                         contributes=count[Role.RESPONSIBLE]))
    console.print(tr.plural("{n} indicator", "{n} indicators", len(indicators)))


def indicator_detail(console: Console, tr: Translator, ind: Indicator,
                     catalogue: Catalogue) -> None:
    console.print("[bold]" + escape(tr("{id} {name} ({attribute})", id=ind.id, name=ind.name,
                                       attribute=ind.attribute)) + "[/]")
    rows = [(tr("Area"), ind.domain), (tr("Task"), ind.task), (tr("Target"), ind.target),
            (tr("Lead units"), units(tr, ind.lead_units)),
            (tr("Responsible units"), units(tr, ind.responsible_units))]
    if ind.note:
        rows.append((tr("Note"), ind.note))
    for key, value in rows:
        console.print(f"  [bold]{escape(key)}[/]  {escape(value)}")
    if len(ind.metrics) > 1 or ind.metrics[0].name != ind.name:
        console.print("  [bold]" + escape(tr("Metrics")) + "[/]")
        for m in ind.metrics:
            console.print("    · " + escape(tr("{name}: {target}", name=m.name, target=m.target)))
    console.print("  [bold]" + escape(tr("Main tasks")) + f"[/]  {escape(ind.main_tasks)}")
    console.print("  [bold]" + escape(tr("Review points (申报资料审核要点)")) + "[/]")
    years = catalogue.settings.evidence_years
    for r in ind.requirements:
        note = ""
        if r.annual and r.alternative_to:
            note = tr("[per year: {years}, as “{asks}” is made each year; may replace review "
                      "point ({tag})]", years=years, asks=r.annual, tag=r.alternative_to)
        elif r.annual:
            note = tr("[per year: {years}, as “{asks}” is made each year]", years=years,
                      asks=r.annual)
        elif r.per_year and r.alternative_to:
            note = tr("[per year: {years}; may replace review point ({tag})]", years=years,
                      tag=r.alternative_to)
        elif r.per_year:
            note = tr("[per year: {years}]", years=years)
        elif r.alternative_to:
            note = tr("[may replace review point ({tag})]", tag=r.alternative_to)
        suffix = f"  [dim]{escape(note)}[/]" if note else ""
        console.print(f"    [bold]{r.tag}[/] {escape(r.text)}{suffix}")


def _line(tr: Translator, f: Finding, hints: Hints) -> str:
    """The finding, and below it the CLI's hints (a command or a flag to use)."""
    mark, style = _STYLE[f.severity]
    label = severity_label(tr, f.severity)
    lines = [f"  [{style}]{mark} {escape(label)}[/] [dim]{f.code}[/]  "
             f"{escape(tr.render(f.message))}"]
    lines += [f"      [dim]{escape(hint)}[/]" for hint in hints(f.message)]
    return "\n".join(lines)


def check_report(console: Console, tr: Translator, result: CheckResult, root: Path,
                 catalogue: Catalogue, hints: Hints) -> None:
    report = result.report
    names = {i.id: i for i in catalogue.indicators}
    counts = tr("{indicators}, {files}, {pages}",
                indicators=tr.plural("{n} indicator checked", "{n} indicators checked",
                                     len(result.indicators)),
                files=tr.plural("{n} file", "{n} files", result.files),
                pages=tr.plural("{n} page", "{n} pages", result.pages))
    console.print("[bold]" + escape(tr("dossier check {root}", root=root)) + "[/] — "
                  + escape(counts))
    missing = [f for f in report.findings if f.key == "missing-indicator-folder"]
    if missing:
        ids = [f.indicator for f in missing]
        console.print("\n[bold red]× " + escape(tr.plural(
            "no folder for {n} indicator: {ids}", "no folder for {n} indicators: {ids}",
            len(ids), ids=ids)) + "[/]  [dim]missing-indicator-folder[/]")
        many = Message("missing-indicator-folders", {"indicators": ids})
        for hint in hints(missing[0].message if len(ids) == 1 else many):
            console.print(f"  [dim]{escape(hint)}[/]")
    shown = [f for f in report.findings if f.key != "missing-indicator-folder"]
    for ind_id, group in groupby(shown, key=lambda f: f.indicator):
        items = list(group)
        if ind_id is None:
            console.print("\n[bold]" + escape(tr("The materials folder as a whole")) + "[/]")
        else:
            ind = names[ind_id]
            console.print("\n[bold]" + escape(tr("Indicator {id} {name}", id=ind_id,
                                                 name=ind.name))
                          + f"[/]  [dim]{escape(units(tr, ind.lead_units))}[/]  "
                          + _counts(tr, items))
        for f in items:
            console.print(_line(tr, f, hints))
    verdict_table(console, tr, result)
    clean = [i.id for i in result.indicators
             if not any(f.indicator == i.id for f in report.findings)]
    if clean:
        console.print("\n[green]√ " + escape(tr("no findings: indicators {ids}", ids=clean))
                      + "[/]")
    summary_line(console, tr, report)


def summary_line(console: Console, tr: Translator, report: Report) -> None:
    """The last line of a report of findings: how many errors, warnings and notes."""
    s = report.summary()
    style = "bold red" if s["errors"] else ("yellow" if s["warnings"] else "green")
    console.print(f"\n[{style}]" + escape(tr(
        "Summary: {errors}, {warnings}, {notes}",
        errors=count_text(tr, Severity.ERROR, s["errors"]),
        warnings=count_text(tr, Severity.WARNING, s["warnings"]),
        notes=count_text(tr, Severity.INFO, s["infos"]))) + "[/]")


_VERDICT_STYLE = {"met": "green", "unmet": "bold red", "no-data": "yellow"}
_MARK = {"met": "√", "unmet": "×", "no-data": "?"}


def verdict_table(console: Console, tr: Translator, result: CheckResult) -> None:
    """One row per metric of each indicator with explanation data: the indicator's verdict
    and the metric's verdict per year."""
    items = result.data.indicators
    rows = [d.result for d in items if d.result.evaluated]
    invalid = [d.indicator.id for d in items if d.loaded and d.explanation is None]
    absent = [d.indicator.id for d in items if d.loaded is None]
    if not items:
        return
    console.print("\n[bold]" + escape(tr("Target verdicts (达标判定), from 达标说明.yaml"))
                  + "[/]")
    if rows:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        for col in (tr("Indicator"), tr("Name"), tr("Attribute"), tr("Verdict"),
                    tr("By year"), tr("Metric")):
            table.add_column(col, overflow="fold")
        for r in rows:
            style = _VERDICT_STYLE[r.verdict.value]
            head = [str(r.indicator.id), escape(r.indicator.name), r.indicator.attribute,
                    f"[{style}]{escape(tr.render(r.verdict.message))}[/]"]
            for n, m in enumerate(r.metrics):
                years = " ".join(f"[{_VERDICT_STYLE[y.verdict.value]}]{y.year}"
                                 f"{_MARK[y.verdict.value]}[/]" for y in m.years)
                name = escape(m.metric.name) if m.metric.name != r.indicator.name else ""
                table.add_row(*(head if n == 0 else ["", "", "", ""]), years, name)
        console.print(table)
    if invalid:
        console.print("  [red]" + escape(tr(
            "not evaluated (达标说明.yaml has errors, see above): indicators {ids}",
            ids=invalid)) + "[/]")
    if absent:
        console.print("  [dim]" + escape(tr("not evaluated (no 达标说明.yaml): indicators {ids}",
                                            ids=absent)) + "[/]")


def count_text(tr: Translator, severity: Severity, n: int) -> str:
    if severity is Severity.ERROR:
        return tr.plural("{n} error", "{n} errors", n)
    if severity is Severity.WARNING:
        return tr.plural("{n} warning", "{n} warnings", n)
    return tr.plural("{n} note", "{n} notes", n)


def _counts(tr: Translator, items: Sequence[Finding]) -> str:
    parts = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        n = sum(1 for f in items if f.severity is sev)
        if n:
            parts.append(f"[{_STYLE[sev][1]}]{escape(count_text(tr, sev, n))}[/]")
    return tr.join(parts)


def init_report(console: Console, tr: Translator, result: InitResult, root: Path) -> None:
    for rel in result.created:
        shown = str(root) if rel == "." else rel
        console.print("  [green]" + escape(tr("created")) + f"[/] {escape(shown)}")
    console.print(escape(tr("{root}: {created} created, {kept} already there (left untouched)",
                            root=root, created=len(result.created), kept=len(result.kept))))


@contextmanager
def progress_bar(console: Console, tr: Translator) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback for library code; silent when stderr is not a terminal."""
    if not console.is_terminal:
        yield lambda stage, done, total: None
        return
    labels = {"probe": tr("checking files"), "scan": tr("scanning"),
              "convert": tr("converting office documents")}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        yield update


@dataclass(frozen=True)
class BuildProgress:
    volume: Callable[[Outcome], None]  # a volume is built, up to date or failed
    pages: Callable[[int], None]  # pages added to the volume being built
    converted: Callable[[int, int], None]  # office documents converted (done, of total)


@contextmanager
def build_progress(console: Console, tr: Translator,
                   plans: Sequence[VolumePlan]) -> Iterator[BuildProgress]:
    """Progress over volumes and pages; silent when stderr is not a terminal."""
    if not console.is_terminal:
        yield BuildProgress(lambda outcome: None, lambda n: None, lambda done, total: None)
        return
    # No refresh thread (auto_refresh=False): `build -j N` forks worker processes while
    # the bar is shown, and a fork must not copy a thread that may hold the console's locks.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True, auto_refresh=False) as bar:
        volumes = bar.add_task(tr("volumes"), total=len(plans))
        pages = bar.add_task(tr("pages"), total=None)
        bar.refresh()
        shown = [time.monotonic()]

        def volume_done(outcome: Outcome) -> None:
            bar.advance(volumes)
            bar.refresh()

        def pages_added(count: int) -> None:
            bar.advance(pages, count)
            if time.monotonic() - shown[0] > 0.1:  # a redraw costs ~1 ms: ten a second
                shown[0] = time.monotonic()
                bar.refresh()

        converting: list[Any] = []

        def documents_converted(done: int, total: int) -> None:
            if not converting:  # shown only when there are documents to convert
                converting.append(bar.add_task(tr("converting office documents"),
                                               total=total))
            bar.update(converting[0], completed=done, total=total)
            bar.refresh()

        yield BuildProgress(volume_done, pages_added, documents_converted)


def _status(tr: Translator, status: str) -> str:
    text = {"built": tr("built"), "up-to-date": tr("up to date"), "failed": tr("FAILED"),
            "planned": tr("would build")}[status]
    style = {"built": "green", "up-to-date": "dim", "failed": "bold red",
             "planned": "cyan"}[status]
    return f"[{style}]{escape(text)}[/]"


@dataclass(frozen=True)
class VolumeRow:
    """One line of the build report."""

    indicator: int
    volume: str  # the volume's label ("—" for a single volume)
    status: str  # built | up-to-date | failed | planned
    pages: int
    detail: str  # file name, or the failure message, in the interface language


def volume_rows(tr: Translator, outcomes: Sequence[Outcome], dry_run: bool,
                hints: Hints) -> list[VolumeRow]:
    rows = []
    for o in outcomes:
        p = o.plan
        lines = [line for m in o.messages for line in (tr.render(m), *hints(m))]
        detail = "\n".join([p.output, *lines]) if o.status == "built" and lines else \
            ("\n".join(lines) or p.output)
        if dry_run:
            counts = tr.join(tr("{section} {count}", section=s.key, count=len(s.sources))
                             for s in p.sections)
            detail = tr("{file} ({counts})", file=p.output, counts=counts)
        rows.append(VolumeRow(p.indicator, volume_label(tr, p), o.status, o.pages, detail))
    return rows


def volume_label(tr: Translator, plan: VolumePlan) -> str:
    """The volume's own (Chinese) title; the main volume and a single volume in words of
    the interface language."""
    if not plan.volume:
        return "—"
    if plan.volume == "main":
        return tr("main volume")
    return plan.volume_title or plan.volume


def build_report(console: Console, tr: Translator, rows: Sequence[VolumeRow], out_dir: Path,
                 dry_run: bool) -> None:
    """A table of what was built, failed or would be built; volumes that were already up
    to date are only counted (a re-run after one change shows one row, not 37)."""
    shown = [r for r in rows if r.status != "up-to-date" or dry_run]
    if shown:
        table = make_table(tr, tr("Indicator"), tr("Volume"), tr("Status"), tr("Pages"),
                       tr("File or message"))
        for row in shown:
            table.add_row(str(row.indicator), escape(row.volume), _status(tr, row.status),
                          str(row.pages or ""), escape(row.detail))
        console.print(table)
    n = {status: sum(1 for r in rows if r.status == status)
         for status in ("built", "up-to-date", "failed", "planned")}
    text = tr("{out}: {built} built, {fresh} up to date, {failed} failed", out=out_dir,
              built=n["built"], fresh=n["up-to-date"], failed=n["failed"])
    if dry_run:
        text = tr("{out}: {built} built, {fresh} up to date, {failed} failed, {planned} would "
                  "be built (dry run)", out=out_dir, built=n["built"], fresh=n["up-to-date"],
                  failed=n["failed"], planned=n["planned"])
    console.print(escape(text))


def retired_report(console: Console, tr: Translator, retired: Sequence[Retired], out_dir: Path,
                   dry_run: bool) -> None:
    """Volumes the plan no longer makes, moved (or to be moved) into OUT/已过期."""
    for r in retired:
        if r.problem is not None:
            error(console, tr, tr.render(r.problem))
        elif dry_run:
            console.print("[yellow]" + escape(tr(
                "{file} is no longer made by this build: it would be moved to {target}",
                file=r.file, target=out_dir / r.moved_to)) + "[/]")
        else:
            console.print("[yellow]" + escape(tr(
                "{file} is no longer made by this build: moved to {target}",
                file=r.file, target=out_dir / r.moved_to)) + "[/]")


def skipped(console: Console, tr: Translator, directory: Path, missing: Sequence[int]) -> None:
    if missing:
        console.print("[yellow]" + escape(tr("skipped (no folder in {dir}): indicators {ids}",
                                             dir=directory, ids=missing)) + "[/]")


def verify_report(console: Console, tr: Translator, verdicts: Sequence[Verdict],
                  out_dir: Path, hints: Hints) -> None:
    """One line per volume with its reasons; then where the sources were checked, and a
    plain warning (once per folder) when they were not."""
    if not verdicts:
        console.print(escape(tr("{out}: no manifests found (nothing was built here)",
                                out=out_dir)))
        return
    style = {"ok": "green", "stale": "yellow", "corrupt": "bold red", "missing": "bold red"}
    label = {"ok": tr("ok"), "stale": tr("stale"), "corrupt": tr("corrupt"),
             "missing": tr("missing")}
    pdf_only = "  [dim]" + escape(tr("(only the PDF was checked)")) + "[/]"
    for v in verdicts:
        only_pdf = pdf_only if v.status == "ok" and v.sources == "not-checked" else ""
        console.print(f"[{style[v.status]}]{escape(label[v.status])}[/]  "
                      f"{escape(v.output or v.manifest)}{only_pdf}")
        for reason in v.reasons:
            console.print(f"      {escape(tr.render(reason))}")
            for hint in hints(reason):
                console.print(f"      [dim]{escape(hint)}[/]")
    for folder in dict.fromkeys(v.materials for v in verdicts if v.sources == "checked"):
        console.print(escape(tr("The sources were checked in {folder}.", folder=folder)))
    notes: list[Message] = []
    for note in (n for v in verdicts for n in v.notes):
        if note not in notes:
            notes.append(note)
    for note in notes:
        console.print(f"[yellow]！ {escape(tr.render(note))}[/]")
        for hint in hints(note):
            console.print(f"      [dim]{escape(hint)}[/]")
    bad = sum(1 for v in verdicts if v.status != "ok")
    console.print(escape(tr.plural("{out}: {n} volume ok, {bad} need attention",
                                   "{out}: {n} volumes ok, {bad} need attention",
                                   len(verdicts) - bad, out=out_dir, bad=bad)))


def fonts_report(console: Console, tr: Translator, found: Sequence[FontCandidate],
                 chosen: FontChoice) -> None:
    for cand in found:
        mark = "[green]√[/]" if cand.usable else "[red]×[/]"
        why = f"  [dim]{escape(tr.render(cand.reason))}[/]" if cand.reason else ""
        console.print(f"{mark} {escape(str(cand.path))}{why}")
    if not found:
        console.print(escape(tr("no CJK font files found")))
    if chosen.path:
        text = tr("build uses the font file {path}", path=chosen.path)
    else:
        text = tr("build uses: {name} (built in, not embedded)", name=chosen.name)
    console.print("\n" + escape(text))
    if chosen.warning:
        warning(console, tr, chosen.warning)


def internal_error(console: Console, tr: Translator, command: str, log: Path | None) -> None:
    if log is not None:
        text = tr("Internal error while running {command}; this is a fault of dossier, not of "
                  "your materials. The details were written to {log}; please send that file "
                  "to the maintainers.", command=command, log=log)
    else:
        text = tr("Internal error while running {command}; this is a fault of dossier, not of "
                  "your materials. Run the command again with --debug to see the details.",
                  command=command)
    console.print(f"[bold red]{escape(text)}[/]")
