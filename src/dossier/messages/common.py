"""Templates shared by several areas: the catalogue as a whole.

A `Plural` takes bare string literals (not `N_(...)`), so that Babel extracts the two as
one singular/plural entry."""

from __future__ import annotations

from dossier.i18n import Plural, Template

TEMPLATES: dict[str, Template] = {
    "catalogue-invalid": Plural(
        "the catalogue {file} has {count} problem; fix the field named below (the "
        "header of indicators.yaml describes the format):",
        "the catalogue {file} has {count} problems; fix the fields named below (the "
        "header of indicators.yaml describes the format):", "count"),
}
