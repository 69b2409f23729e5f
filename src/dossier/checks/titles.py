"""Titles in the 目录: what is wrong in each 目录.yaml, and files whose name says nothing
of the document (IMG_20180615_103512, 微信图片…, 扫描件001) while no 题名 is set for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dossier.findings import Finding, finding
from dossier.naming import is_meaningless, natural_key, safe_display
from dossier.scan import MaterialFile, MaterialsTree
from dossier.titles import TitleList, Titles


def title_findings(tree: MaterialsTree, files: Sequence[MaterialFile],
                   indicators: Iterable[int]) -> list[Finding]:
    """The 目录.yaml files of the indicators' folders, and the bound files among `files`
    whose title would say nothing: one warning per file, saying how to fix it."""
    titles = Titles(tree.root)
    wanted = set(indicators)
    found: list[Finding] = []
    for indicator, folder in _folders(tree, wanted):
        found += list_findings(titles.list_in(folder), indicator, folder)
    for f in files:
        if f.indicator not in wanted or not f.kind or not f.section:
            continue  # not bound: other checks report it
        titled = titles.of(f)
        if not titled.listed and is_meaningless(titled.own):
            shown = safe_display(f.rel)
            found.append(finding("meaningless-title", indicator=f.indicator, path=shown,
                                 file=shown, title=titled.own, list=titled.list_rel))
    return found


def _folders(tree: MaterialsTree, wanted: set[int]) -> list[tuple[int, str]]:
    """Every folder of the wanted indicators that may hold a 目录.yaml: the indicator
    folder, its section folders and every folder holding a file."""
    folders: dict[str, int] = {}
    for folder in tree.folders:
        if folder.indicator not in wanted:
            continue
        for rel in (folder.rel, *(rel for _, rel in folder.sections),
                    *(f.rel.rsplit("/", 1)[0] for f in folder.files)):
            folders.setdefault(rel, folder.indicator)
    return sorted(((n, rel) for rel, n in folders.items()),
                  key=lambda item: (item[0], natural_key(item[1])))


def list_findings(listing: TitleList, indicator: int, folder: str) -> list[Finding]:
    """What is wrong in one 目录.yaml: located problems, and entries naming no file."""
    if not listing.rel:
        return []
    rel = listing.rel
    found = [finding("titles-invalid", variant=p.variant, indicator=indicator, path=rel,
                     **p.params(rel)) for p in listing.problems]
    found += [finding("titles-unknown-file", variant="close" if u.close else "",
                      indicator=indicator, path=rel, file=rel, line=u.line, name=u.name,
                      folder=safe_display(folder), close=u.close)
              for u in listing.unknown]
    return found
