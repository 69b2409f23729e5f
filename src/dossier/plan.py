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
from typing import TYPE_CHECKING, Any

from dossier import __version__
from dossier.i18n import Message, msg, pdf_text
from dossier.kinds import OFFICE
from dossier.naming import folder_name
from dossier.options import BuildOptions
from dossier.scan import MaterialFile, MaterialsTree
from dossier.schema import Indicator, Settings
from dossier.sections import DIRECT, EXPLANATION, LONG_TERM, section_order
from dossier.titles import Titles

if TYPE_CHECKING:
    from dossier.parts import PageCount

CHINESE_NUMERALS = "一二三四五六七八九十"
MAIN_SECTIONS = (EXPLANATION, DIRECT)  # what the 主册 of a by-year build holds


@dataclass(frozen=True)
class Source:
    rel: str  # relative to the materials root
    path: str  # absolute path on disk
    title: str  # 题名: from 目录.yaml, else from the file name (see dossier.titles)
    kind: str  # a source kind (dossier.kinds): pdf, jpeg … office, explanation
    size: int
    mtime_ns: int
    text: str = ""  # explanation: the Markdown to lay out
    error: Message | None = None  # explanation: why the data cannot be used (the volume
    #                               fails, or gets a placeholder page)
    number: str = ""  # 文号 (巴府发〔2018〕12号)
    author: str = ""  # 责任者
    date: str = ""  # 日期 (20190315, 201903)
    note: str = ""  # 备注
    converter: str = ""  # an office document: what converts it ("LibreOffice 7.4.7.2"; ""
    #                      when none is installed), so that another version rebuilds it


@dataclass(frozen=True)
class SectionPlan:
    key: str  # 达标说明 | 直接证明材料 | 2018 … | 长期有效
    title: str  # "一、指标达标说明"
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Companion:
    """Another volume of the same indicator, as the 主册's 目录 lists it: its number among
    the volumes (0: a year without material, which gets no volume), what it holds, and
    its sources (their pages are counted when the 主册 is assembled)."""

    number: int
    holds: str  # 2018年度佐证材料 …
    output: str  # its file name ("" for a year without material)
    sources: tuple[Source, ...] = ()


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
    number: int = 0  # 第x册 (by-year builds; 0 for a single volume)
    count: int = 0  # 共y册
    holds: str = ""  # what it holds: 主册（达标说明、直接证明材料）, 2018年度佐证材料 …
    companions: tuple[Companion, ...] = ()  # the 主册: the indicator's other volumes
    part: int = 0  # of a volume split by max_pages: which part (1 …), else 0
    parts: int = 0  # how many parts that volume has, else 0
    first_page: int = 1  # the material page number of its first page (parts run on)
    page_total: int = 0  # the split volume's material pages ({total} of the stamp), else 0
    planned_pages: int = 0  # a part's material pages as the split counted them, else 0

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
        return manifest_name_for(self.output)

    def fingerprint(self) -> str:
        """Changes whenever anything that shapes the output changes. Where the materials
        folder is (Source.path) does not: the same tree built from another working folder
        or place gives the same volume, byte for byte (the fingerprint is its /ID)."""
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:  # computed once: the plan is frozen
        data = asdict(self)
        for source in [*(s for sec in data["sections"] for s in sec["sources"]),
                       *data["inputs"],
                       *(s for c in data["companions"] for s in c["sources"])]:
            del source["path"]
        data["tool"] = __version__
        # names with undecodable bytes (surrogate escapes) count as their bytes
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8",
                                                                           "surrogateescape")
        return hashlib.sha256(blob).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def manifest_name_for(output: str) -> str:
    """The manifest beside a volume's PDF (x.pdf -> x.manifest.json); "" for a name that is
    not a PDF's."""
    return output[: -len(".pdf")] + ".manifest.json" if output.endswith(".pdf") else ""


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


def _source(f: MaterialFile, titles: Titles, converter: str) -> Source:
    assert f.kind is not None
    # the title is printed (目录, outline): undecodable bytes and control characters of a
    # file name are shown as \xNN, as everywhere else (dossier.titles does so)
    got = titles.of(f)
    return file_source(f.path, f.rel, got.title, f.kind, f.size, number=got.number,
                       author=got.author, date=got.date, note=got.note,
                       converter=converter if f.kind == OFFICE else "")


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
    groups: list[tuple[str, tuple[str, ...]]] = [("main", MAIN_SECTIONS)]
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


def volume_holds(volume: str, progress_year: int) -> str:
    """What a volume of a by-year build holds, for its cover and the 主册's 目录."""
    if volume == "main":
        return pdf_text().render(msg("pdf-holds/main"))
    return volume_name(volume, progress_year)


