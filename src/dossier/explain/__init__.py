"""Explanation data (达标说明.yaml, 共享数据.yaml): load, evaluate against targets, and
prepare what the checks and the 达标说明 renderer need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dossier.explain.evaluate import IndicatorResult, evaluate
from dossier.explain.load import Loaded, explanation_path, load_explanation, load_shared
from dossier.explain.model import Explanation, SharedData
from dossier.explain.stamped import NOT_STAMPED, Stamped, find_stamped
from dossier.findings import Finding
from dossier.scan import MaterialFile, MaterialsTree, years_covered
from dossier.schema import Indicator, Settings


@dataclass(frozen=True)
class IndicatorData:
    indicator: Indicator
    loaded: Loaded | None  # None: the indicator has no 达标说明.yaml
    result: IndicatorResult
    stamped: Stamped = NOT_STAMPED  # the unit's stamped 达标说明, bound instead

    @property
    def explanation(self) -> Explanation | None:
        return self.loaded.explanation if self.loaded else None


@dataclass(frozen=True)
class DataSet:
    shared: SharedData | None
    shared_findings: tuple[Finding, ...]
    indicators: tuple[IndicatorData, ...]

    def only(self, wanted: set[int]) -> DataSet:
        """The same data restricted to the indicators in `wanted`."""
        return DataSet(self.shared, self.shared_findings,
                       tuple(d for d in self.indicators if d.indicator.id in wanted))

    @property
    def explanations(self) -> tuple[Explanation, ...]:
        return tuple(e for d in self.indicators if (e := d.explanation) is not None)


def material_years(files: Iterable[MaterialFile], settings: Settings) -> frozenset[int]:
    """Years for which there is material tagged with a review point."""
    years: frozenset[int] = frozenset()
    for f in files:
        if f.tags and f.kind:
            years |= years_covered(f, settings)
    return years


def gather(root: Path, tree: MaterialsTree, indicators: Iterable[Indicator],
           settings: Settings, shared_path: Path | None = None) -> DataSet:
    """Load and evaluate the explanation data of `indicators` (those with a folder).
    `shared_path`: the 共享数据.yaml to use in place of the one at the root."""
    shared, shared_findings = load_shared(root, settings, shared_path)
    items = []
    for ind in indicators:
        folders = tree.folders_for(ind.id)
        if not folders:
            continue
        path = explanation_path(root, folders[0])
        loaded = load_explanation(root, path, ind, settings, shared) if path else None
        usable = loaded.explanation if loaded else None
        result = evaluate(ind, usable, settings, material_years(folders[0].files, settings))
        items.append(IndicatorData(ind, loaded, result, find_stamped(folders[0], usable)))
    return DataSet(shared, tuple(shared_findings), tuple(items))
