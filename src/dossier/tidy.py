"""`dossier tidy`: fix by itself what `check` can only diagnose, reversibly.

`plan_tidy` looks at the materials folder and lists the fixes (`Action`s), changing
nothing. `apply_tidy` carries them out in order and writes each one to the log
`整理记录.json` in the materials folder, before and after doing it (atomically), so that
`undo_tidy` can reverse a run even when it was interrupted. Nothing is ever deleted or
overwritten: duplicates, unpacked archives and the original bytes of converted YAML files
are moved into `重复文件/` at the materials root, at their own relative path.

The plan is made against a model of the tree as it will be after the earlier actions:
names are repaired first (folders before what they hold), then `.yaml.txt` and doubled
extensions renamed, YAML converted, archives unpacked, wrong-year files moved and, last,
duplicates set aside. Links are never followed, moved or entered. Files an archive unpacks
are not looked at again in the same plan (a second run tidies them).

Everything a person may read is a `Message` (templates in `dossier.messages.tidy`)."""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dossier import archives
from dossier.atomic import atomic_output
from dossier.catalogue import Catalogue
from dossier.errors import UsageError, os_cause
from dossier.explain.model import EXPLANATION_FILE, SHARED_FILE
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.naming import (
    indicator_number,
    is_odd_name,
    natural_key,
    parse_name,
    safe_display,
    years_in,
)
from dossier.scan import (
    IMPORT_RECORDS,
    OWN_FILES,
    SET_ASIDE,
    SILENT,
    SUPPORTED,
    TIDY_LOG,
    is_junk,
)
from dossier.sections import classify_section

LOG_FILE = TIDY_LOG  # at the materials root
# SET_ASIDE (重复文件, at the materials root): duplicates, unpacked zips, original YAML bytes
LOG_FORMAT = "dossier-tidy-log"
LOG_VERSION = 1
_YAML_NAMES = (EXPLANATION_FILE, SHARED_FILE)
_SKIP_AT_ROOT = {SET_ASIDE, IMPORT_RECORDS, LOG_FILE}


class Kind(str, enum.Enum):
    """What one action does (its value is also its message key after "tidy/")."""

    REPAIR_NAME = "repair-name"  # undecodable (raw GBK bytes) or mojibake name
    RENAME_YAML_TXT = "rename-yaml-txt"  # 达标说明.yaml.txt → 达标说明.yaml
    RENAME_DOUBLED = "rename-doubled-extension"  # 名称.pdf.pdf → 名称.pdf
    CONVERT_YAML = "convert-yaml"  # GBK / UTF-16 → UTF-8, the original kept in 重复文件
    UNPACK = "unpack"  # a zip unpacked into a new folder beside it
    KEEP_ARCHIVE = "keep-archive"  # the unpacked zip moved into 重复文件
    MOVE_YEAR = "move-year"  # into the folder of the year its name states
    MOVE_DUPLICATE = "move-duplicate"  # same content as an earlier file: into 重复文件

    @property
    def moves(self) -> bool:
        return self not in (Kind.CONVERT_YAML, Kind.UNPACK)


@dataclass(frozen=True)
class Action:
    """One fix. Paths are POSIX, relative to the materials root, as they are when the
    action runs (after the earlier actions of the plan); they may hold undecodable bytes
    (surrogate escapes): messages show them with `safe_display`."""

    kind: Kind
    source: str  # the file or folder acted on
    target: str  # where it goes (CONVERT_YAML: the same file; UNPACK: the new folder)
    message: Message  # what is done and why ("tidy/<kind>" and variants)
    backup: str = ""  # CONVERT_YAML: where the original bytes are kept
    encoding: str = ""  # CONVERT_YAML: the codec read ("gb18030" or "utf-16")
    is_dir: bool = False  # REPAIR_NAME of a folder


@dataclass(frozen=True)
class TidyPlan:
    root: Path
    actions: tuple[Action, ...]
    problems: tuple[Message, ...]  # what cannot be tidied (a refused archive …)

    @property
    def messages(self) -> tuple[Message, ...]:
        """What a preview shows: each action, or that there is nothing to do."""
        if not self.actions:
            return (msg("tidy-nothing", folder=safe_display(str(self.root))),)
        return tuple(a.message for a in self.actions)


