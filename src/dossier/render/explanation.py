"""The generated 指标达标说明: the document model laid out with reportlab's platypus in the
spirit of GB/T 9704 (A4, 37 mm top, 28 mm binding margin, a 156 x 225 mm text block, 3号
body on a 28.9 pt grid, 2号 centred title).

Text is set by `_Text`, not reportlab's Paragraph, whose CJK mode lets closing punctuation
hang into the margin (or past a table's rule), may end a line on an opening bracket and
cannot justify lines without spaces. Here lines break between any two Chinese characters
but keep Latin words and numbers whole, follow 避头尾 by moving the break back, and are
justified with character spacing. Tables wrap inside their cells, size their columns so
headers and short values never break, and repeat their header row on every page; a row
taller than a page is cut into pieces the table can break between. Headings stay with
what follows, small tables are not split, and a long block after a heading starts on the
heading's page instead of leaving it half empty. The 落款 (unit and date) closes the
text as in GB/T 9704 7.3.5.1: the date 右空四字, the unit centred above it, both in a
clear 45 mm square left for the seal, on the same page as the last lines of text."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from dossier.render.document import Block, Heading, Inline, Signature, Table, parse, plain
from dossier.render.lines import Line, break_lines, split_units, title_lines
from dossier.render.typography import (
    LEFT,
    SIZE_BODY,
    SIZE_TABLE,
    SIZE_TITLE,
    TEXT_H,
    TEXT_W,
    TOP,
)

LINE = 28.9  # GB/T 9704: 22 lines in the 225 mm text block
BOTTOM = 35 * mm
RIGHT = 26 * mm
CELL_LEADING = SIZE_TABLE * 1.35
CELL_PAD = 4.0  # left and right padding inside table cells
_CHUNK = 4  # lines per piece of a table row too tall for a page
_ALIGNS = ("left", "center", "right")
_EPS = 1e-6
SEAL_ROOM = 45 * mm  # a 公章 is about 42 mm across: this square is left clear for it
DATE_INDENT = 4  # GB/T 9704: the 成文日期 右空四字 (in characters of the body size)

@dataclass(frozen=True)
class _Style:
    font: str
    size: float
    leading: float
    indent: float = 0.0  # first line
    align: str = "justify"  # or left, center, right
    bold: bool = False
    title: bool = False  # break like a title (see lines.title_lines)
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False


class _Text(Flowable):  # type: ignore[misc]
    """A paragraph of plain text: CJK line breaking with 避头尾, justified by character
    spacing (left, centre or right aligned when asked), split between lines across pages
    without leaving a lone first or last line behind."""

    def __init__(self, text: str, style: _Style) -> None:
        super().__init__()
        self.text, self.style = text, style
        self.spaceBefore, self.spaceAfter = style.space_before, style.space_after
        self.keepWithNext = int(style.keep_with_next)
        self.lines: list[Line] = []
        self._laid_out_for: float | None = None

    def __repr__(self) -> str:
        return f"_Text({self.text[:30]!r})"

    def _layout(self, width: float) -> None:
        if self._laid_out_for is not None and abs(self._laid_out_for - width) < _EPS:
            return
        st = self.style
        if st.title:
            self.lines = title_lines(self.text, st.font, st.size, width)
        else:
            self.lines = break_lines(self.text, st.font, st.size, width, st.indent)
        self._laid_out_for = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout(availWidth)
        self.width = availWidth
        self.height = len(self.lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._layout(availWidth)
        total = len(self.lines)
        fit = int((availHeight + _EPS) // self.style.leading)
        if fit >= total:
            return []  # split only when it does not fit
        if total - fit == 1 and fit > 2:
            fit -= 1  # no widow: carry two lines over
        if fit < 2:
            return []  # no orphan: a lone first line moves on with the rest
        return list(self.cut(fit))

    def cut(self, n: int) -> tuple[_Text, _Text]:
        """The first `n` lines and the rest, as two texts (laid out already)."""
        head = replace(self.style, space_after=0.0, keep_with_next=False)
        tail = replace(self.style, space_before=0.0, indent=0.0)
        return self._part(self.lines[:n], head), self._part(self.lines[n:], tail)

    def _part(self, lines: list[Line], style: _Style) -> _Text:
        """Some lines of this text as a text of their own (laid out again, should it be
        wrapped at another width, from just the text of these lines)."""
        part = _Text("".join(line.source for line in lines).removesuffix("\n"), style)
        part.lines, part._laid_out_for = lines, self._laid_out_for
        return part

    def _spacing(self, line: Line) -> float:
        """Character spacing that makes a justified line exactly fill its room."""
        if self.style.align != "justify" or line.last or len(line.text) < 2:
            return 0.0
        spacing = (line.room - line.width) / (len(line.text) - 1)
        return spacing if -self.style.size * 0.2 <= spacing <= self.style.size * 0.5 else 0.0

    def draw(self) -> None:
        st, canv = self.style, self.canv
        canv.saveState()
        text = canv.beginText()
        text.setFont(st.font, st.size)
        if st.bold:  # one CJK face, no bold variant: stroke the outlines too (黑体-like)
            text.setTextRenderMode(2)
            canv.setLineWidth(st.size / 40)
        # the em box sits in the middle of the line, its baseline 0.12 em above its foot
        drop = (st.leading - st.size) / 2 + st.size * 0.88
        for n, line in enumerate(self.lines):
            x = line.x
            if st.align == "center":
                x += (line.room - line.width) / 2
            elif st.align == "right":
                x += line.room - line.width
            text.setTextOrigin(x, self.height - n * st.leading - drop)
            text.setCharSpace(self._spacing(line))
            text.textOut(line.text)
        canv.drawText(text)
        canv.restoreState()


class _Signature(Flowable):  # type: ignore[misc]
    """The 落款: a clear square of SEAL_ROOM for the seal right under the text, holding the
    unit and the date. The date ends DATE_INDENT characters before the right edge, the unit
    is centred on the date, and the square is centred on them with the lines a little below
    its middle (印章端正、居中下压发文机关署名和成文日期, 居印章中心偏下位置)."""

    def __init__(self, lines: Sequence[str], font: str) -> None:
        super().__init__()
        self.lines, self.font = tuple(lines), font
        self.size, self.leading = SIZE_BODY, LINE
        self.top = SEAL_ROOM / 2 - self.leading / 2  # of the first line, from the square's top

    def __repr__(self) -> str:
        return f"_Signature({self.lines!r})"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = max(SEAL_ROOM, self.top + len(self.lines) * self.leading)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # never cut: the unit, the date and the seal's room stay together

    def placed(self) -> tuple[float, list[tuple[float, str]]]:
        """The centre of the square (x) and where each line starts (x, text)."""
        widths = [stringWidth(t, self.font, self.size) for t in self.lines]
        centre = self.width - DATE_INDENT * self.size - widths[-1] / 2
        # a long unit name stays inside the text block
        overflow = max(centre + w / 2 for w in widths) - self.width
        if overflow > 0:
            centre -= overflow
        centre = max(centre, max(widths) / 2, SEAL_ROOM / 2)
        centre = min(centre, self.width - SEAL_ROOM / 2)
        return centre, [(max(0.0, centre - w / 2), t) for w, t in zip(widths, self.lines,
                                                                       strict=True)]

    def draw(self) -> None:
        canv = self.canv
        _, lines = self.placed()
        drop = (self.leading - self.size) / 2 + self.size * 0.88  # as in _Text
        canv.saveState()
        text = canv.beginText()
        text.setFont(self.font, self.size)
        for n, (x, line) in enumerate(lines):
            text.setTextOrigin(x, self.height - self.top - n * self.leading - drop)
            text.textOut(line)
        canv.drawText(text)
        canv.restoreState()


class _Closing(Flowable):  # type: ignore[misc]
    """The last paragraph and the 落款 under it, never parted: when both do not fit, the
    paragraph is cut so that at least two of its lines go over with the 落款 (no 落款 alone
    at the top of a page); a paragraph too short to cut moves over whole."""

    def __init__(self, text: _Text | None, signature: _Signature) -> None:
        super().__init__()
        self.text, self.signature = text, signature
        self.spaceBefore = text.spaceBefore if text else 0.0
        self.spaceAfter = 0.0

    def __repr__(self) -> str:
        return f"_Closing({self.text!r}, {self.signature!r})"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        above = self.text.wrap(availWidth, availHeight)[1] if self.text else 0.0
        self._above = above
        below = self.signature.wrap(availWidth, availHeight)[1]
        self.width, self.height = availWidth, above + below
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.text is None or self.height <= availHeight + _EPS:
            return []
        leading = self.text.style.leading
        fit = int((availHeight + _EPS) // leading)  # lines of the text that fit here
        keep = min(fit, len(self.text.lines) - 2)  # at least two go over with the 落款
        if keep < 2:
            return []  # no orphan either: the whole paragraph goes over
        head, tail = self.text.cut(keep)
        return [head, _Closing(tail, self.signature)]

    def draw(self) -> None:
        below = self.signature.height
        if self.text:
            self.text.drawOn(self.canv, 0, below)
        self.signature.drawOn(self.canv, 0, 0)


class _Keep(KeepTogether):  # type: ignore[misc]
    """Headings kept with what follows, and small tables kept whole. A group too big to
    be worth a page break (over `limit` high) is not pushed to the next page as
    reportlab's KeepTogether would: the headings stay with the first part of the block
    when that part fits here (which a table's split allows only with a body row)."""

    limit = TEXT_H / 2

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        height: float = self._H
        if height > max(aH, self.limit):
            *heads, body = self._content
            used = body.getSpaceBefore()
            for head in heads:
                used += head.wrapOn(self.canv, aW, aH)[1] + head.getSpaceBefore()
                used += head.getSpaceAfter()
            if used < aH:
                parts = body.splitOn(self.canv, aW, aH - used)
                if len(parts) >= 2:
                    return [*heads, *parts]
        return list(super().split(aW, aH))


def _styles(font: str) -> dict[str, _Style]:
    body = _Style(font, SIZE_BODY, LINE, indent=2 * SIZE_BODY)
    return {
        "title": _Style(font, SIZE_TITLE, SIZE_TITLE * 1.5, align="center", bold=True,
                        title=True, space_after=LINE, keep_with_next=True),
        "h2": replace(body, bold=True, space_before=6, keep_with_next=True),
        "h3": replace(body, keep_with_next=True),
        "h4": replace(body, bold=True, keep_with_next=True),  # 1. level: 仿宋加粗
        "body": body,
        "head": _Style(font, SIZE_TABLE, CELL_LEADING, align="center", bold=True),
        "cell": _Style(font, SIZE_TABLE, CELL_LEADING),
    }


def _column_widths(table: Table, font: str) -> list[float]:
    """Column widths filling the text block. Every column gets room for its header, for
    its short values (结论, 实际值, 2018—2020, 15.2 平方米/人 never break) and for its
    longest Latin word; the rest of the width then goes, step by step, to the column
    where it saves the most table height (estimated from text widths), so long texts
    share the width instead of one column taking it all."""
    pad = 2 * CELL_PAD + 0.5
    short = 8 * SIZE_TABLE  # up to eight CJK characters, or a number with its unit

    def segments(spans: Inline) -> list[float]:
        return [stringWidth(seg, font, SIZE_TABLE) for seg in plain(spans).split("\n")]

    heads = [max(segments(h)) for h in table.header]
    # cells[r][c]: the widths of the hard-broken segments of a cell
    cells = [[segments(c) for c in row] for row in table.rows]
    hard, soft, natural = [], [], []  # soft: with the short values kept whole too
    for c, head in enumerate(heads):
        words = [stringWidth(u, font, SIZE_TABLE) for row in table.rows
                 for u in split_units(plain(row[c]))]
        keep = [max(row[c]) for row in cells if max(row[c]) <= short]
        hard.append(min(max([head, 2 * SIZE_TABLE, *words]), TEXT_W / 3) + pad)
        soft.append(max(hard[-1], min(max(keep, default=0), TEXT_W / 3) + pad))
        natural.append(max([soft[-1], *(max(row[c]) + pad for row in cells)]))
    if sum(natural) <= TEXT_W:
        return [w * TEXT_W / sum(natural) for w in natural]
    minimum = soft if sum(soft) <= TEXT_W else hard
    if sum(minimum) >= TEXT_W:
        return [w * TEXT_W / sum(minimum) for w in minimum]

    def lines(seg: float, width: float) -> int:
        return max(1, math.ceil(seg / (width - pad) - _EPS))

    def height(ws: list[float]) -> int:  # the table's height in lines
        return sum(max(sum(lines(seg, w) for seg in cell) for cell, w in zip(row, ws, strict=True))
                   for row in cells)

    # the fewest lines k that every cell can keep to, each column just wide enough for it
    k, widths = 1, natural
    while sum(widths) > TEXT_W:
        k += 1
        widths = [max([m, *(seg / k + pad + 0.01 for row in cells for seg in row[c])])
                  for c, m in enumerate(minimum)]
    spare = TEXT_W - sum(widths)
    # then widen the column that makes the table shortest, while that helps
    current = height(widths)
    while spare > _EPS:
        best: tuple[float, int, float] | None = None  # lines saved per point, column, step
        for c in range(len(widths)):
            # the next width at which some cell of this column needs one line fewer
            steps = [seg / (n - 1) + pad + 0.01 - widths[c] for row in cells for seg in row[c]
                     if (n := lines(seg, widths[c])) > 1]
            steps = [st for st in steps if st <= spare]
            if steps:
                trial = widths[:]
                trial[c] += max(min(steps), 0.0)
                gain = (current - height(trial)) / max(min(steps), 0.01)
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, c, max(min(steps), 0.0))
        if best is None:
            break
        widths[best[1]] += best[2]
        spare -= best[2]
        current = height(widths)
    if spare > _EPS:  # what is left goes to the columns with most text still to show
        want = [max(n - w, 0.0) for n, w in zip(natural, widths, strict=True)]
        share = want if sum(want) > _EPS else widths
        widths = [w + spare * s / sum(share) for w, s in zip(widths, share, strict=True)]
    return widths


