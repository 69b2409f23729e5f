"""Load and validate the indicator catalogue. Every problem is reported at once,
each naming file, line and field."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from dossier.errors import CatalogueError, UsageError
from dossier.findings import Finding, finding
from dossier.resources import default_catalogue_path
from dossier.schema import CatalogueModel, Indicator, Settings
from dossier.units import Role, Unit, Units, role
from dossier.yamlfile import Problem, line_of, problem, read_yaml, validate


@dataclass(frozen=True)
class Catalogue:
    path: Path
    settings: Settings
    indicators: tuple[Indicator, ...]  # unit names as the units' own names
    warnings: tuple[Finding, ...]
    units: Units = dataclasses.field(default_factory=lambda: Units(()))

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
        """Indicators asked for by number (all when none) and by a unit's name or alias:
        those the unit leads or contributes to."""
        chosen = [self.get(i) for i in dict.fromkeys(ids)] if ids else list(self.indicators)
        if unit:
            found = self.unit(unit)
            chosen = [i for i in chosen if self.role(i, found) is not None]
            if not chosen:
                raise UsageError("unit-without-indicators", unit=unit, name=found.name)
        return tuple(sorted(chosen, key=lambda i: i.id))

    def unit(self, text: str) -> Unit:
        """The unit a clerk names (name, alias or a unique part of one)."""
        found = self.units.matching(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise UsageError("unknown-unit/ambiguous", unit=text,
                             names=tuple(u.name for u in found))
        close = self.units.close(text)
        if close:
            raise UsageError("unknown-unit/suggest", unit=text, names=close)
        raise UsageError("unknown-unit", unit=text)

    def role(self, ind: Indicator, unit: Unit) -> Role | None:
        return role(unit, ind.lead_units, ind.responsible_units, self.units)


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
    units = _units(model)
    indicators, unknown = _canonical_units(doc.node, model, units)
    if unknown:
        raise CatalogueError(shown, [p.located(shown) for p in unknown])
    return Catalogue(path, model.settings, indicators,
                     tuple(_warnings(doc.node, model, shown)), units)


def _units(model: CatalogueModel) -> Units:
    """The catalogue's units; a catalogue without a `units:` list gets one unit per name
    its indicators use (no aliases)."""
    if model.units:
        return Units(tuple(Unit(u.name, u.kind, u.aliases, u.members) for u in model.units))
    names = dict.fromkeys(n for i in model.indicators
                          for n in (*i.lead_units, *i.responsible_units))
    return Units(tuple(Unit(n) for n in names))


def _canonical_units(root: yaml.Node, model: CatalogueModel,
                     units: Units) -> tuple[tuple[Indicator, ...], list[Problem]]:
    """Indicators with each unit written as the unit's own name (the seed's three spellings
    of the 文广旅 unit become one); a name no unit has is a located problem."""
    out: list[Indicator] = []
    unknown: list[Problem] = []
    for n, ind in enumerate(model.indicators):
        fields: dict[str, tuple[str, ...]] = {}
        for field in ("lead_units", "responsible_units"):
            written = getattr(ind, field)
            names = units.canonical(written)
            for k, (raw, name) in enumerate(zip(written, names, strict=True)):
                if name is None:
                    unknown.append(problem(line_of(root, ("indicators", n, field, k)), field,
                                           "catalogue.unit-unknown", unit=raw))
            fields[field] = tuple(dict.fromkeys(x or r for x, r in zip(names, written,
                                                                        strict=True)))
        out.append(ind.model_copy(update=fields))
    return tuple(out), unknown


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
