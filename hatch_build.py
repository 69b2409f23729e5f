"""Build hook: compile the message catalogues (.po -> .mo) with Babel whenever a wheel or
an editable install is built, so `pip install .` and the wheel carry them; the .mo files
are generated, never committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted((root / "src" / "dossier" / "locale").glob("*/LC_MESSAGES/*.po")):
            language = po.parents[1].name
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=language)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as fh:
                write_mo(fh, catalog)
            build_data["artifacts"].append(mo.relative_to(root).as_posix())
