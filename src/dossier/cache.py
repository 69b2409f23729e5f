"""The tool's cache: results worth keeping between builds, keyed by the content hash of
what they were computed from, in a folder of the user's (never the materials folder).

`DOSSIER_CACHE` names the folder ("off" turns the cache off); else it is the platform's
cache folder: %LOCALAPPDATA%\\dossier\\cache on Windows, ~/Library/Caches/dossier on macOS,
$XDG_CACHE_HOME/dossier or ~/.cache/dossier elsewhere. An entry is a small JSON file,
written to a temporary file and renamed; one that cannot be read is computed again, and a
cache that cannot be written is no error (the build only gets slower)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from dossier.atomic import atomic_output

_KEY = re.compile(r"^[0-9a-f]{16,128}$")


def cache_root() -> Path | None:
    given = os.environ.get("DOSSIER_CACHE")
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "no") else Path(given)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "dossier" / "cache" if base else None
    try:
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "dossier"
        xdg = os.environ.get("XDG_CACHE_HOME")
        return (Path(xdg) if xdg else Path.home() / ".cache") / "dossier"
    except RuntimeError:  # no home folder (a container's user without one): no cache
        return None


class Cache:
    """Entries of one kind (a folder per kind), each named by a hex key."""

    def __init__(self, kind: str, root: Path | None = None) -> None:
        base = root if root is not None else cache_root()
        self.folder = base / kind if base is not None else None

    def _path(self, key: str) -> Path | None:
        if self.folder is None or not _KEY.match(key):
            return None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def get_bytes(self, key: str, suffix: str) -> bytes | None:
        """A stored file (a converted PDF …), or None."""
        path = self._path(key)
        if path is None:
            return None
        try:
            return path.with_suffix(suffix).read_bytes()
        except OSError:
            return None

    def put_bytes(self, key: str, suffix: str, data: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(path.with_suffix(suffix)) as fh:
                fh.write(data)
        except OSError:
            pass

    def put(self, key: str, data: dict[str, Any]) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(path) as fh:
                fh.write(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
        except OSError:
            pass  # a read-only or full cache only costs time
