"""City-wide figures (附件3 四: 一个数据用于多个指标的要一致): every figure that several
indicators use, or that 共享数据.yaml holds, with its value in each indicator and year,
and the years whose values disagree."""

from __future__ import annotations

from collections.abc import Sequence

from dossier.explain.model import Explanation, Figure, SharedData
from dossier.explain.units import convert, same, with_unit
from dossier.status.model import FigureUse, SharedFigureStatus


def shared_figures(explanations: Sequence[Explanation],
                   shared: SharedData | None) -> tuple[SharedFigureStatus, ...]:
    uses: dict[str, list[tuple[FigureUse, Figure]]] = {}
    for exp in explanations:
        for year in exp.years:
            for fig in year.all_figures():
                if fig.value is None:
                    continue
                use = FigureUse(exp.indicator, fig.year, fig.value, with_unit(fig.value, fig.unit),
                                fig.where.file, fig.where.line, fig.ref is not None)
                uses.setdefault(fig.name, []).append((use, fig))
    names = {n for n, items in uses.items() if len({u.indicator for u, _ in items}) > 1}
    if shared is not None:
        names |= {f.name for f in shared.figures}
    made = []
    for name in sorted(names):
        items = uses.get(name, [])
        held = shared.get(name) if shared is not None else None
        reference = {y: (v, held.unit) for y, v, _ in held.values} if held else {}
        unit = held.unit if held else (items[0][1].unit if items else "")
        disagree = tuple(sorted({use.year for use, fig in items
                                 if not _agrees(fig, items, reference.get(use.year))}))
        made.append(SharedFigureStatus(
            name, unit, tuple(sorted((u for u, _ in items), key=lambda u: (u.year, u.indicator))),
            tuple((y, with_unit(v, u)) for y, (v, u) in sorted(reference.items())), disagree))
    return tuple(made)


def _agrees(fig: Figure, items: Sequence[tuple[FigureUse, Figure]],
            reference: tuple[float, str] | None) -> bool:
    """Equal to 共享数据.yaml's value for the year where it has one, else to every other
    use of the figure in the same year."""
    assert fig.value is not None
    if reference is not None:
        return _same(fig.value, fig.unit, *reference)
    return all(_same(fig.value, fig.unit, other.value, other.unit)
               for use, other in items if use.year == fig.year and other.value is not None)


def _same(value: float, unit: str, other: float, other_unit: str) -> bool:
    converted = convert(value, unit, other_unit)
    return converted is not None and same(converted, other)
