"""Command line. Thin: the commands parse arguments, call the library and print through
console.py; exceptions become exit codes at the one boundary, `run` (cli/boundary.py).
This package is the only place typer is imported: cli/typerwords.py puts typer's own
words into the interface language.

Every word a person reads is from the message catalogue, in the language of `--lang`,
`DOSSIER_LANG` or the system (Chinese when nothing says otherwise). Help texts are English
msgids here and translated when the command tree is built."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dossier import __version__
from dossier import console as ui
from dossier import console_handoff as handoff
from dossier.cli.typerwords import CliUsage as _Usage
from dossier.cli.typerwords import DossierCommand, DossierGroup, _session
from dossier.errors import (
    EXIT_FINDINGS,
    EXIT_OK,
)
from dossier.hints import hints_for
from dossier.i18n import LANGUAGES, N_
from dossier.options import today

# The catalogue (pydantic), planning (jinja2), pypdf and reportlab are imported inside the
# commands that use them: `dossier build` with nothing to do answers before loading them.
if TYPE_CHECKING:
    from dossier.catalogue import Catalogue


app = typer.Typer(
    name="dossier",
    cls=DossierGroup,
    help=N_("Check and bind 台账资料 for 国家生态文明建设示范市 applications "
            "(巴生态创办函〔2021〕1号)."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Lang(str, Enum):
    zh = "zh"
    en = "en"


assert tuple(lang.value for lang in Lang) == LANGUAGES

# --lang and --debug are read from the command line before the commands are built (the
# help itself is in the chosen language); they are declared on every command for --help.
LangOpt = Annotated[Lang | None, typer.Option(
    "--lang", help=N_("Language of messages: zh (Chinese, the default) or en. Also "
                      "DOSSIER_LANG."))]
DebugOpt = Annotated[bool, typer.Option(
    "--debug", help=N_("On an internal error, show the full traceback."))]
CatalogueOpt = Annotated[Path | None, typer.Option(
    "--catalogue", help=N_("Indicator catalogue YAML (default: the packaged 巴中市 "
                           "catalogue)."), dir_okay=False, metavar=N_("FILE"))]
IndicatorOpt = Annotated[list[int] | None, typer.Option(
    "--indicator", "-i", help=N_("Indicator number; repeat for several."),
    metavar=N_("NUMBER"))]
UnitOpt = Annotated[str | None, typer.Option(
    "--unit", help=N_("Only indicators this unit leads or is responsible for (part of "
                      "the name is enough)."), metavar=N_("UNIT"))]
CheckFontOpt = Annotated[Path | None, typer.Option("--font", help=N_("Check this font file "
                                                                    "first."),
                                                  metavar=N_("FILE"))]
CacheOpt = Annotated[Path | None, typer.Option(
    "--cache", help=N_("Keep converted Word, WPS and Excel documents in this folder "
                       "(default: DOSSIER_CACHE, else the user's cache folder; see dossier "
                       "doctor)."), file_okay=False, metavar=N_("FOLDER"))]
OcrOpt = Annotated[bool, typer.Option("--ocr", help=N_(
    "Read scanned pages with Tesseract (Simplified Chinese): check then looks for a cited "
    "figure in scanned evidence too, and build lays a searchable text layer over every "
    "scanned page (the images stay as they are)."))]
MaterialsArg = Annotated[Path, typer.Argument(help=N_("Materials folder."),
                                              metavar=N_("MATERIALS"))]


class TableFormat(str, Enum):
    table = "table"
    json = "json"


class TextFormat(str, Enum):
    text = "text"
    json = "json"


FORMAT_HELP = N_("Output format: for people, or JSON for programs.")


def _catalogue(path: Path | None) -> Catalogue:
    from dossier.catalogue import load_catalogue

    return load_catalogue(path)


def _json(data: Any) -> None:
    """UTF-8 JSON; escaped to ASCII where the output cannot hold every character (a GBK
    console or file), so it always decodes and stays lossless."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("_", "-")
    ascii_only = not encoding.startswith("utf")
    sys.stdout.write(json.dumps(data, ensure_ascii=ascii_only, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"dossier {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=N_("Show the version and exit."))] = False,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check and bind 台账资料."""


@app.command("init", cls=DossierCommand, help=N_(
    "Create the materials tree: one folder per indicator with its sections and a 要求.md. "
    "Never overwrites anything; running it again adds only what is missing."))
def init_cmd(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help=N_("Materials folder to create or "
                                                      "complete."), metavar=N_("MATERIALS"))]
    = Path("materials"),
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Create the materials tree."""
    from dossier.scaffold import init_tree
    from dossier.templating import make_environment

    cat = _catalogue(catalogue)
    result = init_tree(directory, cat, cat.select(indicator or (), unit), make_environment())
    ui.init_report(ui.make_console(), _session(ctx).tr, result, directory)


@app.command("list", cls=DossierCommand, help=N_("List the indicators of the catalogue."))
def list_cmd(
    ctx: typer.Context,
    unit: UnitOpt = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
    = TableFormat.table,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List the indicators."""
    cat = _catalogue(catalogue)
    chosen = cat.select((), unit)
    found = cat.unit(unit) if unit else None
    roles = {i.id: r for i in chosen if (r := cat.role(i, found))} if found else None
    if format is TableFormat.json:
        _json([{**ind.model_dump(mode="json"),
                **({"role": roles[ind.id].value} if roles and ind.id in roles else {})}
               for ind in chosen])
    else:
        ui.indicator_table(ui.make_console(), _session(ctx).tr, chosen, roles,
                           found.name if found else None)


@app.command("show", cls=DossierCommand, help=N_(
    "Show one indicator: target, units and every review point with its tag."))
def show_cmd(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help=N_("Indicator number, e.g. 12."),
                                          metavar=N_("NUMBER"))],
    format: Annotated[TextFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
    = TextFormat.text,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show one indicator."""
    cat = _catalogue(catalogue)
    ind = cat.get(number)
    if format is TextFormat.json:
        _json(ind.model_dump(mode="json"))
    else:
        ui.indicator_detail(ui.make_console(), _session(ctx).tr, ind, cat)


@app.command("check", cls=DossierCommand, help=N_(
    "Report everything missing, broken or inconsistent in the materials folder. Exit "
    "status 0 when there are no errors, 1 when there are, 2 on usage or catalogue errors."))
def check_cmd(
    ctx: typer.Context,
    directory: MaterialsArg = Path("materials"),
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help=N_("Treat warnings as errors."))]
    = False,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
    = TextFormat.text,
    shared: Annotated[Path | None, typer.Option("--shared", help=N_(
        "Check the figures against this 共享数据.yaml (the office's, handed out to units) in "
        "place of the folder's own."), dir_okay=False, metavar=N_("FILE"))] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help=N_(
        "Office documents converted at a time."), metavar=N_("COUNT"))] = 1,
    cache: CacheOpt = None,
    ocr: OcrOpt = False,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check the materials folder."""
    from dossier.checks import check as run_check  # pypdf, Pillow: only for check
    from dossier.cli.status_cmd import check_shared

    tr = _session(ctx).tr
    check_shared(shared, tr)
    cat = _catalogue(catalogue)
    with ui.progress_bar(ui.make_console(stderr=True), tr) as progress:
        result = run_check(directory, cat, indicators=indicator or (), unit=unit,
                           strict=strict, progress=progress, shared=shared, jobs=jobs,
                           cache_dir=cache, ocr=ocr)
    if format is TextFormat.json:
        _json({**result.report.to_dict(tr),
               "verdicts": [d.result.to_dict(tr) for d in result.data.indicators]})
    else:
        ui.check_report(ui.make_console(), tr, result, directory, cat, hints_for(tr))
    raise typer.Exit(EXIT_FINDINGS if result.report.has_errors else EXIT_OK)


# `dossier build` is declared in cli/build_cmd.py; imported here, it keeps its place in
# the list of commands (after check).
from dossier.cli import build_cmd  # noqa: E402, F401


@app.command("pack", cls=DossierCommand, help=N_(
    "For a 责任单位: pack its part of each indicator it contributes to into one zip per "
    "receiving 牵头单位, with a 报送清单 and its check report, ready to send."))
def pack_cmd(
    ctx: typer.Context,
    directory: MaterialsArg = Path("materials"),
    unit: Annotated[str, typer.Option("--unit", help=N_(
        "The sending unit (name, short form or district)."), metavar=N_("UNIT"))] = "",
    indicator: IndicatorOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help=N_(
        "Folder for the zips (must not be inside the materials folder)."),
        metavar=N_("FOLDER"))] = Path("报送"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_(
        "Show what would go to whom; write nothing."))] = False,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Pack a 责任单位's part."""
    from dossier.pack import plan_pack, write_pack
    from dossier.scan import require_outside

    tr = _session(ctx).tr
    if not unit:
        raise _Usage(tr("Say which unit sends: --unit UNIT (e.g. --unit 住建局)."))
    require_outside(directory, output)
    cat = _catalogue(catalogue)
    plan = plan_pack(directory, cat, unit, indicator or ())
    written = () if dry_run else write_pack(plan, directory, output, today()[0])
    handoff.pack_report(ui.make_console(), tr, plan, output, written, dry_run)
    errors = plan.left_out or any(f.severity.value == "error" for f in plan.findings)
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_OK)


