"""Read 达标说明.yaml and 共享数据.yaml into records. Every problem becomes a finding that
names the file and line and says how to fix it; nothing here raises on bad input."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dossier.explain.model import (
    EXPLANATION_FILE,
    SHARED_FILE,
    Explanation,
    Figure,
    Project,
    SharedData,
    SharedFigure,
    Superior,
    YearData,
)
from dossier.explain.schema import ExplanationIn, FigureIn, SharedIn, YearIn
from dossier.findings import Finding, finding
from dossier.scan import IndicatorFolder
from dossier.schema import Indicator, Settings
from dossier.sections import EXPLANATION
from dossier.yamlfile import Problem, YamlDoc, key_line, read_yaml, validate


@dataclass(frozen=True)
class Loaded:
    rel: str  # of 达标说明.yaml, relative to the materials root
    explanation: Explanation | None  # None: no file, or a file that cannot be used
    findings: tuple[Finding, ...]

    @property
    def usable(self) -> bool:
        return self.explanation is not None and not any(
            f.severity.value == "error" for f in self.findings)


def explanation_path(root: Path, folder: IndicatorFolder) -> Path | None:
    """达标说明.yaml in the indicator's 达标说明 folder (the first one, if there are two), or
    beside the indicator's sections, where clerks also put it."""
    for rel in (*folder.section_dirs(EXPLANATION), folder.rel):
        candidate = root / rel / EXPLANATION_FILE
        if candidate.is_file():
            return candidate
    return None


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _problem_findings(code: str, rel: str, problems: Iterable[Problem], indicator: int | None,
                      what: str) -> list[Finding]:
    return [finding(code, f"{p.located(rel)} (the keys of {what} are listed in the README)",
                    indicator=indicator, path=rel) for p in problems]


def load_shared(root: Path, settings: Settings) -> tuple[SharedData | None, list[Finding]]:
    """共享数据.yaml, figure by figure: one bad entry is reported and the others are kept."""
    path = root / SHARED_FILE
    if not path.exists():
        return None, []
    rel = _rel(root, path)
    doc, problems = read_yaml(path) if path.is_file() else (None, [
        Problem(0, "", "is not a file")])
    if doc is None or doc.node is None or not isinstance(doc.data, dict):
        if doc is not None:
            problems.append(Problem(1, "", "must map figure names to {单位, 数值, 来源}"))
        return (SharedData(rel, (), ("*",)),
                _problem_findings("shared-data-invalid", rel, problems, None, SHARED_FILE))
    figures, broken, stray = [], [], []
    for name, raw in doc.data.items():
        model, invalid = validate(SharedIn, YamlDoc(doc.node, {name: raw}))
        problems += invalid
        if model is None:
            broken.append(str(name))
            continue
        assert isinstance(model, SharedIn)
        fig = model.root[str(name)]
        values = []
        for year, value in sorted(fig.values.items()):
            if year not in settings.all_years:
                line = key_line(doc.node, (name, "数值", year))
                stray.append(Problem(line, f"{name}.数值.{year}",
                                     f"a value for {year}, outside {_window(settings)} "
                                     "(附件3 时效性); remove it"))
                continue
            values.append((year, value, fig.source_of(year)))
        figures.append(SharedFigure(str(name), fig.unit, tuple(values),
                                    f"{rel}:{key_line(doc.node, (name,))}"))
    findings = _problem_findings("shared-data-invalid", rel, problems, None, SHARED_FILE)
    findings += [finding("explanation-year-out-of-range", p.located(rel), path=rel)
                 for p in stray]
    return SharedData(rel, tuple(figures), tuple(broken)), findings


def _window(settings: Settings) -> str:
    years = settings.all_years
    return f"{years[0]}–{years[-1]}"


def load_explanation(root: Path, path: Path, ind: Indicator, settings: Settings,
                     shared: SharedData | None) -> Loaded:
    rel = _rel(root, path)
    doc, problems = read_yaml(path)
    if doc is None:
        return Loaded(rel, None, tuple(_problem_findings("explanation-invalid", rel, problems,
                                                    ind.id, EXPLANATION_FILE)))
    if doc.node is None:  # an empty file: nothing written yet
        return Loaded(rel, None, (finding("explanation-invalid", f"{rel}: the file is empty; run "
                                     "`dossier init` again for a starter, or delete it",
                                     indicator=ind.id, path=rel),))
    model, invalid = validate(ExplanationIn, doc)
    problems += invalid
    findings = _problem_findings("explanation-invalid", rel, problems, ind.id, EXPLANATION_FILE)
    if model is None:
        return Loaded(rel, None, tuple(findings))
    assert isinstance(model, ExplanationIn)
    reader = _Reader(rel, doc, ind, settings, shared, findings)
    years = tuple(reader.year(year, data) for year, data in sorted(model.years.items())
                  if reader.in_window(year) and data is not None and not data.blank)
    projects = tuple(Project(p.name, str(p.year), p.investment, p.status, p.unit, p.note)
                     for p in model.projects)
    explanation = Explanation(ind.id, rel, model.standard.strip(), years, model.work.strip(),
                              projects)
    return Loaded(rel, explanation, tuple(findings))


