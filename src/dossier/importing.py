"""`dossier import`: what 责任单位 send, merged into the 牵头单位's materials folder
(正文 二: the 牵头单位 sorts, verifies and merges it). A source is a zip (a `pack` zip, or
one made by hand on Chinese Windows) or a folder. Each file goes to its indicator, section
and year in the destination, found by the folder names it comes under; nothing is ever
overwritten, and who supplied which file, when and from which archive is recorded in
导入记录.json at the root of the destination."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dossier import archives
from dossier.atomic import atomic_output
from dossier.catalogue import Catalogue
from dossier.errors import UsageError, os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.naming import folder_name, indicator_number, safe_display
from dossier.pack import MANIFEST, REPORT, zip_name
from dossier.provenance import read_provenance
from dossier.scan import (
    IMPORT_RECORD,
    IMPORT_RECORDS,
    SET_ASIDE,
    TIDY_LOG,
    IndicatorFolder,
    MaterialsTree,
    is_junk,
    scan,
)
from dossier.sections import classify_section
from dossier.titlemerge import NOTES, merge_titles
from dossier.titles import TITLES_FILE

RECORD = IMPORT_RECORD  # provenance, at the root of the destination
RECORDS = IMPORT_RECORDS  # the 报送清单 and 检查结果 of each imported pack zip
UNSORTED = "待分类"  # files whose indicator cannot be told from their folders


@dataclass(frozen=True)
class Placed:
    source: str  # the file as the source names it
    target: str  # where it goes, relative to the destination
    outcome: str  # placed | identical | kept-beside | unsorted | outside (not written)
    sha256: str

    @property
    def message(self) -> Message:
        return msg(f"import/{self.outcome}", file=self.source, target=self.target)


@dataclass(frozen=True)
class Imported:
    source: str  # as shown to a person
    unit: str  # who supplied it ("" when not known)
    placed: tuple[Placed, ...]
    problems: tuple[Message, ...]
    refused: bool
    notes: tuple[Message, ...] = ()  # what became of the 目录.yaml sent along


def import_sources(sources: Sequence[Path], into: Path, catalogue: Catalogue,
                   unit: str | None = None, *, dry_run: bool = False,
                   today: str = "") -> tuple[Imported, ...]:
    """Merge every source into `into` (created when missing). `unit`: who supplied them,
    when the sources do not say (a pack zip names its unit)."""
    if into.exists() and not into.is_dir():
        raise UsageError("import-into-not-a-folder", folder=str(into))
    supplier = catalogue.unit(unit).name if unit else ""
    done = []
    for source in sources:
        done.append(_one(source, into, catalogue, supplier, dry_run, today))
    return tuple(done)


def _one(source: Path, into: Path, catalogue: Catalogue, supplier: str, dry_run: bool,
         today: str) -> Imported:
    shown = safe_display(str(source))
    if not source.exists():
        return Imported(shown, supplier, (), (msg("import-source-missing", source=shown),),
                        True)
    with _staged(source, shown) as (root, problems, refused):
        if refused or root is None:
            return Imported(shown, supplier, (), problems, True)
        declared = _pack_manifest(root)
        unit, said = _supplier(declared, supplier, catalogue, shown)
        problems += said
        problems += tuple(_verify(root, declared, shown)) if declared else ()
        tree = scan(into, frozenset(catalogue.ids),
                    frozenset(catalogue.settings.all_years)) if into.is_dir() else None
        files = [rel for rel in _files(root) if rel not in (MANIFEST, REPORT)]
        lists = [rel for rel in files if PurePosixPath(rel).name == TITLES_FILE]
        placed = [_place(root, rel, into, tree, catalogue, shown, dry_run)
                  for rel in files if rel not in lists]
        problems += tuple(p.message for p in placed if p.outcome == "outside")
        problems += tuple(msg("bad-file-name/import", source=shown, file=safe_display(p.source))
                          for p in placed if zip_name(p.source) is None)
        placed = [p for p in placed if p.outcome != "outside"]
        archive = sha256_file(source) if source.is_file() and not dry_run else ""
        if declared and not dry_run:
            _keep_records(root, into, source, archive)
        notes: tuple[Message, ...] = ()
        if not dry_run:
            _record(into, placed, unit, source, archive, today)
            said = merge_titles(root, into, lists,
                                [(p.source, p.target, p.outcome) for p in placed], shown)
            notes = tuple(m for m in said if m.key in NOTES)
            problems += tuple(m for m in said if m.key not in NOTES)
        return Imported(shown, unit, tuple(placed), problems, False, notes)


@contextlib.contextmanager
def _staged(source: Path, shown: str) -> Iterator[tuple[Path | None, tuple[Message, ...],
                                                       bool]]:
    """The source as a folder: a folder as it is, a zip unpacked (safely) into a temporary
    folder that is removed afterwards."""
    if source.is_dir():
        yield source, (), False
        return
    with tempfile.TemporaryDirectory(prefix="dossier-import-") as tmp:
        out = archives.extract(source, Path(tmp) / "x", name=shown)
        yield (None if out.refused else Path(tmp) / "x"), out.problems, out.refused


# The tool's own files and folders, at the root of a source: never material to merge.
_OWN_AT_ROOT = frozenset({IMPORT_RECORD, IMPORT_RECORDS, SET_ASIDE, TIDY_LOG})


def _files(root: Path) -> list[str]:
    """Every regular file under `root` that is material (links are not followed; system
    files, 要求.md and the tool's own records and set-aside files are left out)."""
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if d not in _OWN_AT_ROOT]
        dirs.sort()
        for name in sorted(files):
            path = here / name
            if (here == root and name in _OWN_AT_ROOT) or is_junk(name) or name == "要求.md":
                continue
            if not path.is_symlink() and path.is_file():
                found.append(path.relative_to(root).as_posix())
    return found


