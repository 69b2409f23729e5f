"""Review points per year: which cells (point × evidence year) the material covers, the
same reading `dossier check` makes of them (checks/coverage.py). A point is per year when
its text says so or when it is yearly by nature (the catalogue's `annual`)."""

from __future__ import annotations

from collections.abc import Sequence

from dossier.checks.coverage import coverage, excerpt
from dossier.scan import MaterialFile
from dossier.schema import Indicator, Settings
from dossier.status.model import Point


def points_of(ind: Indicator, usable: Sequence[MaterialFile], settings: Settings,
              ) -> tuple[Point, ...]:
    """`usable`: the indicator's files that can be bound (broken ones do not count)."""
    evidence = settings.evidence_years
    cov = {r.id: coverage(r, usable, settings) for r in ind.requirements}
    points = []
    for req in ind.requirements:
        c = cov[req.id]
        if req.alternative_to is not None:
            replaced = ind.requirement(req.alternative_to)
            points.append(Point(req.tag, excerpt(req.text), req.yearly, (), (),
                                len(c.files), replaces=replaced.tag if replaced else None))
            continue
        required: tuple[int | None, ...] = evidence if req.yearly else (None,)
        missing = c.missing(req, evidence)
        covered = tuple(y for y in required if (y is None and c.files)
                        or (y is not None and y not in missing))
        by = None
        if missing:
            by = next((a.tag for a in ind.requirements if a.alternative_to == req.id
                       and not cov[a.id].missing(a, evidence)), None)
        points.append(Point(req.tag, excerpt(req.text), req.yearly, required, covered,
                            len(c.files), by=by))
    return tuple(points)