@app.command("import", cls=DossierCommand, help=N_(
    "For a 牵头单位: merge what 责任单位 sent (pack zips, zips made on Windows, folders) into "
    "the materials folder, each file into its indicator, section and year. Never overwrites; "
    "records who supplied which file."))
def import_cmd(
    ctx: typer.Context,
    sources: Annotated[list[Path], typer.Argument(help=N_("Zips or folders to merge."),
                                                  metavar=N_("SOURCE..."))],
    into: Annotated[Path, typer.Option("--into", help=N_(
        "The materials folder to merge into."), metavar=N_("MATERIALS"))] = Path("materials"),
    from_: Annotated[str | None, typer.Option("--from", help=N_(
        "Who supplied the sources, where they do not say (a pack zip names its unit)."),
        metavar=N_("UNIT"))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_(
        "Show where each file would go; write nothing."))] = False,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Merge contributions."""
    from dossier.importing import import_sources

    tr = _session(ctx).tr
    cat = _catalogue(catalogue)
    done = import_sources(sources, into, cat, from_, dry_run=dry_run, today=today()[1])
    handoff.import_report(ui.make_console(), tr, done, into, dry_run)
    bad = any(d.refused or d.problems for d in done)
    raise typer.Exit(EXIT_FINDINGS if bad else EXIT_OK)


@app.command("tidy", cls=DossierCommand, help=N_(
    "Fix what check can diagnose: GBK or UTF-16 YAML to UTF-8, 达标说明.yaml.txt names, "
    "files in the wrong year folder, unreadable names, zips in the tree, duplicates (set "
    "aside in 重复文件, never deleted). Shows the changes; --apply makes them; --undo "
    "reverses them."))
def tidy_cmd(
    ctx: typer.Context,
    directory: MaterialsArg = Path("materials"),
    apply: Annotated[bool, typer.Option("--apply", help=N_(
        "Make the changes (each is logged in 整理记录.json)."))] = False,
    undo: Annotated[bool, typer.Option("--undo", help=N_(
        "Reverse the changes of the last tidy --apply runs."))] = False,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Tidy the materials folder."""
    from dossier.tidy import apply_tidy, plan_tidy, undo_tidy

    tr = _session(ctx).tr
    if apply and undo:
        raise _Usage(tr("Give --apply or --undo, not both."))
    if undo:
        log = undo_tidy(directory)
        handoff.tidy_report(ui.make_console(), tr, log.done, log.problems, "undo", hints_for(tr))
        raise typer.Exit(EXIT_FINDINGS if log.problems else EXIT_OK)
    plan = plan_tidy(directory, _catalogue(catalogue))
    if not apply:
        handoff.tidy_report(ui.make_console(), tr, plan.messages, plan.problems,
                       "preview" if plan.actions else "nothing", hints_for(tr))
        raise typer.Exit(EXIT_OK)
    log = apply_tidy(plan, directory)
    handoff.tidy_report(ui.make_console(), tr, log.done, log.problems, "applied", hints_for(tr))
    raise typer.Exit(EXIT_FINDINGS if log.problems else EXIT_OK)


