"""Planning `dossier tidy`: `plan_tidy` lists the fixes for a materials folder, changing
nothing.

The plan is made against a model of the tree as it will be after the earlier actions:
names are repaired first (folders before what they hold), then `.yaml.txt` and doubled
extensions renamed, YAML converted, archives unpacked, wrong-year files moved and, last,
duplicates set aside. Links are never followed, moved or entered. Files an archive unpacks
are not looked at again in the same plan (a second run tidies them)."""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dossier import archives
from dossier.catalogue import Catalogue
from dossier.errors import UsageError
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.naming import indicator_number, parse_name, safe_display, years_in
from dossier.scan import IMPORT_RECORDS, OWN_FILES, SET_ASIDE, SILENT, SUPPORTED, is_junk
from dossier.sections import classify_section
from dossier.tidy.log import LOG_FILE
from dossier.tidy.model import Action, Kind, Parts, TidyPlan, _beside, _key, _rel, _shown, _sort_key
from dossier.tidy.names import (
    _ENCODING_SHOWN,
    _YAML_NAMES,
    doubled_extension,
    repaired_name,
    yaml_encoding,
    yaml_txt,
)

# SET_ASIDE (重复文件, at the materials root): duplicates, unpacked zips, original YAML bytes
_SKIP_AT_ROOT = {SET_ASIDE, IMPORT_RECORDS, LOG_FILE}


# -- the model of the tree -----------------------------------------------------------------

@dataclass
class _Model:
    """The tree as it will be: where each entry found on disk is then, what is taken."""

    root: Path
    entries: list[tuple[Parts, bool]] = field(default_factory=list)  # (on disk, is_dir)
    now: dict[Parts, Parts] = field(default_factory=dict)  # on disk -> planned path
    taken: set[str] = field(default_factory=set)

    def load(self) -> None:
        self._walk(self.root, ())
        self.entries.sort(key=lambda e: _sort_key(e[0]))
        self.now = {parts: parts for parts, _ in self.entries}
        self.taken = {_key(parts) for parts, _ in self.entries}

    def _walk(self, folder: Path, parts: Parts) -> None:
        try:
            with os.scandir(folder) as it:
                items = list(it)
        except OSError:
            return  # scan reports unreadable folders
        for entry in items:
            name = entry.name
            if name in SILENT or is_junk(name) or (not parts and name in _SKIP_AT_ROOT):
                continue
            if not parts and name in OWN_FILES and name not in _YAML_NAMES:
                continue
            try:
                if entry.is_symlink():
                    continue  # never followed, never moved
                is_dir = entry.is_dir(follow_symlinks=False)
                if not is_dir and not entry.is_file(follow_symlinks=False):
                    continue
            except OSError:
                continue
            self.entries.append(((*parts, name), is_dir))
            if is_dir:
                self._walk(Path(entry.path), (*parts, name))

    def free(self, parts: Parts, is_dir: bool = False) -> Parts:
        """`parts`, or 名称(2).ext … beside it when that is taken."""
        n = 1
        candidate = parts
        while _key(candidate) in self.taken or os.path.lexists(self.root / _rel(candidate)):
            n += 1
            candidate = (*parts[:-1], _beside(parts[-1], n, is_dir))
        return candidate

    def move(self, old: Parts, new: Parts) -> None:
        """Everything now at `old` (and under it) is planned at `new`."""
        size = len(old)
        for disk, at in self.now.items():
            if at[:size] == old:
                moved = (*new, *at[size:])
                self.taken.discard(_key(at))
                self.taken.add(_key(moved))
                self.now[disk] = moved

    def files(self) -> Iterator[tuple[Parts, Parts]]:
        """(on disk, planned path) of every file still in the tree (not set aside)."""
        for disk, is_dir in self.entries:
            at = self.now[disk]
            if not is_dir and at[0] != SET_ASIDE:
                yield disk, at

    def dirs_now(self) -> list[Parts]:
        return sorted((self.now[d] for d, is_dir in self.entries if is_dir), key=_sort_key)


# -- planning ------------------------------------------------------------------------------

