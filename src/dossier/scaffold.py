"""`dossier init`: create the materials tree. Never overwrites; re-running adds only
what is missing."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment

from dossier.catalogue import Catalogue
from dossier.errors import UsageError, os_cause
from dossier.explain.model import EXPLANATION_FILE, SHARED_FILE
from dossier.naming import folder_name, indicator_number
from dossier.schema import Indicator, QualitativeGoal, SuperiorTaskGoal
from dossier.sections import DIRECT, EXPLANATION, LONG_TERM, classify_section
from dossier.templating import render

REQUIREMENTS_FILE = "要求.md"


@dataclass(frozen=True)
class InitResult:
    created: tuple[str, ...]  # relative paths of folders and files created
    kept: tuple[str, ...]  # relative paths that existed already


def _existing(root: Path) -> dict[int, Path]:
    found: dict[int, Path] = {}
    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        number = indicator_number(entry.name)
        if entry.is_dir() and number is not None:
            found.setdefault(number, entry)
    return found


def init_tree(root: Path, catalogue: Catalogue, indicators: Sequence[Indicator],
              env: SandboxedEnvironment) -> InitResult:
    if root.exists() and not root.is_dir():
        raise UsageError("init-not-a-folder", path=str(root))
    try:
        return _init(root, catalogue, indicators, env)
    except OSError as exc:  # read-only medium, no permission …: what was made stays
        raise UsageError("init-unwritable", path=str(exc.filename or root),
                         **os_cause(exc)) from None


def _init(root: Path, catalogue: Catalogue, indicators: Sequence[Indicator],
          env: SandboxedEnvironment) -> InitResult:
    created: list[str] = []
    kept: list[str] = []
    settings = catalogue.settings
    if not root.exists():
        root.mkdir(parents=True)
        created.append(".")
    existing = _existing(root)
    sections = [EXPLANATION, DIRECT, *(str(y) for y in settings.all_years), LONG_TERM]
    for ind in indicators:
        folder = existing.get(ind.id) or root / folder_name(ind.id, ind.name)
        if folder.exists():
            kept.append(folder.name)
        else:
            folder.mkdir()
            created.append(folder.name)
        present = {classify_section(p.name).section for p in folder.iterdir() if p.is_dir()}
        for section in sections:
            rel = f"{folder.name}/{section}"
            if section in present:
                kept.append(rel)
            else:
                (folder / section).mkdir()
                created.append(rel)
        text = render(env, "要求.md.j2", ind=ind, years=settings.evidence_years,
                      progress_year=settings.progress_year)
        rel = f"{folder.name}/{REQUIREMENTS_FILE}"
        if _create_file(folder / REQUIREMENTS_FILE, text):
            created.append(rel)
        else:
            kept.append(rel)
        explanation = _explanation_dir(folder)
        rel = f"{folder.name}/{explanation.name}/{EXPLANATION_FILE}"
        if _create_file(explanation / EXPLANATION_FILE, starter(env, ind, catalogue)):
            created.append(rel)
        else:
            kept.append(rel)
    return InitResult(tuple(created), tuple(kept))


def _explanation_dir(folder: Path) -> Path:
    for p in sorted(folder.iterdir()):
        if p.is_dir() and classify_section(p.name).section == EXPLANATION:
            return p
    return folder / EXPLANATION


def starter(env: SandboxedEnvironment, ind: Indicator, catalogue: Catalogue) -> str:
    """The commented 达标说明.yaml a clerk fills in, prefilled with metrics and targets."""
    settings = catalogue.settings
    metrics = [{"name": m.name, "unit": m.unit or "",
                "status": next((g.status for g in m.goals if isinstance(g, QualitativeGoal)),
                               "")} for m in ind.metrics]
    superior = any(isinstance(g, SuperiorTaskGoal) for m in ind.metrics for g in m.goals)
    return render(env, "达标说明.yaml.j2", ind=ind, metrics=metrics, superior=superior,
                  city=settings.city, years=settings.evidence_years, all_years=settings.all_years,
                  progress_year=settings.progress_year, shared_file=SHARED_FILE)


def _create_file(path: Path, text: str) -> bool:
    """Write `text` to a new file; False (and nothing written) if it exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return True