@app.command("verify", cls=DossierCommand, help=N_(
    "Check built volumes against their manifests: report volumes whose sources changed "
    "since (stale), whose PDF was altered (corrupt) or is gone (missing). Each PDF is "
    "checked on its own (hash, pages, 目录); the sources are checked in --materials, or in "
    "the folder the manifest records when it is on this computer. Exit status 1 if any."))
def verify_cmd(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help=N_("Output folder of a build."),
                                           metavar=N_("FOLDER"))] = Path("dist"),
    materials: Annotated[Path | None, typer.Option(
        "--materials", help=N_("The materials folder where it is now, to check the sources "
                               "too (default: the folder the manifests record, when it is "
                               "on this computer)."), metavar=N_("FOLDER"))] = None,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
    = TextFormat.text,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Verify built volumes."""
    tr = _session(ctx).tr
    if not output.exists():
        raise _Usage(tr("{folder} does not exist; give the output folder of a build.",
                        folder=output))
    if not output.is_dir():
        raise _Usage(tr("{folder} is not a folder; give the output folder of a build.",
                        folder=output))
    if materials is not None and not materials.exists():
        raise _Usage(tr("The materials folder {folder} does not exist; give the folder where "
                        "the materials are now.", folder=materials))
    if materials is not None and not materials.is_dir():
        raise _Usage(tr("{folder} is not a folder; give the folder where the materials are "
                        "now.", folder=materials))
    from dossier.verify import verify as run_verify

    verdicts = run_verify(output, materials.resolve() if materials is not None else None)
    if format is TextFormat.json:
        statuses = ("ok", "stale", "corrupt", "missing")
        _json({"summary": {s: sum(1 for v in verdicts if v.status == s) for s in statuses},
               "verdicts": [v.to_dict(tr) for v in verdicts]})
    else:
        ui.verify_report(ui.make_console(), tr, verdicts, output, hints_for(tr))
    raise typer.Exit(EXIT_FINDINGS if any(v.status != "ok" for v in verdicts) else EXIT_OK)


@app.command("fonts", cls=DossierCommand, help=N_(
    "Show the CJK fonts found, whether each can be embedded, and which one build uses."))
def fonts_cmd(
    ctx: typer.Context,
    font: CheckFontOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show the CJK fonts."""
    from dossier.fonts import candidates, choose

    found = list(candidates([font] if font else []))
    ui.fonts_report(ui.make_console(), _session(ctx).tr, found, choose(font))


@app.command("doctor", cls=DossierCommand, help=N_(
    "Show the components dossier uses on this computer (LibreOffice, PDFium, the CJK font, "
    "the cache folder), whether each was found, and how to install what is missing. Exit "
    "status 1 when the CJK font that build needs is missing."))
def doctor_cmd(
    ctx: typer.Context,
    font: CheckFontOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show the components."""
    from dossier.console_doctor import doctor_report
    from dossier.doctor import diagnose

    found = diagnose(str(font) if font else None)
    doctor_report(ui.make_console(), _session(ctx).tr, found)
    raise typer.Exit(EXIT_FINDINGS if any(c.required and not c.ok for c in found)
                     else EXIT_OK)


from dossier.cli import (  # noqa: E402 (registered on `app`, above)
    ci_cmd,  # noqa: F401 (registers `dossier merge` and `dossier ci-template`)
    contacts_cmd,  # noqa: F401 (registers `dossier contacts`)
    status_cmd,  # noqa: F401 (registers `dossier status`)
)
from dossier.cli.boundary import main, run  # noqa: E402 (the boundary runs `app`, above)

__all__ = ["app", "main", "run"]
