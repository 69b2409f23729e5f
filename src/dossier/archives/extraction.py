"""`extract`: unpack a zip into a folder without ever writing outside that folder and
without ever overwriting a file. The archive is staged (`staging`), each staged file is
given a place (`_Planner`, `_plan`), and only then is it all moved in (`_execute`), every
change recorded so that a failure undoes it all (`_Undo`)."""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dossier.archives.listing import DEFAULT_LIMITS, Limits, Listing, list_entries
from dossier.archives.staging import _Refused, _Staged, _Stager
from dossier.errors import os_cause
from dossier.hashing import CHUNK, sha256_file
from dossier.i18n import Message, msg


class Outcome(str, enum.Enum):
    """What became of one entry."""

    PLACED = "placed"  # written at its own name
    IDENTICAL = "identical"  # a file with the same content is already there: skipped
    KEPT_BESIDE = "kept-beside"  # other content is there: written beside it, 名称(2).pdf
    UNPACKED = "unpacked"  # a zip inside the archive, unpacked into a folder of its name


@dataclass(frozen=True)
class Placement:
    """Where one entry's content went, relative to the destination folder (POSIX)."""

    archive: str  # the archive holding the entry (nested: "外层.zip/内层.zip")
    entry: str  # the entry's name inside that archive
    outcome: Outcome
    path: str  # where the content is now (IDENTICAL: the existing file; UNPACKED: folder)
    wanted: str  # where it would have gone without a clash (the existing file for
    #              KEPT_BESIDE); equal to `path` otherwise
    sha256: str  # "" for UNPACKED
    size: int
    mtime: float

    @property
    def message(self) -> Message:
        params: dict[str, Any] = {"archive": self.archive, "entry": self.entry,
                                  "path": self.path}
        if self.outcome is Outcome.KEPT_BESIDE:
            return msg("archive-entry-kept-beside", existing=self.wanted, **params)
        key = {Outcome.PLACED: "archive-entry-placed",
               Outcome.IDENTICAL: "archive-entry-skipped-identical",
               Outcome.UNPACKED: "archive-entry-unpacked"}[self.outcome]
        return msg(key, **params)


@dataclass(frozen=True)
class Extracted:
    """The result of `extract`. When `refused`, nothing was written into `into` (it is as
    it was before, not even created) and `placements` is empty; `problems` say why."""

    archive: str
    into: Path
    listing: Listing
    placements: tuple[Placement, ...]
    problems: tuple[Message, ...]
    refused: bool
    written: int  # bytes unpacked (staged), nested archives included
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        """Whether `into` received anything (a re-extract of the same archive does not)."""
        return any(p.outcome in (Outcome.PLACED, Outcome.KEPT_BESIDE)
                   for p in self.placements)


# -- placing ---------------------------------------------------------------------------

def _beside(rel: str, n: int) -> str:
    """名称.pdf → 名称(2).pdf."""
    path = PurePosixPath(rel)
    return str(path.with_name(f"{path.stem}({n}){path.suffix}"))


