"""Load and validate the indicator catalogue. Every problem is reported at once,
each naming file, line and field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dossier.errors import CatalogueError, UsageError
from dossier.findings import Finding, finding
from dossier.resources import default_catalogue_path
from dossier.schema import CatalogueModel, Indicator, Settings

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Catalogue:
    path: Path
    settings: Settings
    indicators: tuple[Indicator, ...]
    warnings: tuple[Finding, ...]

    def get(self, indicator_id: int) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(str(i.id) for i in self.indicators)
        raise UsageError(f"指标 {indicator_id} is not in the catalogue {self.path}. Known: {known}")

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(i.id for i in self.indicators)

    def select(self, ids: Sequence[int] = (), unit: str | None = None) -> tuple[Indicator, ...]:
        """Indicators asked for by --indicator (all when empty) and --unit."""
        chosen = [self.get(i) for i in dict.fromkeys(ids)] if ids else list(self.indicators)
        if unit:
            chosen = [i for i in chosen if i.involves(unit)]
            if not chosen:
                raise UsageError(
                    f"no indicator names the unit “{unit}” as lead or responsible unit; "
                    "check the spelling with `dossier list`"
                )
        return tuple(sorted(chosen, key=lambda i: i.id))


def load_catalogue(path: Path | None = None) -> Catalogue:
    path = path or default_catalogue_path()
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogueError(shown, [f"{shown}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(shown, [f"{shown}: cannot read as UTF-8 text: {exc}"]) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark else shown
        raise CatalogueError(shown, [f"{where}: YAML syntax: {exc}"]) from None
    if root is None:
        raise CatalogueError(shown, [f"{shown}:1: the file is empty"])
    problems = [f"{shown}:{line}: {msg}" for line, msg in _duplicate_keys(root)]
    data = yaml.load(text, Loader=_Loader)
    if not isinstance(data, dict):
        problems.append(f"{shown}:1: the top level must be a mapping")
        raise CatalogueError(shown, problems)
    try:
        model = CatalogueModel.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = _line_of(root, loc)
            field = ".".join(str(p) for p in loc) or "(top level)"
            problems.append(f"{shown}:{line}: {field}: {err['msg']}")
        raise CatalogueError(shown, problems) from None
    if problems:
        raise CatalogueError(shown, problems)
    return Catalogue(path, model.settings, model.indicators, tuple(_warnings(root, model, shown)))


def _warnings(root: yaml.Node, model: CatalogueModel, shown: str) -> Iterable[Finding]:
    for n, ind in enumerate(model.indicators):
        for field, code, label in (
            ("lead_units", "catalogue-missing-lead-unit", "牵头单位"),
            ("responsible_units", "catalogue-missing-responsible-unit", "责任单位"),
        ):
            if not getattr(ind, field):
                line = _line_of(root, ("indicators", n, field))
                why = f" ({ind.note})" if ind.note else ""
                yield finding(
                    code,
                    f"{shown}:{line}: 指标 {ind.id} has no {label} ({field}){why}; "
                    f"ask the 领导小组办公室 and fill it in with --catalogue",
                    indicator=ind.id,
                )


def _line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int:
    """1-based line of the deepest YAML node that `loc` (a pydantic error location) reaches."""
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            continue  # discriminator tags and missing fields: stay on the parent
        node = child
    return int(node.start_mark.line) + 1


def _duplicate_keys(node: yaml.Node) -> Iterable[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield key.start_mark.line + 1, f"{key.value}: key appears twice in one mapping"
            seen.add(key.value)
            yield from _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)
