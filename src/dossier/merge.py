"""`dossier merge`: the output folders of several runners (each a shard of `build --shard
K/N`, or any other build's output) made one folder, ready for `verify`, `status` and the
总目录.

A volume is what a manifest of a folder describes, with its PDF beside it: the PDF must
have the size and SHA-256 its manifest records, or it is not taken (`merge-altered`,
`merge-missing`). The same volume (the same PDF name) found in two folders is taken once
when both are the same build (same fingerprint, same SHA-256), and is a conflict
otherwise (`merge-conflict`): neither copy is taken, so that the merged folder never holds
a volume of unknown origin; build it again in one place. Copies are written to a temporary
name and renamed, with the PDF's time set to the one its manifest records; a hard link is
used where the folders share a file system. What the merged folder already holds is
replaced only by a volume of the same name."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.atomic import atomic_output
from dossier.errors import BuildError, os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.manifest import manifests_in
from dossier.naming import safe_display, stays_inside


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
        for found, problem in _volumes(folder):
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
    for name in sorted(chosen):
        _copy(chosen[name], into)
    return Merged(into, tuple(folders), tuple(sorted(chosen)), duplicates, tuple(problems))


def _volumes(folder: Path) -> list[tuple[Found | None, Message | None]]:
    out: list[tuple[Found | None, Message | None]] = []
    for manifest, data in manifests_in(folder):
        out.append(_volume(folder, manifest, data))
    return out


def _volume(folder: Path, manifest: Path, data: dict[str, Any],
            ) -> tuple[Found | None, Message | None]:
    output = data.get("output")
    output = output if isinstance(output, dict) else {}
    name, sha, size, mtime = (output.get(k) for k in ("file", "sha256", "size", "mtime_ns"))
    shown = safe_display(str(manifest))
    if not (isinstance(name, str) and stays_inside(name) and Path(name).name == name
            and name.lower().endswith(".pdf") and isinstance(sha, str)
            and isinstance(size, int) and isinstance(mtime, int)):
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


def _copy(found: Found, into: Path) -> None:
    """The PDF, then its manifest (a manifest never names a PDF that is not there yet)."""
    for source in (found.pdf, found.manifest):
        target = into / source.name
        try:
            if source.resolve() == target.resolve():
                continue  # merged into one of the folders merged: already there
            _place(source, target)
            if source == found.pdf:
                os.utime(target, ns=(found.mtime_ns, found.mtime_ns))
        except OSError as exc:
            raise BuildError("output-unwritable", file=safe_display(str(target)),
                             **os_cause(exc)) from None


def _place(source: Path, target: Path) -> None:
    """A hard link renamed over `target`, or, across file systems, a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    link = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")  # as atomic's
    try:
        os.link(source, link)
    except OSError:
        with atomic_output(target) as fh, source.open("rb") as src:
            shutil.copyfileobj(src, fh, 1 << 20)
        return
    os.replace(link, target)
