"""Consistency (附件3 四 逻辑性): one figure used by several indicators must match, figures
must agree with 共享数据.yaml, and a big change between years needs a written explanation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dossier.explain.model import Explanation, Figure, SharedData
from dossier.explain.units import convert, same, with_unit
from dossier.findings import Finding, finding
from dossier.schema import Indicator, Settings


def _shown(f: Figure) -> str:
    assert f.value is not None
    return with_unit(f.value, f.unit)


def figure_findings(explanations: Sequence[Explanation],
                    shared: SharedData | None) -> Iterator[Finding]:
    """The same figure (name and year) with different values in two places (two indicators,
    or twice in one), reported to every indicator involved; or a value written out that
    disagrees with 共享数据.yaml, which then is the reference."""
    groups: dict[tuple[str, int], list[tuple[Explanation, Figure]]] = {}
    for exp in explanations:
        for year in exp.years:
            for fig in year.all_figures():
                if fig.value is None:
                    continue
                if shared_value(shared, fig) is not None:
                    yield from _against_shared(exp, fig, shared)
                    continue
                groups.setdefault((fig.name, fig.year), []).append((exp, fig))
    for items in groups.values():
        for n, (exp_a, a) in enumerate(items):
            for exp_b, b in items[n + 1:]:
                assert a.value is not None and b.value is not None
                value = convert(b.value, b.unit, a.unit)
                if value is not None and same(value, a.value):
                    continue
                yield _mismatch(exp_b, b, exp_a, a)
                if exp_a.indicator != exp_b.indicator:
                    yield _mismatch(exp_a, a, exp_b, b)


def _mismatch(exp: Explanation, fig: Figure, other_exp: Explanation, other: Figure) -> Finding:
    return finding(
        "figure-mismatch", variant="" if other_exp.indicator != exp.indicator else "same-file",
        indicator=exp.indicator, path=exp.rel, file=fig.where.file, line=fig.where.line,
        name=fig.name, year=fig.year, value=_shown(fig), other_value=_shown(other),
        other_indicator=other_exp.indicator, other_file=other.where.file,
        other_line=other.where.line)


def shared_value(shared: SharedData | None, fig: Figure) -> tuple[float, str] | None:
    """The value 共享数据.yaml holds for this figure's name and year, if any."""
    sf = shared.get(fig.name) if shared else None
    return sf.value(fig.year) if sf else None


def _against_shared(exp: Explanation, fig: Figure, shared: SharedData | None) -> Iterator[Finding]:
    sf = shared.get(fig.name) if shared else None
    found = sf.value(fig.year) if sf else None
    if sf is None or found is None or fig.ref is not None or fig.value is None:
        return
    value = convert(fig.value, fig.unit, sf.unit)
    if value is None or not same(value, found[0]):
        yield finding(
            "shared-figure-mismatch", indicator=exp.indicator, path=exp.rel,
            file=fig.where.file, line=fig.where.line, name=fig.name, year=fig.year,
            value=_shown(fig), shared_value=with_unit(found[0], sf.unit),
            shared_file=sf.where.file, shared_line=sf.where.line)


def change_findings(exp: Explanation, ind: Indicator, settings: Settings) -> Iterator[Finding]:
    """A year-over-year change beyond the threshold (catalogue setting, per metric override)
    without a 变化情况说明 for that year."""
    thresholds = {m.name: m.change_threshold for m in ind.metrics if m.change_threshold}
    for year in exp.years:
        prev = exp.year(year.year - 1)
        if prev is None or year.change_note:
            continue
        for fig in year.all_figures():
            before = next((f for f in prev.all_figures() if f.name == fig.name), None)
            if before is None or before.value is None or fig.value is None:
                continue
            now = convert(fig.value, fig.unit, before.unit)
            if now is None:
                continue
            limit = thresholds.get(fig.name, settings.change_threshold)
            if same(now, before.value):
                continue
            change = abs(now - before.value) / abs(before.value) if before.value else float("inf")
            if change > limit:
                infinite = change == float("inf")
                yield finding(
                    "unexplained-change", variant="from-zero" if infinite else "",
                    indicator=exp.indicator, path=exp.rel, file=fig.where.file,
                    line=fig.where.line, name=fig.name, before=_shown(before),
                    prev_year=prev.year, now=_shown(fig), year=year.year,
                    change="" if infinite else f"{change * 100:.1f}%",
                    limit=f"{limit * 100:g}%")
