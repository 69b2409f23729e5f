"""The 联络人员名单 (附件2 of the notice: 单位, 姓名, 职务, 联系电话, 备注). `write_template`
writes the blank form for every unit, laid out for printing; `read_contacts` reads the
filled forms back from the materials root and checks them (units that do not exist, a
unit given twice, missing names or numbers, numbers that cannot be dialled, files that
cannot be read); `dossier status` tells from it which units have not sent their contact."""

from __future__ import annotations

from dossier.contacts.model import (
    FORM_TITLE,
    HEADERS,
    SHEET_NAME,
    Contact,
    ContactList,
    contacts_deadline,
    form_title,
    form_units,
)
from dossier.contacts.phones import PhoneCheck, PhoneKind, check_phone
from dossier.contacts.read import form_files, read_contacts
from dossier.contacts.template import template_bytes, write_template

__all__ = [
    "FORM_TITLE",
    "HEADERS",
    "SHEET_NAME",
    "Contact",
    "ContactList",
    "PhoneCheck",
    "PhoneKind",
    "check_phone",
    "contacts_deadline",
    "form_files",
    "form_title",
    "form_units",
    "read_contacts",
    "template_bytes",
    "write_template",
]
