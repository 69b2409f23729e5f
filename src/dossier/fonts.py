"""Find a CJK TrueType font that reportlab can embed, or fall back to STSong-Light.

reportlab embeds TrueType (glyf) outlines only: CFF fonts (Noto/Source Han OTF and TTC)
are refused, and fonts without ASCII digits (Droid Sans Fallback) would make page
numbers vanish, so every candidate is parsed and its coverage checked before use."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from dossier.i18n import Message, msg, pdf_text
from dossier.messages import REGISTRY

FALLBACK = "STSong-Light"


@functools.lru_cache(maxsize=1)
def required_text() -> str:
    """Characters every font must have: digits and ASCII for page numbers and file names,
    the section numerals, and the fixed Chinese the PDFs carry (every `pdf-*` label of the
    catalogue, as printed)."""
    zh = pdf_text()
    labels = "".join(re.sub(r"\{[^}]*\}", "", zh.gettext(t)) for k, t in REGISTRY.items()
                     if k.startswith("pdf-") and isinstance(t, str))
    return "0123456789-–— ()ABCabc一二三四五六七八九十" + "".join(sorted(set(labels)))

# Preferred files, best first (GB/T 9704 faces first: 仿宋, 宋体, 黑体, then UI faces).
PREFERRED = (
    "simfang.ttf", "FZFSJW.TTF", "CESI_FS_GB2312.TTF", "CESI_FS_GB18030.TTF", "STFANGSO.TTF",
    "simsun.ttc", "CESI_SS_GB2312.TTF", "CESI_SS_GB18030.TTF", "STSONG.TTF",
    "simhei.ttf", "CESI_HT_GB2312.TTF", "simkai.ttf", "CESI_KT_GB2312.TTF", "msyh.ttc",
    "Deng.ttf", "wqy-microhei.ttc", "wqy-zenhei.ttc", "uming.ttc", "ukai.ttc",
)


_CJK_HINTS = ("cjk", "sim", "wqy", "cesi", "hei", "song", "kai", "fang", "ming", "msyh",
              "fz", "st", "deng", "noto", "source", "droid")


@dataclass(frozen=True)
class FontCandidate:
    path: Path
    usable: bool
    reason: Message  # why it is unusable, or font-usable with the family name


@dataclass(frozen=True)
class FontChoice:
    name: str  # the reportlab font name to draw with
    path: Path | None  # None for the built-in, non-embedded STSong-Light
    embedded: bool
    warning: Message | None = None  # the user's font was not used, or nothing is embedded


def font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [home / ".local/share/fonts", home / ".fonts", Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"), Path("/usr/share/fonts/fonts-cesi"),
            Path("/usr/share/fonts/wps-office")]
    if sys.platform == "win32" or os.environ.get("WINDIR"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs.insert(0, windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.insert(0, Path(local) / "Microsoft/Windows/Fonts")
    if sys.platform == "darwin":
        dirs += [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    return dirs


BUNDLED = Path(__file__).resolve().parent / "_fonts"  # filled by dossier.onefile only


def bundled_fonts() -> list[Path]:
    """Fonts shipped inside a one-file executable (`python -m dossier.onefile --font …`):
    a freely licensed CJK font such as WenQuanYi Micro Hei, so that a computer without
    Chinese fonts still embeds one. A wheel carries none."""
    try:
        return sorted(p for p in BUNDLED.iterdir() if p.suffix.lower() in (".ttf", ".ttc"))
    except OSError:
        return []


def _fc_list() -> list[Path]:
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]


def discover(extra: Iterable[Path] = ()) -> list[Path]:
    """Candidate font files: user-given first, then preferred names, then anything CJK."""
    found: dict[str, Path] = {}
    files: list[Path] = []
    for d in font_dirs():
        if d.is_dir():
            try:
                files += [p for p in d.rglob("*") if p.suffix.lower() in (".ttf", ".ttc", ".otf")]
            except OSError:
                continue
    by_name = {p.name.lower(): p for p in files}
    ordered = [Path(p) for p in extra]
    ordered += [by_name[n.lower()] for n in PREFERRED if n.lower() in by_name]
    ordered += sorted(p for p in files if any(h in p.name.lower() for h in _CJK_HINTS))
    ordered += _fc_list()
    ordered += bundled_fonts()  # the last resort: what a one-file executable carries
    for p in ordered:
        found.setdefault(str(p), p)
    return list(found.values())


def _font_name(path: Path) -> str:
    tag = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    return f"dossier-{path.stem}-{tag}"


def _load(path: Path, text: str) -> TTFont | Message:
    """The parsed font (one parse: it is the slow part), or why it cannot be used."""
    name = _font_name(path)
    if name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
    else:
        if not path.is_file():
            return msg("font-missing")
        try:
            font = TTFont(name, str(path), subfontIndex=0)
        except Exception as exc:  # reportlab raises TTFError, struct.error, OSError …
            if "postscript outlines" in str(exc).lower():
                return msg("font-cff", detail=str(exc))
            return msg("font-unreadable", detail=f"{type(exc).__name__}: {exc}")
    fs_type = _fs_type(font.face)
    if fs_type & 0x0002 or fs_type & 0x0200:
        return msg("font-no-embedding", fs_type=f"0x{fs_type:04x}")
    missing = sorted({ch for ch in text if ord(ch) not in font.face.charToGlyph and ch != " "})
    if missing:
        return msg("font-lacks-glyphs", chars=tuple(missing[:12]))
    return font


def inspect(path: Path, text: str | None = None) -> FontCandidate:
    """Can reportlab embed this font, and does it cover `text` (default: required_text())?"""
    font = _load(path, required_text() if text is None else text)
    if isinstance(font, Message):
        return FontCandidate(path, False, font)
    face = font.face
    family = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
    return FontCandidate(path, True, msg("font-usable", family=family))


def _fs_type(face: TTFontFace) -> int:
    """OS/2 fsType: 0x0002 restricted licence, 0x0200 bitmap embedding only."""
    try:
        face.seek_table("OS/2")
        face.skip(8)
        return int(face.read_ushort())
    except Exception:  # no OS/2 table: installable
        return 0


def candidates(extra: Iterable[Path] = ()) -> Iterator[FontCandidate]:
    for path in discover(extra):
        yield inspect(path)


def choose(user_font: Path | None = None, text: str = "") -> FontChoice:
    """The first usable font (the user's first), registered with reportlab."""
    wanted = required_text() + text
    extra = [user_font] if user_font else []
    env = os.environ.get("DOSSIER_FONT")
    if env:
        extra.insert(0 if not user_font else 1, Path(env))
    rejected: Message | None = None  # why the user's font cannot be used
    for path in discover(extra):
        font = _load(path, wanted)
        if not isinstance(font, Message):
            if font.fontName not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(font)
            warning = None
            if user_font and path != user_font:
                warning = msg("font-user-unusable", font=str(user_font),
                              reason=rejected or msg("font-unreadable"), chosen=path.name)
            return FontChoice(font.fontName, path, True, warning)
        if user_font and path == user_font:
            rejected = font
    if FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    if user_font:
        return FontChoice(FALLBACK, None, False,
                          msg("font-user-unusable/fallback", font=str(user_font),
                              reason=rejected or msg("font-unreadable")))
    return FontChoice(FALLBACK, None, False, msg("font-fallback"))


def missing_glyphs(font_name: str, text: str) -> str:
    """Characters of `text` the registered font cannot draw (they would print blank)."""
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    table = getattr(face, "charToGlyph", None)
    if not table:
        return ""  # built-in CID font: coverage is the reader's business
    return "".join(sorted({ch for ch in text if ord(ch) not in table and ch.isprintable()
                           and not ch.isspace()}))


def register(choice: FontChoice) -> None:
    """Make a choice made in another process usable in this one (parsed once per process)."""
    if choice.name in pdfmetrics.getRegisteredFontNames():
        return
    if choice.path is None:
        pdfmetrics.registerFont(UnicodeCIDFont(choice.name))
    else:
        pdfmetrics.registerFont(TTFont(choice.name, str(choice.path), subfontIndex=0))