def _supplier(declared: dict[str, Any] | None, given: str, catalogue: Catalogue,
              shown: str) -> tuple[str, tuple[Message, ...]]:
    """Who supplied a source: the unit given on the command line, else the one its
    报送清单 names, if the catalogue knows it. A disagreement or an unknown unit is said."""
    named = str(declared.get("unit") or "") if declared else ""
    if not named:
        return given, ()
    known = catalogue.units.lookup(named)
    if known is None:
        return given, (msg("import-unit-unknown", source=shown, unit=named),)
    if given and known.name != given:
        return given, (msg("import-unit-differs", source=shown, unit=known.name, given=given),)
    return known.name, ()


def _pack_manifest(root: Path) -> dict[str, Any] | None:
    path = root / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "dossier" else None


def _verify(root: Path, declared: dict[str, Any], shown: str) -> Iterator[Message]:
    """A pack zip's files must be what its 报送清单 says they are."""
    files = declared.get("files")
    titles = declared.get("titles")  # the 目录.yaml sent along (dossier.pack.title_lists)
    listed_items = [*(files if isinstance(files, list) else []),
                    *(titles if isinstance(titles, list) else [])]
    real = os.path.realpath(root)
    for item in listed_items:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        listed = item["path"]
        path = os.path.realpath(root / listed)
        if os.path.commonpath([real, path]) != real:  # a 报送清单 that points elsewhere
            yield msg("import-listed-missing", source=shown, file=safe_display(listed[:200]))
            continue
        try:
            if not os.path.isfile(path):
                yield msg("import-listed-missing", source=shown, file=safe_display(listed))
            elif sha256_file(Path(path)) != item.get("sha256"):
                yield msg("import-listed-differs", source=shown, file=safe_display(listed))
        except (OSError, ValueError):
            yield msg("import-listed-missing", source=shown, file=safe_display(listed[:200]))


