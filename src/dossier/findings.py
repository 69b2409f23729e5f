"""Findings: what checks report. Every finding has a severity, a stable code, an indicator
(or None), a path relative to the materials root (or None) and the values its message
needs (params). Its text comes from the message catalogue, at the edge."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dossier.i18n import Message, Translator, plain
from dossier.messages import template


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# Stable finding codes: code -> (default severity, what it means). The README lists them
# all (a test keeps the two in step). Never rename a code; add new ones instead.
CODES: dict[str, tuple[Severity, str]] = {
    # catalogue
    "catalogue-missing-lead-unit": (W, "the catalogue gives no 牵头单位 for an indicator"),
    "catalogue-missing-responsible-unit": (W, "the catalogue gives no 责任单位 for an indicator"),
    # roles (正文 二、三)
    "contribution-send-to": (INFO, "a 责任单位's part: whom to send it to, by when"),
    # tree structure
    "missing-indicator-folder": (E, "no folder for an indicator in scope"),
    "duplicate-indicator-folder": (E, "two folders claim the same indicator number"),
    "unknown-indicator-folder": (W, "a top-level folder whose number is not in the catalogue"),
    "unknown-folder": (W, "a folder that is neither an indicator nor a known section"),
    "missing-section": (E, "an indicator lacks 达标说明 or 直接证明材料"),
    "duplicate-section": (E, "two folders map to the same section"),
    "missing-year-folder": (E, "an indicator lacks a 2018/2019/2020 folder (2021: warning)"),
    "empty-section": (W, "a section folder holds no usable material"),
    "misplaced-file": (W, "a file outside any section folder"),
    "ignored-file": (INFO, "system or temporary file that is skipped (Thumbs.db, ~$…)"),
    # review points
    "requirement-missing": (E, "a review point (申报资料审核要点) has no tagged material"),
    "requirement-missing-year": (E, "a per-year review point lacks material for a year"),
    "requirement-by-alternative": (INFO, "a review point is covered by its alternative"),
    "unknown-tag": (W, "a tag (n) that is not a review point of the indicator"),
    # files
    "unsupported-file-type": (E, "not PDF, an image or an office document: convert it"),
    "empty-file": (E, "a zero-byte file"),
    "unreadable-file": (E, "the file cannot be opened (permissions, I/O error)"),
    "not-a-pdf": (E, "a .pdf file whose content is not PDF (HTML, Word, image …)"),
    "corrupt-pdf": (E, "a PDF that cannot be parsed"),
    "repaired-pdf": (W, "a damaged PDF that could be read only by repairing it"),
    "empty-pdf": (E, "a PDF with no pages"),
    "encrypted-pdf": (E, "a PDF that needs a password to open"),
    "owner-password-pdf": (INFO, "a PDF with only an owner password (opens fine)"),
    "broken-image": (E, "an image that cannot be read or is truncated"),
    "mislabelled-image": (W, "an image whose content does not match its extension"),
    "mislabelled-document": (W, "a Word file named .pdf, a PDF named .docx …: bound as it is"),
    "office-converted": (INFO, "an office document converted to PDF, and its pages"),
    "office-no-converter": (E, "an office document, and LibreOffice is not installed"),
    "office-convert-failed": (E, "LibreOffice could not convert an office document"),
    "office-font-missing": (W, "an office document is set in fonts this machine lacks"),
    "office-sheet-too-wide": (W, "a worksheet so wide it prints too small to read"),
    "office-pages-changed": (W, "an office document converts to other pages than last time"),
    "duplicate-file": (W, "the same content stored twice"),
    # scanned pages (附件3 (五)): dossier.scanquality
    "scan-low-resolution": (W, "scanned pages below 150 dpi"),
    "scan-blank-page": (W, "blank pages (not the backs of a double-sided scan)"),
    "scan-too-dark": (W, "scanned pages too dark to read"),
    "scan-too-faint": (W, "scanned pages whose writing is too faint to read"),
    "scan-skewed": (W, "scanned pages whose lines lean by more than 2°"),
    "photo-perspective": (W, "a photo of a document taken at a strong slant"),
    # seals (附件3 (五)): dossier.seals, dossier.checks.seals
    "seal-missing": (W, "a document that needs a seal shows none on any page"),
    "seal-found": (INFO, "the pages of a document that carry a seal"),
    # figures against the evidence (附件3 (三)(四)): dossier.evidence, checks/evidence.py
    "figure-not-in-evidence": (W, "a figure of 达标说明.yaml that its cited documents lack"),
    "figure-evidence-unreadable": (INFO, "a figure's cited documents are scans without text"),
    "ocr-unavailable": (W, "--ocr was asked for, and Tesseract or its Chinese model is missing"),
    "bad-file-name": (W, "a name with control characters or undecodable bytes"),
    "path-outside-tree": (E, "a link that points outside the materials folder"),
    "probe-timeout": (E, "inspecting the file took too long"),
    # time window (附件3 时效性)
    "year-mismatch": (W, "a year in the file name disagrees with its year folder"),
    "year-out-of-range": (W, "a year in the file name lies outside 2018–2021"),
    # explanation data (达标说明.yaml, 共享数据.yaml) and targets
    "explanation-data-missing": (INFO, "no 达标说明.yaml: targets are not evaluated"),
    "explanation-invalid": (E, "达标说明.yaml has a syntax error, unknown key, wrong type, "
                               "value without unit …"),
    "shared-data-invalid": (E, "共享数据.yaml has a syntax error, unknown key, wrong type …"),
    "explanation-year-out-of-range": (E, "data for a year outside 2018–2021"),
    "explanation-missing-year": (W, "达标说明.yaml has no data for an evidence year"),
    "shared-figure-unknown": (E, "引用 names a figure or year that 共享数据.yaml lacks"),
    "target-unmet": (E, "a target is not met (约束性: error; 参考性: warning)"),
    "target-no-data": (W, "a target cannot be evaluated: value, status or 上级考核 missing"),
    "explanation-stamped": (INFO, "the unit's stamped 达标说明 is bound in place of the "
                                  "generated one"),
    # consistency (附件3 四 逻辑性)
    "figure-mismatch": (E, "the same figure and year has different values in two indicators"),
    "shared-figure-mismatch": (E, "a figure disagrees with 共享数据.yaml"),
    "unexplained-change": (W, "a change between years beyond the threshold without "
                              "变化情况说明"),
    # contacts (附件2)
    "contacts-unreadable": (E, "a 联络人员名单 file that cannot be read (empty, not xlsx, "
                               "password, old .xls, damaged, too large)"),
    "contacts-invalid": (E, "a 联络人员名单 .yaml file with a syntax error or a wrong shape"),
    "contacts-no-header": (E, "a 联络人员名单 workbook without the header row 单位 … 备注"),
    "contacts-empty": (W, "a 联络人员名单 that lists no contact yet"),
    "contact-unknown-unit": (E, "a 联络人员名单 row names a unit the catalogue does not have"),
    "contact-duplicate": (W, "a unit is listed twice in the 联络人员名单 (the first is used)"),
    "contact-incomplete": (E, "a contact without 单位, 姓名 or 联系电话 (no 职务: warning)"),
    "contact-phone-invalid": (E, "a 联系电话 that is not a phone number (no area code: "
                                 "warning)"),
    # titles and the 卷内目录 (目录.yaml, names)
    "titles-invalid": (E, "目录.yaml has a syntax error, is not UTF-8, has an unknown key or "
                          "a wrong shape"),
    "titles-unknown-file": (W, "目录.yaml names a file its folder does not have"),
    "meaningless-title": (W, "a file name that does not say what the document is (IMG_…, "
                             "微信图片…, 扫描件001 …)"),
}


@dataclass(frozen=True, order=False)
class Finding:
    """`code` is stable (JSON, README); `variant` picks one of the code's wordings; `params`
    are the values its text needs. The text itself is rendered at the edge."""

    severity: Severity
    code: str
    indicator: int | None
    path: str | None
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    variant: str = ""

    @property
    def key(self) -> str:
        """The message registry key: the code, or code/variant."""
        return f"{self.code}/{self.variant}" if self.variant else self.code

    @property
    def message(self) -> Message:
        """The indicator and path are available to every template."""
        return Message(self.key, {"indicator": self.indicator, "path": self.path or "",
                                  **self.params})

    def to_dict(self, tr: Translator) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "key": self.key,
            "indicator": self.indicator,
            "path": self.path,
            "message": tr.render(self.message),
            "params": plain(self.params),
        }


def finding(code: str, *, indicator: int | None = None, path: str | None = None,
            severity: Severity | None = None, variant: str = "", **params: Any) -> Finding:
    """Build a finding with the code's default severity (unless overridden). The key must
    have a template in the message registry."""
    default, _ = CODES[code]
    made = Finding(severity or default, code, indicator, path, params, variant)
    template(made.key)  # fails early on a key without a template
    return made


def sort_key(f: Finding) -> tuple[int, int, str, str]:
    return (f.indicator if f.indicator is not None else -1, f.severity.rank,
            f.path or "", f.code)


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, findings: Iterable[Finding], *, strict: bool = False) -> Report:
        items = list(findings)
        if strict:
            items = [replace(f, severity=E) if f.severity is W else f for f in items]
        return cls(tuple(sorted(items, key=sort_key)))

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.count(E) > 0

    def summary(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {"errors": c[E], "warnings": c[W], "infos": c[INFO]}

    def to_dict(self, tr: Translator) -> dict[str, Any]:
        return {"summary": self.summary(), "findings": [f.to_dict(tr) for f in self.findings]}
