"""The log `整理记录.json` at the materials root: `apply_tidy` writes each action to it,
before and after doing it (atomically), and `undo_tidy` reads it back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dossier.atomic import atomic_output
from dossier.naming import safe_display
from dossier.scan import TIDY_LOG

LOG_FILE = TIDY_LOG  # at the materials root
LOG_FORMAT = "dossier-tidy-log"
LOG_VERSION = 1


def _put(entry: dict[str, Any], name: str, rel: str) -> None:
    """A path into a log entry: as text, plus its raw bytes in hex when the name holds
    bytes the file system could not decode (JSON cannot hold those)."""
    entry[name] = safe_display(rel)
    if safe_display(rel) != rel:
        entry[f"{name}_raw"] = os.fsencode(rel).hex()


def _get(entry: dict[str, Any], name: str) -> str:
    raw = entry.get(f"{name}_raw")
    if isinstance(raw, str):
        return os.fsdecode(bytes.fromhex(raw))
    value = entry.get(name, "")
    return value if isinstance(value, str) else ""


def _read_log(root: Path) -> list[dict[str, Any]] | None:
    """The entries of the log ([] when there is none); None when it cannot be read."""
    path = root / LOG_FILE
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != LOG_FORMAT \
            or not isinstance(data.get("actions"), list):
        return None
    return [e for e in data["actions"] if isinstance(e, dict)]


def _write_log(root: Path, entries: list[dict[str, Any]]) -> None:
    text = json.dumps({"format": LOG_FORMAT, "version": LOG_VERSION, "actions": entries},
                      ensure_ascii=False, indent=1)
    with atomic_output(root / LOG_FILE) as fh:
        fh.write(text.encode("utf-8"))