class _Reader:
    """Turns validated input into records, reporting what only makes sense in context."""

    def __init__(self, rel: str, doc: YamlDoc, ind: Indicator, settings: Settings,
                 shared: SharedData | None, findings: list[Finding]) -> None:
        self.rel, self.doc, self.ind, self.settings = rel, doc, ind, settings
        self.shared, self.findings = shared, findings

    def where(self, *loc: object) -> str:
        return f"{self.rel}:{key_line(self.doc.node, ('年度', *loc))}"

    def report(self, code: str, message: str) -> None:
        self.findings.append(finding(code, message, indicator=self.ind.id, path=self.rel))

    def in_window(self, year: int) -> bool:
        if year in self.settings.all_years:
            return True
        self.report("explanation-year-out-of-range",
                    f"{self.where(year)}: data for {year} lies outside "
                    f"{_window(self.settings)} (附件3 时效性: 2018—2020 and 2021 progress); "
                    "remove it or correct the year")
        return False

    def year(self, year: int, data: YearIn) -> YearData:
        names = [unicodedata.normalize("NFKC", m.name) for m in self.ind.metrics]
        by_key = dict(zip(names, (m.name for m in self.ind.metrics), strict=True))
        metrics = []
        for name, fig in data.metrics.items():
            if fig is None or fig.blank:
                continue
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
                hint = f"did you mean “{close[0]}”? " if close else ""
                self.report("explanation-invalid",
                            f"{self.where(year, '指标值', name)}: 指标值 “{name}” is not a "
                            f"metric of 指标 {self.ind.id}; {hint}the metrics are: "
                            f"{'、'.join(names)} (put other figures under 相关数据)")
                continue
            resolved = self.figure(year, "指标值", by_key[name], fig)
            if resolved:
                metrics.append(resolved)
        figures = [f for name, fig in data.figures.items()
                   if fig is not None and not fig.blank
                   and (f := self.figure(year, "相关数据", name, fig)) is not None]
        superior = None
        if data.superior is not None and data.superior.done is not None:
            superior = Superior(data.superior.done, data.superior.document or "",
                                (data.superior.note or "").strip())
        return YearData(year, tuple(metrics), tuple(figures), superior, data.reasons.strip(),
                        data.change_note.strip(), self.where(year))

    def figure(self, year: int, group: str, name: str, fig: FigureIn) -> Figure | None:
        where = self.where(year, group, name)
        note = (fig.note or "").strip()
        if fig.ref is None:
            return Figure(name, year, fig.value, (fig.unit or "").strip(),
                          (fig.source or "").strip(), fig.status, where, None, note,
                          fig.achieved)
        shared = self.shared.get(fig.ref) if self.shared else None
        if shared is None:
            if self.shared and ("*" in self.shared.broken or fig.ref in self.shared.broken):
                self.report("shared-figure-unknown",
                            f"{where}: 引用 “{fig.ref}” cannot be resolved because "
                            f"{SHARED_FILE} has errors there; fix them first (see "
                            "shared-data-invalid)")
                return None
            known = "、".join(f.name for f in self.shared.figures) if self.shared else ""
            self.report("shared-figure-unknown",
                        f"{where}: 引用 “{fig.ref}” is not in {SHARED_FILE}"
                        + (f" (it has: {known})" if known else " (there is no such file at "
                           "the materials root)") + "; add it there or fix the name")
            return None
        found = shared.value(year)
        if found is None:
            self.report("shared-figure-unknown",
                        f"{where}: 引用 “{fig.ref}” has no {year} value in {SHARED_FILE} "
                        f"({shared.where}); add it there")
            return None
        value, source = found
        return Figure(name, year, value, shared.unit, fig.source or source, fig.status, where,
                      fig.ref, note, fig.achieved)
