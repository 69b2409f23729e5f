"""The message registry: every key a `Message` (finding, problem, exception, verdict
reason, PDF label) may carry, with its English template. The Chinese text is the zh_CN
catalogue's translation of that template.

Each area declares its templates in a module of its own, so a new check or source kind
touches its own module; a key may be declared only once."""

from __future__ import annotations

from types import ModuleType

from dossier.i18n import Template
from dossier.messages import (
    archives,
    build,
    checks,
    ci,
    common,
    contacts,
    explain,
    office,
    status,
    tidy,
    titles,
    units,
    volumes,
)


def _merge(*modules: ModuleType) -> dict[str, Template]:
    merged: dict[str, Template] = {}
    for module in modules:
        for key, value in module.TEMPLATES.items():
            if key in merged:
                raise RuntimeError(f"message key {key} is declared twice ({module.__name__})")
            merged[key] = value
    return merged


REGISTRY: dict[str, Template] = _merge(common, checks, explain, build, archives, units, tidy,
                                       status, contacts, volumes, titles, office, ci)


def template(key: str) -> Template:
    try:
        return REGISTRY[key]
    except KeyError:
        raise KeyError(f"no message template for {key!r}: declare it in dossier.messages") \
            from None