class _Planner:
    """Decides where each staged file goes: never over an existing file."""

    def __init__(self, into: Path) -> None:
        self.into = into
        self.real = os.path.realpath(into)
        self.planned: dict[str, str] = {}  # rel -> sha256 of what will be there
        self.planned_dirs: set[str] = set()
        self._hashes: dict[str, str | None] = {}

    def existing_sha(self, rel: str, size: int) -> str | None:
        """The content hash of an existing regular file (None: not one, or unreadable)."""
        path = self.into / rel
        try:
            if not path.is_file() or path.stat().st_size != size:
                return None
        except OSError:
            return None
        if rel not in self._hashes:
            try:
                self._hashes[rel] = sha256_file(path)
            except OSError:
                self._hashes[rel] = None
        return self._hashes[rel]

    def choose(self, rel: str, sha: str, size: int) -> tuple[Outcome, str]:
        n = 1
        while True:
            candidate = rel if n == 1 else _beside(rel, n)
            n += 1
            if candidate in self.planned:
                if self.planned[candidate] == sha:
                    return Outcome.IDENTICAL, candidate
                continue
            if candidate in self.planned_dirs:
                continue
            path = self.into / candidate
            if path.is_symlink() or path.exists():
                if self.existing_sha(candidate, size) == sha:
                    return Outcome.IDENTICAL, candidate
                continue
            return (Outcome.PLACED if candidate == rel else Outcome.KEPT_BESIDE), candidate

    def blocker(self, rel: str, *, with_self: bool) -> tuple[str, str] | None:
        """("archive-target-blocked" | "archive-outside-target", the path at fault) when a
        folder of `rel` cannot be made inside the destination."""
        parts = PurePosixPath(rel).parts
        upto = len(parts) if with_self else len(parts) - 1
        for i in range(1, upto + 1):
            folder = "/".join(parts[:i])
            path = self.into / folder
            if folder in self.planned:
                return "archive-target-blocked", folder
            if path.is_symlink():
                real = os.path.realpath(path)
                if not _inside(real, self.real):
                    return "archive-outside-target", folder
            if (path.is_symlink() or path.exists()) and not path.is_dir():
                return "archive-target-blocked", folder
        return None


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # other drive
        return False


def extract(path: Path | str, into: Path | str, limits: Limits = DEFAULT_LIMITS, *,
            name: str | None = None, unpack_nested: bool = True,
            dry_run: bool = False) -> Extracted:
    """Unpack every accepted entry of the zip at `path` under the folder `into`.

    The archive is first unpacked into a temporary folder beside `into` (in the system's
    temporary folder for a dry run); only when all of it unpacked well are the files moved
    in, none over an existing file: identical content is skipped, other content is kept
    beside it as 名称(2).pdf. Files keep the zip's modification times, so extracting the
    same archive again changes nothing. A zip inside the archive is unpacked into a folder
    named after it (its single top folder of that name dropped), up to `limits.max_depth`
    levels. A refused archive leaves `into` as it was. `dry_run` decides the same and
    writes nothing into `into`."""
    path = Path(path)
    archive = name or path.name
    target = Path(os.path.abspath(into))
    listing = list_entries(path, limits, name=archive)

    def result(placements: Sequence[Placement], problems: Sequence[Message], refused: bool,
               written: int) -> Extracted:
        return Extracted(archive, target, listing, tuple(placements), tuple(problems),
                         refused, written, dry_run)

    if listing.refused:
        return result((), listing.problems, True, 0)
    undo = _Undo()  # what this call changed in and beside `into`, undone when refused
    existed = target.is_dir()
    stager: _Stager | None = None
    staging: Path | None = None
    refusal: Message | None = None
    try:
        if dry_run:
            staging = Path(tempfile.mkdtemp(prefix="dossier-unpack-"))
        else:
            undo.makedirs(target.parent)
            undo.remember(target.parent)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.unpacking-",
                                            dir=target.parent))
        stager = _Stager(staging, limits, unpack_nested)
        stager.archive(path, archive, "", 1, archive)
        planner = _Planner(target)
        plan = _plan(stager, planner)
        if not dry_run:
            plan = _execute(target, stager.staged, plan, planner, undo)
    except _Refused as refused:
        refusal = refused.message
    except OSError as exc:
        refusal = msg("archive-unwritable", archive=archive, path=str(into), **os_cause(exc))
    else:
        _remove(staging)
        if existed:  # only the staging folder came and went beside it
            undo.restore_times(target.parent)
        placements = [Placement(item.archive, item.entry, outcome, where, item.rel,
                                item.sha256, item.size, item.mtime)
                      for item, outcome, where in plan]
        return result(placements, stager.problems, False, stager.written)
    _remove(staging)
    undo.undo()
    problems = [*(stager.problems if stager is not None else []),
                *([refusal] if refusal is not None else [])]
    return result((), problems, True, stager.written if stager is not None else 0)