def plan_volumes(tree: MaterialsTree, indicators: Sequence[Indicator], settings: Settings,
                 options: BuildOptions, catalogue_sha256: str, templates_sha256: str,
                 explanations: Mapping[int, Source] | None = None,
                 inputs: tuple[Source, ...] = (),
                 pages_of: PageCount | None = None,
                 converter: str = "") -> tuple[VolumePlan, ...]:
    """One plan per volume. Only supported files (PDF and images) go in; unusable ones are
    caught later, when the volume is assembled. `explanations`: the generated 达标说明 of
    an indicator, bound first in its 达标说明 section. A by-year build numbers the volumes
    of each indicator (第x册 共y册); a year without material gets no volume, and the 主册
    lists it as 无 with the other volumes. With options.max_pages, `pages_of` counts the
    pages of a source, and a longer volume is split into parts (see dossier.parts).
    `converter`: what converts office documents ("LibreOffice 7.4.7.2"), recorded with
    each."""
    explanations = explanations or {}
    titles = Titles(tree.root)  # 目录.yaml of each folder and the import record, read once
    keys = section_order(settings.evidence_years, settings.progress_year)
    plans: list[VolumePlan] = []
    for ind in indicators:
        folders = tree.folders_for(ind.id)
        if not folders:
            continue  # nothing to bind; `dossier check` reports the missing folder
        files = [f for f in folders[0].files if f.kind and f.section]
        generated = explanations.get(ind.id)
        made: list[tuple[str, tuple[SectionPlan, ...]]] = []
        empty: list[str] = []
        for volume, group in _volume_groups(options, keys):
            sections = tuple(
                SectionPlan(key, section_title(key, n, settings.progress_year),
                            ((generated,) if generated and key == EXPLANATION else ())
                            + tuple(_source(f, titles, converter) for f in files
                                    if f.section == key))
                for n, key in enumerate(group))
            if volume not in ("", "main") and not any(s.sources for s in sections):
                empty.append(volume)  # no empty year volume; check reports the material
                continue
            made.append((volume, sections))
        pieces = _pieces(made, folder_name(ind.id, ind.name), options, pages_of,
                         settings.progress_year)
        numbered = options.volumes != "single" or len(pieces) > 1
        companions = _companions(pieces, empty, keys, settings.progress_year)
        for number, piece in enumerate(pieces, start=1):
            plans.append(VolumePlan(
                indicator=ind.id, indicator_name=ind.name, volume=piece.volume,
                volume_title=piece.title, output=piece.output,
                lead_unit=ind.first_lead_unit or "",
                sections=piece.sections, options=options, catalogue_sha256=catalogue_sha256,
                templates_sha256=templates_sha256, settings_title=settings.title,
                city=settings.city,
                inputs=inputs if generated and generated in (
                    s for sec in piece.sections for s in sec.sources) else (),
                number=number if numbered else 0, count=len(pieces) if numbered else 0,
                holds=piece.holds if numbered else "",
                companions=companions if number == 1 and piece.volume == "main" else (),
                part=piece.part, parts=piece.parts, first_page=piece.first_page,
                page_total=piece.page_total, planned_pages=piece.pages))
    return tuple(plans)


@dataclass(frozen=True)
class _Piece:
    """One volume to make: a whole volume of the plan, or a part of a split one."""

    volume: str
    title: str  # VolumePlan.volume_title
    holds: str
    output: str
    sections: tuple[SectionPlan, ...]
    part: int = 0
    parts: int = 0
    first_page: int = 1
    page_total: int = 0
    pages: int = 0  # a part's material pages as counted


def _pieces(made: Sequence[tuple[str, tuple[SectionPlan, ...]]], base: str,
            options: BuildOptions, pages_of: PageCount | None,
            progress_year: int) -> list[_Piece]:
    """The volumes in order, each split into its parts when it is longer than max_pages.
    A part's file name is the volume's with -1, -2 …; its title and what it holds say
    （一）, （二） …"""
    from dossier.parts import Part, part_numeral, split

    pieces: list[_Piece] = []
    tr = pdf_text()
    for volume, sections in made:
        name = volume_name(volume, progress_year)
        stem = f"{base}-{name}" if volume else base
        found = (split(sections, options.max_pages, pages_of)
                 if options.max_pages and pages_of else [Part(sections, 1, 0)])
        holds = volume_holds(volume, progress_year) if volume else ""
        if len(found) == 1:
            pieces.append(_Piece(volume, "" if volume == "main" else name, holds,
                                 f"{stem}.pdf", sections))
            continue
        total = sum(p.pages for p in found)
        for k, part in enumerate(found, start=1):
            numeral = part_numeral(k)
            title = (tr.render(msg("pdf-part", title=name, numeral=numeral)) if volume
                     else tr.render(msg("pdf-part/single", numeral=numeral)))
            shown = (tr.render(msg("pdf-part", title=holds, numeral=numeral)) if holds
                     else title)
            pieces.append(_Piece(volume, title, shown, f"{stem}-{k}.pdf", part.sections,
                                 k, len(found), part.first_page, total, part.pages))
    return pieces


def _companions(pieces: Sequence[_Piece], empty: Sequence[str], keys: Sequence[str],
                progress_year: int) -> tuple[Companion, ...]:
    """Every volume of the indicator but the first 主册, and the years without one, in the
    order of the sections (the 主册's other parts, 2018, 2019, 2020, 2021, 长期有效)."""
    found = []
    numbered = list(enumerate(pieces, start=1))
    for key in keys:
        if key == DIRECT:
            continue  # in the 主册, with the 达标说明
        volume = "main" if key == EXPLANATION else key
        found += [Companion(n, p.holds, p.output,
                            tuple(s for sec in p.sections for s in sec.sources))
                  for n, p in numbered if p.volume == volume and n > 1]
        if key in empty:
            found.append(Companion(0, volume_holds(key, progress_year), ""))
    return tuple(found)
