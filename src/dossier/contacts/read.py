"""Read every filled 联络人员名单 at the materials root back and check it: each form file
(a name containing 联络人员: .xlsx or .yaml), and every file of the root folder
联络人员名单 (a form per unit). One bad file is reported and the others are still read."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.catalogue import Catalogue
from dossier.contacts.model import Contact, ContactList
from dossier.contacts.phones import PhoneKind, check_phone, fold, shown
from dossier.contacts.rows import RawRow, sheet_rows, yaml_rows
from dossier.contacts.xlsx import Unreadable, read_bytes, workbook_sheets
from dossier.errors import UsageError
from dossier.findings import INFO, Finding, Severity, W, finding
from dossier.naming import natural_key, safe_display
from dossier.scan import CONTACTS_FOLDER, is_contact_form, is_junk
from dossier.units import key
from dossier.yamlfile import Problem, problem, read_yaml

_READ = (".xlsx", ".yaml", ".yml")
_OLD = (".xls", ".et")
_SCANS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".heic")


def read_contacts(root: Path, catalogue: Catalogue) -> ContactList:
    if not root.exists():
        raise UsageError("materials-folder-missing", folder=safe_display(str(root)))
    if not root.is_dir():
        raise UsageError("materials-not-a-folder", folder=safe_display(str(root)))
    files = list(form_files(root))
    reader = _Checker(catalogue)
    for path in files:
        reader.read(path, _rel(root, path))
    return ContactList(tuple(_rel(root, p) for p in files), tuple(reader.contacts),
                       tuple(reader.findings))


def form_files(root: Path) -> Iterator[Path]:
    """The forms at the root (by name), then every file of the folder 联络人员名单, in
    natural order; links that leave the tree are not followed."""
    real_root = root.resolve()
    for entry in _sorted(root):
        if is_contact_form(entry.name) and entry.is_file() and _inside(entry, real_root):
            yield entry
    folder = root / CONTACTS_FOLDER
    if not folder.is_dir() or not _inside(folder, real_root):
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted((d for d in dirnames if not is_junk(d)), key=natural_key)
        for name in sorted(filenames, key=natural_key):
            path = Path(dirpath) / name
            if not is_junk(name) and path.is_file() and _inside(path, real_root):
                yield path


def _sorted(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir(), key=lambda p: natural_key(p.name))
    except OSError:
        return []


def _inside(path: Path, real_root: Path) -> bool:
    real = path.resolve()
    return real == real_root or real_root in real.parents


def _rel(root: Path, path: Path) -> str:
    return safe_display(path.relative_to(root).as_posix())


@dataclass(frozen=True)
class _First:
    file: str
    row: int
    same: tuple[str, str]  # (name, phone) folded, to tell a repeat from a conflict


class _Checker:
    """Reads forms one by one, keeping the first contact of each unit."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.units = catalogue.units
        self.contacts: list[Contact] = []
        self.findings: list[Finding] = []
        self.first: dict[str, _First] = {}

    def report(self, code: str, rel: str, row: int = 0, variant: str = "",
               severity: Severity | None = None, **params: Any) -> None:
        self.findings.append(finding(code, variant=variant, path=rel, severity=severity,
                                     file=rel, row=row, **params))

    def read(self, path: Path, rel: str) -> None:
        suffix = path.suffix.lower()
        if suffix in _OLD:
            self.report("contacts-unreadable", rel, variant="old-format")
        elif suffix in _SCANS:
            self.report("contacts-unreadable", rel, variant="scan", severity=INFO)
        elif suffix not in _READ:
            self.report("contacts-unreadable", rel, variant="other-type", severity=W)
        elif suffix == ".xlsx":
            self.read_xlsx(path, rel)
        else:
            self.read_yaml(path, rel)

    def read_xlsx(self, path: Path, rel: str) -> None:
        try:
            sheets = workbook_sheets(read_bytes(path))
        except Unreadable as why:
            self.report("contacts-unreadable", rel, variant=why.variant, **why.params)
            return
        found = [rows for s in sheets if (rows := sheet_rows(s)) is not None]
        if not found:
            self.report("contacts-no-header", rel, sheets=tuple(s.name for s in sheets))
            return
        self.check_rows(rel, [r for rows in found for r in rows])

    def read_yaml(self, path: Path, rel: str) -> None:
        doc, problems = read_yaml(path)
        if doc is not None and doc.node is None:
            problems.append(problem(0, "", "yaml.empty"))
        rows: list[RawRow] = []
        if doc is not None and doc.node is not None:
            rows, more = yaml_rows(doc.node)
            problems += more
        self.report_problems(rel, problems)
        if doc is not None and doc.node is not None:
            self.check_rows(rel, rows, quiet=bool(problems))

    def report_problems(self, rel: str, problems: list[Problem]) -> None:
        for p in problems:
            self.findings.append(finding("contacts-invalid", variant=p.variant, path=rel,
                                         **p.params(rel), row=p.line))

    def check_rows(self, rel: str, rows: list[RawRow], quiet: bool = False) -> None:
        before = len(self.findings), len(self.contacts)
        for row in rows:
            self.check_row(rel, row)
        if (len(self.findings), len(self.contacts)) == before and not quiet:
            self.report("contacts-empty", rel)

    def check_row(self, rel: str, row: RawRow) -> None:
        v = row.values
        filled = any(v[f] for f in ("name", "title", "phone", "note"))
        where: dict[str, Any] = {"row": row.row, **({"sheet": row.sheet} if row.sheet else {})}
        if not v["unit"]:
            if filled:
                self.report("contact-incomplete", rel, variant="unit",
                            name=v["name"] or v["phone"], **where)
            return
        if not filled:
            return  # a row of the blank form: the unit has not filled it in
        unit = self.units.lookup(v["unit"])
        if unit is None:
            close = self.units.close(v["unit"])
            self.report("contact-unknown-unit", rel, variant="suggest" if close else "",
                        unit=v["unit"], names=close, **where)
            return
        if unit.kind == "group":
            self.report("contact-unknown-unit", rel, variant="group", unit=v["unit"],
                        members=unit.members, **where)
            return
        same = (key(v["name"]), "".join(c for c in fold(v["phone"]) if c.isdigit()))
        first = self.first.get(unit.name)
        if first is not None:
            repeat = first.same == same
            self.report("contact-duplicate", rel, variant="same" if repeat else "",
                        severity=INFO if repeat else None, unit=unit.name,
                        first_file=first.file, first_row=first.row, **where)
            return
        self.first[unit.name] = _First(rel, row.row, same)
        phone = self.check_fields(rel, row, unit.name, where)
        self.contacts.append(Contact(unit.name, v["name"], v["title"], phone, v["note"], rel,
                                     row.row))

    def check_fields(self, rel: str, row: RawRow, unit: str, where: dict[str, Any]) -> str:
        """Report what the contact lacks and a phone that cannot be dialled; the phone as
        it is kept."""
        v = row.values
        lacking = [word for field, word in (("name", "姓名"), ("title", "职务"),
                                            ("phone", "联系电话"))
                   if not v[field] and field not in row.broken]
        if "姓名" in lacking or "联系电话" in lacking:
            self.report("contact-incomplete", rel, unit=unit, fields=tuple(lacking), **where)
        elif lacking:
            self.report("contact-incomplete", rel, variant="title", severity=W, unit=unit,
                        fields=tuple(lacking), **where)
        if not v["phone"]:
            return ""
        checked = check_phone(v["phone"], row.numeric_phone)
        if checked.kind is PhoneKind.INVALID:
            self.report("contact-phone-invalid", rel, unit=unit, phone=v["phone"], **where)
        elif checked.kind is PhoneKind.LOCAL:
            self.report("contact-phone-invalid", rel, variant="local", severity=W, unit=unit,
                        phone=v["phone"], **where)
        elif checked.kind is PhoneKind.LOST_ZERO:
            self.report("contact-phone-invalid", rel, variant="lost-zero", severity=W,
                        unit=unit, phone=checked.text, written=v["phone"], **where)
            return checked.text
        return shown(v["phone"])


