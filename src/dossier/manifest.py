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
from dossier.errors import os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.naming import safe_display
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
             "placeholder": p.placeholder.to_dict() if p.placeholder is not None else None,
             "supplied_by": supplier(records, p.source.rel)}
            for p in result.placed
        ],
        "inputs": [{"path": s.rel, "size": s.size, "mtime_ns": s.mtime_ns,
                    "sha256": _sha256(Path(s.path))} for s in plan.inputs],
    }


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    try:
        blob = text.encode("utf-8")
    except UnicodeEncodeError:  # a name with undecodable bytes: JSON's \udcNN escapes
        blob = (json.dumps(data, ensure_ascii=True, indent=2, sort_keys=True) + "\n").encode()
    with atomic_output(path) as fh:
        fh.write(blob)


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
    out = data.get("output")
    if not isinstance(out, dict):
        return None
    if stat.st_size == out.get("size") and stat.st_mtime_ns == out.get("mtime_ns"):
        return stat.st_size, stat.st_mtime_ns
    return None


@dataclass(frozen=True)
class Verdict:
    manifest: str  # the manifest's file name
    output: str  # the PDF's file name ("" when the manifest does not say)
    status: str  # ok | stale | corrupt | missing
    reasons: tuple[Message, ...]  # verify-… messages; none when ok


def _sha256(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


class _Incomplete(Exception):
    """The manifest lacks an entry `verify` needs, or holds a wrong type there."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...], field: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _Incomplete(field)
    return value


def verify(out_dir: Path) -> list[Verdict]:
    """Re-check every volume in OUT against its manifest, reading everything. A manifest
    that cannot be read, or lacks what is needed, gives a "corrupt" verdict."""
    verdicts: list[Verdict] = []
    for mpath in sorted(out_dir.glob("*.manifest.json")):
        data = read_manifest(mpath)
        if data is None:
            verdicts.append(Verdict(mpath.name, "", "corrupt",
                                    (msg("verify-manifest-unreadable", file=mpath.name),)))
            continue
        try:
            verdicts.append(_verdict(out_dir, mpath.name, data))
        except _Incomplete as exc:
            out = data.get("output")
            name = out.get("file") if isinstance(out, dict) else None
            verdicts.append(Verdict(mpath.name, name if isinstance(name, str) else "",
                                    "corrupt", (msg("verify-manifest-incomplete",
                                                    file=mpath.name, field=exc.field),)))
    return verdicts


def _verdict(out_dir: Path, manifest: str, data: dict[str, Any]) -> Verdict:
    """Raises _Incomplete before anything is read when the manifest lacks what it needs."""
    out = _get(data, "output", dict, "output")
    name = _get(out, "file", str, "output.file")
    digest = _get(out, "sha256", str, "output.sha256")
    if not name or Path(name).name != name:  # a bare file name inside OUT
        raise _Incomplete("output.file")
    root = Path(_get(data, "materials", str, "materials"))
    recorded: list[tuple[str, int, str | None]] = []
    for key in ("sources", "inputs"):
        entries = _get(data, key, list, key) if key == "sources" else data.get(key, [])
        if not isinstance(entries, list):
            raise _Incomplete(key)
        for src in entries:
            if not isinstance(src, dict):
                raise _Incomplete(key)
            recorded.append((_get(src, "path", str, f"{key}.path"),
                             _get(src, "size", int, f"{key}.size"),
                             _get(src, "sha256", (str, type(None)), f"{key}.sha256")))
    output = out_dir / name
    if not output.exists():
        return Verdict(manifest, name, "missing", (msg("verify-output-missing", file=name),))
    if _sha256(output) != digest:
        return Verdict(manifest, name, "corrupt", (msg("verify-output-differs", file=name),))
    reasons = []
    for rel, size, sha in recorded:
        path = root / rel
        try:
            if not path.exists():
                reasons.append(msg("verify-source-removed", file=safe_display(rel)))
            elif path.stat().st_size != size or _sha256(path) != sha:
                reasons.append(msg("verify-source-changed", file=safe_display(rel)))
        except OSError as exc:
            reasons.append(msg("verify-source-unreadable", file=safe_display(rel),
                               **os_cause(exc)))
    return Verdict(manifest, name, "stale" if reasons else "ok", tuple(reasons))


def remove_stale_temp(out_dir: Path) -> None:
    """Leftovers of a killed build (.name.pdf.XXXX.part) are removed on the next run."""
    for tmp in out_dir.glob(".*.part"):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
