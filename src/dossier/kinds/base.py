"""The interface every source kind implements, and what its methods share."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from dossier.cache import Cache

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

    from dossier.i18n import Message
    from dossier.officefonts import Installed
    from dossier.plan import Source
    from dossier.probe import Probe
    from dossier.tools import Found


def _nothing() -> Found | None:
    return None


def _no_fonts() -> Installed:
    from dossier.officefonts import Installed

    return Installed(frozenset(), known=False)


class SofficeFinder:
    """Finds the converter of office documents when first asked, then remembers it (a
    forked worker inherits what was found; a spawned one looks again): LibreOffice, whose
    version is cached by its program file, so asking costs nothing on the next run. On
    Windows, DOSSIER_CONVERTER=wps or word asks for WPS Office or Microsoft Office through
    COM instead (dossier.comconvert, untested), LibreOffice when that is not there."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._looked = False
        self._found: Found | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:  # sent to spawned workers: no lock
        return {k: v for k, v in vars(self).items() if k != "_lock"}

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self._lock = threading.Lock()

    def __call__(self) -> Found | None:
        with self._lock:  # check converts in threads: one looks, the others wait
            if not self._looked:
                self._found = _find_converter(self.cache_dir)
                self._looked = True
        return self._found

    def label(self) -> str:
        """"LibreOffice 7.4.7.2" (what the plan records of office sources), "" without."""
        found = self()
        return f"{found.program.name} {found.version}".strip() if found else ""


def _find_converter(cache_dir: Path | None) -> Found | None:
    import os
    import sys

    from dossier.tools import LIBREOFFICE, MSOFFICE, WPS, find

    wanted = os.environ.get("DOSSIER_CONVERTER", "").strip().lower()
    if sys.platform == "win32" and wanted in ("wps", "word"):
        found = find(WPS if wanted == "wps" else MSOFFICE)
        if found is not None and _has_pywin32():
            return found
    return find(LIBREOFFICE, cache=Cache("tools", cache_dir))


def _has_pywin32() -> bool:
    import importlib.util

    return importlib.util.find_spec("win32com") is not None


@dataclass(frozen=True)
class KindContext:
    """What kinds need besides the file: whether tall images are sliced, the registered
    font of generated pages, the converter of office documents (looked for once, when the
    first office document needs it) and where converted documents are cached."""

    slicing: bool = True
    font: str = ""
    soffice: Callable[[], Found | None] = _nothing
    fonts: Callable[[], Installed] = _no_fonts  # the fonts LibreOffice can use
    cache_dir: Path | None = None  # --cache; None: DOSSIER_CACHE or the platform's folder
    timeout: float = 30.0  # of a probe
    # office documents that failed to convert in this run, by (path, size, mtime): why
    failed: dict[tuple[str, int, int], Message] = field(default_factory=dict, hash=False,
                                                         compare=False)

    def cache(self, kind: str) -> Cache:
        return Cache(kind, self.cache_dir)


@dataclass(frozen=True)
class Conversion:
    """How an office document became PDF: recorded in the manifest."""

    converter: str  # "LibreOffice"
    version: str
    pdf_sha256: str
    from_cache: bool


@dataclass
class Opening:
    """A source opened for binding. Its pages come from `reader` (a PDF, a converted
    document, a generated page) or `image` (laid out by dossier.images)."""

    pages: int
    reader: PdfReader | None = None
    handle: IO[bytes] | None = None  # the file `reader` reads, closed with it
    image: Path | None = None
    sliced: bool = False  # a tall image cut into page-high slices
    # the PDF PDFium may render to see where a page number fits (None: not rendered)
    rendered: Path | bytes | None = None
    converted: Conversion | None = None
    missing_fonts: tuple[str, ...] = ()  # an office document: fonts this machine lacks

    def append(self, writer: PdfWriter, slicing: bool) -> None:
        """Add the pages to `writer`. Raises what pypdf or Pillow raise."""
        if self.reader is not None:
            writer.append(self.reader, import_outline=False)
        elif self.image is not None:
            from dossier.images import add_image

            add_image(writer, self.image, slicing)

    def close(self) -> None:
        from dossier.pagecount import release

        if self.handle is not None:
            self.handle.close()
        if self.reader is not None:
            release(self.reader)
        self.handle = self.reader = None


class SourceKind(Protocol):
    """One kind of source. `open` raises dossier.errors.SourceError with the reason the
    source cannot be bound (the volume then fails, or gets a placeholder page)."""

    name: str

    def probe(self, path: Path, ctx: KindContext) -> Probe:
        """What `dossier check` says of the file, and the pages it will give."""
        ...

    def count(self, source: Source, ctx: KindContext) -> int:
        """The pages it will have in its volume, before the volume is assembled (1 for the
        placeholder page of a source that cannot be bound)."""
        ...

    def open(self, source: Source, ctx: KindContext) -> Opening:
        ...
