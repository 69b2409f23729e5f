"""附件3 时效性: years named in file names against their folder and the 2018–2021 window."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dossier.findings import Finding, finding
from dossier.naming import safe_display
from dossier.scan import MaterialFile
from dossier.schema import Settings
from dossier.sections import EXPLANATION, LONG_TERM


def year_findings(files: Iterable[MaterialFile], settings: Settings) -> Iterator[Finding]:
    first, last = settings.evidence_years[0], settings.progress_year
    for f in files:
        if not f.years or f.section in (EXPLANATION, LONG_TERM):
            continue  # 长期有效 material may predate the window on purpose
        shown = safe_display(f.rel)
        named = tuple(str(s) for s in f.years)
        if f.section and f.section.isdigit():
            folder_year = int(f.section)
            if not any(s.covers(folder_year) for s in f.years):
                yield finding("year-mismatch", indicator=f.indicator, path=shown, file=shown,
                              named=named, folder_year=folder_year)
                continue
        outside = [s for s in f.years if s.last < first or s.first > last]
        if outside and len(outside) == len(f.years):
            yield finding("year-out-of-range", indicator=f.indicator, path=shown, file=shown,
                          named=named, first=first, last=last)
