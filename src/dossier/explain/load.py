"""Read 达标说明.yaml and 共享数据.yaml into records. Every problem becomes a finding that
names the file and line and says how to fix it; nothing here raises on bad input."""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.explain.model import (
    EXPLANATION_FILE,
    SHARED_FILE,
    Explanation,
    Figure,
    Place,
    Project,
    SharedData,
    SharedFigure,
    Superior,
    YearData,
)
from dossier.explain.schema import ExplanationIn, FigureIn, SharedIn, YearIn
from dossier.findings import Finding, finding
from dossier.naming import safe_display
from dossier.scan import IndicatorFolder
from dossier.schema import Indicator, Settings
from dossier.sections import EXPLANATION
from dossier.yamlfile import Problem, YamlDoc, key_line, problem, read_yaml, validate


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


def _inside(root: Path, path: Path) -> bool:
    """`path`, links followed, is inside the materials folder: a data file linked from
    elsewhere is refused, not used (the scan reports the link as path-outside-tree)."""
    real_root = os.path.realpath(root)
    target = os.path.realpath(path)
    return target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)


def _shown(root: Path, path: Path) -> str:
    """Relative to the root where it is inside, else as given (a file handed over)."""
    try:
        return _rel(root, path)
    except ValueError:
        return safe_display(str(path))


def _problem_findings(code: str, rel: str, problems: Iterable[Problem],
                      indicator: int | None) -> list[Finding]:
    """One finding per problem: params file, line, field and problem (a Message); the
    variant says how precisely it is located ("", "line", "file")."""
    return [finding(code, variant=p.variant, indicator=indicator, path=rel, **p.params(rel))
            for p in problems]


def load_shared(root: Path, settings: Settings, path: Path | None = None,
                ) -> tuple[SharedData | None, list[Finding]]:
    """共享数据.yaml, figure by figure: one bad entry is reported and the others are kept.
    `path`: a 共享数据.yaml from elsewhere (the office's, handed to a unit) in place of the
    one at the root; it must then exist."""
    inside = True  # a file handed over with --shared may be anywhere
    if path is None:
        path = root / SHARED_FILE
        if not os.path.lexists(path):
            return None, []
        inside = _inside(root, path)
    rel = _shown(root, path)
    if not inside:
        doc, problems = None, [problem(0, "", "yaml.outside-tree")]
    else:
        doc, problems = read_yaml(path) if path.is_file() else (None, [
            problem(0, "", "yaml.not-a-file")])
    if doc is None or doc.node is None or not isinstance(doc.data, dict):
        if doc is not None:
            problems.append(problem(1, "", "shared.top-level"))
        return (SharedData(rel, (), ("*",)),
                _problem_findings("shared-data-invalid", rel, problems, None))
    figures, broken = [], []
    stray: list[Finding] = []
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
                stray.append(finding("explanation-year-out-of-range", variant="shared",
                                     path=rel, file=rel, line=line,
                                     field=f"{name}.数值.{year}", year=year,
                                     **_window(settings)))
                continue
            values.append((year, value, fig.source_of(year)))
        figures.append(SharedFigure(str(name), fig.unit, tuple(values),
                                    Place(rel, key_line(doc.node, (name,)))))
    findings = _problem_findings("shared-data-invalid", rel, problems, None)
    return SharedData(rel, tuple(figures), tuple(broken)), findings + stray


def _window(settings: Settings) -> dict[str, Any]:
    """The params naming the time window (附件3 时效性): first and last year."""
    years = settings.all_years
    return {"first": years[0], "last": years[-1]}


def load_explanation(root: Path, path: Path, ind: Indicator, settings: Settings,
                     shared: SharedData | None) -> Loaded:
    rel = _rel(root, path)
    doc, problems = read_yaml(path) if _inside(root, path) else (None, [
        problem(0, "", "yaml.outside-tree")])
    if doc is None:
        return Loaded(rel, None, tuple(_problem_findings("explanation-invalid", rel, problems,
                                                         ind.id)))
    if doc.node is None:  # an empty file: nothing written yet
        return Loaded(rel, None, tuple(_problem_findings(
            "explanation-invalid", rel, [problem(0, "", "explanation.empty")], ind.id)))
    model, invalid = validate(ExplanationIn, doc)
    problems += invalid
    findings = _problem_findings("explanation-invalid", rel, problems, ind.id)
    if model is None:
        return Loaded(rel, None, tuple(findings))
    assert isinstance(model, ExplanationIn)
    reader = _Reader(rel, doc, ind, settings, shared, findings)
    years = tuple(reader.year(year, data) for year, data in sorted(model.years.items())
                  if reader.in_window(year) and data is not None and not data.blank)
    projects = tuple(Project(p.name, str(p.year), p.investment, p.status, p.unit, p.note)
                     for p in model.projects)
    stamped = tuple(name.strip() for name in model.stamped if name.strip())
    explanation = Explanation(ind.id, rel, model.standard.strip(), years, model.work.strip(),
                              projects, stamped,
                              Place(rel, key_line(doc.node, ("盖章版",))) if stamped else None)
    return Loaded(rel, explanation, tuple(findings))


class _Reader:
    """Turns validated input into records, reporting what only makes sense in context."""

    def __init__(self, rel: str, doc: YamlDoc, ind: Indicator, settings: Settings,
                 shared: SharedData | None, findings: list[Finding]) -> None:
        self.rel, self.doc, self.ind, self.settings = rel, doc, ind, settings
        self.shared, self.findings = shared, findings

    def where(self, *loc: object) -> Place:
        return Place(self.rel, key_line(self.doc.node, ("年度", *loc)))

    def report(self, code: str, where: Place, variant: str = "", **params: Any) -> None:
        self.findings.append(finding(code, variant=variant, indicator=self.ind.id,
                                     path=self.rel, file=where.file, line=where.line,
                                     **params))

    def in_window(self, year: int) -> bool:
        if year in self.settings.all_years:
            return True
        self.report("explanation-year-out-of-range", self.where(year), year=year,
                    evidence_last=self.settings.evidence_years[-1],
                    progress=self.settings.progress_year, **_window(self.settings))
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
                where = self.where(year, "指标值", name)
                wrong = problem(where.line, f"年度.{year}.指标值",
                                "explanation.unknown-metric-close" if close
                                else "explanation.unknown-metric",
                                name=name, indicator=self.ind.id, metrics=tuple(names),
                                close=close[0] if close else "")
                self.findings.extend(_problem_findings("explanation-invalid", self.rel,
                                                       [wrong], self.ind.id))
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
                        data.change_note.strip(), self.where(year), data.unmet_note.strip())

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
                self.report("shared-figure-unknown", where, "broken", ref=fig.ref,
                            shared_file=self.shared.rel)
                return None
            if self.shared is None or not self.shared.figures:
                self.report("shared-figure-unknown", where,
                            "no-file" if self.shared is None else "empty", ref=fig.ref)
                return None
            self.report("shared-figure-unknown", where, ref=fig.ref,
                        shared_file=self.shared.rel,
                        known=tuple(f.name for f in self.shared.figures))
            return None
        found = shared.value(year)
        if found is None:
            self.report("shared-figure-unknown", where, "no-year", ref=fig.ref, year=year,
                        shared_file=shared.where.file, shared_line=shared.where.line)
            return None
        value, source = found
        return Figure(name, year, value, shared.unit, fig.source or source, fig.status, where,
                      fig.ref, note, fig.achieved)
