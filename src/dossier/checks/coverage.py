"""Review points (申报资料审核要点): is there tagged material for each, for each year?

A point is checked per year when its text says so (2018年—2020年, 各年度) and when what it
asks for is made each year although the text names no year (the catalogue's `annual`:
年度考核结果, 统计公报中…数据): one file then proves one year, not all three."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dossier.findings import Finding, finding
from dossier.naming import safe_display
from dossier.scan import MaterialFile, years_covered
from dossier.schema import Indicator, Requirement, Settings
from dossier.sections import EXPLANATION


@dataclass(frozen=True)
class Coverage:
    """What the tagged material of one review point covers."""

    files: tuple[MaterialFile, ...]
    years: frozenset[int]

    def missing(self, req: Requirement, evidence_years: tuple[int, ...]) -> tuple[int, ...]:
        if not req.yearly:
            return () if self.files else evidence_years
        return tuple(y for y in evidence_years if y not in self.years)


def coverage(req: Requirement, files: Iterable[MaterialFile], settings: Settings) -> Coverage:
    tagged = tuple(f for f in files if req.id in f.tags and f.section not in (None, EXPLANATION))
    years: frozenset[int] = frozenset()
    for f in tagged:
        years |= years_covered(f, settings)
    return Coverage(tagged, years)


def coverage_findings(ind: Indicator, files: tuple[MaterialFile, ...], settings: Settings,
                      folder: str | None = None) -> Iterator[Finding]:
    """`files`: the indicator's usable files (broken ones are excluded by the caller);
    `folder`: the indicator folder's relative path, for the findings."""
    evidence = settings.evidence_years
    cov = {r.id: coverage(r, files, settings) for r in ind.requirements}
    alternatives = {r.id: [a for a in ind.requirements if a.alternative_to == r.id]
                    for r in ind.requirements}
    for req in ind.requirements:
        if req.alternative_to is not None:
            continue  # judged together with the point it replaces
        missing = cov[req.id].missing(req, evidence)
        if not missing:
            continue
        alts = alternatives[req.id]
        ok_alt = next((a for a in alts if not cov[a.id].missing(a, evidence)), None)
        if ok_alt is not None:
            yield finding("requirement-by-alternative", indicator=ind.id, path=folder,
                          tag=req.tag, alternative=ok_alt.tag)
            continue
        yield from _missing(ind, req, cov[req.id], missing, folder)
        for alt in alts:
            if cov[alt.id].files:  # partly provided alternative: say what it lacks
                yield from _missing(ind, alt, cov[alt.id], cov[alt.id].missing(alt, evidence),
                                    folder)
    known = {r.id for r in ind.requirements}
    for f in files:
        for tag in f.tags:
            if tag not in known:
                shown = safe_display(f.rel)
                yield finding("unknown-tag", indicator=ind.id, path=shown, file=shown,
                              tag=f"({tag})", tags=tuple(r.tag for r in ind.requirements))


def excerpt(text: str, limit: int = 60) -> str:
    """A review point's text, shortened for a message (without its closing punctuation,
    which the message's own sentence provides)."""
    text = text.strip().rstrip("。；;，,.：: ")
    return text if len(text) <= limit else text[:limit - 2] + "…"


def _missing(ind: Indicator, req: Requirement, cov: Coverage,
             missing: tuple[int, ...], folder: str | None) -> Iterator[Finding]:
    shown = excerpt(req.text)
    why: dict[str, Any] = {"asks": req.annual} if req.annual else {}
    if not cov.files:
        alts = [r for r in ind.requirements if r.alternative_to == req.id]
        variant = "-".join(v for v, on in (("per-year", req.per_year),
                                           ("annual", bool(req.annual)),
                                           ("alternative", bool(alts))) if on)
        extra: dict[str, Any] = {"alternative": alts[0].tag} if alts else {}
        yield finding("requirement-missing", variant=variant, indicator=ind.id, path=folder,
                      tag=req.tag, excerpt=shown, **why, **extra)
        return
    have = tuple(sorted(cov.years))
    variant = "-".join(v for v, on in (("annual", bool(req.annual)), ("undated", not have))
                       if on)
    yield finding("requirement-missing-year", variant=variant, indicator=ind.id, path=folder,
                  tag=req.tag, excerpt=shown, years=missing, have=have, **why)