def _table(table: Table, font: str) -> RLTable:
    styles = _styles(font)
    header = [_Text(plain(c), styles["head"]) for c in table.header]
    aligns = [a if a in _ALIGNS else "left" for a in table.align]
    widths = _column_widths(table, font)
    data: list[list[_Text | str]] = [list(header)]
    joined: list[int] = []  # rows continued by the next one: no rule below them
    for row in table.rows:
        cells = [_Text(plain(c), replace(styles["cell"], align=a))
                 for c, a in zip(row, aligns, strict=True)]
        tall = max(c.wrap(w - 2 * CELL_PAD, TEXT_H)[1] for c, w in zip(cells, widths,
                                                                      strict=True))
        if tall <= TEXT_H / 2:
            data.append(list(cells))
            continue
        # A row too tall for a page is set as a run of rows of a few lines each, without
        # rules between them, so that the table can break between them.
        first = len(data)
        for top in range(0, max(len(c.lines) for c in cells), _CHUNK):
            data.append([c._part(c.lines[top:top + _CHUNK], c.style)
                         if c.lines[top:top + _CHUNK] else "" for c in cells])
        joined += range(first, len(data) - 1)
    rules = [("LINEBELOW", (0, n), (-1, n), 0.6, colors.black)
             for n in range(len(data)) if n not in joined]
    flow = RLTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER", spaceBefore=4,
                   spaceAfter=LINE / 2)
    flow.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.6, colors.black),
        *rules,
        ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *(("VALIGN", (0, n), (-1, n + 1), "TOP") for n in joined),
        *(("BOTTOMPADDING", (0, n), (-1, n), 0) for n in joined),
        *(("TOPPADDING", (0, n + 1), (-1, n + 1), 0) for n in joined),
    ]))
    return flow


