"""Who owes what to whom, by when (正文 二、三 and 附件2 of the notice):

- every unit sends its contact (联络人员名单) to the office by the `contacts` deadline;
- a 责任单位 (and a 牵头单位 listed after the first) sends its part to the first-listed
  牵头单位 by the `contribution` deadline;
- the first-listed 牵头单位 hands the checked, complete indicator to the office by the
  `handover` deadline.

A group entry with members (各区县党委和人民政府) stands for its members: each owes its own
part. Whether a part arrived is read from the import record (导入记录.json)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dossier.catalogue import Catalogue
from dossier.schema import Indicator, Settings
from dossier.status.model import (
    Contribution,
    Due,
    Duty,
    IndicatorStatus,
    Missing,
    Point,
    Progress,
)
from dossier.units import Role, Units


@dataclass(frozen=True)
class Calendar:
    """The catalogue's deadlines, counted from the report's day."""

    settings: Settings
    as_of: dt.date

    def due(self, kind: str, to: str) -> Due | None:
        found = self.settings.deadline(kind)
        if found is None:
            return None
        return Due(kind, found.date, to, (found.date - self.as_of).days, found.what,
                   found.from_)


def progress(done: bool, due: Due | None) -> Progress:
    if done:
        return Progress.DONE
    return Progress.OVERDUE if due is not None and due.days < 0 else Progress.OPEN


def contributors(ind: Indicator, units: Units) -> tuple[tuple[str, Role], ...]:
    """Everyone who sends a part to the collecting unit, groups opened into their members;
    the collecting unit itself is not one of them."""
    collecting = ind.first_lead_unit
    seen: dict[str, Role] = {}
    listed = [(u, Role.SECOND_LEAD) for u in ind.lead_units[1:]]
    listed += [(u, Role.RESPONSIBLE) for u in ind.responsible_units]
    for name, role in listed:
        unit = units.lookup(name)
        members = unit.members if unit is not None and unit.kind == "group" else ()
        for member in members or (name,):
            if member != collecting:
                seen.setdefault(member, role)
    return tuple(seen.items())


def supplied(records: Mapping[str, Mapping[str, Any]], units: Units) -> dict[tuple[int, str], int]:
    """(indicator, unit) -> files the import record says that unit supplied. The record's
    keys are paths like "12-水环境质量/…": the number before the dash is the indicator."""
    counts: dict[tuple[int, str], int] = {}
    for rel, record in records.items():
        head = rel.split("/", 1)[0]
        digits = head.split("-", 1)[0].strip()
        name = record.get("unit")
        if not digits.isdigit() or not isinstance(name, str):
            continue
        unit = units.lookup(name)
        key = (int(digits), unit.name if unit else name)
        counts[key] = counts.get(key, 0) + 1
    return counts


def contributions(ind: Indicator, catalogue: Catalogue, calendar: Calendar,
                  counts: Mapping[tuple[int, str], int] | None,
                  complete: bool) -> tuple[Contribution, ...]:
    """What each contributor sent. Not told (UNKNOWN) rather than overdue: without an
    import record (`counts` None); for a group whose members the catalogue does not list
    (成员单位: nobody to remind); and when the indicator is complete without it (the
    collecting unit has what it needs)."""
    to = ind.first_lead_unit or calendar.settings.office
    due = calendar.due("contribution", to)
    made = []
    for unit, role in contributors(ind, catalogue.units):
        files = counts.get((ind.id, unit), 0) if counts is not None else 0
        found = catalogue.units.lookup(unit)
        collective = found is not None and found.kind == "group"
        if files:
            state = Progress.DONE
        elif counts is None or collective or complete:
            state = Progress.UNKNOWN
        else:
            state = progress(False, due)
        made.append(Contribution(unit, role, files, state, due))
    return tuple(made)


def point_missing(ind: int, points: Sequence[Point], due: Due | None) -> list[Missing]:
    return [Missing(ind, "point", p.tag, p.text, year, due)
            for p in points for year in p.missing]


def duties_of(unit: str, indicators: Sequence[IndicatorStatus],
              ) -> tuple[tuple[Duty, ...], tuple[Missing, ...]]:
    """What `unit` owes for each indicator, and the items still missing."""
    duties: list[Duty] = []
    missing: list[Missing] = []
    for ind in indicators:
        if ind.collecting == unit:
            handover = ind.due if ind.due and ind.due.kind == "handover" else None
            duties.append(Duty(ind.id, Role.COLLECTS, handover, ind.progress))
            missing += point_missing(ind.id, ind.points, handover)
            if ind.errors:
                missing.append(Missing(ind.id, "errors", "", "", None, handover, ind.errors))
            continue
        for c in ind.contributions:
            if c.unit != unit:
                continue
            duties.append(Duty(ind.id, c.role, c.due, c.progress))
            if c.progress in (Progress.OPEN, Progress.OVERDUE):
                missing.append(Missing(ind.id, "part", "", "", None, c.due))
    return tuple(duties), tuple(missing)
