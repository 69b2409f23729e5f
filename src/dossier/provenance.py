"""Who supplied which file: the record `dossier import` keeps at the root of the materials
folder (导入记录.json), read by the build for its manifests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dossier.atomic import atomic_output
from dossier.naming import safe_display
from dossier.scan import IMPORT_RECORD


def read_provenance(root: Path) -> dict[str, dict[str, Any]]:
    """File (relative, as shown) -> its record: unit, date, source archive and its sha256.
    A missing or damaged record is an empty one (the build never fails on it)."""
    try:
        data = json.loads((root / IMPORT_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): v for k, v in files.items() if isinstance(v, dict)}


def supplier(records: dict[str, dict[str, Any]], rel: str) -> dict[str, Any] | None:
    """The record of one source (its unit, date and archive), if it was imported."""
    record = records.get(safe_display(rel))
    if record is None:
        return None
    return {k: record.get(k) for k in ("unit", "date", "source")}


def rekey(root: Path, moves: Iterable[tuple[str, str]]) -> None:
    """Files (or folders) moved inside the materials folder keep their record: each
    (old, new) renames the records of that path and of everything under it."""
    path = root / IMPORT_RECORD
    if not path.is_file():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return
    changed = False
    for old, new in moves:
        old, new = safe_display(old), safe_display(new)
        for key in [k for k in files if k == old or k.startswith(old + "/")]:
            files[new + key[len(old):]] = files.pop(key)
            changed = True
    if changed:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        with atomic_output(path) as fh:
            fh.write(text.encode("utf-8"))
