"""Volumes that the current plan no longer makes (an indicator switched from one volume to
volumes by year, a year emptied, a title changed) are moved into OUT/已过期/ with their
manifests, so that OUT holds only what belongs together and nothing stale is handed in.

Only what dossier made is moved: a PDF that a manifest of OUT names for an indicator of
this build. Every other file in OUT is left alone; nothing is deleted."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dossier.errors import os_cause
from dossier.i18n import Message, msg
from dossier.manifest import manifests_in
from dossier.naming import safe_display, stays_inside
from dossier.plan import VolumePlan, manifest_name_for

EXPIRED = "已过期"


@dataclass(frozen=True)
class Retired:
    indicator: int
    file: str  # the PDF's name in OUT
    moved_to: str  # relative to OUT ("" when it could not be moved)
    problem: Message | None = None  # why it could not be moved


def retire(plans: Iterable[VolumePlan], out_dir: Path, *, dry_run: bool = False,
           ) -> list[Retired]:
    """Move the outputs of the planned indicators that no plan makes any more."""
    plans = list(plans)
    wanted = {p.output for p in plans}
    indicators = {p.indicator for p in plans}
    done = []
    for manifest, indicator, name in _ours(out_dir):
        if indicator not in indicators or name in wanted:
            continue
        if dry_run:
            done.append(Retired(indicator, name, f"{EXPIRED}/{name}"))
            continue
        done.append(_move(out_dir, manifest, indicator, name))
    return done


def retire_others(out_dir: Path, keep: set[str]) -> list[Retired]:
    """Move every volume of OUT whose PDF name is not in `keep` (dossier merge: what OUT
    held from before that this merge did not take)."""
    return [_move(out_dir, manifest, indicator, name)
            for manifest, indicator, name in _ours(out_dir) if name not in keep]


def _ours(out_dir: Path) -> Iterator[tuple[Path, int, str]]:
    """(manifest, indicator, PDF name) of each volume a manifest of OUT describes."""
    for path, data in manifests_in(out_dir):
        output = data.get("output")
        indicator = data.get("indicator")
        name = output.get("file") if isinstance(output, dict) else None
        if (isinstance(indicator, int) and isinstance(name, str) and stays_inside(name)
                and Path(name).name == name and path.name == manifest_name_for(name)):
            yield path, indicator, name


def _move(out_dir: Path, manifest: Path, indicator: int, name: str) -> Retired:
    target_dir = out_dir / EXPIRED
    pdf = out_dir / name
    try:
        target_dir.mkdir(exist_ok=True)
        stem = _free_stem(target_dir, name[: -len(".pdf")])
        if pdf.is_file() and not pdf.is_symlink():
            os.replace(pdf, target_dir / f"{stem}.pdf")
        os.replace(manifest, target_dir / f"{stem}.manifest.json")
    except OSError as exc:
        return Retired(indicator, name, "", msg("retire-failed", file=safe_display(name),
                                                  **os_cause(exc)))
    return Retired(indicator, name, f"{EXPIRED}/{stem}.pdf")


def _free_stem(folder: Path, stem: str) -> str:
    """`stem`, or `stem (2)`, `stem (3)` … when an earlier expired copy has the name."""
    candidate, n = stem, 1
    while (folder / f"{candidate}.pdf").exists() or (
            folder / f"{candidate}.manifest.json").exists():
        n += 1
        candidate = f"{stem} ({n})"
    return candidate


__all__ = ["EXPIRED", "Retired", "retire", "retire_others"]
