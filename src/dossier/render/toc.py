"""The 目录 (卷内目录): an archive-style table with clickable rows.

Its columns follow what the volume's documents have (see dossier.titles):
- 序号, 题名, 页号 — the three columns, when no document has a 文号, 责任者 or 日期;
- 序号, 题名, 页号, 备注 — the same with a 备注 column, when a document has a 备注;
- 序号, 文号, 责任者, 题名, 日期, 页号, 备注 — the seven of the 卷内目录, when any document has
  a 文号, 责任者 or 日期; in 五号 type, so they fit A4 portrait.
The columns besides 题名 are as wide as their longest text, within bounds; 题名 takes the
rest (at least TITLE_MIN) and every cell wraps, 题名 and long 文号 included. A section row
spans the columns before 页号.

Material page numbers start at 1 after the cover and 目录, so they are known before the
目录 is laid out; the 目录's own length only shifts link targets, which the assembler
resolves once it knows how many 目录 pages there are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dossier.i18n import msg, pdf_text
from dossier.render.typography import (
    LEFT,
    PAGE_H,
    SIZE_TABLE,
    SIZE_TITLE,
    TEXT_W,
    TOP,
    draw_centered,
    draw_text,
    wrap,
)

COL_NO = 16 * mm
COL_PAGE = 30 * mm
COL_TITLE = TEXT_W - COL_NO - COL_PAGE
PAD = 2.2 * mm
LEADING = SIZE_TABLE * 1.45
BOTTOM = 30 * mm
SIZE_WIDE = 10.5  # 五号: the seven columns
PAD_WIDE = 1.2 * mm
TITLE_MIN = 42 * mm


@dataclass(frozen=True)
class TocEntry:
    section: bool  # a section row (一、…) or a document row
    number: str  # 序号 of a document row
    title: str
    pages: str  # "3", "3–5", or 无 (pdf-toc-none) for an empty section
    target: int | None  # material page number the row links to (None: no link)
    doc_number: str = ""  # 文号
    author: str = ""  # 责任者
    date: str = ""  # 日期
    note: str = ""  # 备注
    span: bool = False  # a plain row whose title spans from 序号 to 页号 (the 主册's volumes)

    @property
    def text(self) -> str:
        """Everything the row prints (to find the characters a font lacks)."""
        return "".join((self.number, self.title, self.pages, self.doc_number, self.author,
                        self.date, self.note))


@dataclass(frozen=True)
class TocLink:
    toc_page: int  # 0-based index among the 目录 pages
    rect: tuple[float, float, float, float]
    target: int  # material page number (1-based)


@dataclass(frozen=True)
class Column:
    field: str  # the TocEntry attribute it shows
    head: str  # message key of its heading
    width: float
    centred: bool


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    size: float  # type size
    pad: float
    min_row: float  # height of a row of one line
    head_row: float  # least height of the heading row

    @property
    def leading(self) -> float:
        return self.size * 1.45

    @property
    def edges(self) -> list[float]:
        xs = [LEFT]
        for col in self.columns:
            xs.append(xs[-1] + col.width)
        return xs

    @property
    def pages_index(self) -> int:
        return next(n for n, c in enumerate(self.columns) if c.field == "pages")


_HEADS = {"number": "pdf-toc-number", "doc_number": "pdf-toc-doc-number",
          "author": "pdf-toc-author", "title": "pdf-toc-title", "date": "pdf-toc-date",
          "pages": "pdf-toc-pages", "note": "pdf-toc-note"}
_CENTRED = frozenset({"number", "date", "pages"})
# (least, greatest) width of the columns fitted to their text; 题名 takes the rest
_BOUNDS = {"number": (10 * mm, 16 * mm), "doc_number": (14 * mm, 38 * mm),
           "author": (14 * mm, 30 * mm), "date": (14 * mm, 22 * mm),
           "pages": (11 * mm, 30 * mm), "note": (11 * mm, 24 * mm)}
# narrowed in turn when 题名 would get less than TITLE_MIN: 责任者 and 备注, then 文号
_SHRINK = (("author", "note"), ("doc_number",))
WIDE = ("number", "doc_number", "author", "title", "date", "pages", "note")

THREE = Layout((Column("number", _HEADS["number"], COL_NO, True),
                Column("title", _HEADS["title"], COL_TITLE, False),
                Column("pages", _HEADS["pages"], COL_PAGE, True)),
               SIZE_TABLE, PAD, 9 * mm, 10 * mm)


def toc_layout(entries: Sequence[TocEntry], font: str) -> Layout:
    """The columns the volume's documents need (see the module's docstring)."""
    docs = [e for e in entries if not e.section]
    if any(e.doc_number or e.author or e.date for e in docs):
        return _fitted(WIDE, entries, font, SIZE_WIDE, PAD_WIDE, 8 * mm)
    if any(e.note for e in docs):
        return _fitted(("number", "title", "pages", "note"), entries, font, SIZE_TABLE, PAD,
                       9 * mm)
    return THREE


def _fitted(fields: Sequence[str], entries: Sequence[TocEntry], font: str, size: float,
            pad: float, min_row: float) -> Layout:
    tr = pdf_text()
    widths: dict[str, float] = {}
    for name in fields:
        if name == "title":
            continue
        texts = [getattr(e, name) for e in entries if not e.section or name == "pages"]
        natural = max(stringWidth(t, font, size) for t in [tr.render(msg(_HEADS[name])),
                                                            *texts]) + 2 * pad
        least, most = _BOUNDS[name]
        widths[name] = min(max(natural, least), most)
    for group in _SHRINK:  # they wrap; each in proportion to its room
        lack = TITLE_MIN - (TEXT_W - sum(widths.values()))
        room = {n: widths[n] - _BOUNDS[n][0] for n in group if n in widths}
        total = sum(room.values())
        if lack <= 0 or not total:
            continue
        for name, spare in room.items():
            widths[name] -= min(spare, lack * spare / total)
    widths["title"] = TEXT_W - sum(widths.values())
    columns = tuple(Column(n, _HEADS[n], widths[n], n in _CENTRED) for n in fields)
    return Layout(columns, size, pad, min_row, 10 * mm)


def page_range(first: int, count: int) -> str:
    return str(first) if count <= 1 else f"{first}–{first + count - 1}"


def draw_toc(c: Canvas, entries: list[TocEntry], font: str,
             title: str = "") -> tuple[int, list[TocLink]]:
    """The 目录 as the next pages of `c`: their count, and the link rectangles."""
    title = title or pdf_text().render(msg("pdf-toc"))
    layout = toc_layout(entries, font)
    links: list[TocLink] = []
    page = 0
    y = _start_page(c, font, layout, title, first=True)
    for entry in entries:
        boxes = _boxes(layout, entry, font)
        height = _height(layout, boxes, layout.min_row)
        if y - height < BOTTOM:
            c.showPage()
            page += 1
            y = _start_page(c, font, layout, title, first=False)
        _draw(c, font, layout, boxes, y, height, bold=entry.section)
        if entry.target is not None:
            links.append(TocLink(page, (LEFT, y - height, LEFT + TEXT_W, y), entry.target))
        y -= height
    c.showPage()
    return page + 1, links


def _start_page(c: Canvas, font: str, layout: Layout, title: str, first: bool) -> float:
    tr = pdf_text()
    heading = " ".join(title) if first else tr.render(msg("pdf-toc-continued", title=title))
    draw_centered(c, heading, font, SIZE_TITLE, PAGE_H - TOP + 8 * mm, bold=True)
    y = PAGE_H - TOP - 4 * mm
    xs = layout.edges
    boxes = [_Box(xs[n], xs[n + 1], _wrap(tr.render(msg(col.head)), font, layout,
                                          xs[n + 1] - xs[n]), True)
             for n, col in enumerate(layout.columns)]
    height = _height(layout, boxes, layout.head_row)
    _draw(c, font, layout, boxes, y, height, bold=True)
    return float(y - height)


@dataclass(frozen=True)
class _Box:
    """One cell of a row: its edges and its lines."""

    left: float
    right: float
    lines: list[str]
    centred: bool


def _wrap(text: str, font: str, layout: Layout, width: float) -> list[str]:
    """The lines of a cell, as even as its line count allows (no lone last character)."""
    if not text:
        return []
    room = width - 2 * layout.pad
    lines = wrap(text, font, layout.size, room)
    if len(lines) < 2:
        return lines
    narrow, wide = room / len(lines), room  # the narrowest room giving as many lines
    for _ in range(12):
        middle = (narrow + wide) / 2
        if len(wrap(text, font, layout.size, middle)) > len(lines):
            narrow = middle
        else:
            wide = middle
    return wrap(text, font, layout.size, wide)


def _wrap_number(text: str, font: str, layout: Layout, width: float) -> list[str]:
    """A 文号 too long for its cell breaks after its year: 巴府发〔2018〕 / 12号."""
    lines = _wrap(text, font, layout, width)
    head, bracket, tail = text.partition("〕")
    if len(lines) == 1 or not bracket or not tail:
        return lines
    return _wrap(head + bracket, font, layout, width) + _wrap(tail, font, layout, width)


def _boxes(layout: Layout, entry: TocEntry, font: str) -> list[_Box]:
    xs = layout.edges
    cols = layout.columns
    if not entry.section and not entry.span:
        return [_Box(xs[n], xs[n + 1],
                     (_wrap_number if col.field == "doc_number" else _wrap)(
                         getattr(entry, col.field), font, layout, xs[n + 1] - xs[n]),
                     col.centred)
                for n, col in enumerate(cols)]
    span = layout.pages_index  # the section's title spans the columns before 页号
    first = 1 if entry.span else 0  # a spanning plain row keeps its 序号 cell
    boxes = [_Box(xs[0], xs[1], _wrap(entry.number, font, layout, xs[1] - xs[0]), True)
             ] if first else []
    boxes += [_Box(xs[first], xs[span], _wrap(entry.title, font, layout,
                                               xs[span] - xs[first]), False)]
    boxes += [_Box(xs[n], xs[n + 1], _wrap(entry.pages if col.field == "pages" else "", font,
                                           layout, xs[n + 1] - xs[n]), col.centred)
              for n, col in enumerate(cols) if n >= span]
    return boxes


def _height(layout: Layout, boxes: Sequence[_Box], least: float) -> float:
    lines = max((len(b.lines) for b in boxes), default=1)
    return max(lines * layout.leading + 2 * layout.pad, least)


def _draw(c: Canvas, font: str, layout: Layout, boxes: Sequence[_Box], top: float,
          height: float, bold: bool) -> None:
    c.setLineWidth(0.6)
    c.rect(LEFT, top - height, TEXT_W, height)
    for box in boxes[1:]:
        c.line(box.left, top, box.left, top - height)
    size, leading = layout.size, layout.leading
    mid_base = top - height / 2 - size * 0.35
    for box in boxes:
        first_base = top - (height - len(box.lines) * leading) / 2 - leading * 0.72
        for n, line in enumerate(box.lines):
            y = mid_base if box.centred and len(box.lines) == 1 else first_base - n * leading
            if box.centred:
                x = box.left + (box.right - box.left - stringWidth(line, font, size)) / 2
            else:
                x = box.left + layout.pad
            draw_text(c, line, font, size, x, y, bold=bold)
