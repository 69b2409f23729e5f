"""The fonts of office documents: which ones a document asks for, which ones this machine
has, and what LibreOffice is told to use in place of a missing 公文 font.

A 公文 is set in 方正小标宋简体 (title), 仿宋_GB2312 (text), 黑体 and 楷体_GB2312
(headings). A machine without them lets LibreOffice pick any font, often a 黑体 or a Latin
one: the look is lost, and line breaks and page counts change. So each conversion gets a
replacement table (LibreOffice's own, Tools ▸ Options ▸ Fonts, written into the
conversion's profile) that maps each missing 公文 font to the closest one installed: the
same font under another name (仿宋 for 仿宋_GB2312, the UOS CESI fonts), else one of the
same style (a 宋体 for 小标宋, never a 黑体 for 仿宋). The table is part of the conversion's
cache key. What is still missing is reported, naming each font."""

from __future__ import annotations

import os
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

# Each 公文 font and what may stand in for it, best first: its other names, the UOS and
# Kylin CESI fonts, then fonts of the same style that Linux distributions ship.
_SONG_LIKE = ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体", "AR PL UMing CN")
_HEI_LIKE = ("Noto Sans CJK SC", "Source Han Sans SC", "思源黑体", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei")
STAND_INS: dict[str, tuple[str, ...]] = {
    "仿宋_GB2312": ("仿宋", "FangSong", "CESI仿宋-GB2312", "CESI_FS_GB2312", "华文仿宋",
                   "STFangsong", "方正仿宋_GBK", "方正仿宋简体", *_SONG_LIKE),
    "仿宋": ("仿宋_GB2312", "FangSong_GB2312", "CESI仿宋-GB2312", "CESI_FS_GB2312", "华文仿宋",
           "STFangsong", *_SONG_LIKE),
    "楷体_GB2312": ("楷体", "KaiTi", "CESI楷体-GB2312", "CESI_KT_GB2312", "华文楷体", "STKaiti",
                   "AR PL UKai CN", *_SONG_LIKE),
    "楷体": ("楷体_GB2312", "KaiTi_GB2312", "CESI楷体-GB2312", "CESI_KT_GB2312", "华文楷体",
           "STKaiti", "AR PL UKai CN", *_SONG_LIKE),
    "方正小标宋简体": ("方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "CESI小标宋-GB2312",
                   "CESI_XBS_GB2312", "华文中宋", "STZhongsong", "宋体", "SimSun", *_SONG_LIKE),
    "方正小标宋_GBK": ("方正小标宋简体", "FZXiaoBiaoSong-B05", "CESI小标宋-GB2312",
                    "CESI_XBS_GB2312", "华文中宋", "STZhongsong", "宋体", "SimSun", *_SONG_LIKE),
    "宋体": ("SimSun", "新宋体", "NSimSun", "CESI宋体-GB2312", "CESI_SS_GB2312", "华文宋体",
           "STSong", *_SONG_LIKE),
    "黑体": ("SimHei", "CESI黑体-GB2312", "CESI_HT_GB2312", "华文黑体", "STHeiti", *_HEI_LIKE),
    "微软雅黑": ("Microsoft YaHei", "等线", "DengXian", *_HEI_LIKE),
    "等线": ("DengXian", "微软雅黑", "Microsoft YaHei", *_HEI_LIKE),
}
# PostScript names of these fonts, as a PDF names them (a font is found in a PDF by them)
_POSTSCRIPT = {"仿宋_GB2312": "FangSong_GB2312", "仿宋": "FangSong", "楷体_GB2312": "KaiTi_GB2312",
               "楷体": "KaiTi", "方正小标宋简体": "FZXiaoBiaoSong-B05S",
               "方正小标宋_GBK": "FZXiaoBiaoSong-B05", "宋体": "SimSun", "新宋体": "NSimSun",
               "黑体": "SimHei", "微软雅黑": "MicrosoftYaHei", "等线": "DengXian",
               "华文仿宋": "STFangsong", "华文楷体": "STKaiti", "华文中宋": "STZhongsong"}
# Latin fonts LibreOffice replaces by metric-compatible ones: the layout is kept
_COMPATIBLE = {"timesnewroman": "liberationserif", "arial": "liberationsans",
               "couriernew": "liberationmono", "calibri": "carlito", "cambria": "caladea"}
# Windows: the files of the fonts above in %WINDIR%\Fonts (names without the folder)
_WINDOWS_FILES = {"simfang.ttf": ("仿宋", "FangSong"), "simkai.ttf": ("楷体", "KaiTi"),
                  "simsun.ttc": ("宋体", "SimSun", "新宋体", "NSimSun"),
                  "simhei.ttf": ("黑体", "SimHei"), "msyh.ttc": ("微软雅黑", "Microsoft YaHei"),
                  "deng.ttf": ("等线", "DengXian"), "fzxbsjw.ttf": ("方正小标宋简体",),
                  "fzxbsk.ttf": ("方正小标宋_GBK",), "fangsong_gb2312.ttf": ("仿宋_GB2312",),
                  "kaiti_gb2312.ttf": ("楷体_GB2312",), "stfangso.ttf": ("华文仿宋",),
                  "stkaiti.ttf": ("华文楷体",), "stzhongs.ttf": ("华文中宋",),
                  "times.ttf": ("Times New Roman",), "arial.ttf": ("Arial",),
                  "calibri.ttf": ("Calibri",)}


def key(name: str) -> str:
    """A font name as compared: case, spaces, - and _ do not count."""
    return re.sub(r"[\s\-_]+", "", name).casefold()


@dataclass(frozen=True)
class Installed:
    """The font families of this machine (every name a family goes by), or `known` False
    when they cannot be listed (then only the PDF's fonts say what was used)."""

    names: frozenset[str]  # key()s
    known: bool = True

    def has(self, name: str) -> bool:
        return key(name) in self.names


def installed(environ: Mapping[str, str] | None = None) -> Installed:
    """This machine's fonts: through fontconfig's fc-list (Linux, UOS, Kylin, macOS with
    fontconfig), or the files in the Windows Fonts folders."""
    environ = os.environ if environ is None else environ
    if sys.platform == "win32":
        return _windows(environ)
    from dossier.tools import FCLIST, find, run

    found = find(FCLIST, environ)
    if found is None:
        return Installed(frozenset(), known=False)
    try:
        ran = run([str(found.path), ":", "family"], timeout=30)
    except OSError:
        return Installed(frozenset(), known=False)
    if ran.timed_out or ran.returncode != 0:
        return Installed(frozenset(), known=False)
    names = {key(n) for line in ran.stdout.splitlines() for n in line.split(",") if n.strip()}
    return Installed(frozenset(names))


def _windows(environ: Mapping[str, str]) -> Installed:
    folders = [Path(environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    if environ.get("LOCALAPPDATA"):  # fonts installed for one user (Windows 10 1809 on)
        folders.append(Path(environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    names: set[str] = set()
    for folder in folders:
        try:
            files = {p.name.lower() for p in folder.iterdir()}
        except OSError:
            continue
        for file, families in _WINDOWS_FILES.items():
            if file in files:
                names.update(key(f) for f in families)
    return Installed(frozenset(names), known=bool(names))


def replacements(have: Installed) -> tuple[tuple[str, str], ...]:
    """(公文 font, the installed font that stands in for it) for each one this machine
    lacks and can stand in for."""
    if not have.known:
        return ()
    pairs = []
    for font, stand_ins in STAND_INS.items():
        if have.has(font) or have.has(_POSTSCRIPT.get(font, font)):
            continue
        chosen = next((s for s in stand_ins if have.has(s)), None)
        if chosen is not None:
            pairs.append((font, chosen))
            if font in _POSTSCRIPT:  # as a document written on English Windows names it
                pairs.append((_POSTSCRIPT[font], chosen))
    return tuple(pairs)


def registry(pairs: Iterable[tuple[str, str]]) -> str:
    """LibreOffice's registrymodifications.xcu with the replacement table (always, on
    screen and in print)."""
    nodes = "".join(
        f'<node oor:name="_{n}" oor:op="replace">'
        '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(font)}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(stand_in)}</value>'
        "</prop></node>" for n, (font, stand_in) in enumerate(pairs))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://'
            'openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution"><prop '
            'oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f"{nodes}</item></oor:items>\n")


# -- what a document asks for ------------------------------------------------------------

_PARTS = re.compile(r"^(word/(document|styles|header\d*|footer\d*)\.xml|xl/styles\.xml|"
                    r"ppt/slides/slide\d+\.xml|content\.xml|styles\.xml)$")
_ATTRS = re.compile(rb'(?:w:(?:eastAsia|ascii|hAnsi)|typeface|svg:font-family|'
                    rb'style:font-name(?:-asian)?)\s*=\s*"([^"]{1,80})"')
_XLSX_FONT = re.compile(rb'<(?:\w+:)?name\s+val\s*=\s*"([^"]{1,80})"')
_PART_LIMIT = 32 << 20  # a part larger than this is not read for its fonts


def declared(path: Path) -> tuple[str, ...]:
    """The fonts an OOXML or OpenDocument file names for its text, in order of first use;
    () for the old binary formats (.doc, .wps, .xls, .et) and anything unreadable. Theme
    references (+mn-ea, +mj-lt) are not fonts of their own."""
    found: dict[str, None] = {}
    budget = _PART_LIMIT
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not _PARTS.match(info.filename) or info.file_size > budget:
                    continue
                budget -= info.file_size  # all parts together: as much as one may be
                data = zf.read(info)
                pattern = _XLSX_FONT if info.filename == "xl/styles.xml" else _ATTRS
                for match in pattern.finditer(data):
                    name = match.group(1).decode("utf-8", "replace").strip().strip("'")
                    if name and not name.startswith("+"):
                        found.setdefault(name)
    except Exception:  # a damaged package (zlib.error, BadZipFile …): nothing known
        return ()
    return tuple(found)


def pdf_fonts(pdf: bytes) -> tuple[str, ...]:
    """The fonts a PDF (LibreOffice's) uses, by name, the subset tag (ABCDEF+) taken off."""
    names = re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", pdf)
    found: dict[str, None] = {}
    for raw in names:
        name = raw.decode("latin-1")
        name = re.sub(r"^[A-Z]{6}\+", "", name)
        found.setdefault(re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)),
                                name))
    return tuple(found)


def chinese(name: str) -> bool:
    """A font for Chinese text: named in Chinese, or one of the 公文 fonts' PostScript
    names. Only these are reported missing: Latin fonts are mostly replaced by
    metric-compatible ones (Liberation, Carlito), and a document's styles name many that
    no text uses."""
    return not name.isascii() or key(name) in {key(v) for v in _POSTSCRIPT.values()}


def missing(asked: Iterable[str], used: Iterable[str], have: Installed) -> tuple[str, ...]:
    """The fonts asked for that this machine lacks: not installed (when that is known)
    and not in the PDF, nor replaced by a compatible one there."""
    in_pdf = {key(u) for u in used}
    in_pdf |= {re.sub(r"(regular|book|roman)$", "", k) for k in in_pdf}
    lacking = []
    for font in asked:
        names = {key(font), key(_POSTSCRIPT.get(font, font))}
        if names & in_pdf or any(n.split(",")[0] in in_pdf for n in names):
            continue
        if _COMPATIBLE.get(key(font)) in in_pdf:
            continue
        if have.known and have.has(font):
            continue
        lacking.append(font)
    return tuple(lacking)
