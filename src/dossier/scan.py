"""Walk the materials tree and record what is there. Reads names and sizes only:
no file content is opened here. Never follows a link out of the tree."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.errors import UsageError, os_cause
from dossier.kinds import SUFFIXES
from dossier.naming import (
    NameInfo,
    YearSpan,
    indicator_number,
    is_odd_name,
    natural_key,
    parse_name,
    safe_display,
    years_in,
)
from dossier.schema import Settings
from dossier.sections import DIRECT, LONG_TERM, classify_section

SUPPORTED = SUFFIXES  # suffix -> source kind (dossier.kinds): the files that are materials
# Files the tool itself writes into the tree, which are not materials.
# 目录.yaml (any folder): the 题名, 文号 … of that folder's files (see dossier.titles).
OWN_FILES = {"要求.md", "达标说明.yaml", "共享数据.yaml", "导入记录.json", "整理记录.json",
             "目录.yaml"}
TIDY_LOG = "整理记录.json"  # `dossier tidy`: what it did, for --undo (at the root)
SET_ASIDE = "重复文件"  # `dossier tidy`: duplicates and originals it set aside (at the root)
IMPORT_RECORD = "导入记录.json"  # `dossier import`: who supplied which file (at the root)
IMPORT_RECORDS = "导入记录"  # `dossier import`: the 报送清单 of each pack zip (at the root)
# `dossier contacts`: the 联络人员名单 (附件2) units send, read from the root (a file whose
# name contains 联络人员) or from a root folder of that name (a form per unit).
CONTACTS_FOLDER = "联络人员名单"
CONTACTS_WORD = "联络人员"
CONTACTS_SUFFIXES = (".xlsx", ".xls", ".et", ".yaml", ".yml")


def is_contact_form(name: str) -> bool:
    """A 联络人员名单 at the root: read by `dossier contacts`, not material."""
    return (CONTACTS_WORD in name and os.path.splitext(name)[1].lower() in CONTACTS_SUFFIXES
            and not is_junk(name))


# Placeholders that keep empty folders in version control: not material, not worth a note.
SILENT = {".gitkeep", ".keep"}
_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"}


def is_junk(name: str) -> bool:
    low = name.lower()
    return (low in _JUNK_NAMES or name.startswith(("~$", "._", ".~lock", "~WRL"))
            or name.startswith(".") or low.endswith((".tmp", ".bak", "~")))


@dataclass(frozen=True)
class MaterialFile:
    path: Path  # absolute path on disk (as listed, links not resolved)
    rel: str  # posix path relative to the materials root, for messages
    indicator: int
    section: str | None  # None: lying outside any section folder
    name: NameInfo
    tags: tuple[int, ...]  # own tags, or inherited from a tagged parent folder
    years: tuple[YearSpan, ...]
    size: int
    kind: str | None  # a source kind by the suffix (dossier.kinds); None when unsupported

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


@dataclass(frozen=True)
class Oddity:
    """Something in the tree that is not a usable material: reported by checks.

    `variant` and `params` say what the checks need to word it:
    - "stray-year-folder": params year (int);
    - "link-outside": variant "outside" (the link leaves the tree) or "broken" (its target
      does not exist), params target (the resolved target, a path);
    - "unreadable": params errno (a bare errno name, EACCES …) and detail (the OS's text,
      for logs and JSON only)."""

    what: str  # "unknown-folder", "misplaced-file", "ignored-file", "link-outside",
    #            "unknown-indicator-folder", "odd-name", "unreadable", "stray-year-folder"
    rel: str
    indicator: int | None
    variant: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class IndicatorFolder:
    indicator: int
    rel: str
    sections: tuple[tuple[str, str], ...]  # (section, rel of its folder), in walk order
    files: tuple[MaterialFile, ...]  # natural order, folders before deeper files

    def section_dirs(self, section: str) -> tuple[str, ...]:
        return tuple(rel for s, rel in self.sections if s == section)

    def in_section(self, section: str) -> tuple[MaterialFile, ...]:
        return tuple(f for f in self.files if f.section == section)


@dataclass(frozen=True)
class MaterialsTree:
    root: Path
    folders: tuple[IndicatorFolder, ...]  # sorted by indicator; duplicates kept
    oddities: tuple[Oddity, ...]

    def folders_for(self, indicator: int) -> tuple[IndicatorFolder, ...]:
        return tuple(f for f in self.folders if f.indicator == indicator)

    @property
    def files(self) -> Iterator[MaterialFile]:
        for folder in self.folders:
            yield from folder.files


class _Walker:
    def __init__(self, root: Path, known_ids: frozenset[int], years: frozenset[int]) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.known = known_ids
        self.years = years
        self.oddities: list[Oddity] = []
        self.visited: set[str] = set()

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def entries(self, folder: Path, indicator: int | None) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as it:
                items = [e for e in it if e.name not in SILENT]
        except OSError as exc:
            self.oddities.append(Oddity("unreadable", self.rel(folder), indicator, params={
                **os_cause(exc)}))
            return []
        return sorted(items, key=lambda e: natural_key(e.name))

    def resolve_link(self, entry: os.DirEntry[str], indicator: int | None) -> bool:
        """True when `entry` may be used; links leaving the tree are refused and reported."""
        if not entry.is_symlink():
            return True
        target = Path(os.path.realpath(entry.path))
        inside = target == self.real_root or self.real_root in target.parents
        if not inside or not target.exists():
            self.oddities.append(Oddity("link-outside", self.rel(Path(entry.path)), indicator,
                                        "broken" if not target.exists() else "outside",
                                        {"target": safe_display(str(target))}))
            return False
        return True

    def is_dir(self, entry: os.DirEntry[str]) -> bool:
        try:
            return entry.is_dir()
        except OSError:
            return False

    def walk_root(self) -> MaterialsTree:
        folders: list[IndicatorFolder] = []
        for entry in self.entries(self.root, None):
            path = Path(entry.path)
            self.note_odd_name(entry.name, path, None)
            if not self.resolve_link(entry, None):
                continue
            if not self.is_dir(entry):
                if entry.name in OWN_FILES or is_contact_form(entry.name):
                    continue
                what = "ignored-file" if is_junk(entry.name) else "misplaced-file"
                self.oddities.append(Oddity(what, self.rel(path), None))
                continue
            if is_junk(entry.name):
                self.oddities.append(Oddity("ignored-file", self.rel(path), None))
                continue
            if entry.name in (IMPORT_RECORDS, SET_ASIDE, CONTACTS_FOLDER):
                continue  # the tool's own records, what tidy set aside, the 附件2 forms
            number = indicator_number(entry.name)
            if number is None:
                self.oddities.append(Oddity("unknown-folder", self.rel(path), None))
            elif number not in self.known:
                self.oddities.append(Oddity("unknown-indicator-folder", self.rel(path), number))
            else:
                folders.append(self.walk_indicator(path, number))
        folders.sort(key=lambda f: (f.indicator, natural_key(f.rel)))
        return MaterialsTree(self.root, tuple(folders), tuple(self.oddities))

    def walk_indicator(self, folder: Path, number: int) -> IndicatorFolder:
        sections: list[tuple[str, str]] = []
        files: list[MaterialFile] = []
        for entry in self.entries(folder, number):
            path = Path(entry.path)
            self.note_odd_name(entry.name, path, number)
            if not self.resolve_link(entry, number):
                continue
            if is_junk(entry.name):
                self.oddities.append(Oddity("ignored-file", self.rel(path), number))
                continue
            if not self.is_dir(entry):
                if entry.name not in OWN_FILES:
                    files.append(self.material(path, number, None, ()))
                continue
            kind = classify_section(entry.name)
            if kind.section is None:
                self.oddities.append(Oddity("unknown-folder", self.rel(path), number))
                continue
            if kind.year is not None and kind.year not in self.years:
                self.oddities.append(Oddity("stray-year-folder", self.rel(path), number,
                                            params={"year": kind.year}))
                continue
            sections.append((kind.section, self.rel(path)))
            files.extend(self.walk_section(path, number, kind.section, ()))
        return IndicatorFolder(number, self.rel(folder), tuple(sections), tuple(files))

    def walk_section(self, folder: Path, number: int, section: str,
                     tags: tuple[int, ...]) -> Iterator[MaterialFile]:
        real = os.path.realpath(folder)
        if real in self.visited:  # a link loop inside the tree
            return
        self.visited.add(real)
        for entry in self.entries(folder, number):
            path = Path(entry.path)
            self.note_odd_name(entry.name, path, number)
            if not self.resolve_link(entry, number):
                continue
            if is_junk(entry.name) or entry.name in OWN_FILES:
                if entry.name not in OWN_FILES:
                    self.oddities.append(Oddity("ignored-file", self.rel(path), number))
                continue
            if self.is_dir(entry):
                own = parse_name(entry.name).tags
                yield from self.walk_section(path, number, section, own or tags)
            else:
                yield self.material(path, number, section, tags)

    def material(self, path: Path, number: int, section: str | None,
                 inherited: tuple[int, ...]) -> MaterialFile:
        info = parse_name(path.stem)
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        return MaterialFile(
            path=path, rel=self.rel(path), indicator=number, section=section, name=info,
            tags=info.tags or inherited, years=years_in(path.stem), size=size,
            kind=SUPPORTED.get(path.suffix.lower()),
        )

    def note_odd_name(self, name: str, path: Path, number: int | None) -> None:
        if is_odd_name(name):
            self.oddities.append(Oddity("odd-name", self.rel(path), number))


def require_outside(root: Path, out_dir: Path) -> None:
    """Outputs (volumes, zips) never go into the materials folder, which is never written."""
    real_root, real_out = root.resolve(), out_dir.resolve()
    if real_out == real_root or real_root in real_out.parents:
        raise UsageError("output-inside-materials", out=str(out_dir), root=str(root))


def scan(root: Path, known_ids: frozenset[int], years: frozenset[int]) -> MaterialsTree:
    """Walk `root` (the materials folder)."""
    if not root.exists():
        raise UsageError("materials-folder-missing", folder=safe_display(str(root)))
    if not root.is_dir():
        raise UsageError("materials-not-a-folder", folder=safe_display(str(root)))
    return _Walker(root, known_ids, years).walk_root()


def years_covered(f: MaterialFile, settings: Settings) -> frozenset[int]:
    """Years one file is evidence for (附件3: material for a year sits in that year's
    folder, or in 直接证明材料 with the year in its name; 长期有效 covers every year)."""
    if f.section == LONG_TERM:
        return frozenset(settings.evidence_years)
    if f.section and f.section.isdigit():
        return frozenset({int(f.section)})
    if f.section == DIRECT:
        return frozenset(y for y in settings.all_years if any(s.covers(y) for s in f.years))
    return frozenset()
