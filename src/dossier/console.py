"""Everything the CLI shows a person: rich tables, the check report, progress.
Machine output (JSON) is printed by cli.py directly, never through rich markup."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

__all__ = ["escape"]
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from dossier.findings import Finding, Severity

if TYPE_CHECKING:  # types only: importing them would load pypdf/reportlab for every command
    from dossier.build import Outcome
    from dossier.catalogue import Catalogue
    from dossier.checks import CheckResult
    from dossier.fonts import FontCandidate, FontChoice
    from dossier.manifest import Verdict
    from dossier.plan import VolumePlan
    from dossier.scaffold import InitResult
    from dossier.schema import Indicator

_STYLE = {Severity.ERROR: ("✗", "bold red"), Severity.WARNING: ("!", "yellow"),
          Severity.INFO: ("i", "cyan")}


def make_console(stderr: bool = False) -> Console:
    """Wraps long lines for a person at a terminal; never when piped (grep-able logs)."""
    console = Console(stderr=stderr, highlight=False)
    console.soft_wrap = not console.is_terminal
    return console


def units(names: Sequence[str]) -> str:
    return "、".join(names) if names else "—"


def indicator_table(console: Console, indicators: Sequence[Indicator]) -> None:
    table = Table(show_lines=False, header_style="bold")
    for col in ("序号", "指标名称", "指标值", "属性", "牵头单位", "要点"):
        table.add_column(col, overflow="fold")
    for ind in indicators:
        table.add_row(str(ind.id), escape(ind.name), escape(ind.target), ind.attribute,
                      escape(units(ind.lead_units)), str(len(ind.requirements)))
    console.print(table)
    console.print(f"{len(indicators)} 项指标")


def indicator_detail(console: Console, ind: Indicator, catalogue: Catalogue) -> None:
    console.print(f"[bold]{ind.id} {escape(ind.name)}[/]  ({ind.attribute})")
    rows = [("领域", ind.domain), ("任务", ind.task), ("指标值", ind.target),
            ("牵头单位", units(ind.lead_units)), ("责任单位", units(ind.responsible_units))]
    if ind.note:
        rows.append(("说明", ind.note))
    for key, value in rows:
        console.print(f"  [bold]{key}[/]  {escape(value)}")
    if len(ind.metrics) > 1 or ind.metrics[0].name != ind.name:
        console.print("  [bold]分项指标[/]")
        for m in ind.metrics:
            console.print(f"    · {escape(m.name)}：{escape(m.target)}")
    console.print(f"  [bold]主要任务[/]  {escape(ind.main_tasks)}")
    console.print("  [bold]申报资料审核要点[/]")
    years = "、".join(str(y) for y in catalogue.settings.evidence_years)
    for r in ind.requirements:
        extra = []
        if r.per_year:
            extra.append(f"分年度 {years}")
        if r.alternative_to:
            extra.append(f"可替代 ({r.alternative_to})")
        suffix = f"  [dim]［{'；'.join(extra)}］[/]" if extra else ""
        console.print(f"    [bold]{r.tag}[/] {escape(r.text)}{suffix}")


def _line(f: Finding) -> str:
    mark, style = _STYLE[f.severity]
    return f"  [{style}]{mark} {f.severity.value:<7}[/] [dim]{f.code}[/]  {escape(f.message)}"


def check_report(console: Console, result: CheckResult, root: Path,
                 catalogue: Catalogue) -> None:
    report = result.report
    names = {i.id: i for i in catalogue.indicators}
    console.print(f"[bold]dossier check[/] {escape(str(root))} — {len(result.indicators)} 项指标, "
                  f"{result.files} files, {result.pages} pages")
    missing = [f.indicator for f in report.findings if f.code == "missing-indicator-folder"]
    if missing:
        ids = ", ".join(str(i) for i in missing)
        console.print(f"\n[bold red]✗ no folder for {len(missing)} 指标:[/] {ids}\n"
                      "  create them with `dossier init` (or narrow the check with "
                      "--indicator / --unit)")
    shown = [f for f in report.findings if f.code != "missing-indicator-folder"]
    for ind_id, group in groupby(shown, key=lambda f: f.indicator):
        items = list(group)
        if ind_id is None:
            console.print("\n[bold]全局 (materials folder)[/]")
        else:
            ind = names[ind_id]
            counts = _counts(items)
            console.print(f"\n[bold]指标 {ind_id} {escape(ind.name)}[/]  "
                          f"[dim]{escape(units(ind.lead_units))}[/]  {counts}")
        for f in items:
            console.print(_line(f))
    verdict_table(console, result)
    clean = [i.id for i in result.indicators if not any(f.indicator == i.id
                                                         for f in report.findings)]
    if clean:
        console.print(f"\n[green]✓ no findings:[/] 指标 {', '.join(map(str, clean))}")
    s = report.summary()
    style = "bold red" if s["errors"] else ("yellow" if s["warnings"] else "green")
    console.print(f"\n[{style}]Summary: {s['errors']} errors, {s['warnings']} warnings, "
                  f"{s['infos']} infos[/]")


_VERDICT_STYLE = {"met": "green", "unmet": "bold red", "no-data": "yellow"}
_MARK = {"met": "✓", "unmet": "✗", "no-data": "?"}


def verdict_table(console: Console, result: CheckResult) -> None:
    """One row per metric of each indicator with explanation data: the indicator's verdict
    and the metric's verdict per year."""
    items = result.data.indicators
    rows = [d.result for d in items if d.result.evaluated]
    invalid = [d.indicator.id for d in items if d.loaded and d.explanation is None]
    absent = [d.indicator.id for d in items if d.loaded is None]
    if not items:
        return
    console.print("\n[bold]达标判定[/] [dim](from 达标说明.yaml)[/]")
    if rows:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        for col in ("指标", "名称", "属性", "判定", "分年度", "分项"):
            table.add_column(col, overflow="fold")
        for r in rows:
            style = _VERDICT_STYLE[r.verdict.value]
            head = [str(r.indicator.id), escape(r.indicator.name), r.indicator.attribute,
                    f"[{style}]{r.verdict.label}[/]"]
            for n, m in enumerate(r.metrics):
                years = " ".join(f"[{_VERDICT_STYLE[y.verdict.value]}]{y.year}"
                                 f"{_MARK[y.verdict.value]}[/]" for y in m.years)
                name = escape(m.metric.name) if m.metric.name != r.indicator.name else ""
                table.add_row(*(head if n == 0 else ["", "", "", ""]), years, name)
        console.print(table)
    if invalid:
        console.print(f"  [red]未评估 (达标说明.yaml has errors, see above): 指标 "
                      f"{', '.join(map(str, invalid))}[/]")
    if absent:
        console.print(f"  [dim]未评估 (no 达标说明.yaml): 指标 {', '.join(map(str, absent))}[/]")


