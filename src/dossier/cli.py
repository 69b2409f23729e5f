"""Command line. Thin: parse arguments, call the library, print through console.py,
map errors to exit codes (0 ok, 1 findings/failures, 2 usage or catalogue errors)."""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dossier import __version__, buildstate
from dossier import console as ui
from dossier.errors import EXIT_FINDINGS, EXIT_OK, DossierError, UsageError
from dossier.options import POSITIONS, BuildOptions, StampOptions, build_date

# The catalogue (pydantic), planning (jinja2), pypdf and reportlab are imported inside the
# commands that use them: `dossier build` with nothing to do answers before loading them.
if TYPE_CHECKING:
    from rich.console import Console

    from dossier.catalogue import Catalogue
    from dossier.fonts import FontChoice

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
    from dossier.catalogue import load_catalogue

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
    from dossier.scaffold import init_tree
    from dossier.templating import make_environment

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
    from dossier.checks import check as run_check  # pypdf, Pillow: only for check

    err = ui.make_console(stderr=True)
    try:
        cat = _catalogue(catalogue)
        with ui.progress_bar(err) as progress:
            result = run_check(directory, cat, indicators=indicator or (), unit=unit,
                               strict=strict, progress=progress)
    except DossierError as exc:
        raise _fail(exc) from None
    if format is TextFormat.json:
        _json({**result.report.to_dict(),
               "verdicts": [d.result.to_dict() for d in result.data.indicators]})
    else:
        ui.check_report(ui.make_console(), result, directory, cat)
    raise typer.Exit(EXIT_FINDINGS if result.report.has_errors else EXIT_OK)


class Volumes(str, Enum):
    single = "single"
    by_year = "by-year"


class Position(str, Enum):
    top_right = "top-right"
    top_left = "top-left"
    top_center = "top-center"
    bottom_right = "bottom-right"
    bottom_center = "bottom-center"
    bottom_left = "bottom-left"
    outer = "outer"


assert tuple(p.value for p in Position) == POSITIONS


