"""`dossier pack`: a 责任单位's part, ready to send (正文 二: 责任单位 send their material
to the first-listed 牵头单位 by the deadline). One zip per receiving unit, holding the unit's
files of the indicators it contributes to in the tree layout, a 报送清单 (who sends what,
every file with its sha256 and the review points it answers) and the unit's check report.

Zips have UTF-8 names with the UTF-8 flag, entries in a fixed order and a fixed time, so
the same folder packs to the same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from dossier import __version__
from dossier.atomic import atomic_output
from dossier.catalogue import Catalogue
from dossier.checks import CheckResult, check
from dossier.checks.roles import deadline
from dossier.errors import BuildError, UsageError, os_cause
from dossier.findings import Finding
from dossier.hashing import sha256_file
from dossier.i18n import Translator, pdf_text
from dossier.naming import safe_display
from dossier.scan import MaterialFile
from dossier.titles import TITLES_FILE

MANIFEST = "报送清单.json"
REPORT = "检查结果.txt"
FORMAT = 1  # of the 报送清单; `dossier import` reads it


@dataclass(frozen=True)
class PackedFile:
    rel: str  # in the materials tree (surrogate escapes where the name is not UTF-8)
    name: str  # in the zip: `rel`, or a name of GBK bytes decoded as such (巴中市.pdf)
    size: int
    sha256: str
    indicator: int
    section: str | None
    tags: tuple[int, ...]  # review points it answers


@dataclass(frozen=True)
class Parcel:
    """What goes to one receiving 牵头单位."""

    unit: str  # the sending unit
    lead: str  # the receiving (first-listed) 牵头单位
    indicators: tuple[int, ...]
    files: tuple[PackedFile, ...]
    deadline: str

    @property
    def name(self) -> str:
        return f"{self.unit}报送{self.lead}-台账资料.zip"


@dataclass(frozen=True)
class PackPlan:
    unit: str
    parcels: tuple[Parcel, ...]  # those with files: one zip each
    waiting: tuple[Parcel, ...]  # receiving units the folder holds nothing for yet
    unassigned: tuple[int, ...]  # contributed indicators whose 牵头单位 is not known
    result: CheckResult
    left_out: tuple[str, ...] = ()  # files whose names no encoding reads (shown escaped)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The check of what is sent: the findings of the contributed indicators."""
        sent = {i for p in (*self.parcels, *self.waiting) for i in p.indicators}
        return tuple(f for f in self.result.report.findings if f.indicator in sent)


def plan_pack(root: Path, catalogue: Catalogue, unit: str,
              indicators: Sequence[int] = ()) -> PackPlan:
    """Check the folder as `unit`, then group its files of the indicators it contributes
    to by the unit that collects each."""
    result = check(root, catalogue, indicators=indicators, unit=unit)
    found = catalogue.unit(unit)
    contributed = [i for i in result.indicators
                   if (role := result.roles.get(i.id)) is not None and role.sends]
    if not contributed:
        raise UsageError("pack-nothing-to-send", unit=found.name)
    by_lead: dict[str, list[int]] = {}
    unassigned = []
    for ind in contributed:
        if ind.first_lead_unit:
            by_lead.setdefault(ind.first_lead_unit, []).append(ind.id)
        else:
            unassigned.append(ind.id)
    due = deadline(catalogue.settings)
    parcels = [Parcel(found.name, lead, tuple(ids), _files(result.tree.files, ids), due)
               for lead, ids in sorted(by_lead.items())]
    sent = {i for ids in by_lead.values() for i in ids}
    left_out = tuple(safe_display(f.rel) for f in result.tree.files
                     if f.indicator in sent and zip_name(f.rel) is None)
    return PackPlan(found.name, tuple(p for p in parcels if p.files),
                    tuple(p for p in parcels if not p.files), tuple(unassigned), result,
                    left_out)


def _files(files: Iterable[MaterialFile], indicators: Sequence[int]) -> tuple[PackedFile, ...]:
    """The files to send, each under a name of its own in the zip: two names that would be
    one there (国.pdf beside the GBK bytes of 国.pdf, or names differing in case only, which
    Windows takes for one) get (2), (3) …"""
    chosen = sorted((f for f in files if f.indicator in indicators), key=lambda f: f.rel)
    taken: set[str] = set()
    packed = []
    for f in chosen:
        name = zip_name(f.rel)
        if name is None:
            continue  # left out, and said so (PackPlan.left_out)
        stem, dot, suffix = name.rpartition(".")
        n = 2
        while name.casefold() in taken:
            name = f"{stem}({n}).{suffix}" if dot else f"{suffix}({n})"
            n += 1
        taken.add(name.casefold())
        packed.append(PackedFile(f.rel, name, f.size, _sha256(f), f.indicator, f.section,
                                 f.tags))
    return tuple(packed)


