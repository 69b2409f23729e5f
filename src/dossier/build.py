"""`dossier build`: plan the volumes, skip the up-to-date ones, assemble the rest
(in parallel when asked), and write a manifest beside each."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError as JinjaError

from dossier.catalogue import Catalogue
from dossier.errors import BuildError, DossierError, TemplateError, os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.kinds import EXPLANATION, OFFICE
from dossier.kinds.base import KindContext, converter_finder, fonts_finder
from dossier.manifest import manifest_data, up_to_date, write_manifest
from dossier.naming import safe_display
from dossier.options import BuildOptions
from dossier.plan import Source, VolumePlan, plan_volumes
from dossier.scan import require_outside, scan
from dossier.templating import make_environment

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from dossier.fonts import FontChoice
    from dossier.ocr import Engine
    from dossier.parts import PageCount

TEMPLATES = ("cover.yaml.j2", "达标说明.md.j2")
WATCH_SECONDS = 1.0  # how often a worker looks whether the main process is still there
VolumeDone = Callable[["Outcome"], None]


@dataclass(frozen=True)
class Outcome:
    """`messages`: why a volume failed (the error's message), or the notes of a built
    volume (placeholder pages used, characters the font lacks)."""

    plan: VolumePlan
    status: str  # built | up-to-date | failed | planned
    messages: tuple[Message, ...] = ()
    pages: int = 0


def templates_hash(env: SandboxedEnvironment) -> str:
    digest = hashlib.sha256()
    assert env.loader is not None
    for name in TEMPLATES:
        try:
            source, _, _ = env.loader.get_source(env, name)
        except JinjaError as exc:  # GBK, a pipe …: the volumes that render it say so
            source = f"\0unreadable {name}: {exc}"
        digest.update(source.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def make_plan(root: Path, out_dir: Path, catalogue: Catalogue, indicators: Sequence[int],
              unit: str | None, options: BuildOptions,
              template_dirs: Sequence[Path] = (),
              font: FontChoice | Callable[[], FontChoice] | None = None,
              cache_dir: Path | None = None, kinds: KindContext | None = None,
              ) -> tuple[tuple[VolumePlan, ...], tuple[int, ...]]:
    """The volumes to build, and the selected indicators that have no folder (skipped).
    With options.max_pages, the sources' pages are counted to split long volumes into
    parts; a generated 达标说明 is then laid out with `font` (a resolver is called only
    then), an office document converted (`cache_dir`: where conversions are kept; `kinds`,
    from kind_context, shares what was found of LibreOffice and the fonts with build)."""
    require_outside(root, out_dir)
    selected = catalogue.select(indicators, unit)
    tree = scan(root, frozenset(catalogue.ids), frozenset(catalogue.settings.all_years))
    from dossier.explain.generate import explanation_sources  # jinja2/pydantic models: lazily

    env = make_environment(template_dirs)  # the one template environment of a build
    explanations, inputs = explanation_sources(root, tree, selected, catalogue.settings, env,
                                               options.date)
    kinds = replace(kinds or kind_context(cache_dir), slicing=options.slice_images)
    wanted = {i.id for i in selected}
    has_office = any(f.kind == OFFICE for f in tree.files if f.indicator in wanted)
    plans = plan_volumes(tree, selected, catalogue.settings, options,
                         sha256_file(catalogue.path), templates_hash(env),
                         explanations, inputs,
                         _page_counter(font, kinds) if options.max_pages else None,
                         converter=_converter_label(kinds) if has_office else "")
    missing = tuple(i.id for i in selected if not tree.folders_for(i.id))
    return tuple(_with_cover(p, env) for p in plans), missing


def kind_context(cache_dir: Path | None = None, ocr: Engine | None = None) -> KindContext:
    """How a command's sources are opened: LibreOffice and this machine's fonts, each
    looked for once when first needed, where conversions are cached, and the OCR engine
    that gives pictures of pages a text layer (None: none)."""
    return KindContext(soffice=converter_finder(cache_dir), fonts=fonts_finder(),
                       cache_dir=cache_dir, ocr=ocr)


def _converter_label(kinds: KindContext) -> str:
    """"LibreOffice 7.4.7.2 (fonts 1a2b3c4d)": the converter, and the font replacements this
    machine gets (installing a missing font changes the PDFs: the volumes are rebuilt)."""
    from dossier.officefonts import replacements

    found = kinds.soffice()
    if found is None:
        return ""
    label = f"{found.program.name} {found.version}".strip()
    table = ";".join(f"{a}={b}" for a, b in replacements(kinds.fonts()))
    return f"{label} (fonts {hashlib.sha256(table.encode()).hexdigest()[:8]})"


def _page_counter(font: FontChoice | Callable[[], FontChoice] | None,
                  kinds: KindContext) -> PageCount:
    """How many pages a source will have: probed, converted, or laid out (a 达标说明)."""
    chosen: list[FontChoice] = []

    def count(source: Source) -> int:
        from dossier.pagecount import pages_of

        if source.kind == EXPLANATION and not chosen:
            found = _resolve(font)
            _register(found)
            chosen.append(found)
        return pages_of(source, replace(kinds, font=chosen[0].name if chosen else ""))

    return count


def _resolve(font: FontChoice | Callable[[], FontChoice] | None) -> FontChoice:
    if font is None:
        from dossier.fonts import choose

        return choose()
    return font() if callable(font) else font


def _with_cover(plan: VolumePlan, env: SandboxedEnvironment) -> VolumePlan:
    from dossier.render.cover import cover_text

    try:
        return replace(plan, cover=cover_text(plan, env))
    except TemplateError as exc:
        return replace(plan, cover_error=exc.message)


def _build_one(plan: VolumePlan, root: Path, out_dir: Path, font: FontChoice,
               kinds: KindContext, on_pages: Callable[[int], None] | None = None) -> Outcome:
    """Runs in a worker process (or inline for -j1)."""
    from dossier.assemble import assemble  # pypdf/reportlab: only when building

    try:  # the font is registered in this process already (build, or _worker_init)
        _require_room(out_dir, plan)
        result = assemble(plan, out_dir, font, on_pages, kinds)
        _write_manifest(out_dir / plan.manifest_name, manifest_data(plan, result, root))
    except DossierError as exc:
        return Outcome(plan, "failed", (exc.message,))
    finally:
        # Free what is left of the finished volume, then freeze the survivors (modules
        # imported while building it): later collections walk only new objects.
        gc.collect()
        gc.freeze()
    broken = tuple(safe_display(p.source.rel) for p in result.placed
                   if p.placeholder is not None)
    notes = (msg("build-placeholders", count=len(broken), files=broken),) if broken else ()
    return Outcome(plan, "built", (*notes, *result.warnings), result.pages)


def _require_room(out_dir: Path, plan: VolumePlan) -> None:
    """A folder (or a device, a pipe) where the volume or its manifest must go fails the
    volume before anything is written: never a PDF without its manifest."""
    for name in (plan.output, plan.manifest_name):
        path = out_dir / name
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue  # nothing there (or a dangling link, which the rename replaces)
        if not stat.S_ISREG(mode):
            raise BuildError("output-in-the-way", file=str(path))


def _write_manifest(path: Path, data: dict[str, Any]) -> None:
    try:
        write_manifest(path, data)
    except OSError as exc:  # a full disk, say: no manifest of the volume before stays
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise BuildError("output-unwritable", file=str(path), **os_cause(exc)) from None


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """For the length of a build: move everything alive so far (imported modules,
    reportlab's font tables) out of the garbage collector's sight, and let it run only
    once after each volume (see _build_one) instead of every few hundred allocations.
    Forked workers inherit the frozen objects, so they share those pages instead of
    copying them when a collection would touch them. Restored afterwards."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _worker_init(font: FontChoice, parent: int | None = None) -> None:
    """In each worker process: it dies with the main process (`_die_with`), the font
    (already parsed when forked) and no automatic collections (the frozen state is
    inherited; the worker collects after each volume)."""
    _die_with(parent if parent is not None else os.getppid())
    _register(font)
    gc.disable()


def _die_with(parent: int) -> None:
    """A worker must not outlive the main process (kill -9, a closed terminal): on Linux the
    kernel kills it when its parent dies (PR_SET_PDEATHSIG), and on every system a thread
    watches the parent and ends the worker once it is gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # no libc by that name: the watcher does it
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # it died before the call: nobody would tell us
                os._exit(1)
    import threading

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            if not _alive(parent) or os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="dossier-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(code.value == 259)  # STILL_ACTIVE
        finally:
            kernel.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _register(font: FontChoice) -> None:
    from dossier.fonts import register

    register(font)


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """fork on Linux and the BSDs (workers inherit the parsed font and the frozen objects
    for free); the platform default elsewhere: spawn on Windows, and on macOS, where system
    frameworks can crash a child forked without exec."""
    if sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _raise_open_file_limit() -> None:
    """A volume keeps each source open until it is written; allow large volumes."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = hard if hard != resource.RLIM_INFINITY else 65536
        if soft != resource.RLIM_INFINITY and soft < min(want, 65536):
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, 65536), hard))
    except (ImportError, ValueError, OSError):
        pass


