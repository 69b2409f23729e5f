"""The 联络人员名单 (附件2 of the notice): its columns, the units that owe one, the deadline,
and what is read back from the filled forms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dossier.catalogue import Catalogue
from dossier.findings import Finding
from dossier.schema import Deadline, Settings
from dossier.units import Unit, key

# The form's columns (附件2), in order: field -> the notice's header word.
HEADERS: dict[str, str] = {"unit": "单位", "name": "姓名", "title": "职务", "phone": "联系电话",
                           "note": "备注"}
FORM_TITLE = "国家生态文明建设示范市创建工作联络人员名单"  # after the city's name (附件2)
SHEET_NAME = "联络人员名单"
FORM_KINDS = ("department", "district")  # who sends one: every unit, not the group entries


@dataclass(frozen=True)
class Contact:
    unit: str  # canonical unit name
    name: str
    title: str
    phone: str  # as written (full-width forms folded), or repaired (a lost leading 0)
    note: str
    file: str  # relative to root
    row: int  # the spreadsheet's row, or the YAML file's line


@dataclass(frozen=True)
class ContactList:
    files: tuple[str, ...]  # every form found, read or not (relative to root)
    contacts: tuple[Contact, ...]  # one per unit: the first given (later ones are findings)
    findings: tuple[Finding, ...]

    def of(self, unit: str) -> Contact | None:
        """The contact of a unit (its canonical name; widths and spaces do not matter)."""
        wanted = key(unit)
        return next((c for c in self.contacts if key(c.unit) == wanted), None)

    def missing(self, units: Iterable[str]) -> tuple[str, ...]:
        """The units of `units` (canonical names) that sent no contact."""
        return tuple(u for u in units if self.of(u) is None)


def form_units(catalogue: Catalogue) -> tuple[Unit, ...]:
    """The units that owe a 联络人员名单 (正文 三 一是: 请各单位…报送), in catalogue order."""
    return tuple(u for u in catalogue.units.units if u.kind in FORM_KINDS)


def form_title(settings: Settings) -> str:
    return f"{settings.city}{FORM_TITLE}"


def contacts_deadline(settings: Settings) -> Deadline | None:
    """The deadline of the 联络人员名单: the one of kind contacts, else the one whose `what`
    names it."""
    marked = [d for d in settings.deadlines if getattr(d, "kind", None) == "contacts"]
    named = [d for d in settings.deadlines if "联络人员名单" in d.what]
    found = marked or named
    return found[0] if found else None