def _counts(items: Sequence[Finding]) -> str:
    parts = []
    for sev, label in ((Severity.ERROR, "errors"), (Severity.WARNING, "warnings"),
                       (Severity.INFO, "infos")):
        n = sum(1 for f in items if f.severity is sev)
        if n:
            parts.append(f"[{_STYLE[sev][1]}]{n} {label}[/]")
    return ", ".join(parts)


def init_report(console: Console, result: InitResult, root: Path) -> None:
    for rel in result.created:
        console.print(f"  [green]created[/] {escape(rel)}")
    console.print(f"{escape(str(root))}: {len(result.created)} created, "
                  f"{len(result.kept)} already there (left untouched)")


@contextmanager
def progress_bar(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback for library code; silent when stderr is not a terminal."""
    if not console.is_terminal:
        yield lambda stage, done, total: None
        return
    labels = {"probe": "checking files", "scan": "scanning"}
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


@contextmanager
def build_progress(console: Console, plans: Sequence[VolumePlan]) -> Iterator[BuildProgress]:
    """Progress over volumes and pages; silent when stderr is not a terminal."""
    if not console.is_terminal:
        yield BuildProgress(lambda outcome: None, lambda n: None)
        return
    # No refresh thread (auto_refresh=False): `build -j N` forks worker processes while
    # the bar is shown, and a fork must not copy a thread that may hold the console's locks.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True, auto_refresh=False) as bar:
        volumes = bar.add_task("volumes", total=len(plans))
        pages = bar.add_task("pages", total=None)
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

        yield BuildProgress(volume_done, pages_added)


_STATUS = {"built": "[green]built[/]", "up-to-date": "[dim]up to date[/]",
           "failed": "[bold red]FAILED[/]", "planned": "[cyan]would build[/]"}


@dataclass(frozen=True)
class VolumeRow:
    """One line of the build report."""

    indicator: int
    volume: str  # "—" for a single volume
    status: str  # built | up-to-date | failed | planned
    pages: int
    detail: str  # file name, or the failure message


def volume_rows(outcomes: Sequence[Outcome], dry_run: bool) -> list[VolumeRow]:
    rows = []
    for o in outcomes:
        p = o.plan
        detail = o.message or p.output
        if dry_run:
            counts = ", ".join(f"{s.key} {len(s.sources)}" for s in p.sections)
            detail = f"{p.output}  ({counts})"
        rows.append(VolumeRow(p.indicator, p.label, o.status,
                              o.pages, detail))
    return rows


def build_report(console: Console, rows: Sequence[VolumeRow], out_dir: Path,
                 dry_run: bool) -> None:
    """A table of what was built, failed or would be built; volumes that were already up
    to date are only counted (a re-run after one change shows one row, not 37)."""
    shown = [r for r in rows if r.status != "up-to-date" or dry_run]
    if shown:
        table = Table(header_style="bold")
        for col in ("指标", "volume", "status", "pages", "file / message"):
            table.add_column(col, overflow="fold")
        for row in shown:
            table.add_row(str(row.indicator), row.volume, _STATUS[row.status],
                          str(row.pages or ""), escape(row.detail))
        console.print(table)
    n = {status: sum(1 for r in rows if r.status == status) for status in _STATUS}
    console.print(f"{escape(str(out_dir))}: {n['built']} built, {n['up-to-date']} "
                  f"up to date, {n['failed']} failed"
                  + (f", {n['planned']} would be built (dry run)" if dry_run else ""))


def verify_report(console: Console, verdicts: Sequence[Verdict], out_dir: Path) -> None:
    if not verdicts:
        console.print(f"{escape(str(out_dir))}: no manifests found (nothing built here?)")
        return
    style = {"ok": "green", "stale": "yellow", "corrupt": "bold red", "missing": "bold red"}
    for v in verdicts:
        console.print(f"[{style[v.status]}]{v.status:<8}[/] {escape(v.output or v.manifest)}")
        for reason in v.reasons:
            console.print(f"          {escape(reason)}")


def fonts_report(console: Console, found: Sequence[FontCandidate], chosen: FontChoice) -> None:
    for cand in found:
        mark = "[green]✓[/]" if cand.usable else "[red]✗[/]"
        console.print(f"{mark} {escape(str(cand.path))}  [dim]{escape(cand.reason)}[/]")
    if not found:
        console.print("no CJK font files found")
    where = escape(str(chosen.path)) if chosen.path else "built-in, not embedded"
    console.print(f"\nbuild uses: [bold]{escape(chosen.name)}[/] ({where})")
    if chosen.warning:
        console.print(f"[yellow]warning:[/] {escape(chosen.warning)}")
