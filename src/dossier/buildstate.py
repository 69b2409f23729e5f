"""The fast no-op path of `dossier build`.

A build that ends without failures leaves OUT/.dossier-state.json. For each distinct
invocation (materials and output folders, catalogue, templates, options, selection, build
month), it keeps a signature of the whole materials tree (every entry's path, type, size,
mtime, ctime and inode) and the size and mtime of every PDF and manifest in the result.

A re-run with the same invocation, the same tree signature and untouched outputs is up to
date without loading the catalogue, scanning, rendering the 达标说明 or parsing a font:
about 0.1 s instead of 0.4 s for 37 volumes. Anything else, or any doubt (no state, an
unreadable state, a changed file anywhere in the tree), falls through to the full plan,
which decides per volume. Imports nothing heavy."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier import __version__
from dossier.atomic import atomic_output
from dossier.hashing import sha256_file
from dossier.options import BuildOptions
from dossier.resources import default_catalogue_path, default_templates_dir

if TYPE_CHECKING:
    from dossier.build import Outcome

STATE_FILE = ".dossier-state.json"
KEEP = 16  # invocations remembered per output folder
_FORMAT = 1


@dataclass(frozen=True)
class Invocation:
    """Everything a `dossier build` command line says that shapes its result."""

    materials: Path
    out_dir: Path
    indicators: tuple[int, ...]
    everything: bool  # --all
    unit: str | None
    options: BuildOptions
    catalogue: Path | None  # None: the packaged catalogue
    templates: tuple[Path, ...]  # override folders, searched before the packaged ones
    shard: str = ""  # --shard K/N


@dataclass(frozen=True)
class Volume:
    """A volume of a recorded build, as the report shows it, with the size and mtime of
    its PDF as its manifest records them (checked against the plan before recording)."""

    indicator: int
    label: str  # "—" for a single volume, else the volume's title
    output: str  # PDF file name in OUT
    manifest: str
    size: int = -1
    mtime_ns: int = -1


@dataclass(frozen=True)
class Fresh:
    """What the last build of this invocation made; nothing has changed since."""

    volumes: tuple[Volume, ...]
    missing: tuple[int, ...]  # selected indicators without a folder (skipped)


def _file_digest(path: Path) -> str:
    try:
        return sha256_file(path)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def _folder_files(folder: Path) -> Iterator[tuple[str, str]]:
    """Every file under a template folder, following links as jinja's loader does."""
    if not folder.is_dir():
        yield str(folder), "absent"
        return
    seen: set[str] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            path = Path(top) / name
            yield path.relative_to(folder).as_posix(), _file_digest(path)


def invocation_key(inv: Invocation) -> str:
    """Changes whenever the command line, the catalogue's or a template's content, the
    user font file or the font environment changes."""
    catalogue = inv.catalogue or default_catalogue_path()
    font = Path(inv.options.font) if inv.options.font else None
    data: dict[str, Any] = {
        "tool": __version__,
        "materials": str(inv.materials.resolve()),
        "out": str(inv.out_dir.resolve()),
        "indicators": sorted(set(inv.indicators)),
        "all": inv.everything,
        "shard": inv.shard,
        "unit": inv.unit,
        "options": asdict(inv.options),
        "catalogue": [str(catalogue.resolve()), _file_digest(catalogue)],
        "templates": [[str(d.resolve()), list(_folder_files(d))]
                      for d in (*inv.templates, default_templates_dir())],
        "font": [_stat_line(font)] if font else [],
        "env": os.environ.get("DOSSIER_FONT", ""),
        # which converter office documents would get: installing LibreOffice, upgrading
        # it or choosing another makes the full plan look again
        "converter": [os.environ.get("DOSSIER_CONVERTER", ""), _converter()],
        "ocr": _ocr() if inv.options.ocr else "",  # another Tesseract: the plan looks again
    }
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def _ocr() -> str:
    from dossier.tools import TESSERACT, identity

    return identity(TESSERACT)


def _converter() -> str:
    from dossier.tools import LIBREOFFICE, identity

    return identity(LIBREOFFICE)


def _stat_line(path: Path) -> str:
    try:
        st = path.stat()
    except OSError as exc:
        return f"{path}\0error {exc.errno}"
    return f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"


def _entry_line(entry: os.DirEntry[str], rel: str) -> tuple[str, bool]:
    """One entry of the tree signature, and whether to descend into it."""
    try:
        st = entry.stat()  # follows links, like the scan
    except OSError as exc:
        return f"{rel}\0error {exc.errno}", False
    is_dir = stat.S_ISDIR(st.st_mode)
    line = (f"{rel}\0{'d' if is_dir else 'f'}\0{st.st_size}\0{st.st_mtime_ns}"
            f"\0{st.st_ctime_ns}\0{st.st_ino}")
    if entry.is_symlink():
        try:
            line += f"\0-> {os.readlink(entry.path)}"
        except OSError:
            line += "\0-> ?"
    return line, is_dir


