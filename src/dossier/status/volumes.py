"""Volumes already built, read from the manifests of one or more output folders (several
runners' artifacts are one set), and whether each is still what today's materials give.

Sources are found relative to the materials folder given now, wherever it lives. Only
sizes and times are compared; a file whose time differs but whose size is the same is
hashed (a copy to the office's machine keeps the content, not always the time). Nothing
that is not a regular file inside the materials folder is ever read."""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dossier.hashing import sha256_file
from dossier.manifest import manifests_in
from dossier.naming import safe_display, stays_inside
from dossier.status.model import Volume, VolumeState


@dataclass(frozen=True)
class _Recorded:
    path: str
    size: int
    mtime_ns: int | None
    sha256: str | None


def built_volumes(outs: Sequence[Path], root: Path,
                  usable: dict[int, frozenset[str]]) -> dict[int, tuple[Volume, ...]]:
    """Indicator -> its volumes in `outs`. `usable`: per indicator, the relative paths of
    the files that would be bound today (a file not in any manifest is new material)."""
    found: dict[int, list[tuple[Path, dict[str, Any]]]] = {}
    for out in outs:
        for _, data in manifests_in(out):
            number = data.get("indicator")
            if isinstance(number, int) and not isinstance(number, bool):
                found.setdefault(number, []).append((out, data))
    volumes: dict[int, tuple[Volume, ...]] = {}
    for number, items in sorted(found.items()):
        recorded = {r.path for _, data in items for r in _records(data)}
        new = tuple(sorted(usable.get(number, frozenset()) - recorded))
        volumes[number] = tuple(
            _replace(_volume(out, data, root, new), VolumeState.CONFLICT, ())
            if others else _volume(out, data, root, new)
            for out, data, others in _as_one(items))
    return volumes


def _as_one(items: Sequence[tuple[Path, dict[str, Any]]],
            ) -> Iterator[tuple[Path, dict[str, Any], tuple[str, ...]]]:
    """The volumes of several folders as one set: a volume (its PDF's name) found in more
    than one folder is listed once when every copy is the same build (fingerprint and
    SHA-256); built differently, once with the other folders that hold it (a conflict)."""
    by_name: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for out, data in items:
        output = data.get("output")
        name = output.get("file") if isinstance(output, dict) else None
        by_name.setdefault(name if isinstance(name, str) else f"\0{id(data)}",
                           []).append((out, data))
    for copies in by_name.values():
        out, data = copies[0]
        builds = {(str(d.get("fingerprint")), str(_output(d).get("sha256"))) for _, d in copies}
        others = tuple(safe_display(str(o)) for o, _ in copies[1:]) if len(builds) > 1 else ()
        yield out, data, others


def _records(data: dict[str, Any]) -> Iterator[_Recorded]:
    for key in ("sources", "inputs"):
        entries = data.get(key)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                continue
            size = entry.get("size")
            mtime = entry.get("mtime_ns")
            sha = entry.get("sha256")
            yield _Recorded(entry["path"], size if isinstance(size, int) else -1,
                            mtime if isinstance(mtime, int) else None,
                            sha if isinstance(sha, str) else None)


def _volume(out: Path, data: dict[str, Any], root: Path, new: tuple[str, ...]) -> Volume:
    found = data.get("output")
    output: dict[str, Any] = found if isinstance(found, dict) else {}
    name = _text(output.get("file"), "")
    pages = output.get("pages")
    pages = pages if isinstance(pages, int) and not isinstance(pages, bool) else 0
    label = _text(data.get("volume"), "single")
    volume = Volume(safe_display(name), safe_display(str(out)), label, pages,
                    VolumeState.CURRENT)
    pdf = out / name if name and Path(name).name == name and stays_inside(name) else None
    pdf_state = _pdf_state(pdf, output)
    if pdf_state is not None:
        return _replace(volume, pdf_state, ())
    changed = tuple(sorted({*(safe_display(r.path) for r in _records(data)
                              if not _unchanged(root, r)), *map(safe_display, new)}))
    return _replace(volume, VolumeState.STALE if changed else VolumeState.CURRENT, changed)


def _output(data: dict[str, Any]) -> dict[str, Any]:
    found = data.get("output")
    return found if isinstance(found, dict) else {}


def _text(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default


def _replace(volume: Volume, state: VolumeState, changed: tuple[str, ...]) -> Volume:
    return Volume(volume.file, volume.out, volume.label, volume.pages, state, changed)


def _pdf_state(pdf: Path | None, output: dict[str, Any]) -> VolumeState | None:
    """MISSING or ALTERED when the PDF is not the one built; None when it is."""
    if pdf is None:
        return VolumeState.MISSING
    try:
        st = pdf.stat()
    except OSError:
        return VolumeState.MISSING
    if not stat.S_ISREG(st.st_mode) or st.st_size != output.get("size"):
        return VolumeState.ALTERED
    if st.st_mtime_ns == output.get("mtime_ns"):
        return None
    return None if _digest(pdf) == output.get("sha256") else VolumeState.ALTERED


def _unchanged(root: Path, rec: _Recorded) -> bool:
    path = _inside(root, rec.path)
    if path is None:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_size != rec.size:
        return False
    if rec.mtime_ns is not None and st.st_mtime_ns == rec.mtime_ns:
        return True
    return rec.sha256 is not None and _digest(path) == rec.sha256


def _inside(root: Path, rel: str) -> Path | None:
    """The recorded path under `root`, or None when it is absolute, climbs out or is not a
    path at all (a damaged or edited manifest)."""
    if not stays_inside(rel):
        return None
    return root.joinpath(*PurePosixPath(rel.replace("\\", "/")).parts)


def _digest(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def usable_paths(rels: Iterable[tuple[int, str]]) -> dict[int, frozenset[str]]:
    """(indicator, relative path) pairs -> indicator -> paths, for `built_volumes`."""
    grouped: dict[int, set[str]] = {}
    for number, rel in rels:
        grouped.setdefault(number, set()).add(rel)
    return {k: frozenset(v) for k, v in grouped.items()}