@dataclass(frozen=True)
class TidyLog:
    """What `apply_tidy` or `undo_tidy` did."""

    root: Path
    done: tuple[Message, ...]  # apply: the actions' messages; undo: "tidy-undo/…"
    problems: tuple[Message, ...]  # what failed or was refused, the rest went on
    actions: tuple[Action, ...] = ()  # apply: the actions carried out


# -- names -------------------------------------------------------------------------------

def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def _allowed(ch: str) -> bool:
    o = ord(ch)
    return ((0x20 <= o < 0x7F) or _is_cjk(ch) or 0x3000 <= o <= 0x303F
            or 0xFF01 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027 or 0x2460 <= o <= 0x24FF)


def _ascii_count(text: str) -> int:
    return sum(ord(c) < 0x80 for c in text)


def _plausible(fixed: str, original: str) -> bool:
    """A decoded name that reads as a Chinese name: CJK, ASCII and Chinese punctuation
    only, and every ASCII character of the original still there (in GBK mojibake both
    bytes of a character are ≥ 0x80, so no ASCII byte was swallowed into one)."""
    return (bool(fixed) and not is_odd_name(fixed) and any(_is_cjk(c) for c in fixed)
            and all(_allowed(c) for c in fixed) and "/" not in fixed and "\\" not in fixed
            and _ascii_count(fixed) == _ascii_count(original))


