"""Findings about scanned pages (dossier.scanquality): low resolution, blank pages, pages too
dark or too faint to read. One finding per file and kind of fault, naming its pages."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from dossier.cache import Cache
from dossier.findings import Finding, finding
from dossier.kinds import IMAGES, PDF
from dossier.naming import safe_display
from dossier.probe import Probe
from dossier.quiet import libraries_quiet
from dossier.scan import MaterialFile
from dossier.scanquality import (
    LOW_DPI,
    MAX_SKEW,
    MAX_SLANT,
    PageLook,
    duplex_backs,
    look_at,
)


def look_at_files(files: Iterable[MaterialFile], probes: Mapping[str, Probe],
                  sealed: Collection[str] = (), cache_dir: Path | None = None,
                  jobs: int = 1) -> dict[str, tuple[PageLook, ...]]:
    """The scanned pages of every usable PDF and image, by relative path; the files in
    `sealed` are looked at for seals too, every page. `jobs` files at a time, in threads
    (JPEG decoding, PDFium and OpenCV let go of the GIL)."""
    cache = Cache("scans", cache_dir)
    todo = [f for f in files if (p := probes.get(f.rel)) is not None and p.usable
            and f.kind in (PDF, *IMAGES)]
    with libraries_quiet(), ThreadPoolExecutor(max_workers=max(1, jobs),
                                               thread_name_prefix="dossier-scans") as pool:
        seen = list(pool.map(lambda f: look_at(f.path, f.kind or "", cache, f.rel in sealed),
                             todo))
    return {f.rel: pages for f, pages in zip(todo, seen, strict=True)}


def scan_findings(files: Iterable[MaterialFile], probes: Mapping[str, Probe],
                  looks: Mapping[str, tuple[PageLook, ...]]) -> Iterator[Finding]:
    for f in files:
        pages = tuple(p for p in looks.get(f.rel, ()) if p.scanned)
        if not pages:
            continue
        shown = safe_display(f.rel)
        backs = duplex_backs(pages, probes[f.rel].pages)
        low = [p for p in pages if 0 < p.dpi < LOW_DPI]
        faults: list[tuple[str, list[PageLook]]] = [
            ("scan-low-resolution", low),
            ("scan-blank-page", [] if backs else [p for p in pages if p.blank]),
            ("scan-too-dark", [p for p in pages if p.dark]),
            ("scan-too-faint", [p for p in pages if p.faint]),
            ("scan-skewed", [p for p in pages if abs(p.skew) > MAX_SKEW]),
            ("photo-perspective", [p for p in pages if p.slant > MAX_SLANT])]
        for code, found in faults:
            if not found:
                continue
            params: dict[str, Any] = {"file": shown, "count": len(found),
                                         "pages": _pages(found)}
            if code == "scan-low-resolution":
                params["dpi"] = min(p.dpi for p in found)
            if code == "scan-skewed":
                params["angle"] = f"{max(abs(p.skew) for p in found):.1f}"
            if code == "photo-perspective":
                params["angle"] = f"{max(p.slant for p in found):.0f}"
            yield finding(code, indicator=f.indicator, path=shown, **params)


def _pages(found: list[PageLook]) -> tuple[str, ...]:
    numbers = [str(p.index + 1) for p in found]
    return (*numbers[:12], "…") if len(numbers) > 12 else tuple(numbers)
