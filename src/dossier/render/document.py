"""A small document model (headings, paragraphs, list items, tables) read from Markdown
with markdown-it-py, so templates stay plain Markdown and no markup is parsed by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True)
class Span:
    text: str
    strong: bool = False


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 1: title; 2: 一、; 3: （一）
    text: Inline


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    marker: str = ""  # "1." or "•" for list items; "" for body text


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[str, ...]  # "left" | "center" | "right" per column


Block = Heading | Paragraph | Table


def plain(spans: Inline) -> str:
    return "".join(s.text for s in spans)


def parse(markdown: str) -> tuple[Block, ...]:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return tuple(_Builder(md.parse(markdown)).blocks())


class _Builder:
    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.lists: list[list[int | None]] = []  # stack of [next ordinal or None (bullets)]

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok.type == "heading_open":
                out.append(Heading(int(tok.tag[1]), self.inline()))
            elif tok.type == "paragraph_open":
                out.append(Paragraph(self.inline(), self.marker()))
            elif tok.type == "bullet_list_open":
                self.lists.append([None])
            elif tok.type == "ordered_list_open":
                self.lists.append([int(tok.attrs.get("start", 1) or 1)])
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif tok.type == "table_open":
                out.append(self.table())
            elif tok.type in ("fence", "code_block"):
                out += [Paragraph((Span(line),)) for line in tok.content.splitlines()]
        return out

    def marker(self) -> str:
        """The list marker for a paragraph opening a list item (only the first one)."""
        prev = self.tokens[self.pos - 4] if self.pos >= 4 else None
        if not self.lists or prev is None or prev.type != "list_item_open":
            return ""
        top = self.lists[-1]
        if top[0] is None:
            return "•"
        number = top[0]
        top[0] = number + 1
        return f"{number}."

    def inline(self) -> Inline:
        tok = self.tokens[self.pos]
        self.pos += 2  # the inline token and the closing tag
        return _spans(tok.children or [])

    def table(self) -> Table:
        header: list[Inline] = []
        rows: list[tuple[Inline, ...]] = []
        align: list[str] = []
        row: list[Inline] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok.type in ("th_open", "td_open"):
                style = str(tok.attrs.get("style", ""))
                if tok.type == "th_open":
                    align.append(style.removeprefix("text-align:") or "left")
                row.append(self.inline())
            elif tok.type == "tr_close":
                if not header:
                    header = row
                else:
                    rows.append(tuple(row))
                row = []
            elif tok.type == "table_close":
                break
        width = len(header)
        rows = [tuple(r[:width]) + ((),) * (width - len(r)) for r in rows]
        return Table(tuple(header), tuple(rows), tuple(align))


def _spans(children: Sequence[Token]) -> Inline:
    spans: list[Span] = []
    strong = False
    for child in children:
        if child.type == "strong_open":
            strong = True
        elif child.type == "strong_close":
            strong = False
        elif child.type in ("text", "code_inline"):
            spans.append(Span(child.content, strong))
        elif child.type in ("softbreak", "hardbreak"):
            spans.append(Span("\n" if child.type == "hardbreak" else "", strong))
    merged: list[Span] = []
    for s in spans:
        if merged and merged[-1].strong == s.strong:
            merged[-1] = Span(merged[-1].text + s.text, s.strong)
        elif s.text:
            merged.append(s)
    return tuple(merged)