def build(plans: Sequence[VolumePlan], root: Path, out_dir: Path, *, jobs: int = 1,
          force: bool = False, dry_run: bool = False,
          font: FontChoice | Callable[[], FontChoice] | None = None,
          on_done: VolumeDone | None = None,
          on_pages: Callable[[int], None] | None = None,
          on_convert: Callable[[int, int], None] | None = None,
          cache_dir: Path | None = None, kinds: KindContext | None = None) -> list[Outcome]:
    """`font` may be a resolver, called only when a volume really has to be built (finding
    and parsing a CJK font is the slowest part of a no-op run). `cache_dir`: where
    converted office documents are kept (None: the default cache folder)."""
    todo: list[VolumePlan] = []
    outcomes: list[Outcome] = []
    for plan in plans:
        if not force and up_to_date(plan, out_dir):
            outcomes.append(Outcome(plan, "up-to-date"))
        else:
            todo.append(plan)
    if dry_run:
        return outcomes + [Outcome(p, "planned") for p in todo]
    for done in outcomes:
        if on_done:
            on_done(done)
    if not todo:
        return outcomes
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # read-only medium, no permission, a file in the way …
        raise BuildError("output-unwritable", file=str(out_dir), **os_cause(exc)) from None
    _raise_open_file_limit()
    font = _resolve(font)
    _register(font)
    import dossier.assemble  # noqa: F401  (pypdf, Pillow: loaded once, before forking)

    kinds = kinds or kind_context(cache_dir)
    _convert_ahead(todo, kinds, jobs, on_convert)
    with _collector_paused():
        outcomes += _run(todo, root, out_dir, font, kinds, jobs, on_done, on_pages)
    order = {p.output: n for n, p in enumerate(plans)}
    return sorted(outcomes, key=lambda o: order[o.plan.output])


