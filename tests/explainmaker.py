"""Build explanation records and data files for tests."""

from __future__ import annotations

from pathlib import Path

from dossier.explain.model import Explanation, Figure, Place, Superior, YearData


def place(where: str) -> Place:
    """"a.yaml:5" -> Place("a.yaml", 5)."""
    file, line = where.rsplit(":", 1)
    return Place(file, int(line))


def fig(name: str, year: int, value: float | None = None, unit: str = "%",
        status: str | None = None, where: str = "x.yaml:1", ref: str | None = None) -> Figure:
    return Figure(name, year, value, unit, "公报", status, place(where), ref)


def year(y: int, *metrics: Figure, figures: tuple[Figure, ...] = (),
         superior: bool | None = None, change_note: str = "") -> YearData:
    sup = Superior(superior, "文号", "") if superior is not None else None
    return YearData(y, tuple(metrics), figures, sup, "", change_note, Place("x.yaml", y))


def explanation(indicator: int, *years: YearData, rel: str = "x.yaml") -> Explanation:
    return Explanation(indicator, rel, "", tuple(years), "", ())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