@app.command("build")
def build_cmd(
    directory: Annotated[Path, typer.Argument(help="Materials folder.")] = Path("materials"),
    indicator: IndicatorOpt = None,
    all_: Annotated[bool, typer.Option("--all", help="Build every indicator.")] = False,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder (must not be "
                                         "inside the materials folder).")] = Path("dist"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64,
                                      help="Volumes built in parallel processes.")] = 1,
    volumes: Annotated[Volumes, typer.Option("--volumes", help="single: one PDF per "
                       "indicator; by-year: main volume, one per year, one for 长期有效 "
                       "(附件3 分年度整理分册).")] = Volumes.single,
    force: Annotated[bool, typer.Option("--force", help="Rebuild up-to-date volumes.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan and what would "
                                          "be rebuilt; write nothing.")] = False,
    font: Annotated[Path | None, typer.Option("--font", help="CJK TrueType font file "
                    "(.ttf/.ttc) to embed; see `dossier fonts`.")] = None,
    allow_broken: Annotated[bool, typer.Option("--allow-broken", help="Put a marked "
                            "placeholder page in place of unreadable documents.")] = False,
    stamp_position: Annotated[Position, typer.Option("--stamp-position", help="Where page "
                              "numbers go (outer: top, right on odd and left on even pages)."
                              )] = Position.top_right,
    stamp_format: Annotated[str, typer.Option("--stamp-format", help="Page number text: "
                            "{n} is the number, {total} the count, e.g. '第{n}页'.")] = "{n}",
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="Folder with template overrides (cover.yaml.j2, 达标说明.md.j2).",
        file_okay=False)] = None,
    unit: UnitOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Bind one PDF volume per indicator: cover, 目录 with page numbers and links, then
    达标说明, 直接证明材料 and the yearly material, stamped, bookmarked, fonts embedded.
    Exit 0 when every volume was built or up to date, 1 when any failed, 2 on usage errors."""
    err = ui.make_console(stderr=True)
    try:
        if not (indicator or all_ or unit):
            raise UsageError("say what to build: --indicator N (repeatable), --unit UNIT or --all")
        if "{n}" not in stamp_format:
            raise UsageError("--stamp-format must contain {n}")
        epoch, month = build_date()
        options = BuildOptions(
            volumes=volumes.value, allow_broken=allow_broken,
            font=str(font) if font else None,
            stamp=StampOptions(position=stamp_position.value, format=stamp_format),
            date=month, epoch=epoch)
        dirs = (templates,) if templates else ()
        # Both taken before anything is planned: the state of a build describes its inputs
        # as they were when it started.
        key = buildstate.invocation_key(buildstate.Invocation(
            directory, output, tuple(indicator or ()), all_, unit, options, catalogue, dirs))
        signature = buildstate.tree_signature(directory) if directory.is_dir() else ""
        fresh = None if (force or dry_run or not signature) else buildstate.check(output, key,
                                                                                  signature)
        if fresh is not None:
            _skipped(err, directory, fresh.missing)
            rows = [ui.VolumeRow(v.indicator, v.label, "up-to-date", 0, v.output)
                    for v in fresh.volumes]
            ui.build_report(ui.make_console(), rows, output, dry_run=False)
            raise typer.Exit(EXIT_OK)
        from dossier.build import build as run_build
        from dossier.build import make_plan

        cat = _catalogue(catalogue)
        plans, missing = make_plan(directory, output, cat, indicator or (), unit, options, dirs)
        _skipped(err, directory, missing)

        def resolve_font() -> FontChoice:
            from dossier.fonts import choose  # reportlab: only when a volume is built

            chosen = choose(font)
            if chosen.warning:
                err.print(f"[yellow]warning:[/] {ui.escape(chosen.warning)}")
            return chosen

        with ui.build_progress(err, plans) as progress:
            outcomes = run_build(plans, directory, output, jobs=jobs, force=force,
                                 dry_run=dry_run, font=resolve_font,
                                 on_done=progress.volume, on_pages=progress.pages)
    except DossierError as exc:
        raise _fail(exc) from None
    ui.build_report(ui.make_console(), ui.volume_rows(outcomes, dry_run), output, dry_run)
    failed = any(o.status == "failed" for o in outcomes)
    if failed:
        buildstate.forget(output, key)
    elif not dry_run and outcomes and signature:
        buildstate.record(output, key, signature, buildstate.volumes_of(outcomes, output),
                          missing)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


def _skipped(err: Console, directory: Path, missing: tuple[int, ...]) -> None:
    if missing:
        err.print(f"[yellow]skipped[/] (no folder in {ui.escape(str(directory))}): 指标 "
                  f"{', '.join(map(str, missing))}")


@app.command("verify")
def verify_cmd(
    output: Annotated[Path, typer.Argument(help="Output folder of `dossier build`.")]
    = Path("dist"),
) -> None:
    """Re-check built volumes against their manifests: report volumes whose sources changed
    since (stale), whose PDF was altered (corrupt) or is gone (missing). Exit 1 if any."""
    if not output.is_dir():
        raise _fail(UsageError(f"{output} is not a folder; pass the output folder of a build"))
    from dossier.manifest import verify as run_verify

    verdicts = run_verify(output)
    ui.verify_report(ui.make_console(), verdicts, output)
    raise typer.Exit(EXIT_FINDINGS if any(v.status != "ok" for v in verdicts) else EXIT_OK)


@app.command("fonts")
def fonts_cmd(
    font: Annotated[Path | None, typer.Option("--font", help="Check this font file "
                    "first.")] = None,
) -> None:
    """Show the CJK fonts found, whether each can be embedded, and which one build uses."""
    from dossier.fonts import candidates, choose

    found = list(candidates([font] if font else []))
    ui.fonts_report(ui.make_console(), found, choose(font))


def main() -> None:
    # pypdf reports recoverable damage through logging, which would print stray lines
    # ("EOF marker not found"); the checks turn damage into findings instead.
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.addHandler(logging.NullHandler())
    pypdf_log.propagate = False
    app()
