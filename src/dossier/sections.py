"""The sections of an indicator folder (附件3): 达标说明, 直接证明材料, one folder per
evidence year, the progress year, and 长期有效. Folder names are matched leniently."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dossier.naming import parse_name

EXPLANATION = "达标说明"
DIRECT = "直接证明材料"
LONG_TERM = "长期有效"

_YEAR_DIR = re.compile(r"^((?:19|20)\d{2})\s*(?:年度?)?\s*(?:佐证材料|进度材料|材料)?$")


@dataclass(frozen=True)
class SectionName:
    """What a folder name inside an indicator folder means."""

    section: str | None  # "达标说明", "直接证明材料", "2019", "长期有效" or None
    year: int | None  # the year of a year-looking folder, even one outside the window


def classify_section(folder: str) -> SectionName:
    name = unicodedata.normalize("NFKC", folder).strip()
    info = parse_name(name)
    if info.order is not None and not info.tags:
        name = info.title
    compact = re.sub(r"\s+", "", name)
    if compact.startswith(EXPLANATION) or compact.endswith("达标说明"):
        return SectionName(EXPLANATION, None)
    if compact.startswith("直接证明"):
        return SectionName(DIRECT, None)
    if compact.startswith(LONG_TERM):
        return SectionName(LONG_TERM, None)
    m = _YEAR_DIR.match(compact)
    if m:
        return SectionName(m.group(1), int(m.group(1)))
    return SectionName(None, None)


def section_order(evidence_years: tuple[int, ...], progress_year: int) -> tuple[str, ...]:
    """Binding order (附件3 五): 达标说明, 直接证明材料, each year, progress, 长期有效."""
    years = tuple(str(y) for y in (*evidence_years, progress_year))
    return (EXPLANATION, DIRECT, *years, LONG_TERM)


def section_year(section: str) -> int | None:
    return int(section) if section.isdigit() else None