class _Planner:
    def __init__(self, root: Path, catalogue: Catalogue) -> None:
        self.root = root
        self.ids = frozenset(catalogue.ids)
        self.years = frozenset(catalogue.settings.all_years)
        self.model = _Model(root)
        self.actions: list[Action] = []
        self.problems: list[Message] = []

    def add(self, kind: Kind, source: Parts, target: Parts, variant: str = "",
            is_dir: bool = False, **params: Any) -> None:
        key = f"tidy/{kind.value}" + (f"/{variant}" if variant else "")
        message = msg(key, file=_shown(source), target=_shown(target), **params)
        self.actions.append(Action(kind, _rel(source), _rel(target), message, is_dir=is_dir))

    def rename(self, kind: Kind, at: Parts, name: str, variant: str = "",
               is_dir: bool = False, **params: Any) -> None:
        target = self.model.free((*at[:-1], name), is_dir)
        self.add(kind, at, target, variant, is_dir, **params)
        self.model.move(at, target)

    def plan(self) -> TidyPlan:
        self.model.load()
        self.repair_names()
        self.rename_files()
        self.convert_yaml()
        self.unpack()
        self.years_and_duplicates()
        return TidyPlan(self.root, tuple(self.actions), tuple(self.problems))

    def repair_names(self) -> None:
        for disk, is_dir in list(self.model.entries):  # folders before what they hold
            at = self.model.now[disk]
            fixed = repaired_name(at[-1])
            if fixed is not None:
                self.rename(Kind.REPAIR_NAME, at, fixed[0], "" if fixed[1] == "bytes"
                            else fixed[1], is_dir)

    def rename_files(self) -> None:
        for _disk, at in list(self.model.files()):
            own = yaml_txt(at[-1])
            if own is not None:
                wanted = (*at[:-1], own)
                if _key(wanted) in self.model.taken:  # both are there: the clerk decides
                    self.problems.append(msg("tidy-skipped/yaml-txt", file=_shown(at),
                                             target=_shown(wanted)))
                    continue
                self.rename(Kind.RENAME_YAML_TXT, at, own)
                continue
            single = doubled_extension(at[-1])
            if single is not None:
                self.rename(Kind.RENAME_DOUBLED, at, single)

    def convert_yaml(self) -> None:
        for disk, at in list(self.model.files()):
            if at[-1] not in _YAML_NAMES:
                continue
            try:
                data = (self.root / _rel(disk)).read_bytes()
            except OSError:
                continue  # check reports it
            codec = yaml_encoding(data)
            if codec is None:
                continue
            backup = self.model.free((SET_ASIDE, *at))
            self.model.taken.add(_key(backup))
            shown = _ENCODING_SHOWN[codec]
            self.actions.append(Action(
                Kind.CONVERT_YAML, _rel(at), _rel(at),
                msg("tidy/convert-yaml", file=_shown(at), target=_shown(at),
                    encoding=shown, backup=_shown(backup)),
                backup=_rel(backup), encoding=codec))

    def unpack(self) -> None:
        for disk, at in list(self.model.files()):
            if not at[-1].lower().endswith(".zip"):
                continue
            path = self.root / _rel(disk)
            if archives.sniff(path) != "zip":
                continue  # check reports what it is
            stem = at[-1][: -len(".zip")] or at[-1]
            into = self.model.free((*at[:-1], stem), True)
            result = archives.extract(path, self.root / _rel(into), name=_shown(at),
                                      dry_run=True)
            if result.refused:
                self.problems.append(msg("tidy-skipped/archive", file=_shown(at)))
                self.problems.extend(result.problems)
                continue
            self.problems.extend(result.problems)
            count = sum(p.outcome in (archives.Outcome.PLACED, archives.Outcome.KEPT_BESIDE)
                        for p in result.placements)
            self.model.taken.add(_key(into))
            self.add(Kind.UNPACK, at, into, count=count)
            kept = self.model.free((SET_ASIDE, *at))
            self.add(Kind.KEEP_ARCHIVE, at, kept)
            self.model.move(at, kept)

    def material(self, at: Parts) -> tuple[int, str | None] | None:
        """(indicator, section) of a file scan takes as material; None otherwise."""
        if len(at) < 2 or at[0] == SET_ASIDE:
            return None
        number = indicator_number(at[0])
        if number is None or number not in self.ids or at[-1] in OWN_FILES:
            return None
        if len(at) == 2:
            return number, None
        kind = classify_section(at[1])
        if kind.section is None or (kind.year is not None and kind.year not in self.years):
            return None
        return number, kind.section

    def year_folder(self, at: Parts, year: int) -> Parts | None:
        """The folder of `year` in the indicator folder of `at`: an existing one, or the
        standard name when nothing is in its way."""
        for folder in self.model.dirs_now():
            if len(folder) == 2 and folder[0] == at[0] \
                    and classify_section(folder[1]).section == str(year):
                return folder
        standard = (at[0], str(year))
        return None if _key(standard) in self.model.taken else standard

    def years_and_duplicates(self) -> None:
        moves: dict[Parts, tuple[Parts, int, int]] = {}  # disk -> (new folder, year, folder's)
        materials: list[tuple[Parts, Parts, int]] = []  # (disk, planned, indicator)
        for disk, at in self.model.files():
            where = self.material(at)
            if where is None:
                continue
            materials.append((disk, at, where[0]))
            section = where[1]
            if section is None or not section.isdigit():
                continue  # 达标说明, 直接证明材料 and 长期有效 are not sorted by year
            spans = years_in(PurePosixPath(at[-1]).stem)
            if len(spans) != 1 or spans[0].first != spans[0].last:
                continue
            year = spans[0].first
            if year == int(section) or year not in self.years:
                continue
            folder = self.year_folder(at, year)
            if folder is not None:
                moves[disk] = (folder, year, int(section))
        duplicates = self.duplicates(materials, moves)
        for disk, at, _ in materials:
            if disk in duplicates or disk not in moves:
                continue
            folder, year, folder_year = moves[disk]
            new_folder = folder not in self.model.dirs_now()
            target = self.model.free((*folder, *at[2:]))
            self.add(Kind.MOVE_YEAR, at, target, year=year, folder_year=folder_year)
            self.model.move(at, target)
            if new_folder:
                self.model.taken.add(_key(folder))
        for disk, at, _ in materials:
            if disk in duplicates:
                target = self.model.free((SET_ASIDE, *at))
                self.add(Kind.MOVE_DUPLICATE, at, target, other=_shown(duplicates[disk]))
                self.model.move(at, target)

    def duplicates(self, materials: list[tuple[Parts, Parts, int]],
                   moves: dict[Parts, tuple[Parts, int, int]]) -> dict[Parts, Parts]:
        """disk -> planned path of the file it repeats, for every later copy (in the order
        check reads the tree, with the year moves done)."""
        def final(disk: Parts, at: Parts) -> Parts:
            return (*moves[disk][0], *at[2:]) if disk in moves else at

        by_size: dict[int, list[tuple[Parts, Parts, int]]] = defaultdict(list)
        for disk, at, number in materials:
            if PurePosixPath(at[-1]).suffix.lower() not in SUPPORTED:
                continue
            try:
                size = (self.root / _rel(disk)).stat().st_size
            except OSError:
                continue
            if size > 0:
                by_size[size].append((disk, at, number))
        repeats: dict[Parts, Parts] = {}
        for group in by_size.values():
            if len(group) < 2:
                continue
            by_hash: dict[str, list[tuple[Parts, Parts, int]]] = defaultdict(list)
            for disk, at, number in group:
                with contextlib.suppress(OSError):
                    by_hash[sha256_file(self.root / _rel(disk))].append((disk, at, number))
            for same in by_hash.values():
                same.sort(key=lambda m: (m[2], _sort_key(final(m[0], m[1]))))
                kept: list[Parts] = []
                for disk, at, _ in same:
                    here = final(disk, at)
                    # A copy is set aside only where another copy in the same indicator and
                    # section folder answers every review point it does: the same file
                    # filed for two indicators, two years or two points is evidence twice.
                    twin = next((k for k in kept if k[:2] == here[:2]
                                 and set(_tags(here)) <= set(_tags(k))), None)
                    if twin is None:
                        kept.append(here)
                    else:
                        repeats[disk] = twin
        return repeats


def _tags(parts: Parts) -> tuple[int, ...]:
    """The review points a file answers: its own tags, or those of a tagged folder."""
    for part in reversed(parts[2:]):
        tags = parse_name(PurePosixPath(part).stem).tags
        if tags:
            return tags
    return ()


def plan_tidy(root: Path, catalogue: Catalogue) -> TidyPlan:
    """The fixes for the materials folder `root`, in the order they are to be made.
    Changes nothing (an archive is test-unpacked in the system's temporary folder)."""
    if not root.exists():
        raise UsageError("materials-folder-missing", folder=safe_display(str(root)))
    if not root.is_dir():
        raise UsageError("materials-not-a-folder", folder=safe_display(str(root)))
    return _Planner(root, catalogue).plan()
