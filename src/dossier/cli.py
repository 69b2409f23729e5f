"""Command line. Thin: parse arguments, call the library, print through console.py,
map errors to exit codes (0 ok, 1 findings/failures, 2 usage or catalogue errors)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from dossier import __version__
from dossier import console as ui
from dossier.catalogue import Catalogue, load_catalogue
from dossier.checks import check as run_check
from dossier.errors import EXIT_FINDINGS, EXIT_OK, DossierError
from dossier.scaffold import init_tree
from dossier.templating import make_environment

app = typer.Typer(
    name="dossier",
    help="Check and bind 台账资料 for 国家生态文明建设示范市 applications "
         "(巴生态创办函〔2021〕1号).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CatalogueOpt = Annotated[
    Path | None,
    typer.Option("--catalogue", help="Indicator catalogue YAML (default: the packaged "
                 "巴中市 catalogue).", dir_okay=False),
]
IndicatorOpt = Annotated[
    list[int] | None,
    typer.Option("--indicator", "-i", help="Indicator number; repeat for several."),
]
UnitOpt = Annotated[
    str | None, typer.Option("--unit", help="Only indicators this unit leads or is "
                                "responsible for (part of the name is enough).")]


class TableFormat(str, Enum):
    table = "table"
    json = "json"


class TextFormat(str, Enum):
    text = "text"
    json = "json"


def _fail(exc: DossierError) -> typer.Exit:
    ui.make_console(stderr=True).print(f"[bold red]error:[/] {ui.escape(str(exc))}")
    return typer.Exit(exc.exit_code)


def _catalogue(path: Path | None) -> Catalogue:
    return load_catalogue(path)


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"dossier {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Check and bind 台账资料."""


@app.command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Materials folder to create or complete.")]
    = Path("materials"),
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Create the materials tree: one folder per indicator with its sections and a 要求.md.
    Never overwrites anything; re-running adds only what is missing."""
    try:
        cat = _catalogue(catalogue)
        result = init_tree(directory, cat, cat.select(indicator or (), unit), make_environment())
    except DossierError as exc:
        raise _fail(exc) from None
    ui.init_report(ui.make_console(), result, directory)


@app.command("list")
def list_cmd(
    unit: UnitOpt = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    catalogue: CatalogueOpt = None,
) -> None:
    """List the indicators of the catalogue."""
    try:
        cat = _catalogue(catalogue)
        chosen = cat.select((), unit)
    except DossierError as exc:
        raise _fail(exc) from None
    if format is TableFormat.json:
        _json([ind.model_dump(mode="json") for ind in chosen])
    else:
        ui.indicator_table(ui.make_console(), chosen)


@app.command("show")
def show_cmd(
    number: Annotated[int, typer.Argument(help="Indicator number, e.g. 12.")],
    format: Annotated[TextFormat, typer.Option("--format", "-f")] = TextFormat.text,
    catalogue: CatalogueOpt = None,
) -> None:
    """Show one indicator: target, units and every review point with its tag."""
    try:
        cat = _catalogue(catalogue)
        ind = cat.get(number)
    except DossierError as exc:
        raise _fail(exc) from None
    if format is TextFormat.json:
        _json(ind.model_dump(mode="json"))
    else:
        ui.indicator_detail(ui.make_console(), ind, cat)


@app.command("check")
def check_cmd(
    directory: Annotated[Path, typer.Argument(help="Materials folder.")] = Path("materials"),
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    format: Annotated[TextFormat, typer.Option("--format", "-f")] = TextFormat.text,
    catalogue: CatalogueOpt = None,
) -> None:
    """Report everything missing, broken or inconsistent in the materials folder.
    Exit 0 when there are no errors, 1 when there are, 2 on usage or catalogue errors."""
    err = ui.make_console(stderr=True)
    try:
        cat = _catalogue(catalogue)
        with ui.progress_bar(err) as progress:
            result = run_check(directory, cat, indicators=indicator or (), unit=unit,
                               strict=strict, progress=progress)
    except DossierError as exc:
        raise _fail(exc) from None
    if format is TextFormat.json:
        _json(result.report.to_dict())
    else:
        ui.check_report(ui.make_console(), result, directory, cat)
    raise typer.Exit(EXIT_FINDINGS if result.report.has_errors else EXIT_OK)


def main() -> None:
    app()
