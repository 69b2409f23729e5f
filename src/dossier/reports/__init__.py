"""Reports of `dossier status`: one module per kind, one registry. A reporter turns the
status, in one language, into the bytes of a file; writing is atomic and shared.
The terminal view is the CLI's (console_status.py): it draws on the same data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dossier.atomic import atomic_output
from dossier.errors import BuildError, os_cause
from dossier.i18n import Translator
from dossier.naming import safe_display
from dossier.status.model import Status


@dataclass(frozen=True)
class Destination:
    """Where a report goes and what fixes its bytes: the file (links to the volumes are
    made relative to its folder) and the timestamp written into it (SOURCE_DATE_EPOCH)."""

    path: Path
    epoch: int


class Reporter(Protocol):
    def __call__(self, status: Status, tr: Translator, to: Destination) -> bytes: ...


def _registry() -> dict[str, Callable[[Status, Translator, Destination], bytes]]:
    from dossier.reports import html, jsonreport, xlsx  # each pulls in its own library

    return {"json": jsonreport.render, "xlsx": xlsx.render, "html": html.render}


def render(kind: str, status: Status, tr: Translator, to: Destination) -> bytes:
    return _registry()[kind](status, tr, to)


def write(kind: str, status: Status, tr: Translator, to: Destination) -> None:
    """Written whole or not at all; a place that cannot be written is a BuildError."""
    blob = render(kind, status, tr, to)
    try:
        with atomic_output(to.path) as fh:
            fh.write(blob)
    except OSError as exc:
        raise BuildError("output-unwritable", file=safe_display(str(to.path)),
                         **os_cause(exc)) from None
