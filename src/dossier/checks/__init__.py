"""`dossier check`: scan the materials tree, then run every check and gather every finding."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dossier.cache import Cache
from dossier.catalogue import Catalogue
from dossier.checks.consistency import change_findings, figure_findings
from dossier.checks.coverage import coverage_findings
from dossier.checks.evidence import Candidate, evidence_findings, text_reader
from dossier.checks.files import Progress, duplicate_findings, file_findings, probe_files
from dossier.checks.roles import for_roles, send_to
from dossier.checks.scans import look_at_files, scan_findings
from dossier.checks.seals import Need, seal_findings, seal_need
from dossier.checks.structure import structure_findings
from dossier.checks.targets import target_findings
from dossier.checks.titles import title_findings
from dossier.checks.years import year_findings
from dossier.contacts import ContactList, read_contacts
from dossier.evidence import DocumentText, document_text
from dossier.explain import DataSet, gather
from dossier.findings import Finding, Report, finding
from dossier.kinds import IMAGES, PDF
from dossier.kinds.base import KindContext, converter_finder, fonts_finder
from dossier.naming import safe_display
from dossier.ocr import Engine, Missing, find_engine, read_file
from dossier.ocr import install_hint as ocr_hint
from dossier.probe import Probe
from dossier.scan import MaterialFile, MaterialsTree, scan, years_covered
from dossier.scanquality import PageLook, sealed_pages
from dossier.schema import Indicator, Settings
from dossier.titles import Titled, Titles
from dossier.units import Role


@dataclass(frozen=True)
class CheckResult:
    report: Report
    tree: MaterialsTree
    indicators: tuple[Indicator, ...]
    probes: tuple[tuple[str, Probe], ...]
    data: DataSet  # explanation data and target verdicts of the selected indicators
    roles: Mapping[int, Role] = field(default_factory=dict)  # with a unit: its part in each
    everything: DataSet | None = None  # the data of every indicator (figures cross them)
    contacts: ContactList | None = None  # the forms of 附件2 at the root, read and checked
    seals: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # of each document
    # looked at for seals (one that needs a seal): its 0-based pages that carry one

    @functools.cached_property
    def probe_of(self) -> dict[str, Probe]:
        """Each probed file's probe, by its relative path (built once)."""
        return dict(self.probes)

    @property
    def files(self) -> int:
        return len(self.probes)

    @property
    def pages(self) -> int:
        return sum(p.pages for _, p in self.probes)


def check(root: Path, catalogue: Catalogue, *, indicators: Sequence[int] = (),
          unit: str | None = None, strict: bool = False, progress: Progress | None = None,
          timeout: float = 30.0, shared: Path | None = None, jobs: int = 1,
          cache_dir: Path | None = None, ocr: bool = False) -> CheckResult:
    """`shared`: a 共享数据.yaml handed over by the office, used in place of the tree's own.
    `jobs`: office documents converted at a time; `cache_dir`: where converted documents
    are kept (None: the default cache folder); `ocr`: scanned evidence that a figure cites
    is read by Tesseract (dossier.ocr)."""
    selected = catalogue.select(indicators, unit)
    wanted = {i.id for i in selected}
    settings = catalogue.settings
    tree = scan(root, frozenset(catalogue.ids), frozenset(settings.all_years))
    files = [f for f in tree.files if f.indicator in wanted]
    if progress:
        progress("scan", len(files), len(files))
    kinds = KindContext(soffice=converter_finder(cache_dir), fonts=fonts_finder(),
                        cache_dir=cache_dir, timeout=timeout)
    probes = probe_files(files, progress, timeout, kinds, jobs)

    findings: list[Finding] = [w for w in catalogue.warnings if w.indicator in wanted]
    findings += structure_findings(tree, selected, settings)
    findings += file_findings(files, probes)
    findings += duplicate_findings(files)
    titled = _titles(tree, files)
    needs, lists = _seal_needs(files, titled)
    looks = look_at_files(files, probes, needs, cache_dir, jobs)
    findings += scan_findings(files, probes, looks)  # blank, dark, low-resolution
    findings += seal_findings(files, looks, needs, lists)
    findings += year_findings(files, settings)
    findings += title_findings(tree, files, wanted)  # 目录.yaml, names that say nothing
    for ind in selected:
        usable = tuple(f for f in files if f.indicator == ind.id and _usable(f, probes))
        folders = tree.folders_for(ind.id)
        if folders:
            findings += coverage_findings(ind, usable, settings,
                                         safe_display(folders[0].rel))
    data = gather(root, tree, catalogue.indicators, settings, shared)  # all: figures cross
    findings += explanation_findings(data, selected, settings, tree)
    candidates = [Candidate(f, titled[f.rel], years_covered(f, settings)) for f in files
                  if f.rel in titled and f.kind in (PDF, *IMAGES) and _usable(f, probes)]
    engine = find_engine(cache_dir) if ocr else None
    if isinstance(engine, Missing):
        findings.append(finding("ocr-unavailable", variant=engine.variant,
                                version=engine.version, hint=ocr_hint()))
        engine = None
    findings += evidence_findings(data.only(wanted).explanations, data.shared, candidates,
                                  _texts(cache_dir, engine))
    contacts = read_contacts(root, catalogue)  # the 联络人员名单 (附件2), when one is there
    findings += contacts.findings
    roles: dict[int, Role] = {}
    if unit:  # checked as that unit: the whole indicator where it collects, its part elsewhere
        found = catalogue.unit(unit)
        roles = {i.id: r for i in selected if (r := catalogue.role(i, found)) is not None}
        where = {i.id: safe_display(f[0].rel) for i in selected
                 if (f := tree.folders_for(i.id))}
        findings = [*for_roles(findings, roles),
                    *send_to(selected, roles, found.name, settings, where)]
    return CheckResult(Report.of(findings, strict=strict), tree, selected,
                       tuple(sorted(probes.items())), data.only(wanted), roles, data, contacts,
                       _sealed(looks))


