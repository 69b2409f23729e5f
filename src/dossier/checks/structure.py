"""Findings about the shape of the materials tree: folders and sections."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from dossier.explain.load import explanation_path
from dossier.findings import Finding, Severity, finding
from dossier.naming import safe_display
from dossier.scan import MaterialsTree, Oddity
from dossier.schema import Indicator, Settings
from dossier.sections import DIRECT, EXPLANATION, LONG_TERM

# Oddity.what -> finding code and the variant of its wording (None: the oddity's own)
_ODDITY_CODES: dict[str, tuple[str, str | None]] = {
    "unknown-folder": ("unknown-folder", ""),
    "unknown-indicator-folder": ("unknown-indicator-folder", ""),
    "stray-year-folder": ("unknown-folder", "year"),
    "misplaced-file": ("misplaced-file", ""),
    "ignored-file": ("ignored-file", ""),
    "link-outside": ("path-outside-tree", None),  # outside (the plain wording) or broken
    "odd-name": ("bad-file-name", ""),
    "unreadable": ("unreadable-file", "listing"),
}


def _oddity_variant(odd: Oddity) -> tuple[str, str]:
    code, variant = _ODDITY_CODES[odd.what]
    if variant is None:
        variant = "" if odd.variant == "outside" else odd.variant
    if odd.what == "unknown-folder" and odd.indicator is None:
        variant = "top"  # beside the indicator folders, not inside one
    return code, variant


def _oddity_params(odd: Oddity, settings: Settings) -> dict[str, Any]:
    if odd.what == "unknown-folder":
        return {"sections": (EXPLANATION, DIRECT, *map(str, settings.all_years), LONG_TERM)}
    if odd.what == "stray-year-folder":
        return {**odd.params, "first": settings.evidence_years[0],
                "last": settings.progress_year, "long_term": LONG_TERM}
    return dict(odd.params)


def structure_findings(tree: MaterialsTree, indicators: Iterable[Indicator],
                       settings: Settings) -> Iterator[Finding]:
    wanted = {i.id for i in indicators}
    for odd in tree.oddities:
        if odd.indicator is not None and odd.indicator not in wanted and \
                odd.what != "unknown-indicator-folder":
            continue
        code, variant = _oddity_variant(odd)
        yield finding(code, variant=variant,
                      indicator=odd.indicator if odd.indicator in wanted else None,
                      path=safe_display(odd.rel), **_oddity_params(odd, settings))
    for ind in sorted(wanted):
        yield from _indicator_structure(tree, ind, settings)


def _indicator_structure(tree: MaterialsTree, ind: int, settings: Settings) -> Iterator[Finding]:
    folders = tree.folders_for(ind)
    if not folders:
        yield finding("missing-indicator-folder", indicator=ind)
        return
    if len(folders) > 1:
        yield finding("duplicate-indicator-folder", indicator=ind,
                      path=safe_display(folders[1].rel),
                      folders=tuple(safe_display(f.rel) for f in folders))
    for folder in folders:
        required: list[tuple[str, Severity | None]] = [(EXPLANATION, None), (DIRECT, None)]
        required += [(str(y), None) for y in settings.evidence_years]
        required += [(str(settings.progress_year), Severity.WARNING)]
        for section, severity in required:
            dirs = folder.section_dirs(section)
            if not dirs:
                code = "missing-year-folder" if section.isdigit() else "missing-section"
                yield finding(code, variant="progress" if severity else "",
                              indicator=ind, path=safe_display(folder.rel), severity=severity,
                              section=section)
            elif len(dirs) > 1:
                yield finding("duplicate-section", indicator=ind, path=safe_display(dirs[1]),
                              section=section, folders=tuple(safe_display(d) for d in dirs))
            elif not any(f.kind for f in folder.in_section(section)) and not (
                    section == EXPLANATION and explanation_path(tree.root, folder)):
                # 达标说明.yaml alone is enough (in the folder, or beside the sections where
                # it is read too): the 达标说明 is generated from it
                yield finding("empty-section", indicator=ind, path=safe_display(dirs[0]))
        for f in folder.files:
            if f.section is None:
                yield finding("misplaced-file", indicator=ind, path=safe_display(f.rel))
