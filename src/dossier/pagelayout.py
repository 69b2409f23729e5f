"""What each page of a volume is, in order: the cover, the 目录 pages, blank backs
(`--duplex`), the numbered material and the 卷内备考表 (`--closing-sheet`). assemble.py
records a page here as it adds it; the page labels a viewer shows, the side a page number
goes on and the manifest's record of blanks all come from this one list, and `verify`
reads the same vocabulary back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PdfWriter

# the kinds of page of a volume
COVER, TOC, BLANK, MATERIAL, CLOSING = "cover", "toc", "blank", "material", "closing"


@dataclass
class Pages:
    """The pages of the volume being written: (kind, number) each; the number is the
    目录 page's own (1 …) or the material page's (as stamped); 0 for the rest."""

    duplex: bool = False
    kinds: list[tuple[str, int]] = field(default_factory=list)

    def add(self, kind: str, number: int = 0) -> None:
        self.kinds.append((kind, number))

    def needs_blank(self) -> bool:
        """Double-sided: the next page would fall on a back (a left-hand page), so a blank
        page goes first and it starts on the right."""
        return self.duplex and len(self.kinds) % 2 == 1

    @property
    def blanks(self) -> tuple[int, ...]:
        """Indexes (0-based) of the blank pages."""
        return tuple(i for i, (kind, _) in enumerate(self.kinds) if kind == BLANK)

    @property
    def closing(self) -> int:
        """Index of the 卷内备考表, or -1."""
        return next((i for i, (kind, _) in enumerate(self.kinds) if kind == CLOSING), -1)

    def apply_labels(self, writer: PdfWriter, words: dict[str, str]) -> None:
        """Page labels, as viewers show them: 封面, 目录1 …, 1 … (the stamped numbers),
        空白 for a blank and 备考表 for the closing sheet. `words`: kind -> label."""
        from pypdf.constants import PageLabelStyle

        runs: list[tuple[int, int, str, int]] = []  # first index, last index, kind, number
        for index, (kind, number) in enumerate(self.kinds):
            last = runs[-1] if runs else None
            numbered = kind in (TOC, MATERIAL)
            if (last is not None and last[2] == kind and numbered
                    and number == last[3] + index - last[0]):
                runs[-1] = (last[0], index, kind, last[3])
            else:
                runs.append((index, index, kind, number))
        for first, last_index, kind, number in runs:
            if kind == MATERIAL:
                writer.set_page_label(first, last_index, style=PageLabelStyle.DECIMAL,
                                      start=number)
            elif kind == TOC:
                writer.set_page_label(first, last_index, style=PageLabelStyle.DECIMAL,
                                      prefix=words[TOC], start=number)
            else:
                writer.set_page_label(first, last_index, prefix=words[kind])
