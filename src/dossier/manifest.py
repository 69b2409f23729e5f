"""The manifest beside each volume: what went in, what came out. It makes rebuilds
incremental and lets `dossier verify` (verify.py) check a volume, with or without its
sources. Source paths are relative to the materials folder and "/"-separated on every
system, so a delivered tree can be checked wherever it now lives; `materials`, the
folder's absolute path on the computer that built the volume, is for information."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier import __version__
from dossier.atomic import atomic_output
from dossier.hashing import sha256_file
from dossier.plan import VolumePlan
from dossier.provenance import read_provenance, supplier

if TYPE_CHECKING:
    from dossier.assemble import VolumeResult


def manifest_data(plan: VolumePlan, result: VolumeResult, materials: Path) -> dict[str, Any]:
    stat = result.output.stat()
    records = read_provenance(materials)  # `dossier import`: who supplied which file
    return {
        "tool": "dossier",
        "version": __version__,
        "fingerprint": plan.fingerprint(),
        "materials": str(materials.resolve()),
        "indicator": plan.indicator,
        "indicator_name": plan.indicator_name,
        "volume": plan.volume or "single",
        "part": {"number": plan.number, "count": plan.count, "holds": plan.holds,
                 "split": [plan.part, plan.parts]},
        "catalogue_sha256": plan.catalogue_sha256,
        "templates_sha256": plan.templates_sha256,
        "options": asdict(plan.options),
        "output": {"file": result.output.name, "size": result.size, "sha256": result.sha256,
                   "mtime_ns": stat.st_mtime_ns, "pages": result.pages,
                   "front_pages": result.front_pages,
                   "material_pages": result.material_pages,
                   # 1-based, like output_pages: the blank backs of --duplex and the
                   # 卷内备考表 (0: none); neither is numbered
                   "blank_pages": [i + 1 for i in result.blanks],
                   "closing_page": result.closing + 1,
                   # --ocr: image pages Tesseract could not read; the next build tries again
                   "ocr_failed_pages": result.ocr_failed},
        "sources": [
            {"path": _posix(p.source.rel), "title": p.source.title,
             "number": p.source.number, "author": p.source.author, "date": p.source.date,
             "note": p.source.note, "size": p.source.size,
             "mtime_ns": p.source.mtime_ns,
             "sha256": p.sha256, "pages": p.pages, "section": p.section,
             "first_page": p.first, "last_page": p.first + p.pages - 1,
             "output_pages": [p.index + 1, p.index + p.pages],
             "placeholder": p.placeholder.to_dict() if p.placeholder is not None else None,
             # pages whose number moved off content (number: place), and pages where every
             # place held content (the number is over it, where asked)
             "stamp_moved": {str(n): place for n, place in p.moved},
             "stamp_covered": list(p.covered),
             "supplied_by": supplier(records, p.source.rel),
             # an office document: what converted it, and the PDF that was bound
             "converted": ({"converter": p.converted.converter,
                            "version": p.converted.version,
                            "pdf_sha256": p.converted.pdf_sha256}
                           if p.converted is not None else None)}
            for p in result.placed
        ],
        "inputs": [{"path": _posix(s.rel), "size": s.size, "mtime_ns": s.mtime_ns,
                    "sha256": _sha256(Path(s.path))} for s in plan.inputs],
    }


def _posix(rel: str) -> str:
    """A path relative to the materials folder, "/"-separated (the scan gives it so; on
    Windows a backslash is a separator, elsewhere it belongs to the name)."""
    return rel.replace("\\", "/") if os.sep == "\\" else rel


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    try:
        blob = text.encode("utf-8")
    except UnicodeEncodeError:  # a name with undecodable bytes: JSON's \udcNN escapes
        blob = (json.dumps(data, ensure_ascii=True, indent=2, sort_keys=True) + "\n").encode()
    with atomic_output(path) as fh:
        fh.write(blob)


MAX_MANIFEST = 64 << 20  # bytes; a volume of 10,000 sources writes about 10 MiB


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest's data, or None when it is not a dossier manifest (or not a regular
    file: a FIFO or device named *.manifest.json is never read; nor one larger than
    MAX_MANIFEST, or nested too deep for the JSON reader)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_MANIFEST:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "dossier" else None


def manifests_in(out_dir: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(path, data) of every dossier manifest in OUT, by name; nothing when OUT cannot be
    listed. What retire, status and the 总目录 read."""
    try:
        paths = sorted(out_dir.glob("*.manifest.json"))
    except OSError:
        return
    for path in paths:
        data = read_manifest(path)
        if data is not None:
            yield path, data


def up_to_date(plan: VolumePlan, out_dir: Path) -> bool:
    """Cheap: the plan (sources' sizes and mtimes, options, hashes) and the output file's
    size and mtime must match the manifest. No file content is read."""
    return recorded_output(plan, out_dir) is not None


def recorded_output(plan: VolumePlan, out_dir: Path) -> tuple[int, int] | None:
    """The output's (size, mtime_ns) as its manifest records them, when the manifest was
    made from this very plan and the file on disk still matches; else None."""
    data = read_manifest(out_dir / plan.manifest_name)
    if not data or data.get("fingerprint") != plan.fingerprint():
        return None
    try:
        stat = (out_dir / plan.output).stat()
    except OSError:
        return None
    out = data.get("output")
    if not isinstance(out, dict):
        return None
    if plan.options.ocr and out.get("ocr_failed_pages"):
        return None  # pages left without their text layer: OCR them again
    if stat.st_size == out.get("size") and stat.st_mtime_ns == out.get("mtime_ns"):
        return stat.st_size, stat.st_mtime_ns
    return None


def _sha256(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None