def _target(rel: str, into: Path, tree: MaterialsTree | None, catalogue: Catalogue,
            shown: str) -> tuple[str, bool]:
    """Where a file of the source goes, and whether its indicator could be told."""
    parts = PurePosixPath(rel).parts
    known = set(catalogue.ids)
    at = next((n for n, p in enumerate(parts[:-1]) if indicator_number(p) in known), None)
    if at is None:
        return PurePosixPath(UNSORTED, Path(shown).stem, *parts).as_posix(), False
    number = indicator_number(parts[at])
    assert number is not None
    folders = tree.folders_for(number) if tree else ()
    indicator = folders[0].rel if folders else folder_name(number,
                                                           catalogue.get(number).name)
    rest = list(parts[at + 1:])
    if len(rest) > 1:
        section = classify_section(rest[0]).section
        if section is not None:
            rest[0] = _section_dir(folders[0], section) if folders else section
    return PurePosixPath(indicator, *rest).as_posix(), True


def _section_dir(folder: IndicatorFolder, section: str) -> str:
    existing = folder.section_dirs(section)
    return PurePosixPath(existing[0]).name if existing else section


def _place(root: Path, rel: str, into: Path, tree: MaterialsTree | None,
           catalogue: Catalogue, shown: str, dry_run: bool) -> Placed:
    source = root / rel
    digest = sha256_file(source)
    # A name of raw GBK bytes (a folder unpacked on Chinese Windows) goes in under its
    # Chinese name; one that no encoding reads keeps its bytes.
    target, sorted_ = _target(zip_name(rel) or rel, into, tree, catalogue, shown)
    final = into / target
    outcome = "placed" if sorted_ else "unsorted"
    if not _inside(into, final):  # through a link in the destination: never
        return Placed(rel, target, "outside", digest)
    if final.exists():
        if final.is_file() and sha256_file(final) == digest:
            return Placed(rel, target, "identical", digest)
        final, same = _beside(final, digest)
        target = final.relative_to(into).as_posix()
        if same:  # kept beside on an earlier import of the same file
            return Placed(rel, target, "identical", digest)
        outcome = "kept-beside"
    if not dry_run:
        _copy(source, final)
    return Placed(rel, target, outcome, digest)


def _beside(path: Path, digest: str) -> tuple[Path, bool]:
    """名称(2).pdf, 名称(3).pdf …: the copy beside `path` that holds this content already
    (True), or else the first free name (False)."""
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        if not candidate.exists():
            return candidate, False
        if candidate.is_file() and sha256_file(candidate) == digest:
            return candidate, True
        n += 1


def _inside(into: Path, final: Path) -> bool:
    """Whether `final`, links resolved as far as they exist, stays inside `into`."""
    real = os.path.realpath(into)
    return os.path.commonpath([real, os.path.realpath(final)]) == real


def _copy(source: Path, final: Path) -> None:
    """Copied whole or not at all; never over an existing file; its time kept."""
    try:
        with atomic_output(final) as fh, source.open("rb") as src:
            shutil.copyfileobj(src, fh, 1 << 20)
        stat = source.stat()
        os.utime(final, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    except OSError as exc:
        raise UsageError("import-unwritable", path=str(final), **os_cause(exc)) from None


def _keep_records(root: Path, into: Path, source: Path, archive: str) -> None:
    """A pack zip's 报送清单 and 检查结果 are kept under 导入记录/, by archive."""
    digest = archive[:12] or "folder"
    for name in (MANIFEST, REPORT):
        path = root / name
        target = into / RECORDS / source.stem / digest / name  # a changed pack: its own
        if path.is_file() and not target.exists():
            _copy(path, target)


def _record(into: Path, placed: Sequence[Placed], unit: str, source: Path, archive: str,
            today: str) -> None:
    """Who supplied which file, when and from which archive. A file already recorded keeps
    its first record, so importing the same archive again changes nothing."""
    files: dict[str, Any] = read_provenance(into)
    data = {"format": 1, "files": files}
    new = {safe_display(p.target): {
        "unit": unit, "source": safe_display(source.name), "source_sha256": archive,
        "sha256": p.sha256, "date": today, "entry": safe_display(p.source)}
        for p in placed if safe_display(p.target) not in files and p.outcome != "outside"}
    files.update(new)
    if new:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        with atomic_output(into / RECORD) as fh:
            fh.write(text.encode("utf-8"))
