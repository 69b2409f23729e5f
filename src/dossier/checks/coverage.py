"""Review points (申报资料审核要点): is there tagged material for each, for each year?"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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
        if not req.per_year:
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
            yield finding("requirement-by-alternative",
                          f"审核要点 {req.tag} has no material; its alternative {ok_alt.tag} "
                          "is provided instead (如无(1)中数据)", indicator=ind.id, path=folder)
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
                yield finding("unknown-tag",
                              f"{safe_display(f.rel)} is tagged ({tag}) but 指标 {ind.id} has "
                              f"review points {', '.join(r.tag for r in ind.requirements)}; "
                              "fix the tag (see 要求.md)", indicator=ind.id,
                              path=safe_display(f.rel))


def _missing(ind: Indicator, req: Requirement, cov: Coverage,
             missing: tuple[int, ...], folder: str | None) -> Iterator[Finding]:
    excerpt = req.text if len(req.text) <= 60 else req.text[:58] + "…"
    if not cov.files:
        alt_hint = ""
        where = "each year folder" if req.per_year else "直接证明材料 or a year folder"
        alts = [r for r in ind.requirements if r.alternative_to == req.id]
        if alts:
            alt_hint = f" (or, 如无{req.tag}中数据, material tagged {alts[0].tag})"
        yield finding("requirement-missing",
                      f"审核要点 {req.tag} has no material: {excerpt} — put files named "
                      f"“{req.tag}…” into {where}{alt_hint}", indicator=ind.id, path=folder)
        return
    years = "、".join(str(y) for y in missing)
    yield finding("requirement-missing-year",
                  f"审核要点 {req.tag} has no material for {years} ({excerpt}); put it in the "
                  f"year folder, or name the year in a 直接证明材料 file "
                  f"(have: {', '.join(str(y) for y in sorted(cov.years)) or 'no dated file'})",
                  indicator=ind.id, path=folder)
