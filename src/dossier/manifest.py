"""The manifest beside each volume: what went in, what came out. It makes rebuilds
incremental and lets `dossier verify` say which volumes are stale."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier import __version__
from dossier.atomic import atomic_output
from dossier.hashing import sha256_file
from dossier.plan import VolumePlan

if TYPE_CHECKING:
    from dossier.assemble import VolumeResult


def manifest_data(plan: VolumePlan, result: VolumeResult, materials: Path) -> dict[str, Any]:
    stat = result.output.stat()
    return {
        "tool": "dossier",
        "version": __version__,
        "fingerprint": plan.fingerprint(),
        "materials": str(materials.resolve()),
        "indicator": plan.indicator,
        "volume": plan.volume or "single",
        "catalogue_sha256": plan.catalogue_sha256,
        "templates_sha256": plan.templates_sha256,
        "options": asdict(plan.options),
        "output": {"file": result.output.name, "size": result.size, "sha256": result.sha256,
                   "mtime_ns": stat.st_mtime_ns, "pages": result.pages,
                   "front_pages": result.front_pages},
        "sources": [
            {"path": p.source.rel, "title": p.source.title, "size": p.source.size,
             "mtime_ns": p.source.mtime_ns,
             "sha256": p.sha256, "pages": p.pages, "section": p.section,
             "first_page": p.first, "last_page": p.first + p.pages - 1,
             "output_pages": [result.front_pages + p.first,
                              result.front_pages + p.first + p.pages - 1],
             "placeholder": p.placeholder}
            for p in result.placed
        ],
        "inputs": [{"path": s.rel, "size": s.size, "mtime_ns": s.mtime_ns,
                    "sha256": _sha256(Path(s.path))} for s in plan.inputs],
    }


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    with atomic_output(path) as fh:
        fh.write(text.encode("utf-8"))


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "dossier" else None


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
    out = data.get("output", {})
    if stat.st_size == out.get("size") and stat.st_mtime_ns == out.get("mtime_ns"):
        return stat.st_size, stat.st_mtime_ns
    return None


@dataclass(frozen=True)
class Verdict:
    manifest: str
    output: str
    status: str  # ok | stale | corrupt | missing
    reasons: tuple[str, ...]


def _sha256(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def verify(out_dir: Path) -> list[Verdict]:
    """Re-check every volume in OUT against its manifest, reading everything."""
    verdicts: list[Verdict] = []
    for mpath in sorted(out_dir.glob("*.manifest.json")):
        data = read_manifest(mpath)
        if data is None:
            verdicts.append(Verdict(mpath.name, "", "corrupt", ("manifest is not readable",)))
            continue
        out = data["output"]
        output = out_dir / out["file"]
        if not output.exists():
            verdicts.append(Verdict(mpath.name, out["file"], "missing", ("output PDF is gone",)))
            continue
        if _sha256(output) != out["sha256"]:
            verdicts.append(Verdict(mpath.name, out["file"], "corrupt",
                                    ("output PDF differs from what was built",)))
            continue
        root = Path(data["materials"])
        reasons = []
        for src in [*data["sources"], *data.get("inputs", [])]:
            path = root / src["path"]
            if not path.exists():
                reasons.append(f"{src['path']}: removed")
            elif path.stat().st_size != src["size"] or _sha256(path) != src["sha256"]:
                reasons.append(f"{src['path']}: changed")
        verdicts.append(Verdict(mpath.name, out["file"], "stale" if reasons else "ok",
                                tuple(reasons)))
    return verdicts


def remove_stale_temp(out_dir: Path) -> None:
    """Leftovers of a killed build (.name.pdf.XXXX.part) are removed on the next run."""
    for tmp in out_dir.glob(".*.part"):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
