"""Source kinds: what a file in the materials tree (or a page the tool makes) is, and how
it becomes pages of a volume. One registry entry per kind; each kind's module says how to
probe it (`dossier check`), count its pages before assembly and open it for binding (see
dossier.kinds.base.SourceKind).

This module is imported by the scan of the fast no-op path, so it imports nothing heavy:
a kind's module is loaded when the kind is first used."""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dossier.kinds.base import SourceKind

# Office documents LibreOffice converts: Word, WPS 文字, 表格 and 演示, Excel, PowerPoint,
# OpenDocument, RTF.
OFFICE_SUFFIXES = frozenset({".doc", ".docx", ".wps", ".wpt", ".rtf", ".odt", ".xls", ".xlsx",
                             ".et", ".ods", ".ppt", ".pptx", ".dps", ".odp"})
PDF, OFFICE, EXPLANATION = "pdf", "office", "explanation"
IMAGES = ("jpeg", "png", "tiff", "heic")


@dataclass(frozen=True)
class KindEntry:
    name: str  # Source.kind and MaterialFile.kind
    suffixes: frozenset[str]  # the files scan gives this kind (none: made by the tool)
    module: str  # its module, whose kind(name) returns the implementation


REGISTRY: tuple[KindEntry, ...] = (
    KindEntry(PDF, frozenset({".pdf"}), "dossier.kinds.pdf"),
    KindEntry("jpeg", frozenset({".jpg", ".jpeg"}), "dossier.kinds.image"),
    KindEntry("png", frozenset({".png"}), "dossier.kinds.image"),
    KindEntry("tiff", frozenset({".tif", ".tiff"}), "dossier.kinds.image"),
    KindEntry("heic", frozenset({".heic", ".heif"}), "dossier.kinds.image"),
    KindEntry(OFFICE, OFFICE_SUFFIXES, "dossier.kinds.office"),
    KindEntry(EXPLANATION, frozenset(), "dossier.kinds.generated"),
)
ENTRIES = {e.name: e for e in REGISTRY}
# suffix -> kind: which files of the tree are materials
SUFFIXES: dict[str, str] = {s: e.name for e in REGISTRY for s in sorted(e.suffixes)}


def kind_of_suffix(suffix: str) -> str | None:
    return SUFFIXES.get(suffix.lower())


@functools.cache
def implementation(name: str) -> SourceKind:
    """The kind's implementation (its module is imported now)."""
    entry = ENTRIES[name]
    module = importlib.import_module(entry.module)
    found: SourceKind = module.kind(name)
    return found


# What a file's content says it is, when that differs from its name: a Word file named
# .pdf is bound as Word, a PDF named .docx as PDF. Images keep their own rules (a JPEG
# named .pdf is an error that says to rename it; a PNG named .jpg is bound with a note).
def by_content(path: Path, declared: str, data: bytes | None = None) -> str:
    """The kind to handle `path` with: `declared` (by its suffix), unless its content is an
    office document or a PDF named otherwise. `data`: the file's bytes, when read."""
    if declared == EXPLANATION:
        return declared
    from dossier.hashing import open_regular

    try:
        if data is not None:
            head = data[:1024]
        else:
            with open_regular(path) as fh:
                head = fh.read(1024)
    except OSError:
        return declared  # the kind's own open says why it cannot be read
    if declared != PDF and head.startswith(b"%PDF-"):
        return PDF if declared == OFFICE else declared
    if declared != OFFICE and head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        from dossier.office import OFD, sniff

        found = sniff(path)
        if found is not None and found != OFD:
            return OFFICE
    return declared
