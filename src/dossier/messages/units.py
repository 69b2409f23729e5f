"""Templates of units and roles: who leads, who contributes, to whom material goes."""

from __future__ import annotations

from dossier.i18n import Template

TEMPLATES: dict[str, Template] = {
}