def repaired_name(name: str) -> tuple[str, str] | None:
    """(the name it should have, "bytes" | "mojibake") for a name holding raw GBK bytes
    (undecodable in the file system's encoding) or GBK shown as Latin-1/CP1252/CP437;
    None when the name is fine or cannot be repaired with confidence."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in name):
        try:
            fixed = os.fsencode(name).decode("gb18030")
        except (UnicodeError, ValueError):
            return None
        return (fixed, "bytes") if _plausible(fixed, name) else None
    if all(ord(c) < 0x80 for c in name) or any(_is_cjk(c) for c in name):
        return None
    for codec in ("latin-1", "cp1252", "cp437"):
        try:
            fixed = name.encode(codec).decode("gb18030")
        except UnicodeError:
            continue
        if _plausible(fixed, name):
            return fixed, "mojibake"
    return None


def doubled_extension(name: str) -> str | None:
    """"名称.pdf.pdf" → "名称.pdf" for the file types the tool binds; None otherwise."""
    path = PurePosixPath(name)
    suffixes = path.suffixes
    if len(suffixes) < 2 or suffixes[-1].lower() != suffixes[-2].lower():
        return None
    if suffixes[-1].lower() not in SUPPORTED:
        return None
    stem = name[: -len(suffixes[-1])]
    return stem if PurePosixPath(stem).stem.strip() else None


def yaml_txt(name: str) -> str | None:
    """"达标说明.yaml.txt" → "达标说明.yaml" (the tool's own YAML files only)."""
    for own in _YAML_NAMES:
        if unicodedata.normalize("NFC", name).casefold() == f"{own}.txt".casefold():
            return own
    return None


def yaml_encoding(data: bytes) -> str | None:
    """The codec a YAML file must be read with when it is not UTF-8: "utf-16" (with a
    BOM) or "gb18030" (GBK, as WPS and Notepad on Chinese Windows save); None when it is
    UTF-8 (BOM or not) or neither."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-16")
        except UnicodeError:
            return None
        return "utf-16"
    try:
        data.decode("utf-8")
        return None
    except UnicodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeError:
        return None
    return "gb18030"


_ENCODING_SHOWN = {"utf-16": "UTF-16", "gb18030": "GBK"}


# -- the model of the tree -----------------------------------------------------------------

Parts = tuple[str, ...]


def _key(parts: Sequence[str]) -> str:
    """How a path is compared: Windows and macOS disks ignore case and normalisation."""
    return "/".join(unicodedata.normalize("NFC", p).casefold() for p in parts)


def _rel(parts: Sequence[str]) -> str:
    return "/".join(parts)


def _shown(parts: Sequence[str] | str) -> str:
    return safe_display(parts if isinstance(parts, str) else _rel(parts))


def _sort_key(parts: Sequence[str]) -> tuple[tuple[tuple[int, int | str], ...], ...]:
    return tuple(natural_key(p) for p in parts)


def _beside(name: str, n: int, is_dir: bool) -> str:
    if is_dir:
        return f"{name}({n})"
    path = PurePosixPath(name)
    return f"{path.stem}({n}){path.suffix}"


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


# -- the log -------------------------------------------------------------------------------

def _put(entry: dict[str, Any], name: str, rel: str) -> None:
    """A path into a log entry: as text, plus its raw bytes in hex when the name holds
    bytes the file system could not decode (JSON cannot hold those)."""
    entry[name] = safe_display(rel)
    if safe_display(rel) != rel:
        entry[f"{name}_raw"] = os.fsencode(rel).hex()


def _get(entry: dict[str, Any], name: str) -> str:
    raw = entry.get(f"{name}_raw")
    if isinstance(raw, str):
        return os.fsdecode(bytes.fromhex(raw))
    value = entry.get(name, "")
    return value if isinstance(value, str) else ""


def _read_log(root: Path) -> list[dict[str, Any]] | None:
    """The entries of the log ([] when there is none); None when it cannot be read."""
    path = root / LOG_FILE
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != LOG_FORMAT \
            or not isinstance(data.get("actions"), list):
        return None
    return [e for e in data["actions"] if isinstance(e, dict)]


def _write_log(root: Path, entries: list[dict[str, Any]]) -> None:
    text = json.dumps({"format": LOG_FORMAT, "version": LOG_VERSION, "actions": entries},
                      ensure_ascii=False, indent=1)
    with atomic_output(root / LOG_FILE) as fh:
        fh.write(text.encode("utf-8"))


# -- applying ------------------------------------------------------------------------------

def _inside(root: Path, rel: str) -> Path:
    """`root/rel`, refusing anything that would leave the materials folder."""
    parts = PurePosixPath(rel).parts
    if not parts or ".." in parts or PurePosixPath(rel).is_absolute():
        raise ValueError(rel)
    return root.joinpath(*parts)


def _makedirs(root: Path, folder: Path, made: list[str]) -> None:
    """mkdir -p, listing each folder made (relative to root) in `made`."""
    missing: list[Path] = []
    probe = folder
    while not probe.is_dir():
        if probe.is_symlink() or probe.exists():
            raise NotADirectoryError(20, "Not a directory", str(probe))
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path.relative_to(root).as_posix())


def _rename(root: Path, source: str, target: str, made: list[str]) -> None:
    src, dst = _inside(root, source), _inside(root, target)
    if not src.is_symlink() and not src.exists():
        raise FileNotFoundError(2, "No such file or directory", source)
    if dst.is_symlink() or dst.exists():
        raise FileExistsError(17, "File exists", target)
    _makedirs(root, dst.parent, made)
    os.rename(src, dst)


def _no_links(root: Path, rel: str) -> bool:
    """True when no folder on the way to `rel` (nor `rel` itself) is a link."""
    path = root
    for part in PurePosixPath(rel).parts:
        path = path / part
        if path.is_symlink():
            return False
    return True


class _Applier:
    def __init__(self, root: Path, entries: list[dict[str, Any]]) -> None:
        self.root = root
        self.entries = entries
        self.done: list[Action] = []
        self.problems: list[Message] = []

    def log(self) -> None:
        _write_log(self.root, self.entries)

    def run(self, action: Action) -> None:
        entry: dict[str, Any] = {"kind": action.kind.value, "done": False}
        _put(entry, "source", action.source)
        _put(entry, "target", action.target)
        shown = safe_display(action.source)
        if not (_no_links(self.root, action.source) and _no_links(self.root, action.target)):
            self.problems.append(msg("tidy-failed/link", file=shown))
            return
        try:
            if action.kind.moves:
                self.move(action, entry)
            elif action.kind is Kind.CONVERT_YAML:
                self.convert(action, entry)
            else:
                self.unpack(action, entry)
        except _Skipped:
            return
        except FileExistsError:
            self.problems.append(msg("tidy-failed/exists", file=shown,
                                     target=safe_display(action.target)))
        except FileNotFoundError:
            self.problems.append(msg("tidy-failed/missing", file=shown))
        except OSError as exc:
            self.problems.append(msg("tidy-failed", file=shown, **os_cause(exc)))
        except ValueError:
            self.problems.append(msg("tidy-failed/outside", file=shown))
        else:
            self.done.append(action)

    def move(self, action: Action, entry: dict[str, Any]) -> None:
        src = _inside(self.root, action.source)
        if src.is_file() and not src.is_symlink():
            entry["sha256"] = sha256_file(src)
        else:
            entry["folder"] = True
        made: list[str] = []
        entry["made"] = made
        self.entries.append(entry)
        self.log()  # before: an interrupted move can still be undone
        try:
            _rename(self.root, action.source, action.target, made)
        except OSError:
            self.entries.pop()
            self.log()
            raise
        entry["done"] = True
        self.log()

    def convert(self, action: Action, entry: dict[str, Any]) -> None:
        path = _inside(self.root, action.source)
        data = path.read_bytes()
        if yaml_encoding(data) != action.encoding:  # changed since the plan was made
            self.problems.append(msg("tidy-failed/changed", file=safe_display(action.source)))
            raise _Skipped()
        converted = data.decode(action.encoding).encode("utf-8")
        entry.update({"encoding": action.encoding, "sha256_before": _sha(data),
                      "sha256_after": _sha(converted)})
        _put(entry, "backup", action.backup)
        made: list[str] = []
        entry["made"] = made
        self.entries.append(entry)
        self.log()
        try:
            _rename(self.root, action.source, action.backup, made)
        except OSError:
            self.entries.pop()
            self.log()
            raise
        try:
            with atomic_output(path) as fh:
                fh.write(converted)
        except OSError:  # the original goes straight back: 达标说明.yaml is never missing
            os.replace(_inside(self.root, action.backup), path)
            self.entries.pop()
            self.log()
            raise
        entry["done"] = True
        self.log()

    def unpack(self, action: Action, entry: dict[str, Any]) -> None:
        into = _inside(self.root, action.target)
        if into.is_symlink() or into.exists():
            raise FileExistsError(17, "File exists", action.target)
        self.entries.append(entry)
        self.log()
        result = archives.extract(_inside(self.root, action.source), into,
                                  name=safe_display(action.source))
        if result.refused:
            self.entries.pop()
            self.log()
            self.problems.append(msg("tidy-skipped/archive", file=safe_display(action.source)))
            self.problems.extend(result.problems)
            raise _Skipped()
        files = []
        for p in result.placements:
            if p.outcome in (archives.Outcome.PLACED, archives.Outcome.KEPT_BESIDE):
                item: dict[str, Any] = {"sha256": p.sha256}
                _put(item, "path", f"{action.target}/{p.path}")
                files.append(item)
        folders = [action.target]
        if into.is_dir():
            for dirpath, dirnames, _ in os.walk(into):
                for d in dirnames:
                    folders.append((Path(dirpath) / d).relative_to(self.root).as_posix())
        entry["files"] = files
        entry["folders"] = []
        for folder in folders:
            item = {}
            _put(item, "path", folder)
            entry["folders"].append(item)
        entry["done"] = True
        self.log()


class _Skipped(Exception):
    """An action not carried out, its problems already recorded."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def apply_tidy(plan: TidyPlan, root: Path) -> TidyLog:
    """Carry out `plan` in order, logging each action to 整理记录.json (added to the log of
    an earlier run, if any). An action that cannot be made is reported; the rest go on."""
    entries = _read_log(root)
    if entries is None:
        return TidyLog(root, (), (msg("tidy-log-unreadable", file=LOG_FILE),))
    applier = _Applier(root, entries)
    for action in plan.actions:
        with contextlib.suppress(_Skipped):
            applier.run(action)
    return TidyLog(root, tuple(a.message for a in applier.done), tuple(applier.problems),
                   tuple(applier.done))


# -- undoing -------------------------------------------------------------------------------

def _file_sha(path: Path) -> str | None:
    try:
        return sha256_file(path) if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


class _Undoer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.done: list[Message] = []
        self.problems: list[Message] = []

    def remove_folders(self, folders: Sequence[str]) -> None:
        """Remove the folders an action made, deepest first, when they are empty."""
        for rel in sorted(folders, key=lambda r: r.count("/"), reverse=True):
            path = _inside(self.root, rel)
            if not path.is_dir() or path.is_symlink():
                continue
            try:
                path.rmdir()
            except OSError:
                self.problems.append(msg("tidy-undo/folder-kept", folder=safe_display(rel)))

    def entry(self, entry: dict[str, Any]) -> None:
        kind = entry.get("kind")
        if kind == Kind.UNPACK.value:
            self.unpacked(entry)
        elif kind == Kind.CONVERT_YAML.value:
            self.converted(entry)
        elif kind in {k.value for k in Kind if k.moves}:
            self.moved(entry)

    def moved(self, entry: dict[str, Any]) -> None:
        source, target = _get(entry, "source"), _get(entry, "target")
        src, dst = _inside(self.root, source), _inside(self.root, target)
        made = [m for m in entry.get("made", []) if isinstance(m, str)]
        shown, back = safe_display(target), safe_display(source)
        if not (dst.exists() or dst.is_symlink()):
            if not entry.get("done") and (src.exists() or src.is_symlink()):
                self.remove_folders(made)  # interrupted before the move: nothing to undo
                return
            self.problems.append(msg("tidy-undo/missing", file=shown, target=back))
            return
        if entry.get("folder"):
            if not dst.is_dir() or dst.is_symlink():
                self.problems.append(msg("tidy-undo/changed", file=shown))
                return
        elif _file_sha(dst) != entry.get("sha256"):
            self.problems.append(msg("tidy-undo/changed", file=shown))
            return
        try:
            _rename(self.root, target, source, [])
        except FileExistsError:
            self.problems.append(msg("tidy-undo/occupied", file=shown, target=back))
            return
        except OSError as exc:
            self.problems.append(msg("tidy-undo/failed", file=shown, **os_cause(exc)))
            return
        self.remove_folders(made)
        self.done.append(msg("tidy-undo/moved-back", file=shown, target=back))

    def converted(self, entry: dict[str, Any]) -> None:
        source, backup = _get(entry, "source"), _get(entry, "backup")
        path, kept = _inside(self.root, source), _inside(self.root, backup)
        shown = safe_display(source)
        made = [m for m in entry.get("made", []) if isinstance(m, str)]
        if _file_sha(kept) != entry.get("sha256_before"):
            if not entry.get("done") and _file_sha(path) == entry.get("sha256_before"):
                self.remove_folders(made)  # interrupted before the original was moved
                return
            self.problems.append(msg("tidy-undo/missing", file=safe_display(backup),
                                     target=shown))
            return
        now = _file_sha(path)
        if path.exists() and now != entry.get("sha256_after"):
            self.problems.append(msg("tidy-undo/changed", file=shown))
            return
        try:
            os.replace(kept, path)
        except OSError as exc:
            self.problems.append(msg("tidy-undo/failed", file=shown, **os_cause(exc)))
            return
        self.remove_folders(made)
        encoding = _ENCODING_SHOWN.get(str(entry.get("encoding")), str(entry.get("encoding")))
        self.done.append(msg("tidy-undo/converted-back", file=shown, encoding=encoding))

    def unpacked(self, entry: dict[str, Any]) -> None:
        target = _get(entry, "target")
        if not entry.get("done"):
            self.problems.append(msg("tidy-undo/incomplete", folder=safe_display(target),
                                     file=safe_display(_get(entry, "source"))))
            return
        removed = 0
        for item in entry.get("files", []):
            if not isinstance(item, dict):
                continue
            rel = _get(item, "path")
            path = _inside(self.root, rel)
            if not path.exists():
                continue
            if _file_sha(path) != item.get("sha256"):
                self.problems.append(msg("tidy-undo/changed", file=safe_display(rel)))
                continue
            try:
                path.unlink()
                removed += 1
            except OSError as exc:
                self.problems.append(msg("tidy-undo/failed", file=safe_display(rel),
                                         **os_cause(exc)))
        self.remove_folders([_get(f, "path") for f in entry.get("folders", [])
                             if isinstance(f, dict)])
        self.done.append(msg("tidy-undo/unpacked-removed", folder=safe_display(target),
                             count=removed))


def undo_tidy(root: Path) -> TidyLog:
    """Reverse what the log records, last action first, then remove the log. A file that
    changed since it was tidied is left as it is and reported; the rest go on."""
    entries = _read_log(root)
    if entries is None:
        return TidyLog(root, (), (msg("tidy-log-unreadable", file=LOG_FILE),))
    if not entries:
        return TidyLog(root, (), (msg("tidy-undo/nothing", folder=safe_display(str(root))),))
    undoer = _Undoer(root)
    kept: list[dict[str, Any]] = []  # entries that could not be reversed stay in the log
    for entry in reversed(entries):
        before = len(undoer.problems)
        try:
            undoer.entry(entry)
        except ValueError:  # a path in the log that leaves the materials folder
            undoer.problems.append(msg("tidy-log-unreadable", file=LOG_FILE))
        if len(undoer.problems) > before:
            kept.insert(0, entry)
    if kept:
        _write_log(root, kept)  # a later --undo tries these again
    else:
        with contextlib.suppress(OSError):
            (root / LOG_FILE).unlink()
    return TidyLog(root, tuple(undoer.done), tuple(undoer.problems))