def tree_signature(root: Path) -> str:
    """A digest of every entry under `root` (following links that stay inside, as the
    scan does). Any added, removed, renamed, rewritten or touched file changes it."""
    digest = hashlib.sha256()
    real_root = os.path.realpath(root)
    linked: set[str] = set()  # real paths of linked folders already walked
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            digest.update(f"{prefix}\0unreadable {exc.errno}\n".encode("utf-8", "surrogateescape"))
            continue
        for entry in entries:
            rel = prefix + entry.name
            line, is_dir = _entry_line(entry, rel)
            digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
            if not is_dir:
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                inside = target == real_root or target.startswith(real_root + os.sep)
                if not inside or target in linked:
                    continue  # the scan refuses it, or it was walked already (a loop)
                linked.add(target)
            pending.append((entry.path, rel + "/"))
    return digest.hexdigest()


def _load(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _outputs_unchanged(out_dir: Path, outputs: Any) -> bool:
    if not isinstance(outputs, dict) or not outputs:
        return False
    for name, recorded in outputs.items():
        try:
            st = (out_dir / name).stat()
        except OSError:
            return False
        if [st.st_size, st.st_mtime_ns] != recorded:
            return False
    return True


def check(out_dir: Path, key: str, signature: str) -> Fresh | None:
    """The recorded result when nothing changed since the last successful build of the
    invocation with this key; None when the full plan has to decide."""
    entry = _load(out_dir).get(key)
    if not isinstance(entry, dict) or entry.get("tree") != signature:
        return None
    try:
        volumes = tuple(Volume(int(v["indicator"]), str(v["label"]), str(v["output"]),
                               str(v["manifest"])) for v in entry["volumes"])
        missing = tuple(int(n) for n in entry["missing"])
    except (KeyError, TypeError, ValueError):
        return None
    if not volumes or not _outputs_unchanged(out_dir, entry.get("outputs")):
        return None
    return Fresh(volumes, missing)


def volumes_of(outcomes: Sequence[Outcome], out_dir: Path) -> list[Volume]:
    """The volumes of a finished build as record() takes them: each with the size and
    mtime its manifest holds for the plan just built (-1 when it holds another)."""
    from dossier.manifest import recorded_output  # the plan's module: pydantic, loaded by now

    volumes = []
    for o in outcomes:
        size, mtime = recorded_output(o.plan, out_dir) or (-1, -1)
        volumes.append(Volume(o.plan.indicator, o.plan.label,
                              o.plan.output, o.plan.manifest_name, size, mtime))
    return volumes


def record(out_dir: Path, key: str, signature: str, volumes: Sequence[Volume],
           missing: Sequence[int]) -> None:
    """After a build without failures: remember it (best effort; a read-only or full
    output folder only costs the next run its shortcut). `key` and `signature` must be
    the ones computed before the build started; each volume's size and mtime are those
    its manifest records for this plan, so an output rewritten meanwhile (by an editor or
    another build) is not taken for this build's."""
    outputs: dict[str, list[int]] = {}
    for volume in volumes:
        try:
            st = (out_dir / volume.manifest).stat()
        except OSError:
            return forget(out_dir, key)
        if volume.size < 0:
            return forget(out_dir, key)  # not verified against its manifest
        outputs[volume.output] = [volume.size, volume.mtime_ns]
        outputs[volume.manifest] = [st.st_size, st.st_mtime_ns]
    entry = {"tree": signature, "missing": list(missing), "outputs": outputs,
             "volumes": [{"indicator": v.indicator, "label": v.label, "output": v.output,
                          "manifest": v.manifest} for v in volumes], "time": time.time()}
    _store(out_dir, key, entry)


def forget(out_dir: Path, key: str) -> None:
    """After a build with failures: the next run must plan in full."""
    _store(out_dir, key, None)


def _store(out_dir: Path, key: str, entry: dict[str, Any] | None) -> None:
    entries = _load(out_dir)
    entries.pop(key, None)
    if entry is None and not entries and not (out_dir / STATE_FILE).exists():
        return
    if entry is not None:
        entries[key] = entry
    newest = sorted(entries.items(), key=lambda kv: kv[1].get("time", 0)
                    if isinstance(kv[1], dict) else 0)[-KEEP:]
    text = json.dumps({"format": _FORMAT, "entries": dict(newest)}, ensure_ascii=False,
                      indent=1, sort_keys=True) + "\n"
    try:
        with atomic_output(out_dir / STATE_FILE) as fh:
            fh.write(text.encode("utf-8"))
    except OSError:
        pass
