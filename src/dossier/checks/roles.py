"""Checks by role (正文 二、三): a unit checked for an indicator it only contributes to
(责任单位) answers for its own files — their health, years and tags — not for the
indicator as a whole, which is the collecting 牵头单位's concern; and it is told whom to
send its part to, and by when."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from dossier.findings import Finding, Severity, finding
from dossier.schema import Indicator, Settings
from dossier.units import Role

# What the collecting unit answers for: the indicator's sections and years, its review
# points, its explanation data and targets.
_WHOLE_INDICATOR = frozenset({
    "missing-section", "missing-year-folder", "empty-section", "requirement-missing",
    "requirement-missing-year", "requirement-by-alternative", "explanation-data-missing",
    "explanation-missing-year", "target-unmet", "target-no-data", "explanation-stamped",
})


def deadline(settings: Settings, sender: str = "责任单位") -> str:
    """The date the catalogue's deadlines give for material sent by `sender`."""
    return next((d.date.isoformat() for d in settings.deadlines if d.from_ == sender), "")


def for_roles(findings: Iterable[Finding], roles: Mapping[int, Role]) -> Iterator[Finding]:
    """The findings as they concern a unit with these roles: for an indicator it only
    contributes to, what concerns the whole indicator is left to its collecting unit, and
    a missing folder means only that nothing of its part is there yet (a warning)."""
    for f in findings:
        role = roles.get(f.indicator) if f.indicator is not None else None
        if role is None or not role.sends:
            yield f
        elif f.code == "missing-indicator-folder":
            yield replace(f, severity=Severity.WARNING, variant="contribution")
        elif f.code not in _WHOLE_INDICATOR:
            yield f


def send_to(indicators: Iterable[Indicator], roles: Mapping[int, Role], unit: str,
            settings: Settings, folders: Mapping[int, str]) -> Iterator[Finding]:
    """For each indicator the unit contributes to: send it to the first-listed 牵头单位."""
    due = deadline(settings)
    for ind in indicators:
        role = roles.get(ind.id)
        if role is None or not role.sends:
            continue
        lead = ind.first_lead_unit
        variant = "no-lead" if not lead else ("second-lead" if role is Role.SECOND_LEAD else "")
        yield finding("contribution-send-to", variant=variant,
                      indicator=ind.id, path=folders.get(ind.id), unit=unit,
                      lead=lead or "", deadline=due)
