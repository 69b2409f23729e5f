"""Applying `dossier tidy`: `apply_tidy` carries out a plan in order, each action written
to the log before and after it is made, so that an interrupted run can still be undone.
An action that cannot be made is reported; the rest go on."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

from dossier import archives
from dossier.atomic import atomic_output
from dossier.errors import os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.naming import safe_display
from dossier.provenance import rekey
from dossier.tidy.log import LOG_FILE, _put, _read_log, _write_log
from dossier.tidy.model import Action, Kind, TidyLog, TidyPlan, _inside, _no_links, _rename
from dossier.tidy.names import yaml_encoding


class _Applier:
    def __init__(self, root: Path, entries: list[dict[str, Any]]) -> None:
        self.root = root
        self.entries = entries
        self.done: list[Action] = []
        self.problems: list[Message] = []

    def log(self) -> None:
        _write_log(self.root, self.entries)

    def run(self, action: Action) -> None:
        entry: dict[str, Any] = {"kind": action.kind.value, "done": False}
        _put(entry, "source", action.source)
        _put(entry, "target", action.target)
        shown = safe_display(action.source)
        if not (_no_links(self.root, action.source) and _no_links(self.root, action.target)):
            self.problems.append(msg("tidy-failed/link", file=shown))
            return
        try:
            if action.kind.moves:
                self.move(action, entry)
            elif action.kind is Kind.CONVERT_YAML:
                self.convert(action, entry)
            else:
                self.unpack(action, entry)
        except _Skipped:
            return
        except FileExistsError:
            self.problems.append(msg("tidy-failed/exists", file=shown,
                                     target=safe_display(action.target)))
        except FileNotFoundError:
            self.problems.append(msg("tidy-failed/missing", file=shown))
        except OSError as exc:
            self.problems.append(msg("tidy-failed", file=shown, **os_cause(exc)))
        except ValueError:
            self.problems.append(msg("tidy-failed/outside", file=shown))
        else:
            self.done.append(action)

    def move(self, action: Action, entry: dict[str, Any]) -> None:
        src = _inside(self.root, action.source)
        if src.is_file() and not src.is_symlink():
            entry["sha256"] = sha256_file(src)
        else:
            entry["folder"] = True
        self.logged_rename(entry, action.source, action.target)
        entry["done"] = True
        self.log()

    def logged_rename(self, entry: dict[str, Any], source: str, target: str) -> None:
        """Log the entry, then rename (the folders made on the way recorded in it); a
        rename that fails takes its entry off the log again."""
        made: list[str] = []
        entry["made"] = made
        self.entries.append(entry)
        self.log()  # before: an interrupted move can still be undone
        try:
            _rename(self.root, source, target, made)
        except OSError:
            self.entries.pop()
            self.log()
            raise

    def convert(self, action: Action, entry: dict[str, Any]) -> None:
        path = _inside(self.root, action.source)
        data = path.read_bytes()
        if yaml_encoding(data) != action.encoding:  # changed since the plan was made
            self.problems.append(msg("tidy-failed/changed", file=safe_display(action.source)))
            raise _Skipped()
        converted = data.decode(action.encoding).encode("utf-8")
        entry.update({"encoding": action.encoding, "sha256_before": _sha(data),
                      "sha256_after": _sha(converted)})
        _put(entry, "backup", action.backup)
        self.logged_rename(entry, action.source, action.backup)
        try:
            with atomic_output(path) as fh:
                fh.write(converted)
        except OSError:  # the original goes straight back: 达标说明.yaml is never missing
            os.replace(_inside(self.root, action.backup), path)
            self.entries.pop()
            self.log()
            raise
        entry["done"] = True
        self.log()

    def unpack(self, action: Action, entry: dict[str, Any]) -> None:
        into = _inside(self.root, action.target)
        if into.is_symlink() or into.exists():
            raise FileExistsError(17, "File exists", action.target)
        self.entries.append(entry)
        self.log()
        result = archives.extract(_inside(self.root, action.source), into,
                                  name=safe_display(action.source))
        if result.refused:
            self.entries.pop()
            self.log()
            self.problems.append(msg("tidy-skipped/archive", file=safe_display(action.source)))
            self.problems.extend(result.problems)
            raise _Skipped()
        files = []
        for p in result.placements:
            if p.outcome in (archives.Outcome.PLACED, archives.Outcome.KEPT_BESIDE):
                item: dict[str, Any] = {"sha256": p.sha256}
                _put(item, "path", f"{action.target}/{p.path}")
                files.append(item)
        folders = [action.target]
        if into.is_dir():
            for dirpath, dirnames, _ in os.walk(into):
                for d in dirnames:
                    folders.append((Path(dirpath) / d).relative_to(self.root).as_posix())
        entry["files"] = files
        entry["folders"] = []
        for folder in folders:
            item = {}
            _put(item, "path", folder)
            entry["folders"].append(item)
        entry["done"] = True
        self.log()


class _Skipped(Exception):
    """An action not carried out, its problems already recorded."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def apply_tidy(plan: TidyPlan, root: Path) -> TidyLog:
    """Carry out `plan` in order, logging each action to 整理记录.json (added to the log of
    an earlier run, if any). An action that cannot be made is reported; the rest go on."""
    entries = _read_log(root)
    if entries is None:
        return TidyLog(root, (), (msg("tidy-log-unreadable", file=LOG_FILE),))
    applier = _Applier(root, entries)
    for action in plan.actions:
        with contextlib.suppress(_Skipped):
            applier.run(action)
    rekey(root, [(a.source, a.target) for a in applier.done if a.kind.moves])
    return TidyLog(root, tuple(a.message for a in applier.done), tuple(applier.problems),
                   tuple(applier.done))
