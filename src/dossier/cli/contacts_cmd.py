"""`dossier contacts`: the 联络人员名单 (附件2). With --template it writes the blank form
for every unit; without, it reads the filled forms at the materials root and says who
has sent a contact, who has not, and what is wrong in the forms."""

from __future__ import annotations

import dataclasses
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dossier import console as ui
from dossier import console_contacts
from dossier.cli import CatalogueOpt, DebugOpt, LangOpt, _catalogue, _json, app
from dossier.cli.typerwords import CliUsage as _Usage
from dossier.cli.typerwords import DossierCommand, _session
from dossier.errors import EXIT_FINDINGS, EXIT_OK
from dossier.hints import hints_for
from dossier.i18n import N_
from dossier.options import build_date


class ContactsFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("contacts", cls=DossierCommand, help=N_(
    "The 联络人员名单 (附件2): with --template, write the blank form (单位, 姓名, 职务, "
    "联系电话, 备注; one row per unit) as an Excel workbook to print or send; without, read "
    "the filled forms at the top of the materials folder (a file whose name contains "
    "联络人员, .xlsx or .yaml, or the folder 联络人员名单) and check them. Exit status 1 "
    "when a form has errors."))
def contacts_cmd(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help=N_(
        "Materials folder holding the filled forms."), metavar=N_("MATERIALS"))]
    = Path("materials"),
    template: Annotated[Path | None, typer.Option("--template", help=N_(
        "Write the blank form to this .xlsx file instead."), dir_okay=False,
        metavar=N_("FILE"))] = None,
    force: Annotated[bool, typer.Option("--force", help=N_(
        "With --template: replace the file if it exists."))] = False,
    format: Annotated[ContactsFormat, typer.Option("--format", "-f", help=N_(
        "Output format: for people, or JSON for programs."))] = ContactsFormat.table,
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The 联络人员名单 (附件2)."""
    from dossier.contacts import contacts_deadline, form_units, read_contacts, write_template

    tr = _session(ctx).tr
    if template is not None:
        if template.suffix.lower() != ".xlsx":
            raise _Usage(tr("--template writes an Excel workbook: give a file name ending "
                            "in .xlsx, such as 联络人员名单.xlsx"))
        if template.is_dir():
            raise _Usage(tr("{file} is a folder; give the name of the .xlsx file to write",
                            file=template))
        if template.exists() and not force:
            raise _Usage(tr("{file} already exists; give another name, or add --force to "
                            "replace it", file=template))
    cat = _catalogue(catalogue)
    deadline = contacts_deadline(cat.settings)
    units = form_units(cat)
    if template is not None:
        write_template(template, cat, build_date()[0])
        console_contacts.template_written(ui.make_console(), tr, template, len(units),
                                          deadline)
        raise typer.Exit(EXIT_OK)
    contacts = read_contacts(directory, cat)
    expected = [u.name for u in units]
    errors = any(f.severity.value == "error" for f in contacts.findings)
    if format is ContactsFormat.json:
        _json({"files": list(contacts.files),
               "contacts": [dataclasses.asdict(c) for c in contacts.contacts],
               "missing": list(contacts.missing(expected)),
               "deadline": deadline.model_dump(mode="json", by_alias=True) if deadline else None,
               "findings": [f.to_dict(tr) for f in contacts.findings]})
    else:
        console_contacts.contacts_report(ui.make_console(), tr, contacts, expected, deadline,
                                         directory, hints_for(tr))
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_OK)
