"""Typed schema of the indicator catalogue (indicators.yaml). Validated on load."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from dossier.units import key
from dossier.yamlfile import Invalid

NonEmpty = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ThresholdGoal(_Model):
    kind: Literal["threshold"]
    op: Literal[">=", "<=", "="]
    value: float
    unit: str | None = None


class TrendGoal(_Model):
    kind: Literal["trend"]
    trend: Literal["not_worse", "decreasing", "not_decreasing"]
    better: Literal["higher", "lower"]


class SuperiorTaskGoal(_Model):
    kind: Literal["superior_task"]


class QualitativeGoal(_Model):
    kind: Literal["qualitative"]
    status: NonEmpty


Goal = Annotated[
    ThresholdGoal | TrendGoal | SuperiorTaskGoal | QualitativeGoal,
    Field(discriminator="kind"),
]


class Metric(_Model):
    name: NonEmpty
    target: NonEmpty
    unit: str | None = None
    goals: tuple[Goal, ...] = Field(min_length=1)
    change_threshold: float | None = Field(default=None, gt=0)


class Requirement(_Model):
    """One review point (审核要点). `per_year`: its text says 2018年—2020年 or 各年度.
    `annual`: the words of its text that make it yearly by nature although the text names
    no year (年度考核结果, 统计年鉴或…公报中…数据: each year has its own); they must occur in
    the text, and a point whose text already says per year needs none."""

    id: int = Field(ge=1)
    text: NonEmpty
    per_year: bool
    annual: NonEmpty | None = None
    alternative_to: int | None = None

    @model_validator(mode="after")
    def _annual_quotes_the_text(self) -> Requirement:
        if self.annual is not None:
            if self.per_year:
                raise Invalid("schema.annual-per-year", tag=self.tag)
            if self.annual not in self.text:
                raise Invalid("schema.annual-not-in-text", tag=self.tag, words=self.annual)
        return self

    @property
    def tag(self) -> str:
        return f"({self.id})"

    @property
    def yearly(self) -> bool:
        """Every evidence year needs its own material: the text says so, or what it asks
        for is made each year."""
        return self.per_year or self.annual is not None


class Indicator(_Model):
    id: int = Field(ge=1)
    domain: NonEmpty
    task: NonEmpty
    name: NonEmpty
    target: NonEmpty
    attribute: Literal["约束性", "参考性"]
    metrics: tuple[Metric, ...] = Field(min_length=1)
    main_tasks: str
    lead_units: tuple[NonEmpty, ...]
    responsible_units: tuple[NonEmpty, ...]
    requirements: tuple[Requirement, ...] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _requirements_consistent(self) -> Indicator:
        ids = [r.id for r in self.requirements]
        if len(set(ids)) != len(ids):
            raise Invalid("schema.requirement-ids-repeat",
                          ids=tuple(str(i) for i in sorted({i for i in ids if ids.count(i) > 1})))
        for r in self.requirements:
            if r.alternative_to is not None and (
                r.alternative_to == r.id or r.alternative_to not in ids
            ):
                raise Invalid("schema.alternative-unknown", tag=r.tag,
                              other=f"({r.alternative_to})")
        return self

    @property
    def first_lead_unit(self) -> str | None:
        return self.lead_units[0] if self.lead_units else None

    def requirement(self, rid: int) -> Requirement | None:
        return next((r for r in self.requirements if r.id == rid), None)

    def involves(self, unit: str) -> bool:
        """True when `unit` is (part of) a lead or responsible unit name."""
        return any(unit in u for u in (*self.lead_units, *self.responsible_units))


DeadlineKind = Literal["contacts", "contribution", "handover"]


class Deadline(_Model):
    """A date of the notice (正文 二、三): `kind` says which obligation it closes, so
    `dossier status` can tell who is late: contacts (附件2, every unit to the office),
    contribution (责任单位 to the collecting 牵头单位), handover (牵头单位 to the office)."""

    date: dt.date
    from_: str = Field(alias="from")
    to: str
    what: str
    kind: DeadlineKind | None = None


def _month(value: object) -> object:
    """cover_date as clerks write it (2021-03, 2021-3, 2021年3月), kept as "2021-03"."""
    from dossier.options import parse_month

    if value is None:
        return None
    found = parse_month(str(value)) if isinstance(value, str | int) else None
    if found is None:
        raise Invalid("schema.month")
    return f"{found[0]:04d}-{found[1]:02d}"


class Settings(_Model):
    city: NonEmpty
    programme: NonEmpty
    notice: str = ""
    issuer: str = ""
    office: str = ""
    evidence_years: tuple[int, ...] = Field(min_length=1)
    progress_year: int
    change_threshold: float = Field(default=0.2, gt=0)
    deadlines: tuple[Deadline, ...] = ()
    departments: tuple[NonEmpty, ...] = ()
    # the month on the covers and under the 达标说明 (落款) when `build --date` is not given
    cover_date: Annotated[str | None, BeforeValidator(_month)] = None
    # `build --max-pages` when not given: volumes longer than this are split into parts
    max_pages: int | None = Field(default=None, ge=20)
    # the names on the 卷内备考表 (`build --closing-sheet`): 立卷人 and 检查人
    compiler: str = ""
    checker: str = ""

    @model_validator(mode="after")
    def _years(self) -> Settings:
        if list(self.evidence_years) != sorted(set(self.evidence_years)):
            raise Invalid("schema.evidence-years-order")
        if self.progress_year in self.evidence_years:
            raise Invalid("schema.progress-year-in-evidence", year=self.progress_year)
        return self

    def deadline(self, kind: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)

    @property
    def all_years(self) -> tuple[int, ...]:
        return (*self.evidence_years, self.progress_year)

    @property
    def title(self) -> str:
        return f"{self.city}{self.programme}"


class UnitIn(_Model):
    """One unit of the catalogue's `units:` list."""

    name: NonEmpty
    kind: Literal["department", "district", "group"] = "department"
    aliases: tuple[NonEmpty, ...] = ()
    members: tuple[NonEmpty, ...] = ()


class CatalogueModel(_Model):
    schema_version: Literal[1]
    settings: Settings
    units: tuple[UnitIn, ...] = ()
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _units_consistent(self) -> CatalogueModel:
        seen: dict[str, str] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                folded = key(name)
                if folded in seen and seen[folded] != unit.name:
                    raise Invalid("schema.unit-name-repeat", name=name, first=seen[folded],
                                  second=unit.name)
                seen[folded] = unit.name
        names = {u.name for u in self.units}
        for unit in self.units:
            for member in unit.members:
                if member not in names:
                    raise Invalid("schema.unit-member-unknown", group=unit.name, member=member)
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> CatalogueModel:
        ids = [i.id for i in self.indicators]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise Invalid("schema.indicator-ids-repeat", ids=tuple(str(i) for i in dup))
        return self
