"""`dossier build`: bind the volumes of the indicators chosen, skip what is up to date,
move aside what the plan no longer makes, and write the 总目录 with --all."""

from __future__ import annotations

import contextlib
import os
import string
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dossier import buildstate
from dossier import console as ui
from dossier.cli import (
    CacheOpt,
    CatalogueOpt,
    DebugOpt,
    IndicatorOpt,
    LangOpt,
    MaterialsArg,
    OcrOpt,
    UnitOpt,
    _catalogue,
    app,
)
from dossier.cli.typerwords import CliUsage as _Usage
from dossier.cli.typerwords import DossierCommand, _session
from dossier.errors import EXIT_FINDINGS, EXIT_OK
from dossier.hints import hints_for
from dossier.i18n import N_, Translator
from dossier.options import (
    POSITIONS,
    BuildOptions,
    ClosingSheet,
    StampOptions,
    build_date,
    parse_month,
    with_catalogue,
    with_cover_date,
)

if TYPE_CHECKING:
    from dossier.fonts import FontChoice
    from dossier.ocr import Engine
    from dossier.shard import Shard


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


@app.command("build", cls=DossierCommand, help=N_(
    "Bind one PDF volume per indicator: cover, 目录 with page numbers and links, then "
    "达标说明, 直接证明材料 and the yearly material, stamped, bookmarked, fonts embedded. "
    "Exit status 0 when every volume was built or up to date, 1 when any failed, 2 on "
    "usage errors."))
