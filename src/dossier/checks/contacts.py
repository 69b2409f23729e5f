"""`dossier check` and the 联络人员名单 (附件2): when a filled form lies at the materials
root (or in its folder 联络人员名单), its problems are reported with the rest. The form
is read by dossier.contacts; a root without one gives no finding (sending it is the
office's business, shown by `dossier status`)."""

from __future__ import annotations

from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.contacts import ContactList, read_contacts
from dossier.findings import Finding


def contact_findings(contacts: ContactList) -> list[Finding]:
    """The problems of the forms read (none when there is no form)."""
    return list(contacts.findings)


def form_findings(root: Path, catalogue: Catalogue) -> list[Finding]:
    """Read the forms at `root` and return their problems (for check's list of findings)."""
    return contact_findings(read_contacts(root, catalogue))
