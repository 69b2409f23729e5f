"""Findings about the shape of the materials tree: folders and sections."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dossier.findings import Finding, Severity, finding
from dossier.naming import safe_display
from dossier.scan import MaterialsTree
from dossier.schema import Indicator, Settings
from dossier.sections import DIRECT, EXPLANATION, LONG_TERM

_ODDITY_CODES = {
    "unknown-folder": "unknown-folder",
    "unknown-indicator-folder": "unknown-indicator-folder",
    "stray-year-folder": "unknown-folder",
    "misplaced-file": "misplaced-file",
    "ignored-file": "ignored-file",
    "link-outside": "path-outside-tree",
    "odd-name": "bad-file-name",
    "unreadable": "unreadable-file",
}


def _oddity_message(what: str, detail: str, settings: Settings) -> str:
    first, last = settings.evidence_years[0], settings.progress_year
    return {
        "unknown-folder": "is not a section; use 达标说明, 直接证明材料, "
                          f"{'/'.join(str(y) for y in settings.all_years)} or {LONG_TERM}",
        "unknown-indicator-folder": "starts with a number that is not an indicator of the "
                                    "catalogue (see `dossier list`); its files are not checked",
        "stray-year-folder": f"year {detail} is outside {first}–{last} (附件3 时效性); "
                             "move what is still valid to 长期有效 or remove it",
        "misplaced-file": "lies outside any section folder; move it into 达标说明, "
                          "直接证明材料, a year folder or 长期有效",
        "ignored-file": "is a system or temporary file and is skipped",
        "link-outside": f"is a link that {detail}; it is not followed — copy the file in instead",
        "odd-name": "has control characters or undecodable bytes in its name; rename it",
        "unreadable": f"cannot be listed ({detail}); check its permissions",
    }[what]


def structure_findings(tree: MaterialsTree, indicators: Iterable[Indicator],
                       settings: Settings) -> Iterator[Finding]:
    wanted = {i.id for i in indicators}
    for odd in tree.oddities:
        if odd.indicator is not None and odd.indicator not in wanted and \
                odd.what != "unknown-indicator-folder":
            continue
        code = _ODDITY_CODES[odd.what]
        msg = f"{safe_display(odd.rel)} {_oddity_message(odd.what, odd.detail, settings)}"
        yield finding(code, msg, indicator=odd.indicator if odd.indicator in wanted else None,
                      path=safe_display(odd.rel))
    for ind in sorted(wanted):
        yield from _indicator_structure(tree, ind, settings)


def _indicator_structure(tree: MaterialsTree, ind: int, settings: Settings) -> Iterator[Finding]:
    folders = tree.folders_for(ind)
    if not folders:
        yield finding("missing-indicator-folder",
                      f"no folder for 指标 {ind}; create it with `dossier init --indicator {ind}`",
                      indicator=ind)
        return
    if len(folders) > 1:
        names = ", ".join(f.rel for f in folders)
        yield finding("duplicate-indicator-folder",
                      f"several folders claim 指标 {ind}: {names}; merge them into one",
                      indicator=ind, path=folders[1].rel)
    for folder in folders:
        required: list[tuple[str, Severity | None]] = [(EXPLANATION, None), (DIRECT, None)]
        required += [(str(y), None) for y in settings.evidence_years]
        required += [(str(settings.progress_year), Severity.WARNING)]
        for section, severity in required:
            dirs = folder.section_dirs(section)
            if not dirs:
                code = "missing-year-folder" if section.isdigit() else "missing-section"
                what = (f"year folder {section}/" if section.isdigit()
                        else f"section folder {section}/")
                why = "2021 progress material (进度材料)" if severity else "required by 附件3"
                yield finding(code, f"{folder.rel}/ has no {what} ({why}); "
                              f"create it with `dossier init`", indicator=ind, path=folder.rel,
                              severity=severity)
            elif len(dirs) > 1:
                yield finding("duplicate-section",
                              f"several folders are section {section}: {', '.join(dirs)}; "
                              "merge them", indicator=ind, path=dirs[1])
            elif not any(f.kind for f in folder.in_section(section)):
                yield finding("empty-section",
                              f"{dirs[0]}/ holds no PDF or image", indicator=ind, path=dirs[0])
        for f in folder.files:
            if f.section is None:
                yield finding("misplaced-file", f"{safe_display(f.rel)} "
                              f"{_oddity_message('misplaced-file', '', settings)}",
                              indicator=ind, path=safe_display(f.rel))