def build_cmd(
    ctx: typer.Context,
    directory: MaterialsArg = Path("materials"),
    indicator: IndicatorOpt = None,
    all_: Annotated[bool, typer.Option("--all", help=N_("Build every indicator."))] = False,
    output: Annotated[Path, typer.Option("--output", "-o", help=N_(
        "Output folder (must not be inside the materials folder)."), metavar=N_("FOLDER"))]
    = Path("dist"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help=N_(
        "Volumes built (and office documents converted) in parallel."),
        metavar=N_("COUNT"))] = 1,
    cache: CacheOpt = None,
    ocr: OcrOpt = False,
    volumes: Annotated[Volumes, typer.Option("--volumes", help=N_(
        "by-year (the default, 附件3 分年度整理分册): a main volume, one per year and one for "
        "长期有效, numbered 第x册 共y册; single: one PDF per indicator."))] = Volumes.by_year,
    force: Annotated[bool, typer.Option("--force", help=N_("Rebuild up-to-date volumes."))]
    = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_(
        "Print the plan and what would be rebuilt; write nothing."))] = False,
    font: Annotated[Path | None, typer.Option("--font", help=N_(
        "CJK TrueType font file (.ttf/.ttc) to embed; see the fonts command."),
        metavar=N_("FILE"))] = None,
    allow_broken: Annotated[bool, typer.Option("--allow-broken", help=N_(
        "Put a marked placeholder page in place of unreadable documents."))] = False,
    stamp_position: Annotated[Position, typer.Option("--stamp-position", help=N_(
        "Where page numbers go (outer: at the top, right on odd and left on even pages)."))]
    = Position.top_right,
    stamp_format: Annotated[str, typer.Option("--stamp-format", help=N_(
        "Page number text: {n} is the number, {total} the count, e.g. '第{n}页'."),
        metavar=N_("TEXT"))] = "{n}",
    stamp_fixed: Annotated[bool, typer.Option("--stamp-fixed", help=N_(
        "Put every page number where --stamp-position says, even over content; by default "
        "a number whose place holds content moves to the next free corner."))] = False,
    templates: Annotated[Path | None, typer.Option("--templates", help=N_(
        "Folder with template overrides (cover.yaml.j2, 达标说明.md.j2)."), file_okay=False,
        metavar=N_("FOLDER"))] = None,
    date: Annotated[str | None, typer.Option("--date", help=N_(
        "Month printed on the covers and under each 达标说明 (落款), e.g. 2021-03 or "
        "2021年3月; default: the catalogue's cover_date, else this month. PDF metadata "
        "follow SOURCE_DATE_EPOCH."), metavar=N_("MONTH"))] = None,
    max_pages: Annotated[int | None, typer.Option("--max-pages", min=0, help=N_(
        "Split a volume with more numbered pages than this (at least 20) into parts, "
        "between documents; each part has its cover and 目录, and the page numbers run on. "
        "0: never split. Default: the catalogue's max_pages, else no split."),
        metavar=N_("PAGES"))] = None,
    duplex: Annotated[bool, typer.Option("--duplex", help=N_(
        "For double-sided printing: the cover, the 目录 and each section start on a "
        "right-hand page, after a blank page that is not numbered."))] = False,
    closing_sheet: Annotated[bool, typer.Option("--closing-sheet", help=N_(
        "End each volume with a 卷内备考表: documents and pages in it, 立卷人, 检查人 and "
        "date."))] = False,
    compiler: Annotated[str | None, typer.Option("--compiler", help=N_(
        "立卷人 on the 卷内备考表, which it turns on (default: the catalogue's compiler, else "
        "a line to sign)."), metavar=N_("NAME"))] = None,
    checker: Annotated[str | None, typer.Option("--checker", help=N_(
        "检查人 on the 卷内备考表, which it turns on (default: the catalogue's checker, else "
        "a line to sign)."), metavar=N_("NAME"))] = None,
    whole_images: Annotated[bool, typer.Option("--whole-images", help=N_(
        "Shrink every image onto one page. By default an image taller than 1.6 pages at "
        "the page's width (a long phone screenshot) is cut at blank rows into page-high "
        "slices, each filling the width and marked 续."))] = False,
    shard: Annotated[str | None, typer.Option("--shard", help=N_(
        "Build only shard K of N (e.g. 2/3), for N CI runners: every runner plans all "
        "volumes and takes its share, balanced by pages and bytes; each volume falls in "
        "exactly one shard. With --dry-run: the shard's volumes and their estimated cost. "
        "Combine the runners' folders with the merge command."), metavar="K/N")] = None,
    unit: UnitOpt = None,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Bind the volumes."""
    tr = _session(ctx).tr
    err = ui.make_console(stderr=True)
    if not (indicator or all_ or unit):
        raise _Usage(tr("Say what to build: --indicator N (repeatable), --unit UNIT or --all."))
    _check_stamp_format(stamp_format, tr)
    if templates is not None and not templates.is_dir():
        raise _Usage(tr("--templates: {path} does not exist; give the folder of your template "
                        "overrides.", path=templates))
    if max_pages is not None and 0 < max_pages < 20:
        raise _Usage(tr("--max-pages: a part of {given} pages is too thin to bind; give 20 "
                        "or more, or 0 for no split.", given=max_pages))
    given = _month(date, tr) if date is not None else None
    part = _shard(shard, tr) if shard is not None else None
    engine = _ocr_engine(cache, tr) if ocr else None
    epoch, month = build_date(month=given)
    options = BuildOptions(
        volumes=volumes.value, allow_broken=allow_broken, font=str(font) if font else None,
        stamp=StampOptions(position=stamp_position.value, format=stamp_format,
                           avoid_ink=not stamp_fixed),
        date=month, epoch=epoch, max_pages=max_pages or 0, duplex=duplex,
        closing=ClosingSheet((compiler or "").strip(), (checker or "").strip())
        if closing_sheet or compiler or checker else None, slice_images=not whole_images,
        ocr=engine.label if engine else "")
    dirs = (templates,) if templates else ()
    # Both taken before anything is planned: the state of a build describes its inputs
    # as they were when it started.
    key = buildstate.invocation_key(buildstate.Invocation(
        directory, output, tuple(indicator or ()), all_, unit, options, catalogue, dirs,
        str(part or "")))
    signature = buildstate.tree_signature(directory) if directory.is_dir() else ""
    fresh = None if (force or dry_run or not signature) else buildstate.check(output, key,
                                                                              signature)
    if fresh is not None:
        from dossier.outlock import tidy

        tidy(output)  # a killed --force build's temporary file, say
        ui.skipped(err, tr, directory, fresh.missing)
        rows = [ui.VolumeRow(v.indicator, v.label, "up-to-date", 0, v.output)
                for v in fresh.volumes]
        ui.build_report(ui.make_console(), tr, rows, output, dry_run=False)
        raise typer.Exit(EXIT_OK)
    from dossier.build import build as run_build
    from dossier.build import kind_context, make_plan

    cat = _catalogue(catalogue)
    options = with_catalogue(options, cat.settings.max_pages if max_pages is None else None,
                             ClosingSheet(cat.settings.compiler, cat.settings.checker))
    if given is None:  # the catalogue's month, if it has one (its content is in `key`)
        options = with_cover_date(options, cat.settings.cover_date)
    elif given[0] < cat.settings.evidence_years[0]:  # signed before its material begins
        shown, example = f"{given[0]}-{given[1]:02d}", f"{cat.settings.progress_year}-03"
        raise _Usage(tr("--date: {given} is before the years the material covers ({first}–"
                        "{last}); a binder is signed after them, e.g. {example}.",
                        given=shown, first=cat.settings.evidence_years[0],
                        last=cat.settings.progress_year, example=example))
    fonts: list[FontChoice] = []  # found once, when first needed

    def resolve_font() -> FontChoice:
        from dossier.fonts import choose  # reportlab: only when a volume is built

        if not fonts:
            fonts.append(choose(font))
            if fonts[0].warning:
                ui.warning(err, tr, fonts[0].warning)
        return fonts[0]

    kinds = kind_context(cache, engine)  # LibreOffice and the fonts: looked for when needed
    plans, missing = make_plan(directory, output, cat, indicator or (), unit, options, dirs,
                               resolve_font, cache, kinds)
    ui.skipped(err, tr, directory, missing)
    planned = plans
    if part is not None:  # this runner's share; the others' volumes are left alone
        from dossier.console_shard import shard_report
        from dossier.shard import shard_record, split, write_record

        assigned = split(plans, part.total)
        shard_report(err, tr, assigned, part, listed=dry_run)
        plans = tuple(a.plan for a in assigned if a.shard == part.index)
        if not dry_run:  # for merge: which split this folder is a part of
            try:
                write_record(output, shard_record(assigned, part))
            except OSError as exc:
                raise _Usage(tr("cannot write {path}: {reason}", path=output,
                                reason=exc.strerror or str(exc))) from None

    with _output_lock(output, dry_run):  # one build per OUT at a time
        with ui.build_progress(err, tr, plans) as progress:
            outcomes = run_build(plans, directory, output, jobs=jobs, force=force,
                                 dry_run=dry_run, font=resolve_font,
                                 on_done=progress.volume, on_pages=progress.pages,
                                 on_convert=progress.converted, cache_dir=cache, kinds=kinds)
        from dossier.retire import retire

        # what this build no longer makes goes to OUT/已过期 once its replacement is there
        broken = {o.plan.indicator for o in outcomes if o.status == "failed"}
        retired = retire([p for p in planned if p.indicator not in broken], output,
                         dry_run=dry_run)
        console = ui.make_console()
        ui.build_report(console, tr, ui.volume_rows(tr, outcomes, dry_run, hints_for(tr)),
                        output, dry_run)
        ui.retired_report(console, tr, retired, output, dry_run)
        if all_ and not dry_run and part is None and output.is_dir():  # 总目录 of all in OUT
            from dossier.fonts import register
            from dossier.register import write_register

            chosen = resolve_font()
            register(chosen)
            written = write_register(output, chosen.name, cat.settings.title, epoch)
            console.print(ui.escape(tr("Register of all volumes (总目录): {files}",
                                       files=[str(w) for w in written])))
        failed = any(o.status == "failed" for o in outcomes) or any(r.problem for r in retired)
        if failed:
            buildstate.forget(output, key)
        elif not dry_run and outcomes and signature:
            buildstate.record(output, key, signature, buildstate.volumes_of(outcomes, output),
                              missing)
        raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@contextlib.contextmanager
def _output_lock(output: Path, dry_run: bool) -> Iterator[None]:
    """OUT's lock (dossier.outlock) for a build that writes; DOSSIER_LOCK_WAIT: seconds to
    wait for another build (default 30)."""
    if dry_run:
        yield
        return
    from dossier.errors import UsageError, os_cause
    from dossier.outlock import WAIT, locked

    try:
        wait = float(os.environ.get("DOSSIER_LOCK_WAIT", WAIT))
    except ValueError:
        wait = WAIT
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(locked(output, wait))
    except OSError as exc:  # OUT cannot be made or opened: read-only, a name too long …
        raise UsageError("output-unwritable", file=str(output), **os_cause(exc)) from None
    with stack:
        yield


def _shard(text: str, tr: Translator) -> Shard:
    """--shard K/N, 1 ≤ K ≤ N (GitLab's CI_NODE_INDEX/CI_NODE_TOTAL)."""
    from dossier.shard import parse_shard

    found = parse_shard(text)
    if found is None:
        raise _Usage(tr("--shard: “{given}” is not a shard; write K/N with 1 ≤ K ≤ N, e.g. "
                        "2/3 (in GitLab CI: $CI_NODE_INDEX/$CI_NODE_TOTAL).", given=text))
    return found


def _ocr_engine(cache: Path | None, tr: Translator) -> Engine:
    """--ocr: Tesseract with its Chinese model, or a usage error saying how to install it."""
    from dossier.ocr import Missing, find_engine, problem

    found = find_engine(cache)
    if isinstance(found, Missing):
        raise _Usage(tr("--ocr: {problem}", problem=tr.render(problem(found))))
    return found


def _month(text: str, tr: Translator) -> tuple[int, int]:
    """--date: 2021-03, 2021-3 or 2021年3月."""
    found = parse_month(text)
    if found is None:
        raise _Usage(tr("--date: “{given}” is not a month; write it as 2021-03 or 2021年3月.",
                        given=text))
    return found


def _check_stamp_format(text: str, tr: Translator) -> None:
    """{n} must be there; {total} may be; nothing else may be in braces."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        text.format(n=1, total=1)
    except (ValueError, KeyError, IndexError, AttributeError):
        fields = {"?"}
    if "n" not in fields or not fields <= {"n", "total"}:
        raise _Usage(tr("--stamp-format may use only {{n}} (the page number, required) and "
                        "{{total}} (the page count), e.g. '第{{n}}页' or '{{n}}/{{total}}'."))