def _convert_ahead(todo: Sequence[VolumePlan], kinds: KindContext, jobs: int,
                   on_convert: Callable[[int, int], None] | None) -> None:
    """Convert the office documents of the volumes to build, `jobs` at a time (threads:
    LibreOffice does the work), into the cache, before any volume is assembled: volumes
    then bind them from the cache, and one slow document does not hold a worker. A
    document that fails is left to its volume, which says why. Without a cache or
    LibreOffice, nothing is done here."""
    sources = list({s.path: s for p in todo for s in p.sources if s.kind == OFFICE}.values())
    if not sources or kinds.cache("office").folder is None or kinds.soffice() is None:
        return
    from concurrent.futures import ThreadPoolExecutor

    from dossier.kinds import implementation
    from dossier.kinds.office import OfficeKind
    from dossier.quiet import libraries_quiet

    office = implementation(OFFICE)
    assert isinstance(office, OfficeKind)
    with libraries_quiet(), ThreadPoolExecutor(max_workers=max(1, jobs),
                                               thread_name_prefix="dossier-convert") as pool:
        futures = [pool.submit(office.prepare, source, kinds) for source in sources]
        for done, _ in enumerate(as_completed(futures), 1):
            if on_convert:
                on_convert(done, len(sources))


def _run(todo: list[VolumePlan], root: Path, out_dir: Path, font: FontChoice,
         kinds: KindContext, jobs: int, on_done: VolumeDone | None,
         on_pages: Callable[[int], None] | None) -> list[Outcome]:
    """`on_pages` hears of pages as they are added when volumes are built in this process,
    and of a volume's pages when it is done when they are built by workers."""
    outcomes: list[Outcome] = []
    if jobs <= 1 or len(todo) == 1:
        for plan in todo:
            outcome = _build_one(plan, root, out_dir, font, kinds, on_pages)
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
        return outcomes
    # Largest volumes first: the last volumes to finish are then small ones, and the
    # workers run out of work at nearly the same time.
    todo.sort(key=lambda p: -sum(s.size for s in p.sources))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_fork_context(),
                             initializer=_worker_init, initargs=(font, os.getpid())) as pool:
        futures = [pool.submit(_build_one, plan, root, out_dir, font, kinds) for plan in todo]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            if on_pages and outcome.pages:
                on_pages(outcome.pages)
            if on_done:
                on_done(outcome)
    return outcomes
