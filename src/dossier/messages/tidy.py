"""Templates of dossier tidy: the fixes it proposes and makes, and their undoing."""

from __future__ import annotations

from dossier.i18n import Template

TEMPLATES: dict[str, Template] = {
}
