"""Undoing `dossier tidy`: `undo_tidy` reverses what the log records, last action first.
A file that changed since it was tidied is left as it is and reported."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dossier.errors import os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.naming import safe_display
from dossier.provenance import rekey
from dossier.tidy.log import LOG_FILE, _get, _read_log, _write_log
from dossier.tidy.model import Kind, TidyLog, _inside, _rename
from dossier.tidy.names import _ENCODING_SHOWN


def _file_sha(path: Path) -> str | None:
    try:
        return sha256_file(path) if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


class _Undoer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.done: list[Message] = []
        self.problems: list[Message] = []

    def remove_folders(self, folders: Sequence[str]) -> None:
        """Remove the folders an action made, deepest first, when they are empty."""
        for rel in sorted(folders, key=lambda r: r.count("/"), reverse=True):
            path = _inside(self.root, rel)
            if not path.is_dir() or path.is_symlink():
                continue
            try:
                path.rmdir()
            except OSError:
                self.problems.append(msg("tidy-undo/folder-kept", folder=safe_display(rel)))

    def entry(self, entry: dict[str, Any]) -> None:
        kind = entry.get("kind")
        if kind == Kind.UNPACK.value:
            self.unpacked(entry)
        elif kind == Kind.CONVERT_YAML.value:
            self.converted(entry)
        elif kind in {k.value for k in Kind if k.moves}:
            self.moved(entry)

    def moved(self, entry: dict[str, Any]) -> None:
        source, target = _get(entry, "source"), _get(entry, "target")
        src, dst = _inside(self.root, source), _inside(self.root, target)
        made = [m for m in entry.get("made", []) if isinstance(m, str)]
        shown, back = safe_display(target), safe_display(source)
        if not (dst.exists() or dst.is_symlink()):
            if not entry.get("done") and (src.exists() or src.is_symlink()):
                self.remove_folders(made)  # interrupted before the move: nothing to undo
                return
            self.problems.append(msg("tidy-undo/missing", file=shown, target=back))
            return
        if entry.get("folder"):
            if not dst.is_dir() or dst.is_symlink():
                self.problems.append(msg("tidy-undo/changed", file=shown))
                return
        elif _file_sha(dst) != entry.get("sha256"):
            self.problems.append(msg("tidy-undo/changed", file=shown))
            return
        try:
            _rename(self.root, target, source, [])
        except FileExistsError:
            self.problems.append(msg("tidy-undo/occupied", file=shown, target=back))
            return
        except OSError as exc:
            self.problems.append(msg("tidy-undo/failed", file=shown, **os_cause(exc)))
            return
        self.remove_folders(made)
        self.done.append(msg("tidy-undo/moved-back", file=shown, target=back))

    def converted(self, entry: dict[str, Any]) -> None:
        source, backup = _get(entry, "source"), _get(entry, "backup")
        path, kept = _inside(self.root, source), _inside(self.root, backup)
        shown = safe_display(source)
        made = [m for m in entry.get("made", []) if isinstance(m, str)]
        if _file_sha(kept) != entry.get("sha256_before"):
            if not entry.get("done") and _file_sha(path) == entry.get("sha256_before"):
                self.remove_folders(made)  # interrupted before the original was moved
                return
            self.problems.append(msg("tidy-undo/missing", file=safe_display(backup),
                                     target=shown))
            return
        now = _file_sha(path)
        if path.exists() and now != entry.get("sha256_after"):
            self.problems.append(msg("tidy-undo/changed", file=shown))
            return
        try:
            os.replace(kept, path)
        except OSError as exc:
            self.problems.append(msg("tidy-undo/failed", file=shown, **os_cause(exc)))
            return
        self.remove_folders(made)
        encoding = _ENCODING_SHOWN.get(str(entry.get("encoding")), str(entry.get("encoding")))
        self.done.append(msg("tidy-undo/converted-back", file=shown, encoding=encoding))

    def unpacked(self, entry: dict[str, Any]) -> None:
        target = _get(entry, "target")
        if not entry.get("done"):
            self.problems.append(msg("tidy-undo/incomplete", folder=safe_display(target),
                                     file=safe_display(_get(entry, "source"))))
            return
        removed = 0
        for item in entry.get("files", []):
            if not isinstance(item, dict):
                continue
            rel = _get(item, "path")
            path = _inside(self.root, rel)
            if not path.exists():
                continue
            if _file_sha(path) != item.get("sha256"):
                self.problems.append(msg("tidy-undo/changed", file=safe_display(rel)))
                continue
            try:
                path.unlink()
                removed += 1
            except OSError as exc:
                self.problems.append(msg("tidy-undo/failed", file=safe_display(rel),
                                         **os_cause(exc)))
        self.remove_folders([_get(f, "path") for f in entry.get("folders", [])
                             if isinstance(f, dict)])
        self.done.append(msg("tidy-undo/unpacked-removed", folder=safe_display(target),
                             count=removed))


_KINDS = {k.value for k in Kind}


def undo_tidy(root: Path) -> TidyLog:
    """Reverse what the log records, last action first, then remove the log. A file that
    changed since it was tidied is left as it is and reported; the rest go on."""
    entries = _read_log(root)
    if entries is None:
        return TidyLog(root, (), (msg("tidy-log-unreadable", file=LOG_FILE),))
    if not entries:
        return TidyLog(root, (), (msg("tidy-undo/nothing", folder=safe_display(str(root))),))
    undoer = _Undoer(root)
    kept: list[dict[str, Any]] = []  # entries that could not be reversed stay in the log
    back: list[tuple[str, str]] = []  # moves reversed: their import records follow
    for entry in reversed(entries):
        before = len(undoer.problems)
        try:
            undoer.entry(entry)
        except ValueError:  # a path in the log that leaves the materials folder
            undoer.problems.append(msg("tidy-log-unreadable", file=LOG_FILE))
        if len(undoer.problems) > before:
            kept.insert(0, entry)
        elif entry.get("kind") in _KINDS and Kind(entry["kind"]).moves:
            back.append((_get(entry, "target"), _get(entry, "source")))
    rekey(root, back)
    if kept:
        _write_log(root, kept)  # a later --undo tries these again
    else:
        with contextlib.suppress(OSError):
            (root / LOG_FILE).unlink()
    return TidyLog(root, tuple(undoer.done), tuple(undoer.problems))