def _remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _plan(stager: _Stager, planner: _Planner) -> list[tuple[_Staged, Outcome, str]]:
    """Where each staged entry goes; raises _Refused when one cannot go anywhere safe."""
    plan: list[tuple[_Staged, Outcome, str]] = []
    for item in stager.staged:
        if item.kind == "unpacked":
            plan.append((item, Outcome.UNPACKED, item.rel))
            continue
        blocked = planner.blocker(item.rel, with_self=item.kind == "dir")
        if blocked is not None:
            key, at = blocked
            raise _Refused(msg(key, archive=item.archive, entry=item.entry, path=at))
        if item.kind == "dir":
            planner.planned_dirs.add(item.rel)
            continue
        outcome, where = planner.choose(item.rel, item.sha256, item.size)
        if outcome is not Outcome.IDENTICAL:
            planner.planned[where] = item.sha256
        plan.append((item, outcome, where))
    return plan


def _execute(into: Path, staged: Sequence[_Staged], plan: list[tuple[_Staged, Outcome, str]],
             planner: _Planner, undo: _Undo) -> list[tuple[_Staged, Outcome, str]]:
    """Put the plan in place, recording every change in `undo` (the caller undoes them all
    when this raises)."""
    done: list[tuple[_Staged, Outcome, str]] = []
    for item in staged:
        if item.kind == "dir":
            undo.makedirs(into / item.rel)
    for item, outcome, where in plan:
        if outcome not in (Outcome.PLACED, Outcome.KEPT_BESIDE) or item.temp is None:
            done.append((item, outcome, where))
            continue
        undo.makedirs((into / where).parent)
        while True:
            undo.remember((into / where).parent)
            try:
                _link_or_copy(item.temp, into / where)
            except FileExistsError:
                # Appeared meanwhile, or the same name in another case on a disk that
                # ignores case: decide again against what is there now.
                planner.planned.pop(where, None)
                outcome, where = planner.choose(item.rel, item.sha256, item.size)
                if outcome is Outcome.IDENTICAL:
                    break
                planner.planned[where] = item.sha256
                continue
            undo.files.append(into / where)
            break
        done.append((item, outcome, where))
    made = set(undo.folders)
    for item in staged:  # folders made here get the zip's time too, once filled
        if item.kind == "dir" and into / item.rel in made:
            os.utime(into / item.rel, (item.mtime, item.mtime))
    return done


class _Undo:
    """Files and folders one extract() made, and the times of the folders it changed."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.folders: list[Path] = []
        self.times: dict[Path, tuple[int, int]] = {}

    def remember(self, folder: Path) -> None:
        """Keep the times of an existing folder before something is added to it."""
        if folder not in self.times:
            with contextlib.suppress(OSError):
                info = folder.stat()
                self.times[folder] = (info.st_atime_ns, info.st_mtime_ns)

    def makedirs(self, folder: Path) -> None:
        """mkdir -p, remembering every folder it makes."""
        missing: list[Path] = []
        probe = folder
        while not probe.is_dir():
            if probe.is_symlink() or probe.exists():
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(probe))
            missing.append(probe)
            if probe.parent == probe:
                break
            probe = probe.parent
        for path in reversed(missing):
            self.remember(path.parent)
            path.mkdir()
            self.folders.append(path)

    def restore_times(self, folder: Path) -> None:
        if folder in self.times:
            with contextlib.suppress(OSError):
                os.utime(folder, ns=self.times[folder])

    def undo(self) -> None:
        for path in reversed(self.files):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        for folder in self.times:
            self.restore_times(folder)
        self.files.clear()
        self.folders.clear()


def _link_or_copy(src: Path, dst: Path) -> None:
    """Put `src` at `dst` unless something is there (FileExistsError): a hard link (the
    staging folder is beside the destination, on the same disk), else a copy."""
    try:
        os.link(src, dst)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links here (FAT, exFAT, some network shares): copy instead
    with src.open("rb") as fin:
        fout = dst.open("xb")
        try:
            with fout:
                shutil.copyfileobj(fin, fout, CHUNK)
            info = src.stat()
            os.utime(dst, ns=(info.st_atime_ns, info.st_mtime_ns))
        except BaseException:
            with contextlib.suppress(OSError):
                dst.unlink()
            raise

