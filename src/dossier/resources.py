"""Where the packaged catalogue and templates live.

In a wheel they are force-included under dossier/_data; in a source checkout
(editable install, tests) they sit at the project's top level."""

from __future__ import annotations

from pathlib import Path

from dossier.errors import UsageError

_PACKAGE_DATA = Path(__file__).resolve().parent / "_data"
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def _find(name: str) -> Path:
    """Raises UsageError (packaged-file-missing) when the installation lacks it."""
    for base in (_PACKAGE_DATA, _SOURCE_ROOT):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise UsageError("packaged-file-missing", name=name)


def default_catalogue_path() -> Path:
    return _find("indicators.yaml")


def default_templates_dir() -> Path:
    return _find("templates")
