from __future__ import annotations

import re
from pathlib import Path

import pytest

from dossier.findings import CODES, Finding, Report, Severity, finding
from dossier.i18n import Message, Translator
from dossier.messages import REGISTRY

README = Path(__file__).resolve().parents[1] / "README.md"


def test_codes_are_kebab_case_and_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    for code in CODES:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code
        assert f"`{code}`" in readme, f"README does not list {code}"


def test_every_code_has_a_template() -> None:
    """Each code has a template under its own key or a variant of it (code/variant)."""
    lacking = [code for code in CODES
               if code not in REGISTRY and not any(k.startswith(code + "/") for k in REGISTRY)]
    assert lacking == []


def test_a_finding_without_a_template_fails_where_it_is_made() -> None:
    with pytest.raises(KeyError):
        finding("corrupt-pdf", variant="no-such-variant", file="a.pdf")
    with pytest.raises(KeyError):
        finding("no-such-code")


def test_key_message_and_params() -> None:
    f = finding("duplicate-file", indicator=12, path="12/a.pdf", file="12/a.pdf",
                other="08/b.pdf")
    assert (f.key, f.severity) == ("duplicate-file", Severity.WARNING)
    assert f.message == Message("duplicate-file", {"indicator": 12, "path": "12/a.pdf",
                                                   "file": "12/a.pdf", "other": "08/b.pdf"})
    v = finding("missing-year-folder", variant="progress", indicator=12, path="12",
                severity=Severity.WARNING, section="2021")
    assert (v.code, v.key, v.params) == ("missing-year-folder", "missing-year-folder/progress",
                                         {"section": "2021"})


class _Echo(Translator):
    """Renders a message as its key: the JSON shape without depending on the catalogue."""

    def __init__(self) -> None:
        pass

    def render(self, message: Message) -> str:
        return message.key


def test_report_sorts_counts_and_strict() -> None:
    items = [finding("empty-section", indicator=2, path="2/2019"),
             finding("corrupt-pdf", indicator=2, path="2/a.pdf", file="2/a.pdf", detail="x"),
             finding("ignored-file", path="Thumbs.db"),
             finding("requirement-missing", indicator=1, tag="(1)", excerpt="规划")]
    report = Report.of(items)
    assert [f.indicator for f in report.findings] == [None, 1, 2, 2]
    assert report.findings[2].severity is Severity.ERROR
    assert report.summary() == {"errors": 2, "warnings": 1, "infos": 1}
    strict = Report.of(items, strict=True)
    assert strict.summary() == {"errors": 3, "warnings": 0, "infos": 1}
    assert strict.to_dict(_Echo())["findings"][0] == {
        "severity": "info", "code": "ignored-file", "key": "ignored-file", "indicator": None,
        "path": "Thumbs.db",
        "message": "ignored-file", "params": {}}
    nested = Finding(Severity.ERROR, "not-a-pdf", 1, "a.pdf",
                     {"file": "a.pdf", "kind": "zip", "content": Message("content-kind/zip")})
    assert nested.to_dict(_Echo())["params"] == {
        "file": "a.pdf", "kind": "zip", "content": {"key": "content-kind/zip", "params": {}}}
