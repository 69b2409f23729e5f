"""The generated 指标达标说明: the document model laid out with reportlab's platypus in the
spirit of GB/T 9704 (A4, 37 mm top, 28 mm binding margin, 3号 body on a 28.9 pt grid,
2号 centred title). Tables wrap CJK text inside their cells and repeat their header row on
every page they run onto."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from dossier.render.document import Block, Heading, Inline, Table, parse, plain
from dossier.render.typography import LEFT, SIZE_BODY, SIZE_TABLE, SIZE_TITLE, TEXT_W, TOP

LINE = 28.9  # GB/T 9704: 22 lines in the 225 mm text block
BOTTOM = 35 * mm
RIGHT = 26 * mm
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=SIZE_BODY, leading=LINE,
                          wordWrap="CJK", alignment=TA_JUSTIFY, firstLineIndent=2 * SIZE_BODY)
    return {
        "title": ParagraphStyle("title", base, fontSize=SIZE_TITLE, leading=SIZE_TITLE * 1.5,
                                alignment=TA_CENTER, firstLineIndent=0, spaceAfter=LINE,
                                keepWithNext=1),
        "h2": ParagraphStyle("h2", base, spaceBefore=6, alignment=TA_LEFT, keepWithNext=1),
        "h3": ParagraphStyle("h3", base, alignment=TA_LEFT, keepWithNext=1),
        "body": base,
        "item": ParagraphStyle("item", base, firstLineIndent=0, leftIndent=2 * SIZE_BODY,
                               bulletIndent=SIZE_BODY * 0.8, bulletFontName=font),
        "cell": ParagraphStyle("cell", base, fontSize=SIZE_TABLE, leading=SIZE_TABLE * 1.35,
                               firstLineIndent=0, alignment=TA_LEFT),
        "head": ParagraphStyle("head", base, fontSize=SIZE_TABLE, leading=SIZE_TABLE * 1.35,
                               firstLineIndent=0, alignment=TA_CENTER),
    }


def _markup(spans: Inline) -> str:
    """reportlab's paragraph markup: escaped text and line breaks. Strong text is set like
    the rest: one CJK face is embedded and it has no bold variant."""
    return "".join(escape(s.text).replace("\n", "<br/>") for s in spans)


def _column_widths(table: Table, font: str) -> list[float]:
    """Columns get their natural width when everything fits; otherwise every column keeps
    room for its header (short headers such as 结论 never break into single characters)
    and the rest of the width goes to the columns that want more, in proportion."""
    pad = 8.0
    minimum, desired = [], []
    for col, head in enumerate(table.header):
        head_w = stringWidth(plain(head), font, SIZE_TABLE) + pad
        cells = [stringWidth(plain(row[col]), font, SIZE_TABLE) + pad for row in table.rows]
        minimum.append(min(max(head_w, 2 * SIZE_TABLE + pad), TEXT_W / 3))
        desired.append(max(minimum[-1], min(max(cells, default=0), TEXT_W / 2)))
    if sum(desired) <= TEXT_W:
        scale = TEXT_W / sum(desired)
        return [w * scale for w in desired]
    spare = TEXT_W - sum(minimum)
    extra = [d - m for d, m in zip(desired, minimum, strict=True)]
    if spare <= 0 or sum(extra) <= 0:
        return [TEXT_W * m / sum(minimum) for m in minimum]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def _table(table: Table, styles: dict[str, ParagraphStyle]) -> RLTable:
    header = [RLParagraph(_markup(c), styles["head"]) for c in table.header]
    rows = [[RLParagraph(_markup(c), ParagraphStyle(f"c{n}", styles["cell"],
                                                    alignment=_ALIGN.get(table.align[n],
                                                                         TA_LEFT)))
             for n, c in enumerate(row)] for row in table.rows]
    font = styles["cell"].fontName
    flow = RLTable([header, *rows], colWidths=_column_widths(table, font), repeatRows=1,
                   hAlign="CENTER", spaceBefore=4, spaceAfter=LINE / 2)
    flow.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return flow


def flowables(blocks: Sequence[Block], font: str) -> list[Flowable]:
    styles = _styles(font)
    story: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Heading):
            style = styles["title"] if block.level == 1 else styles[f"h{min(block.level, 3)}"]
            story.append(RLParagraph(_markup(block.text), style))
        elif isinstance(block, Table):
            story.append(_table(block, styles))
        elif block.marker:
            story.append(RLParagraph(_markup(block.text), styles["item"],
                                     bulletText=block.marker))
        else:
            story.append(RLParagraph(_markup(block.text), styles["body"]))
    return story


def render_explanation(markdown: str, font: str, title: str = "") -> bytes:
    """The explanation as PDF bytes (deterministic: reportlab invariant mode)."""
    rl_config.useA85 = 0
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                            topMargin=TOP, bottomMargin=BOTTOM, title=title,
                            invariant=1, pageCompression=1)
    story = flowables(parse(markdown), font)
    doc.build(story or [Spacer(1, 1)])
    return buf.getvalue()
