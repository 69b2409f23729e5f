"""Templates shared by several areas: the catalogue as a whole.

A `Plural` takes bare string literals (not `N_(...)`), so that Babel extracts the two as
one singular/plural entry."""

from __future__ import annotations

from dossier.i18n import N_, Plural, Template

TEMPLATES: dict[str, Template] = {
    # what an OS error means, in plain words (errors.os_cause): the {cause} of messages
    "os/denied": N_("no permission, or the file is open in another program"),
    "os/not-found": N_("it does not exist"),
    "os/no-space": N_("the disk is full"),
    "os/read-only": N_("the disk or folder is read-only"),
    "os/busy": N_("it is in use by another program"),
    "os/name-too-long": N_("the name is too long"),
    "os/is-directory": N_("it is a folder, not a file"),
    "os/not-directory": N_("a part of the path is not a folder"),
    "os/io": N_("the disk reports a read or write fault"),
    "os/too-many-open": N_("too many files are open at once"),
    "os/other": N_("system error {errno}"),
    "catalogue-invalid": Plural(
        "the catalogue {file} has {count} problem; fix the field named below (the "
        "header of indicators.yaml describes the format):",
        "the catalogue {file} has {count} problems; fix the fields named below (the "
        "header of indicators.yaml describes the format):", "count"),
}