def explanation_findings(data: DataSet, selected: Sequence[Indicator], settings: Settings,
                         tree: MaterialsTree) -> list[Finding]:
    """Problems in the explanation data, unmet targets and inconsistent figures of the
    selected indicators (figures are compared across every indicator that has data)."""
    wanted = {i.id for i in selected}
    chosen = data.only(wanted)
    found: list[Finding] = list(data.shared_findings)
    for item in chosen.indicators:
        if item.loaded:
            found += item.loaded.findings
        if item.explanation is not None:
            found += change_findings(item.explanation, item.indicator, settings)
    folders = {i.id: safe_display(f[0].rel) for i in selected if (f := tree.folders_for(i.id))}
    found += target_findings(chosen, settings, folders)
    found += [f for f in figure_findings(data.explanations, data.shared) if f.indicator in wanted]
    return found


def _texts(cache_dir: Path | None, engine: Engine | None,
           ) -> Callable[[MaterialFile], DocumentText]:
    """A document's text, once per file: its text layer, and with `engine` what OCR reads
    on its pages that are pictures."""
    texts = Cache("text", cache_dir)

    def read(f: MaterialFile) -> DocumentText:
        pages = read_file(engine, f.path, f.kind or "") if engine is not None else None
        return document_text(f.path, f.kind or "", texts, pages)

    return text_reader(read)


def _titles(tree: MaterialsTree, files: Sequence[MaterialFile]) -> dict[str, Titled]:
    """The 目录 fields of each file in a section folder (those that are bound)."""
    titles = Titles(tree.root)
    return {f.rel: titles.of(f) for f in files if f.section}


def _seal_needs(files: Sequence[MaterialFile], titled: Mapping[str, Titled],
                ) -> tuple[dict[str, Need], dict[str, str]]:
    """The files that need a seal and why; the 目录.yaml where each could say it needs none."""
    needs: dict[str, Need] = {}
    lists: dict[str, str] = {}
    for f in files:
        if f.rel in titled and (need := seal_need(f, titled[f.rel])) is not None:
            needs[f.rel], lists[f.rel] = need, titled[f.rel].list_rel
    return needs, lists


def _sealed(looks: Mapping[str, tuple[PageLook, ...]]) -> dict[str, tuple[int, ...]]:
    return {rel: pages for rel, found in looks.items()
            if (pages := sealed_pages(found)) is not None}


def _usable(f: MaterialFile, probes: dict[str, Probe]) -> bool:
    p = probes.get(f.rel)
    return p is not None and p.usable