def flowables(blocks: Sequence[Block], font: str) -> list[Flowable]:
    styles = _styles(font)
    story: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Heading):
            style = styles["title"] if block.level == 1 else styles[f"h{min(block.level, 4)}"]
            story.append(_Text(plain(block.text), style))
        elif isinstance(block, Signature):
            last = story[-1] if story else None
            if isinstance(last, _Text) and not last.style.keep_with_next:
                story[-1] = _Closing(last, _Signature(block.lines, font))
            else:
                story.append(_Closing(None, _Signature(block.lines, font)))
        elif isinstance(block, Table):
            table: Flowable = _table(block, font)
            if not (story and story[-1].getKeepWithNext()):
                table = _Keep([table])  # a small table is not split (after a heading, the
                table.limit = TEXT_H / 3  # heading's group keeps it together)
            story.append(table)
        else:  # list markers stay in the line, as 1. and （1） do in GB/T 9704 documents
            marker = block.marker + (" " if block.marker == "•" else "")
            story.append(_Text(marker + plain(block.text), styles["body"]))
    return story


def render_explanation(markdown: str, font: str, title: str = "") -> bytes:
    """The explanation as PDF bytes (deterministic: reportlab invariant mode)."""
    rl_config.useA85 = 0
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                          topMargin=TOP, bottomMargin=BOTTOM, title=title, invariant=1,
                          pageCompression=1, keepTogetherClass=_Keep,
                          initialFontName=font)  # else an unused Helvetica is referenced
    # the frame is exactly the GB/T 9704 text block: no padding inside the margins
    frame = Frame(LEFT, BOTTOM, TEXT_W, TEXT_H, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="text")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story = flowables(parse(markdown), font)
    doc.build(story or [Spacer(1, 1)])
    return buf.getvalue()
