"""The interface every source kind implements, and what its methods share."""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from dossier.cache import Cache

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

    from dossier.i18n import Message
    from dossier.ocr import Engine
    from dossier.officefonts import Installed
    from dossier.plan import Source
    from dossier.probe import Probe
    from dossier.tools import Found


def _nothing() -> Found | None:
    return None


def _no_fonts() -> Installed:
    from dossier.officefonts import Installed

    return Installed(frozenset(), known=False)


def unreadable(exc: OSError) -> Message:
    """Why a source that cannot be read cannot be bound (the OS's reason)."""
    from dossier.errors import os_cause
    from dossier.i18n import msg

    return msg("source-unreadable", **os_cause(exc))


T = TypeVar("T")
_UNSET: Any = object()


class Once(Generic[T]):
    """`make()` called when first asked, its result kept: threads that ask meanwhile wait
    for the one result; a forked worker inherits it, a spawned one (the pickled copy of an
    unanswered Once) asks again."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T = _UNSET
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:  # sent to spawned workers: no lock
        return {"_make": self._make, "_value": self._value}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._make, self._value = state["_make"], state["_value"]
        self._lock = threading.Lock()

    def __call__(self) -> T:
        with self._lock:
            if self._value is _UNSET:
                self._value = self._make()
            return self._value


def converter_finder(cache_dir: Path | None = None) -> Once[Found | None]:
    """The converter of office documents, found when first asked: LibreOffice, whose
    version is cached by its program file, so asking costs nothing on the next run. On
    Windows, DOSSIER_CONVERTER=wps or word asks for WPS Office or Microsoft Office through
    COM instead (dossier.comconvert, untested), LibreOffice when that is not there."""
    return Once(functools.partial(_find_converter, cache_dir))


def fonts_finder() -> Once[Installed]:
    """This machine's fonts (dossier.officefonts.installed), listed when first asked."""
    from dossier.officefonts import installed

    return Once(installed)


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
    ocr: Engine | None = None  # --ocr: the engine that reads the pages that are pictures
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
    rendered: Path | bytes | io.BytesIO | None = None
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

    def screen(self, fh: IO[bytes], shown: str) -> None:
        """Raises SourceError for a file that can be refused from a glance at it (its head
        and tail), before a build reads all of it; `fh` is open at its start."""
        ...

    def open(self, source: Source, ctx: KindContext, data: io.BytesIO | None = None) -> Opening:
        """`data`: the file's bytes as scanned (dossier.snapshot), when a build read them,
        as a stream the kind may keep (its only owner: pypdf's reader asks a BytesIO for
        its buffer, which a BytesIO whose bytes are held elsewhere too must copy); a kind
        that can bind from them does, so that the file is read once."""
        ...
