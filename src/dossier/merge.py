"""`dossier merge`: the output folders of several runners (each a shard of `build --shard
K/N`, or any other build's output) made one folder, ready for `verify`, `status` and the
总目录.

A volume is what a manifest of a folder describes, with its PDF beside it: the PDF must
have the size and SHA-256 its manifest records, or it is not taken (`merge-altered`,
`merge-missing`). The same volume (the same PDF name) found in two folders is taken once
when both are the same build (same fingerprint, same SHA-256), and is a conflict
otherwise (`merge-conflict`): neither copy is taken, so that the merged folder never holds
a volume of unknown origin; build it again in one place. Each volume is copied (never
linked: the shard's folder stays as it was) to temporary names, the PDF's time set to the one
its manifest records, then the PDF and its manifest are renamed into place; a volume that
cannot be written is named (`merge-unwritable`) and the others go on. Volumes the merged
folder held from before that this merge does not take (a conflict, a volume no shard
makes any more) are moved to its 已过期 folder (dossier.retire), so that it holds this
merge's volumes and nothing else of dossier's."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.atomic import temporary_beside
from dossier.errors import os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.manifest import manifests_in
from dossier.naming import safe_display, stays_inside
from dossier.plan import manifest_name_for
from dossier.shard import RECORD

MAX_TIME_NS = 2**62  # a recorded time beyond this (year 2116) is not a time
MAX_RECORD = 16 << 20  # bytes: a shard record larger than this is not one
MAX_LISTED = 20

@dataclass(frozen=True)
class Found:
    """One volume of one folder."""

    folder: Path
    manifest: Path
    pdf: Path
    fingerprint: str
    sha256: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Merged:
    into: Path
    sources: tuple[Path, ...]
    volumes: tuple[str, ...]  # PDF names now in `into`
    duplicates: int  # volumes found identical in more than one folder
    problems: tuple[Message, ...]
    notes: tuple[Message, ...] = ()  # volumes held from before, moved to 已过期

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def merge(folders: Sequence[Path], into: Path) -> Merged:
    """Every volume of `folders` copied into `into` (see the module's text)."""
    problems: list[Message] = []
    chosen: dict[str, Found] = {}
    conflicts: set[str] = set()
    duplicates = 0
    for folder in folders:
        if not folder.is_dir():
            problems.append(msg("merge-no-folder", folder=safe_display(str(folder))))
            continue
        for found, problem in (_volume(folder, m, d) for m, d in manifests_in(folder)):
            if problem is not None:
                problems.append(problem)
                continue
            assert found is not None
            name = found.pdf.name
            if name in conflicts:
                continue
            first = chosen.get(name)
            if first is None:
                chosen[name] = found
            elif (first.fingerprint, first.sha256) == (found.fingerprint, found.sha256):
                duplicates += 1
            else:
                conflicts.add(name)
                del chosen[name]
                problems.append(msg("merge-conflict", file=safe_display(name),
                                    first=safe_display(str(first.folder)),
                                    second=safe_display(str(found.folder))))
    problems += _split_problems(folders, set(chosen))
    placed = []
    for name in sorted(chosen):
        problem = _copy(chosen[name], into)
        if problem is None:
            placed.append(name)
        else:
            problems.append(problem)
    notes = []
    if into.is_dir():
        from dossier.retire import retire_others

        for retired in retire_others(into, set(placed)):
            if retired.problem is not None:
                problems.append(retired.problem)
            else:
                notes.append(msg("merge-retired", file=safe_display(retired.file),
                                 moved_to=retired.moved_to))
    return Merged(into, tuple(folders), tuple(placed), duplicates, tuple(problems),
                  tuple(notes))


def _split_problems(folders: Sequence[Path], found: set[str]) -> list[Message]:
    """When the folders are shards (`build --shard` leaves RECORD in each): they must be
    parts of one split, every shard must be there, and every volume of the split must have
    been found."""
    records = [(folder, data) for folder in folders
               if (data := _record(folder / RECORD)) is not None]
    if not records:
        return []
    first_folder, first = records[0]
    for folder, data in records[1:]:
        if (data["total"], data["split"]) != (first["total"], first["split"]):
            return [msg("merge-shard-mismatch", first=safe_display(str(first_folder)),
                        second=safe_display(str(folder)))]
    problems = []
    have = {data["shard"] for _, data in records}
    absent = tuple(str(k) for k in range(1, first["total"] + 1) if k not in have)
    if absent:
        problems.append(msg("merge-shard-missing", count=len(absent), shards=absent,
                            total=first["total"]))
    lacking = tuple(safe_display(v) for v in first["volumes"]
                    if v not in found and any(v in d["mine"] for _, d in records))
    if lacking:
        problems.append(msg("merge-volume-missing", count=len(lacking),
                            files=lacking[:MAX_LISTED]))
    return problems


def _record(path: Path) -> dict[str, Any] | None:
    """A shard's record, or None when there is none or it is not one (never a traceback)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_RECORD:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and data.get("tool") == "dossier"
            and isinstance(data.get("shard"), int) and isinstance(data.get("total"), int)
            and isinstance(data.get("split"), str)
            and all(isinstance(data.get(k), list) and all(isinstance(v, str) for v in data[k])
                    for k in ("volumes", "mine"))):
        return None
    return data


def _volume(folder: Path, manifest: Path, data: dict[str, Any],
            ) -> tuple[Found | None, Message | None]:
    output = data.get("output")
    output = output if isinstance(output, dict) else {}
    name, sha, size, mtime = (output.get(k) for k in ("file", "sha256", "size", "mtime_ns"))
    shown = safe_display(str(manifest))
    if not (isinstance(name, str) and stays_inside(name) and Path(name).name == name
            and name.lower().endswith(".pdf") and isinstance(sha, str)
            and isinstance(size, int) and isinstance(mtime, int)
            and 0 <= mtime < MAX_TIME_NS and manifest.name == manifest_name_for(name)):
        return None, msg("merge-bad-manifest", file=shown)
    pdf = folder / name
    try:
        if not pdf.is_file() or pdf.is_symlink():
            return None, msg("merge-missing", file=safe_display(str(pdf)))
        same = pdf.stat().st_size == size and sha256_file(pdf) == sha
    except OSError:
        return None, msg("merge-missing", file=safe_display(str(pdf)))
    if not same:
        return None, msg("merge-altered", file=safe_display(str(pdf)))
    return Found(folder, manifest, pdf, str(data.get("fingerprint", "")), sha, size,
                 mtime), None


def _copy(found: Found, into: Path) -> Message | None:
    """The PDF and its manifest, copied to temporary names, then renamed into place (the
    PDF first: a manifest never names a PDF that is not there yet); None when done."""
    staged: list[Path] = []
    target = into / found.pdf.name
    try:
        into.mkdir(parents=True, exist_ok=True)
        pdf = _stage(found.pdf, into, staged)
        os.utime(pdf, ns=(found.mtime_ns, found.mtime_ns))
        manifest = _stage(found.manifest, into, staged)
        os.replace(pdf, target)
        os.replace(manifest, into / found.manifest.name)
    except (OSError, OverflowError, ValueError) as exc:
        for tmp in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        cause = os_cause(exc) if isinstance(exc, OSError) else {
            "cause": Message("os/other", {"errno": type(exc).__name__})}
        return msg("merge-unwritable", file=safe_display(str(target)), **cause)
    return None


def _stage(source: Path, into: Path, staged: list[Path]) -> Path:
    """A copy of `source` in `into` under a temporary name with dossier's marker."""
    fd, name = temporary_beside(into / source.name)
    tmp = Path(name)
    staged.append(tmp)
    with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return tmp
