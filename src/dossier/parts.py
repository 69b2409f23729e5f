"""A volume longer than the binder holds (`build --max-pages N`, the catalogue's
max_pages), split at document boundaries into parts.

Each part is a volume of its own (cover with 第x册 共y册, its own 目录), and the material
page numbers run on across the parts, so a reviewer can cite "第二册第315页" and the pages
of the whole still count once. A document is never cut: one longer than N pages is a part
by itself. A section that goes on into the next part is titled there with 续."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dossier.i18n import msg, pdf_text
from dossier.plan import CHINESE_NUMERALS, SectionPlan, Source

PageCount = Callable[[Source], int]


@dataclass(frozen=True)
class Part:
    sections: tuple[SectionPlan, ...]
    first_page: int  # the material page number its first page gets (1 for the first part)
    pages: int  # its material pages


def split(sections: Sequence[SectionPlan], max_pages: int, pages_of: PageCount) -> list[Part]:
    """The parts of one volume, in order; one part (the sections as they are) when the
    volume fits or max_pages is 0. Empty sections stay where they fall (the 目录 says 无)."""
    if max_pages <= 0:
        return [Part(tuple(sections), 1, 0)]
    counted = [[(source, max(1, pages_of(source))) for source in sec.sources]
               for sec in sections]
    if sum(p for docs in counted for _, p in docs) <= max_pages:
        return [Part(tuple(sections), 1, 0)]
    parts: list[Part] = []
    current: list[SectionPlan] = []
    used, first = 0, 1
    for section, docs in zip(sections, counted, strict=True):
        taken: list[Source] = []
        continued = False  # the section began in an earlier part
        for source, pages in docs:
            if used and used + pages > max_pages:
                if taken:
                    current.append(_section(section, taken, continued))
                    continued = True
                parts.append(Part(tuple(current), first, used))
                current, taken, first, used = [], [], first + used, 0
            taken.append(source)
            used += pages
        current.append(_section(section, taken, continued))
    parts.append(Part(tuple(current), first, used))
    return parts


def _section(section: SectionPlan, sources: list[Source], continued: bool) -> SectionPlan:
    title = (pdf_text().render(msg("pdf-section-continued", title=section.title))
             if continued else section.title)
    return SectionPlan(section.key, title, tuple(sources))


def part_numeral(n: int) -> str:
    """一, 二 … for the parts' titles (（一）, （二）); digits past 十."""
    return CHINESE_NUMERALS[n - 1] if 1 <= n <= len(CHINESE_NUMERALS) else str(n)
