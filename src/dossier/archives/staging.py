"""Unpacking into a staging folder: every entry of an archive, and of the zips inside it,
is written beside the destination first, its bytes counted and hashed, so that nothing
reaches the destination before the whole archive has unpacked well."""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dossier.archives.listing import _WINDOWS_FORBIDDEN, Entry, Limits, _opened, size_text, sniff
from dossier.archives.zipfmt import _METHOD_NAMES
from dossier.hashing import CHUNK
from dossier.i18n import Message, msg

# -- unpacking -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Staged:
    """One entry unpacked into the staging folder, not yet in place."""

    archive: str
    entry: str
    rel: str  # where it belongs, relative to the destination
    kind: str  # "file", "dir" or "unpacked" (a nested zip, unpacked into the folder rel)
    temp: Path | None = None
    sha256: str = ""
    size: int = 0
    mtime: float = 0.0


class _Refused(Exception):  # internal control flow: never leaves this module
    """The archive as a whole is refused: `message` says why (None: the problems recorded
    already do)."""

    def __init__(self, message: Message | None = None) -> None:
        super().__init__(message.key if message is not None else "refused")
        self.message = message


@dataclass
class _Stager:
    """Unpacks an archive (and the zips inside it) into a staging folder."""

    folder: Path
    limits: Limits
    unpack_nested: bool
    problems: list[Message] = field(default_factory=list)
    staged: list[_Staged] = field(default_factory=list)
    written: int = 0
    entries: int = 0
    files: int = 0

    def refuse(self, key: str, archive: str, **params: Any) -> _Refused:
        return _Refused(msg(key, archive=archive, **params))

    def archive(self, path: Path, archive: str, prefix: str, depth: int, top: str,
                stem: str = "") -> None:
        with _opened(path, archive, self.limits) as (listing, zf):
            self.problems.extend(listing.problems)
            if listing.refused or zf is None:
                raise _Refused()
            self.entries += len(listing.entries)
            if self.entries > self.limits.max_entries:
                raise self.refuse("archive-too-many-entries", top, count=self.entries,
                                  limit=self.limits.max_entries)
            strip = _single_top(listing.entries, stem) if depth > 1 else ""
            infos = zf.infolist()
            for entry in listing.entries:
                name = entry.name[len(strip) + 1:] if strip else entry.name
                if not name:
                    continue
                rel = f"{prefix}/{name}" if prefix else name
                if entry.is_dir:
                    self.staged.append(_Staged(archive, entry.name, rel, "dir",
                                               mtime=entry.mtime))
                    continue
                self.file(zf, infos[entry.index], entry, archive, rel, depth, top)

    def file(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Entry, archive: str,
             rel: str, depth: int, top: str) -> None:
        self.files += 1
        temp = self.folder / f"{self.files:06d}"
        sha = self.copy(zf, info, entry, archive, temp, top)
        os.utime(temp, (entry.mtime, entry.mtime))
        lower = entry.name.lower()
        kind = sniff(temp)
        inner = f"{archive}/{entry.name}"
        if self.unpack_nested and lower.endswith(".zip") and kind == "zip":
            if depth >= self.limits.max_depth:
                raise self.refuse("archive-too-deep", archive, entry=entry.name,
                                  limit=self.limits.max_depth)
            folder = rel[:-len(".zip")]
            self.staged.append(_Staged(archive, entry.name, folder, "unpacked",
                                       size=entry.size, mtime=entry.mtime))
            self.archive(temp, inner, folder, depth + 1, top,
                         PurePosixPath(entry.name).stem)
            temp.unlink()
            return
        if kind in ("7z", "rar") and lower.endswith((".7z", ".rar")):
            # kept as a file (nothing is lost), and said that it needs unpacking by hand
            self.problems.append(msg(f"archive-unsupported/{kind}", archive=inner))
        self.staged.append(_Staged(archive, entry.name, rel, "file", temp, sha, entry.size,
                                   entry.mtime))

    def copy(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Entry, archive: str,
             temp: Path, top: str) -> str:
        """Unpack one entry, counting what is written (never trusting the header)."""
        digest = hashlib.sha256()
        count = 0
        try:
            src = zf.open(info)
        except NotImplementedError:
            raise self.refuse("archive-unsupported-method", archive, entry=entry.name,
                              method=_METHOD_NAMES.get(info.compress_type,
                                                       str(info.compress_type))) from None
        except Exception as exc:
            raise self.refuse("archive-corrupt/entry", archive, entry=entry.name,
                              detail=str(exc)) from None
        with src, temp.open("xb") as out:
            while True:
                try:
                    chunk = src.read(CHUNK)
                except Exception as exc:  # bad CRC, broken deflate stream, cut short …
                    raise self.refuse("archive-corrupt/entry", archive, entry=entry.name,
                                      detail=str(exc)) from None
                if not chunk:
                    break
                count += len(chunk)
                self.written += len(chunk)
                if count > entry.size:
                    raise self.refuse("archive-bomb/entry-size", archive, entry=entry.name,
                                      size=size_text(entry.size), size_bytes=entry.size)
                if self.written > self.limits.max_written:
                    raise self.refuse("archive-bomb/written", top, entry=_inner_name(
                        archive, top, entry.name), limit=size_text(self.limits.max_written),
                        limit_bytes=self.limits.max_written)
                digest.update(chunk)
                out.write(chunk)
        return digest.hexdigest()


def _inner_name(archive: str, top: str, entry: str) -> str:
    """An entry's name as seen from the top archive ("内层.zip/a.pdf" for nested ones)."""
    return f"{archive[len(top) + 1:]}/{entry}" if archive != top else entry


def _single_top(entries: Sequence[Entry], stem: str) -> str:
    """The folder to drop from a nested archive's names: "住建局/…" in 住建局.zip, when
    every entry lies in it (as most zips made by "send to compressed folder" do)."""
    if not entries:
        return ""
    folded = stem.translate(_WINDOWS_FORBIDDEN)
    inside = all(e.name == folded or e.name.startswith(folded + "/") for e in entries)
    return folded if inside and any(e.name != folded for e in entries) else ""