def zip_name(rel: str) -> str | None:
    """The name a file gets in the zip (UTF-8). A name that is not UTF-8 on disk (raw GBK
    bytes, as unpacked from a zip made on Chinese Windows) is decoded as GB18030; a name
    neither decodes is left out (check reports it as bad-file-name)."""
    parts = []
    for part in rel.split("/"):  # each name on its own: folders may be UTF-8, a file GBK
        try:
            part.encode("utf-8")
            parts.append(part)
        except UnicodeEncodeError:
            try:
                parts.append(os.fsencode(part).decode("gb18030"))
            except UnicodeDecodeError:
                return None
    return "/".join(parts)


def _sha256(f: MaterialFile) -> str:
    try:
        return sha256_file(f.path)
    except OSError as exc:
        raise BuildError("pack-unreadable", file=safe_display(f.rel), **os_cause(exc)) from None


def write_pack(plan: PackPlan, root: Path, out_dir: Path, epoch: int) -> tuple[Path, ...]:
    """One zip per parcel in `out_dir`, each written whole or not at all."""
    written = []
    for parcel in plan.parcels:
        target = out_dir / parcel.name
        try:
            with atomic_output(target) as fh, zipfile.ZipFile(fh, "w") as zf:
                stamp = _zip_time(epoch)
                for item in parcel.files:
                    zf.writestr(_info(item.name, stamp), (root / item.rel).read_bytes(),
                                compress_type=zipfile.ZIP_DEFLATED)
                lists = title_lists(parcel, root)
                for name, blob in lists:
                    zf.writestr(_info(name, stamp), blob, compress_type=zipfile.ZIP_DEFLATED)
                zf.writestr(_info(MANIFEST, stamp), _manifest(parcel, epoch, lists),
                            compress_type=zipfile.ZIP_DEFLATED)
                zf.writestr(_info(REPORT, stamp), _report(plan.result, parcel, pdf_text()),
                            compress_type=zipfile.ZIP_DEFLATED)
        except OSError as exc:
            raise BuildError("output-unwritable", file=str(target), **os_cause(exc)) from None
        written.append(target)
    return tuple(written)


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    when = datetime.fromtimestamp(max(epoch, 315532800), timezone.utc)  # zip starts in 1980
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def _info(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    info.external_attr = 0o644 << 16
    return info  # zipfile sets the UTF-8 flag itself for a name that is not ASCII


def title_lists(parcel: Parcel, root: Path) -> list[tuple[str, bytes]]:
    """The 目录.yaml of every folder the parcel sends files from (its titles, 文号 … go
    with the files; `dossier import` merges them, see dossier.titlemerge), by zip name."""
    found = []
    for folder in sorted({PurePosixPath(f.rel).parent.as_posix() for f in parcel.files}):
        rel = TITLES_FILE if folder == "." else f"{folder}/{TITLES_FILE}"
        path, name = root / rel, zip_name(rel)
        if name is None or path.is_symlink() or not path.is_file():
            continue
        try:
            found.append((name, path.read_bytes()))
        except OSError as exc:
            raise BuildError("pack-unreadable", file=safe_display(rel),
                             **os_cause(exc)) from None
    return found


def _manifest(parcel: Parcel, epoch: int, lists: Sequence[tuple[str, bytes]] = ()) -> bytes:
    data: dict[str, Any] = {
        "format": FORMAT, "tool": "dossier", "version": __version__,
        "unit": parcel.unit, "to": parcel.lead, "contact": None,
        "date": datetime.fromtimestamp(epoch, timezone.utc).date().isoformat(),
        "deadline": parcel.deadline, "indicators": list(parcel.indicators),
        "files": [{"path": f.name, "size": f.size, "sha256": f.sha256, "indicator": f.indicator,
                   "section": f.section, "review_points": [f"({t})" for t in f.tags]}
                  for f in parcel.files],
        "titles": [{"path": name, "sha256": hashlib.sha256(blob).hexdigest()}
                   for name, blob in lists],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _report(result: CheckResult, parcel: Parcel, tr: Translator) -> bytes:
    """The sender's check of what it sends, in Chinese (a document for the receiving unit)."""
    lines = [tr("{unit}: check of the material sent to {lead}", unit=parcel.unit,
                lead=parcel.lead), ""]
    chosen = [f for f in result.report.findings if f.indicator in parcel.indicators]
    labels = {"error": tr("error"), "warning": tr("warning"), "info": tr("info")}
    for f in chosen:
        lines.append(f"[{labels[f.severity.value]}] {f.code}  {tr.render(f.message)}")
    if not chosen:
        lines.append(tr("no findings"))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")  # opens right in 记事本 and WPS
