"""Load and validate the indicator catalogue. Every problem is reported at once,
each naming file, line and field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from dossier.errors import CatalogueError, UsageError
from dossier.findings import Finding, finding
from dossier.resources import default_catalogue_path
from dossier.schema import CatalogueModel, Indicator, Settings
from dossier.yamlfile import line_of, problem, read_yaml, validate


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
        raise UsageError("unknown-indicator", indicator=indicator_id, file=str(self.path),
                         known=tuple(str(i.id) for i in self.indicators))

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(i.id for i in self.indicators)

    def select(self, ids: Sequence[int] = (), unit: str | None = None) -> tuple[Indicator, ...]:
        """Indicators asked for by --indicator (all when empty) and --unit."""
        chosen = [self.get(i) for i in dict.fromkeys(ids)] if ids else list(self.indicators)
        if unit:
            chosen = [i for i in chosen if i.involves(unit)]
            if not chosen:
                raise UsageError("unknown-unit", unit=unit)
        return tuple(sorted(chosen, key=lambda i: i.id))


def load_catalogue(path: Path | None = None) -> Catalogue:
    path = path or default_catalogue_path()
    shown = str(path)
    doc, problems = read_yaml(path)
    if doc is None or doc.node is None:
        raise CatalogueError(shown, [p.located(shown) for p in problems]
                             or [problem(0, "", "yaml.empty").located(shown)])
    if not isinstance(doc.data, dict):
        problems.append(problem(1, "", "yaml.top-level-mapping"))
        raise CatalogueError(shown, [p.located(shown) for p in problems])
    model, invalid = validate(CatalogueModel, doc)
    problems += invalid
    if problems:
        raise CatalogueError(shown, [p.located(shown) for p in problems])
    assert isinstance(model, CatalogueModel)
    return Catalogue(path, model.settings, model.indicators,
                     tuple(_warnings(doc.node, model, shown)))


def _warnings(root: yaml.Node, model: CatalogueModel, shown: str) -> Iterable[Finding]:
    for n, ind in enumerate(model.indicators):
        for field, code in (
            ("lead_units", "catalogue-missing-lead-unit"),
            ("responsible_units", "catalogue-missing-responsible-unit"),
        ):
            if not getattr(ind, field):
                yield finding(code, variant="note" if ind.note else "", indicator=ind.id,
                              file=shown, line=line_of(root, ("indicators", n, field)),
                              field=field, note=(ind.note or "").strip().rstrip("。.;；"))
