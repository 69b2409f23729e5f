"""Explanation data after loading: plain frozen records, references to 共享数据.yaml
resolved, every figure knowing where it was written (file and line) for messages."""

from __future__ import annotations

from dataclasses import dataclass

SHARED_FILE = "共享数据.yaml"
EXPLANATION_FILE = "达标说明.yaml"


@dataclass(frozen=True)
class Place:
    """Where something is written: a file relative to the materials root, and a line."""

    file: str
    line: int

    def __str__(self) -> str:  # logs and tests
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Figure:
    name: str
    year: int
    value: float | None
    unit: str  # as written (or as in 共享数据.yaml for a reference)
    source: str
    status: str | None  # declared status (qualitative targets)
    where: Place  # 12-水环境质量/达标说明/达标说明.yaml, line 14
    ref: str | None = None  # name in 共享数据.yaml when the value comes from there
    note: str = ""
    achieved: bool | None = None  # 达标: 是/否, declared for qualitative targets


@dataclass(frozen=True)
class Superior:
    done: bool
    document: str
    note: str


@dataclass(frozen=True)
class YearData:
    year: int
    metrics: tuple[Figure, ...]  # figures named like the indicator's metrics
    figures: tuple[Figure, ...]  # 相关数据: other figures the explanation relies on
    superior: Superior | None
    reasons: str
    change_note: str
    where: Place
    unmet_note: str = ""  # 未达标说明: why a target was missed (printed; the verdict stays)

    def metric(self, name: str) -> Figure | None:
        return next((f for f in self.metrics if f.name == name), None)

    def all_figures(self) -> tuple[Figure, ...]:
        return (*self.metrics, *self.figures)


@dataclass(frozen=True)
class Project:
    name: str
    year: str
    investment: float | None  # 万元
    status: str
    unit: str
    note: str


@dataclass(frozen=True)
class Explanation:
    indicator: int
    rel: str  # of 达标说明.yaml, relative to the materials root
    standard: str
    years: tuple[YearData, ...]  # ascending, only years inside the window
    work: str
    projects: tuple[Project, ...]
    stamped: tuple[str, ...] = ()  # 盖章版: file names declared in 达标说明.yaml
    stamped_where: Place | None = None  # where 盖章版 is written

    def year(self, year: int) -> YearData | None:
        return next((y for y in self.years if y.year == year), None)

    @property
    def blank(self) -> bool:
        """The untouched starter from `dossier init`: nothing to write about yet."""
        return not (self.years or self.standard or self.work or self.projects)


@dataclass(frozen=True)
class SharedFigure:
    name: str
    unit: str
    values: tuple[tuple[int, float, str], ...]  # (year, value, source)
    where: Place

    def value(self, year: int) -> tuple[float, str] | None:
        return next(((v, s) for y, v, s in self.values if y == year), None)


@dataclass(frozen=True)
class SharedData:
    rel: str
    figures: tuple[SharedFigure, ...]
    broken: tuple[str, ...] = ()  # names whose entry has errors; "*": the whole file

    def get(self, name: str) -> SharedFigure | None:
        return next((f for f in self.figures if f.name == name), None)
