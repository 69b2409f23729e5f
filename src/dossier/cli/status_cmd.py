"""`dossier status`: the office's overview — per indicator and per unit, as of a day —
on the terminal, as JSON, and as an XLSX 催办清单 and an HTML 总览."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated

import typer

from dossier import console as ui
from dossier.cli import (
    FORMAT_HELP,
    CatalogueOpt,
    DebugOpt,
    LangOpt,
    MaterialsArg,
    TableFormat,
    _catalogue,
    _json,
    app,
)
from dossier.cli.typerwords import CliUsage as _Usage
from dossier.cli.typerwords import DossierCommand, _session
from dossier.errors import EXIT_OK
from dossier.i18n import N_, Translator
from dossier.options import today

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str, tr: Translator) -> dt.date:
    """2021-03-06, 2021/3/6, 2021.3.6, 2021年3月6日 or 20210306."""
    compact = text.strip()
    found = _DATE.match(compact)
    parts = found.groups() if found else (
        (compact[:4], compact[4:6], compact[6:]) if compact.isdigit() and len(compact) == 8
        else None)
    try:
        if parts is None:
            raise ValueError(text)
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise _Usage(tr("--as-of: “{given}” is not a date; write it as 2021-03-06.",
                        given=text)) from None


def report_epoch(as_of: dt.date) -> int:
    """What the reports' files record as their time: SOURCE_DATE_EPOCH when set, else the
    report's day, so the same inputs and --as-of give the same bytes."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    return int(dt.datetime(as_of.year, as_of.month, as_of.day,
                           tzinfo=dt.timezone.utc).timestamp())


@app.command("status", cls=DossierCommand, help=N_(
    "The office's overview: for each indicator its collecting unit, material received, "
    "review points covered per year, errors, target verdict, volumes built and the deadline; "
    "for each unit what it still owes, to whom, and its contact. Also as JSON, an XLSX "
    "催办清单 and an HTML 总览. Reads only; never builds."))
def status_cmd(
    ctx: typer.Context,
    directory: MaterialsArg = Path("materials"),
    out: Annotated[list[Path] | None, typer.Option("--out", "-o", help=N_(
        "Output folder of a build, to report the volumes built (repeat for several)."),
        metavar=N_("FOLDER"))] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=N_(
        "Count deadlines from this day (e.g. 2021-03-06); default today."),
        metavar=N_("DATE"))] = None,
    unit: Annotated[str | None, typer.Option("--unit", help=N_(
        "Only this unit: the indicators it collects or contributes to, and what it owes."),
        metavar=N_("UNIT"))] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
    = TableFormat.table,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=N_(
        "Also write the 催办清单 (reminder list) as an XLSX file."), dir_okay=False,
        metavar=N_("FILE"))] = None,
    html: Annotated[Path | None, typer.Option("--html", help=N_(
        "Also write the 总览 (overview) as one self-contained HTML file."), dir_okay=False,
        metavar=N_("FILE"))] = None,
    shared: Annotated[Path | None, typer.Option("--shared", help=N_(
        "Use this 共享数据.yaml (the office's figures) in place of the folder's own."),
        dir_okay=False, metavar=N_("FILE"))] = None,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The office's overview."""
    from dossier.reports import Destination, write
    from dossier.reports.data import status_data
    from dossier.status import status as run_status

    tr = _session(ctx).tr
    day = parse_date(as_of, tr) if as_of is not None else dt.date.fromisoformat(today()[1])
    outs = list(out or ())
    for folder in outs:
        if not folder.exists():
            raise _Usage(tr("{folder} does not exist; give the output folder of a build.",
                            folder=folder))
        if not folder.is_dir():
            raise _Usage(tr("{folder} is not a folder; give the output folder of a build.",
                            folder=folder))
    check_shared(shared, tr)
    check_reports(directory, xlsx, html, tr)
    cat = _catalogue(catalogue)
    with ui.progress_bar(ui.make_console(stderr=True), tr) as progress:
        result = run_status(directory, cat, as_of=day, outs=outs, unit=unit, shared=shared,
                            progress_cb=progress)
    epoch = report_epoch(day)
    written = []
    for kind, target in (("xlsx", xlsx), ("html", html)):
        if target is not None:
            write(kind, result, tr, Destination(target, epoch))
            written.append(target)
    data = status_data(result, tr)
    if format is TableFormat.json:
        _json(data)
    else:
        from dossier.console_status import status_report

        console = ui.make_console()
        status_report(console, tr, data)
        for target in written:
            console.print(ui.escape(tr("Written: {file}", file=target)))
    raise typer.Exit(EXIT_OK)


def check_reports(directory: Path, xlsx: Path | None, html: Path | None,
                  tr: Translator) -> None:
    """Reports go outside the materials folder (it is never written), one file each."""
    if xlsx is not None and html is not None and xlsx.resolve() == html.resolve():
        raise _Usage(tr("--xlsx and --html name the same file {file}; give each its own.",
                        file=xlsx))
    for target in (xlsx, html):
        if target is None or not directory.is_dir():
            continue
        inside = target.resolve().parent
        root = directory.resolve()
        if inside == root or root in inside.parents:
            raise _Usage(tr("{file} lies inside the materials folder {folder}, which dossier "
                            "never writes into; save the report elsewhere, e.g. beside it.",
                            file=target, folder=directory))


def check_shared(shared: Path | None, tr: Translator) -> None:
    if shared is not None and not shared.is_file():
        raise _Usage(tr("--shared: {file} does not exist; give the 共享数据.yaml the office "
                        "handed out.", file=shared))
