"""Templates of archives: reading zip files safely (dossier.archives)."""

from __future__ import annotations

from dossier.i18n import Template

TEMPLATES: dict[str, Template] = {
}
