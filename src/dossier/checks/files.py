"""Findings about individual files: type, readability, duplicates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from dossier.findings import Finding, finding
from dossier.hashing import sha256_file
from dossier.naming import safe_display
from dossier.probe import Probe, Problem, probe
from dossier.scan import MaterialFile

Progress = Callable[[str, int, int], None]

_CONVERT = {
    (".doc", ".docx", ".wps", ".rtf", ".odt", ".txt"): "open it in WPS/Word and 另存为/导出 PDF",
    (".xls", ".xlsx", ".et", ".ods", ".csv"): "open it in WPS/Excel and 导出 PDF (check the "
                                              "print area first)",
    (".ppt", ".pptx", ".dps", ".odp"): "open it in WPS/PowerPoint and 导出 PDF",
    (".ofd",): "open it in an OFD reader and print to PDF",
    (".zip", ".rar", ".7z", ".tar", ".gz"): "unpack it and put the PDFs in its place",
    (".heic", ".heif", ".webp", ".bmp", ".gif"): "convert it to JPEG or PDF",
}


def unsupported_message(f: MaterialFile) -> str:
    suffix = f.suffix or "(no extension)"
    hint = next((h for exts, h in _CONVERT.items() if f.suffix in exts),
                "convert it to PDF (or JPG/PNG/TIFF for photos)")
    return (f"{safe_display(f.rel)}: {suffix} files cannot be bound; {hint}. "
            "Keep the original outside the materials folder")


def probe_files(files: Iterable[MaterialFile], progress: Progress | None = None,
                timeout: float = 30.0) -> dict[str, Probe]:
    """Probe every supported, non-empty file. Keyed by MaterialFile.rel."""
    todo = [f for f in files if f.kind and f.size != 0]
    results: dict[str, Probe] = {}
    for n, f in enumerate(todo, 1):
        if f.size < 0:
            results[f.rel] = Probe(0, (Problem("unreadable-file", "cannot be read (stat failed)"),))
        else:
            assert f.kind is not None
            results[f.rel] = probe(f.path, f.kind, timeout)
        if progress:
            progress("probe", n, len(todo))
    return results


def file_findings(files: Iterable[MaterialFile], probes: dict[str, Probe]) -> Iterator[Finding]:
    for f in files:
        shown = safe_display(f.rel)
        if f.size == 0:
            yield finding("empty-file", f"{shown} is empty (0 bytes); copy it again",
                          indicator=f.indicator, path=shown)
        elif f.kind is None:
            yield finding("unsupported-file-type", unsupported_message(f),
                          indicator=f.indicator, path=shown)
        elif f.rel in probes:
            for p in probes[f.rel].problems:
                yield finding(p.code, f"{shown} {p.message}", indicator=f.indicator, path=shown)


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
                yield finding(
                    "duplicate-file",
                    f"{safe_display(other.rel)} has the same content as "
                    f"{safe_display(first.rel)}; keep one (if both indicators need it, "
                    "that is fine — say so in 达标说明)",
                    indicator=other.indicator, path=safe_display(other.rel))
