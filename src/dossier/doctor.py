"""`dossier doctor`: the components dossier uses on this computer, found or not, each
with what it is for and, when missing, how to install it. Plain data; the console shows
it (console.doctor_report)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from dossier.cache import cache_root
from dossier.i18n import Message, msg
from dossier.tools import LIBREOFFICE, find, platform_key


@dataclass(frozen=True)
class Component:
    name: Message  # LibreOffice, PDFium, the CJK font, the cache
    ok: bool
    state: Message  # its version and place, or "not found"
    use: Message  # what dossier needs it for
    hint: Message | None = None  # how to get it, when missing
    required: bool = False  # build cannot do without it (the exit status says so)


def diagnose(font: str | None = None) -> tuple[Component, ...]:
    return (_libreoffice(), _pdfium(), _font(font), _cache())


def _libreoffice() -> Component:
    found = find(LIBREOFFICE)
    use = msg("doctor/soffice-use")
    if found is None:
        return Component(msg("doctor/name/soffice"), False, msg("doctor/missing"), use,
                         msg(f"doctor/soffice-hint/{platform_key()}"))
    state = (msg("doctor/found", version=found.version, path=str(found.path)) if found.version
             else msg("doctor/found-unversioned", path=str(found.path)))
    return Component(msg("doctor/name/soffice"), True, state, use)


def _pdfium() -> Component:
    try:
        version = metadata.version("pypdfium2")
    except metadata.PackageNotFoundError:
        return Component(msg("doctor/name/pdfium"), False, msg("doctor/missing"),
                         msg("doctor/pdfium-use"))
    return Component(msg("doctor/name/pdfium"), True, msg("doctor/found", version=version,
                                                      path="pypdfium2"),
                     msg("doctor/pdfium-use"))


def _font(font: str | None) -> Component:
    from pathlib import Path

    from dossier.fonts import choose

    chosen = choose(Path(font) if font else None)
    state = (msg("doctor/path", path=str(chosen.path)) if chosen.path
             else msg("doctor/font-builtin", name=chosen.name))
    return Component(msg("doctor/name/font"), chosen.path is not None, state,
                     msg("doctor/font-use"), chosen.warning, required=True)


def _cache() -> Component:
    root = cache_root()
    state = msg("doctor/path", path=str(root)) if root else msg("doctor/cache-off")
    # no cache only makes rebuilds slower: not a fault
    return Component(msg("doctor/name/cache"), True, state, msg("doctor/cache-use"))
