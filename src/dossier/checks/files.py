"""Findings about individual files: type, readability, duplicates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from dossier.findings import Finding, finding
from dossier.hashing import sha256_file
from dossier.kinds import OFFICE, by_content, implementation
from dossier.kinds.base import KindContext
from dossier.naming import safe_display
from dossier.probe import Probe, Problem, unreadable
from dossier.quiet import libraries_quiet
from dossier.scan import OWN_FILES, MaterialFile

Progress = Callable[[str, int, int], None]

# suffix -> the variant of unsupported-file-type that says how to convert it
# (office documents are converted: dossier.kinds.office)
_CONVERT: dict[tuple[str, ...], str] = {
    (".txt",): "word",
    (".csv",): "excel",
    (".ofd",): "ofd",
    (".zip", ".rar", ".7z", ".tar", ".gz"): "archive",
    (".heic", ".heif", ".webp", ".bmp", ".gif"): "image",
}


def unsupported_variant(suffix: str) -> str:
    """How a file of an unsupported type is converted: word, excel, powerpoint, ofd,
    archive, image or other."""
    return next((v for exts, v in _CONVERT.items() if suffix in exts), "other")


def unsupported_finding(f: MaterialFile) -> Finding:
    shown = safe_display(f.rel)
    stem = f.path.name[: -len(f.path.suffix)] if f.path.suffix else f.path.name
    if stem in OWN_FILES:  # 达标说明.yaml.txt: Windows hid the extension it added
        return finding("unsupported-file-type", variant="hidden-extension",
                       indicator=f.indicator, path=shown, file=shown, suffix=f.suffix,
                       name=stem)
    return finding("unsupported-file-type", variant=unsupported_variant(f.suffix),
                   indicator=f.indicator, path=shown, file=shown, suffix=f.suffix)


def probe_files(files: Iterable[MaterialFile], progress: Progress | None = None,
                timeout: float = 30.0, ctx: KindContext | None = None,
                jobs: int = 1) -> dict[str, Probe]:
    """Probe every supported, non-empty file, through its kind (dossier.kinds). Keyed by
    MaterialFile.rel. Office documents are converted (or taken from the cache) to count
    their pages: `jobs` conversions at a time, in threads (LibreOffice does the work)."""
    ctx = ctx or KindContext(timeout=timeout)
    todo = [f for f in files if f.kind and f.size != 0]
    results: dict[str, Probe] = {}
    kinds = {f.rel: _kind_of(f) for f in todo}
    slow = [f for f in todo if kinds[f.rel] == OFFICE]
    quick = len(todo) - len(slow)
    for n, f in enumerate((f for f in todo if kinds[f.rel] != OFFICE), 1):
        results[f.rel] = _probe_one(f, kinds[f.rel], ctx)
        if progress:
            progress("probe", n, quick)
    if slow:  # one quiet context around the threads (it changes process-wide state)
        pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="dossier-convert")
        with libraries_quiet(), pool:
            futures = {pool.submit(_probe_one, f, OFFICE, ctx): f for f in slow}
            for n, future in enumerate(as_completed(futures), 1):
                results[futures[future].rel] = future.result()
                if progress:
                    progress("convert", n, len(slow))
    return {f.rel: results[f.rel] for f in todo}


def _is_ofd(path: Path) -> bool:
    from dossier.office import OFD, sniff

    return sniff(path) == OFD


def _kind_of(f: MaterialFile) -> str:
    assert f.kind is not None
    return by_content(f.path, f.kind)


def _probe_one(f: MaterialFile, kind: str, ctx: KindContext) -> Probe:
    if f.size < 0:  # the scan could not stat it: say why, if it still cannot
        try:
            f.path.stat()
        except OSError as exc:
            return Probe(0, (unreadable(exc),))
    result = implementation(kind).probe(f.path, ctx)
    if not result.usable and _is_ofd(f.path):  # an e-invoice named .pdf: say what it is
        return Probe(0, (Problem("unsupported-file-type", "ofd", {"suffix": f.suffix}),))
    if kind == f.kind:
        return result
    # a Word file named .pdf, a PDF named .docx: bound as what it is, with a note
    note = Problem("mislabelled-document", variant=kind, params={"suffix": f.suffix})
    return Probe(result.pages, (note, *result.problems), result.size)


def file_findings(files: Iterable[MaterialFile], probes: dict[str, Probe]) -> Iterator[Finding]:
    for f in files:
        shown = safe_display(f.rel)
        if f.size == 0:
            yield finding("empty-file", indicator=f.indicator, path=shown, file=shown)
        elif f.kind is None:
            yield unsupported_finding(f)
        elif f.rel in probes:
            for p in probes[f.rel].problems:
                yield finding(p.code, variant=p.variant, indicator=f.indicator, path=shown,
                              **{**p.params, "file": shown})


def _sha256(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def duplicate_findings(files: Iterable[MaterialFile]) -> Iterator[Finding]:
    """Same content stored twice. Only files sharing a size are hashed."""
    by_size: dict[int, list[MaterialFile]] = defaultdict(list)
    for f in files:
        if f.kind and f.size > 0:
            by_size[f.size].append(f)
    for group in by_size.values():
        if len(group) < 2:
            continue
        by_hash: dict[str, list[MaterialFile]] = defaultdict(list)
        for f in group:
            digest = _sha256(f.path)
            if digest:
                by_hash[digest].append(f)
        for same in by_hash.values():
            first = same[0]
            for other in same[1:]:
                shown = safe_display(other.rel)
                same_indicator = other.indicator == first.indicator
                yield finding("duplicate-file", indicator=other.indicator, path=shown,
                              variant="same-indicator" if same_indicator else "",
                              file=shown, other=safe_display(first.rel))
