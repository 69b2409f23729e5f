"""`dossier status`: the office's view of every indicator and every unit on one day.

It runs the same checks as `dossier check` (the probes are the check's own), reads the
manifests of built volumes (nothing is built), the contacts forms (附件2) and the import
record, and puts it all into one `Status` that every report draws on:

    check → review points per year → volumes → contributions and deadlines → units → figures
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.checks import CheckResult, check
from dossier.checks.files import Progress as ProgressCallback
from dossier.contacts import ContactList, read_contacts
from dossier.explain.evaluate import evaluate
from dossier.findings import Severity
from dossier.naming import safe_display
from dossier.probe import Probe
from dossier.provenance import read_provenance
from dossier.schema import Indicator
from dossier.status.duties import Calendar, contributions, duties_of, progress, supplied
from dossier.status.figures import shared_figures
from dossier.status.model import (
    ContactState,
    Due,
    IndicatorStatus,
    Progress,
    Status,
    UnitStatus,
    Volume,
)
from dossier.status.points import points_of
from dossier.status.volumes import built_volumes, usable_paths
from dossier.units import Unit

__all__ = ["Status", "status"]

def status(root: Path, catalogue: Catalogue, *, as_of: dt.date, outs: Sequence[Path] = (),
           unit: str | None = None, shared: Path | None = None,
           progress_cb: ProgressCallback | None = None) -> Status:
    found = catalogue.unit(unit) if unit else None
    result = check(root, catalogue, unit=found.name if found else None, progress=progress_cb,
                   shared=shared)
    calendar = Calendar(catalogue.settings, as_of)
    records = read_provenance(root)
    counts = supplied(records, catalogue.units) if records else None
    usable = _usable(result)
    volumes = built_volumes(outs, root, usable_paths(
        (n, rel) for n, rels in usable.items() for rel in rels))
    indicators = tuple(_indicator(ind, result, catalogue, calendar, counts, usable, volumes,
                                  found) for ind in result.indicators)
    contacts = result.contacts or read_contacts(root, catalogue)
    units = _units(catalogue, indicators, contacts, calendar, found)
    everything = result.everything or result.data
    return Status(
        as_of=as_of, materials=safe_display(str(root)),
        outs=tuple(safe_display(str(o)) for o in outs),
        unit=found.name if found else None, indicators=indicators, units=units,
        figures=shared_figures(everything.explanations, everything.shared),
        findings=tuple(f for f in result.report.findings if f.indicator is None),
        contact_files=contacts.files, provenance=bool(records),
        deadlines=_deadlines(catalogue, calendar), title=catalogue.settings.title)


def _deadlines(catalogue: Catalogue, calendar: Calendar) -> tuple[Due, ...]:
    made = []
    for d in sorted(catalogue.settings.deadlines, key=lambda d: d.date):
        if d.kind is not None and (due := calendar.due(d.kind, d.to)) is not None:
            made.append(due)
    return tuple(made)


def _usable(result: CheckResult) -> dict[int, frozenset[str]]:
    grouped: dict[int, set[str]] = {}
    for f in result.tree.files:
        probe = result.probe_of.get(f.rel)
        if probe is not None and probe.usable:
            grouped.setdefault(f.indicator, set()).add(f.rel)
    return {k: frozenset(v) for k, v in grouped.items()}


def _indicator(ind: Indicator, result: CheckResult, catalogue: Catalogue, calendar: Calendar,
               counts: dict[tuple[int, str], int] | None, usable: dict[int, frozenset[str]],
               volumes: dict[int, tuple[Volume, ...]], found: Unit | None) -> IndicatorStatus:
    probes = result.probe_of
    rels = usable.get(ind.id, frozenset())
    files = [f for folder in result.tree.folders_for(ind.id) for f in folder.files]
    points = points_of(ind, [f for f in files if f.rel in rels], catalogue.settings)
    findings = tuple(f for f in result.report.findings if f.indicator == ind.id)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    complete = all(not p.missing for p in points) and errors == 0
    parts = contributions(ind, catalogue, calendar, counts, complete)
    collecting = ind.first_lead_unit
    role = result.roles.get(ind.id)
    if role is not None and role.sends and found is not None:
        due = calendar.due("contribution", collecting or catalogue.settings.office)
        mine = [c.progress for c in parts if c.unit in _names(found)]
        state = worst(mine) if counts is not None and mine else progress(bool(rels), due)
    else:
        due = calendar.due("handover", catalogue.settings.office)
        state = progress(complete, due)
    data = next((d for d in result.data.indicators if d.indicator.id == ind.id), None)
    verdicts = data.result if data else evaluate(ind, None, catalogue.settings)
    return IndicatorStatus(
        id=ind.id, name=ind.name, attribute=ind.attribute, collecting=collecting,
        leads=ind.lead_units, responsible=ind.responsible_units, files=len(files),
        pages=sum(_pages(probes[f.rel], f.kind) for f in files if f.rel in probes),
        points=points, errors=errors, warnings=warnings, findings=findings, result=verdicts,
        volumes=volumes.get(ind.id, ()), contributions=parts, progress=state, due=due,
        has_folder=bool(result.tree.folders_for(ind.id)))


def _pages(found: Probe, kind: str | None) -> int:
    """Pages as the volume will have them: a tall screenshot as its slices."""
    if kind in (None, "pdf"):
        return found.pages
    from dossier.images import image_pages

    return image_pages(found, True)


def _names(unit: Unit) -> frozenset[str]:
    """A unit, or a group entry with members as its members (各区县党委和人民政府)."""
    return frozenset({unit.name, *unit.members})


def worst(states: Sequence[Progress]) -> Progress:
    """The state of several parts together: overdue if any is, then open, then unknown."""
    for state in (Progress.OVERDUE, Progress.OPEN, Progress.UNKNOWN):
        if state in states:
            return state
    return Progress.DONE


def _units(catalogue: Catalogue, indicators: Sequence[IndicatorStatus],
           contacts: ContactList, calendar: Calendar, found: Unit | None,
           ) -> tuple[UnitStatus, ...]:
    """Every unit that owes something: each department and district (its contact, 附件2)
    and every unit an indicator names; with `found`, that unit alone."""
    involved = {c.unit for i in indicators for c in i.contributions}
    involved |= {i.collecting for i in indicators if i.collecting}
    wanted = [u for u in catalogue.units.units
              if u.name in involved or u.kind in ("department", "district")]
    known = {u.name for u in wanted}
    wanted += [Unit(n) for n in sorted(involved - known)]  # named, but not in units:
    if found is not None:  # a group with members: each member's own duties
        wanted = [u for u in wanted if u.name in _names(found)] or [found]
    made = []
    due = calendar.due("contacts", catalogue.settings.office)
    wrong = {(f.params.get("file"), f.params.get("row")) for f in contacts.findings
             if f.severity is Severity.ERROR}
    for unit in wanted:
        duties, missing = duties_of(unit.name, indicators)
        contact = contacts.of(unit.name)
        if unit.kind == "group":
            state = ContactState.NOT_NEEDED
        elif contact is not None:
            state = (ContactState.INVALID if (contact.file, contact.row) in wrong
                     else ContactState.RECEIVED)
        else:
            state = ContactState.OVERDUE if due and due.days < 0 else ContactState.OPEN
        made.append(UnitStatus(unit.name, unit.kind, duties, missing, contact, state,
                               due if state is not ContactState.NOT_NEEDED else None))
    return tuple(made)

