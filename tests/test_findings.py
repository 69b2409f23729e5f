from __future__ import annotations

import re
from pathlib import Path

from dossier.findings import CODES, Report, Severity, finding

README = Path(__file__).resolve().parents[1] / "README.md"


def test_codes_are_kebab_case_and_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    for code in CODES:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code
        assert f"`{code}`" in readme, f"README does not list {code}"


def test_report_sorts_counts_and_strict() -> None:
    items = [finding("empty-section", "w", indicator=2), finding("corrupt-pdf", "e", indicator=2),
             finding("ignored-file", "i"), finding("requirement-missing", "e", indicator=1)]
    report = Report.of(items)
    assert [f.indicator for f in report.findings] == [None, 1, 2, 2]
    assert report.findings[2].severity is Severity.ERROR
    assert report.summary() == {"errors": 2, "warnings": 1, "infos": 1}
    strict = Report.of(items, strict=True)
    assert strict.summary() == {"errors": 3, "warnings": 0, "infos": 1}
    assert strict.to_dict()["findings"][0] == {"severity": "info", "code": "ignored-file",
                                               "indicator": None, "path": None, "message": "i"}
