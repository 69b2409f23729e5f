"""What `dossier status` knows: plain frozen records, one per indicator and one per unit,
from which every view (terminal, JSON, XLSX 催办清单, HTML 总览) is drawn, so they agree.

Every vocabulary here is declared once: the states of an obligation (`Progress`), of a
built volume (`VolumeState`) and of a unit's contact (`ContactState`)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from dossier.contacts.model import Contact
from dossier.explain.evaluate import IndicatorResult, Verdict
from dossier.findings import Finding
from dossier.i18n import Message
from dossier.units import Role


class Progress(str, enum.Enum):
    """Where one obligation stands on the day of the report."""

    DONE = "done"  # complete (or received): nothing owed
    OPEN = "open"  # incomplete, its deadline not yet passed
    OVERDUE = "overdue"  # incomplete, its deadline passed
    UNKNOWN = "unknown"  # cannot be told from what is at hand (no import record)

    @property
    def message(self) -> Message:
        return Message(f"status-progress/{self.value}")


class VolumeState(str, enum.Enum):
    """A built volume (read from an output folder's manifests) against today's materials."""

    CURRENT = "current"  # the PDF is as built and its sources have not changed
    STALE = "stale"  # a source changed, went away or new material arrived since
    ALTERED = "altered"  # the PDF is not the one that was built (size or time differ)
    MISSING = "missing"  # the manifest is there, the PDF is not
    CONFLICT = "conflict"  # built differently in two of the output folders read as one

    @property
    def message(self) -> Message:
        return Message(f"status-volume/{self.value}")


class ContactState(str, enum.Enum):
    """A unit's entry in the 联络人员名单 (附件2)."""

    RECEIVED = "received"
    INVALID = "invalid"  # received, but with an error (no 姓名, a number that is none)
    OPEN = "open"  # not received, its deadline not yet passed
    OVERDUE = "overdue"  # not received, its deadline passed
    NOT_NEEDED = "not-needed"  # a group entry (各区县…): its members answer for it

    @property
    def message(self) -> Message:
        return Message(f"status-contact/{self.value}")


@dataclass(frozen=True)
class Due:
    """The deadline an obligation answers to, counted from the report's day."""

    kind: str  # contacts | contribution | handover (schema.DeadlineKind)
    date: dt.date
    to: str  # to whom it goes (a unit's name, or the office)
    days: int  # days left (0: due today); negative: days overdue
    what: str = ""  # as the catalogue says it (申报资料, 联络人员名单 …)
    sender: str = ""  # who sends, as the catalogue says (各单位, 责任单位, 牵头单位)

    @property
    def overdue(self) -> int:
        return max(0, -self.days)


@dataclass(frozen=True)
class Point:
    """One review point (审核要点) of an indicator: the years its tagged material covers.
    A once-only point has one cell, the year None; an alternative (如无(1)…，提供…) has
    none of its own: it counts through the point it replaces."""

    tag: str  # "(1)"
    text: str
    per_year: bool
    required: tuple[int | None, ...]  # evidence years; (None,) once-only; () alternative
    covered: tuple[int | None, ...]  # of `required`, those with material
    files: int
    replaces: str | None = None  # an alternative: the tag of the point it replaces
    by: str | None = None  # covered by this alternative's material

    @property
    def missing(self) -> tuple[int | None, ...]:
        if self.by:
            return ()
        return tuple(y for y in self.required if y not in self.covered)

    @property
    def done(self) -> int:
        return len(self.required) - len(self.missing)


@dataclass(frozen=True)
class Volume:
    """A volume an output folder holds for the indicator."""

    file: str  # the PDF's name
    out: str  # the output folder, as given
    label: str  # single | main | 2018 | … | long-term
    pages: int
    state: VolumeState
    changed: tuple[str, ...] = ()  # sources that changed, went away or are new


@dataclass(frozen=True)
class Contribution:
    """What one contributing unit owes to the indicator's collecting unit."""

    unit: str
    role: Role
    files: int  # files the import record attributes to it
    progress: Progress
    due: Due | None


@dataclass(frozen=True)
class IndicatorStatus:
    id: int
    name: str
    attribute: str  # 约束性 | 参考性
    collecting: str | None  # the first 牵头单位
    leads: tuple[str, ...]
    responsible: tuple[str, ...]
    files: int
    pages: int
    points: tuple[Point, ...]
    errors: int
    warnings: int
    findings: tuple[Finding, ...]
    result: IndicatorResult  # target verdicts per metric and year
    volumes: tuple[Volume, ...]
    contributions: tuple[Contribution, ...]
    progress: Progress  # of the indicator as a whole (the collecting unit's handover)
    due: Due | None
    has_folder: bool = True

    @property
    def verdict(self) -> Verdict:
        return self.result.verdict

    @property
    def required(self) -> int:
        """Review-point cells (point × year) the indicator needs."""
        return sum(len(p.required) for p in self.points)

    @property
    def covered(self) -> int:
        return sum(p.done for p in self.points)

    @property
    def complete(self) -> float:
        """Fraction of review-point cells covered, 0.0 … 1.0."""
        return self.covered / self.required if self.required else 1.0


@dataclass(frozen=True)
class Missing:
    """One item a unit still owes: a review point for a year, or its whole part."""

    indicator: int
    what: str  # part | point | errors
    tag: str  # "(2)", or "" for a unit's whole part
    text: str  # the review point's text (shortened), or ""
    year: int | None  # None: once-only point or the whole part
    due: Due | None
    count: int = 0  # what == "errors": how many errors remain


@dataclass(frozen=True)
class Duty:
    """What a unit owes for one indicator, and to whom."""

    indicator: int
    role: Role
    due: Due | None
    progress: Progress


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    kind: str  # department | district | group
    duties: tuple[Duty, ...]
    missing: tuple[Missing, ...]
    contact: Contact | None
    contact_state: ContactState
    contact_due: Due | None

    @property
    def overdue(self) -> int:
        """The most days any of its items is overdue (0: none is)."""
        days = [m.due.overdue for m in self.missing if m.due]
        if self.contact_state is ContactState.OVERDUE and self.contact_due:
            days.append(self.contact_due.overdue)
        return max(days, default=0)


@dataclass(frozen=True)
class FigureUse:
    indicator: int
    year: int
    value: float
    shown: str  # value with its unit, as written
    file: str
    line: int
    from_shared: bool  # the value is taken from 共享数据.yaml by reference


@dataclass(frozen=True)
class SharedFigureStatus:
    """A figure used by several indicators (or held in 共享数据.yaml), city-wide."""

    name: str
    unit: str
    uses: tuple[FigureUse, ...]
    shared: tuple[tuple[int, str], ...]  # (year, value shown) from 共享数据.yaml
    disagree: tuple[int, ...]  # years whose values do not all agree

    @property
    def indicators(self) -> tuple[int, ...]:
        return tuple(sorted({u.indicator for u in self.uses}))


@dataclass(frozen=True)
class Status:
    as_of: dt.date
    materials: str  # as given
    outs: tuple[str, ...]
    unit: str | None  # the unit the view is for (--unit), canonical name
    indicators: tuple[IndicatorStatus, ...]
    units: tuple[UnitStatus, ...]
    figures: tuple[SharedFigureStatus, ...]
    findings: tuple[Finding, ...]  # not tied to an indicator: the tree, the forms, 共享数据
    contact_files: tuple[str, ...]
    provenance: bool  # an import record exists: contributions can be told apart
    deadlines: tuple[Due, ...] = ()  # the catalogue's, in date order, counted from as_of
    title: str = ""  # 巴中市创建国家生态文明建设示范市 (the catalogue's city and programme)

    @property
    def errors(self) -> int:
        return sum(i.errors for i in self.indicators)

    @property
    def warnings(self) -> int:
        return sum(i.warnings for i in self.indicators)

    def indicator(self, number: int) -> IndicatorStatus | None:
        return next((i for i in self.indicators if i.id == number), None)

    def of_unit(self, name: str) -> UnitStatus | None:
        return next((u for u in self.units if u.unit == name), None)
