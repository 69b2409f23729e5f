"""The build plan: plain, frozen data saying which volumes to make from which files.

Derived from the catalogue and a scan of the materials tree only, so it is cheap:
`--dry-run` prints it, and comparing it with a volume's manifest says whether the
volume is up to date."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from dossier import __version__
from dossier.i18n import Message, msg, pdf_text
from dossier.naming import folder_name, safe_display
from dossier.options import BuildOptions
from dossier.scan import MaterialFile, MaterialsTree
from dossier.schema import Indicator, Settings
from dossier.sections import DIRECT, EXPLANATION, LONG_TERM, section_order

CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Source:
    rel: str  # relative to the materials root
    path: str  # absolute path on disk
    title: str  # 题名: the file name without order number, tags and extension
    kind: str  # pdf | jpeg | png | tiff | explanation (generated from 达标说明.yaml)
    size: int
    mtime_ns: int
    text: str = ""  # explanation: the Markdown to lay out
    error: Message | None = None  # explanation: why the data cannot be used (the volume
    #                               fails, or gets a placeholder page)


@dataclass(frozen=True)
class SectionPlan:
    key: str  # 达标说明 | 直接证明材料 | 2018 … | 长期有效
    title: str  # "一、指标达标说明"
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class VolumePlan:
    indicator: int
    indicator_name: str
    volume: str  # "" (single), "main", a year, or 长期有效
    volume_title: str  # shown on the cover under the indicator, "" for single
    output: str  # file name inside OUT
    lead_unit: str
    sections: tuple[SectionPlan, ...]
    options: BuildOptions
    catalogue_sha256: str
    templates_sha256: str
    settings_title: str
    city: str
    inputs: tuple[Source, ...] = ()  # data read but not bound (共享数据.yaml)
    cover: str = ""  # the cover template rendered for this volume (YAML blocks)
    cover_error: Message | None = None  # why it could not be rendered (the volume fails)

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(s for sec in self.sections for s in sec.sources)

    @property
    def label(self) -> str:
        """How the build state names the volume: its title, "main" (a code: the report says
        it in the interface language), or "—" for a single volume."""
        return self.volume_title or self.volume or "—"

    @property
    def manifest_name(self) -> str:
        return self.output[: -len(".pdf")] + ".manifest.json"

    def fingerprint(self) -> str:
        """Changes whenever anything that shapes the output changes. Where the materials
        folder is (Source.path) does not: the same tree built from another working folder
        or place gives the same volume, byte for byte (the fingerprint is its /ID)."""
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:  # computed once: the plan is frozen
        data = asdict(self)
        for source in [*(s for sec in data["sections"] for s in sec["sources"]),
                       *data["inputs"]]:
            del source["path"]
        data["tool"] = __version__
        # names with undecodable bytes (surrogate escapes) count as their bytes
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8",
                                                                           "surrogateescape")
        return hashlib.sha256(blob).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def section_title(key: str, number: int, progress_year: int) -> str:
    """"一、指标达标说明" …: the section's title in 目录, outline and report."""
    numeral = CHINESE_NUMERALS[number] if number < len(CHINESE_NUMERALS) else str(number + 1)
    if key == EXPLANATION:
        label = msg("pdf-section/explanation", numeral=numeral)
    elif key == DIRECT:
        label = msg("pdf-section/direct", numeral=numeral)
    elif key == LONG_TERM:
        label = msg("pdf-section/long-term", numeral=numeral)
    elif int(key) == progress_year:
        label = msg("pdf-section/progress", numeral=numeral, year=key)
    else:
        label = msg("pdf-section/year", numeral=numeral, year=key)
    return pdf_text().render(label)


def _source(f: MaterialFile) -> Source:
    assert f.kind is not None
    # the title is printed (目录, outline): undecodable bytes and control characters of a
    # file name are shown as \xNN, as everywhere else
    return file_source(f.path, f.rel, safe_display(f.name.title), f.kind, f.size)


def file_source(path: Path, rel: str, title: str, kind: str, size: int | None = None,
                **extra: Any) -> Source:
    try:
        stat = path.stat()
        mtime, size = stat.st_mtime_ns, stat.st_size if size is None else size
    except OSError:
        mtime, size = 0, -1 if size is None else size
    return Source(rel=rel, path=str(path), title=title, kind=kind, size=size, mtime_ns=mtime,
                  **extra)


def _volume_groups(options: BuildOptions,
                   keys: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    if options.volumes == "single":
        return [("", keys)]
    groups: list[tuple[str, tuple[str, ...]]] = [("main", (EXPLANATION, DIRECT))]
    groups += [(k, (k,)) for k in keys if k not in (EXPLANATION, DIRECT)]
    return groups


def volume_name(volume: str, progress_year: int) -> str:
    """The title of a volume of a by-year build: on its cover and in its file name (so
    these texts must never change). "" for a single volume; 主册 for the main one."""
    if volume == "":
        return ""
    if volume == "main":
        label = msg("pdf-volume/main")
    elif volume == LONG_TERM:
        label = msg("pdf-volume/long-term")
    elif int(volume) == progress_year:
        label = msg("pdf-volume/progress", year=volume)
    else:
        label = msg("pdf-volume/year", year=volume)
    return pdf_text().render(label)


def plan_volumes(tree: MaterialsTree, indicators: Sequence[Indicator], settings: Settings,
                 options: BuildOptions, catalogue_sha256: str, templates_sha256: str,
                 explanations: Mapping[int, Source] | None = None,
                 inputs: tuple[Source, ...] = ()) -> tuple[VolumePlan, ...]:
    """One plan per volume. Only supported files (PDF and images) go in; unusable ones are
    caught later, when the volume is assembled. `explanations`: the generated 达标说明 of
    an indicator, bound first in its 达标说明 section."""
    explanations = explanations or {}
    keys = section_order(settings.evidence_years, settings.progress_year)
    plans: list[VolumePlan] = []
    for ind in indicators:
        folders = tree.folders_for(ind.id)
        if not folders:
            continue  # nothing to bind; `dossier check` reports the missing folder
        files = [f for f in folders[0].files if f.kind and f.section]
        base = folder_name(ind.id, ind.name)
        for volume, group in _volume_groups(options, keys):
            generated = explanations.get(ind.id)
            sections = tuple(
                SectionPlan(key, section_title(key, n, settings.progress_year),
                            ((generated,) if generated and key == EXPLANATION else ())
                            + tuple(_source(f) for f in files if f.section == key))
                for n, key in enumerate(group))
            if volume not in ("", "main") and not any(s.sources for s in sections):
                continue  # no empty year volume; check reports the missing material
            title = volume_name(volume, settings.progress_year)
            suffix = f"-{title}" if volume else ""
            plans.append(VolumePlan(
                indicator=ind.id, indicator_name=ind.name, volume=volume,
                volume_title="" if volume == "main" else title,
                output=f"{base}{suffix}.pdf", lead_unit=ind.first_lead_unit or "",
                sections=sections, options=options, catalogue_sha256=catalogue_sha256,
                templates_sha256=templates_sha256, settings_title=settings.title,
                city=settings.city, inputs=inputs if generated and EXPLANATION in group else ()))
    return tuple(plans)
