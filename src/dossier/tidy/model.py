"""What `dossier tidy` works with: the `Kind`s of fix, an `Action`, a `TidyPlan`, a
`TidyLog`, and the path helpers planning, applying and undoing share. Paths are POSIX,
relative to the materials root."""

from __future__ import annotations

import enum
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from dossier.i18n import Message, msg
from dossier.naming import natural_key, safe_display


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


# -- paths ---------------------------------------------------------------------------------

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


# -- paths on disk -------------------------------------------------------------------------

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
