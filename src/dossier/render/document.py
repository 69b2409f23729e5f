"""A small document model (headings, paragraphs, list items, tables, a closing 落款) read
from Markdown with markdown-it-py, so templates stay plain Markdown and no markup is parsed
by hand."""

from __future__ import annotations

import unicodedata
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


@dataclass(frozen=True)
class Signature:
    """The 落款 closing the document: the issuing unit and the date, one per line (a
    fenced block with the info string 落款)."""

    lines: tuple[str, ...]


SIGNATURE = "落款"

Block = Heading | Paragraph | Table | Signature


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
        self.pending = ""  # the marker of a list item whose first paragraph is still to come

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok.type == "heading_open":
                out.append(Heading(int(tok.tag[1]), self.inline()))
            elif tok.type == "paragraph_open":
                out.append(Paragraph(self.inline(), self.take_marker()))
            elif tok.type == "bullet_list_open":
                self.lists.append([None])
            elif tok.type == "ordered_list_open":
                self.lists.append([int(tok.attrs.get("start", 1))])  # "0." starts at 0
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif tok.type == "list_item_open":
                self.pending = self.next_marker()
            elif tok.type == "list_item_close":
                self.pending = ""
            elif tok.type == "table_open":
                out.append(self.table())
            elif tok.type == "fence" and tok.info.strip() == SIGNATURE:
                lines = tuple(t for line in tok.content.splitlines() if (t := line.strip()))
                if lines:
                    out.append(Signature(lines))
            elif tok.type in ("fence", "code_block"):
                out += [Paragraph((Span(line),) if line else (), "" if n else self.take_marker())
                        for n, line in enumerate(tok.content.splitlines())]
        return out

    def next_marker(self) -> str:
        """The marker of a new list item: every item counts, whatever its first block is."""
        top = self.lists[-1]
        if top[0] is None:
            return "•"
        number = top[0]
        top[0] = number + 1
        return f"{number}."

    def take_marker(self) -> str:
        """The list marker for a paragraph opening a list item (only the first one)."""
        marker, self.pending = self.pending, ""
        return marker

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


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


def _spans(children: Sequence[Token]) -> Inline:
    """Inline tokens as spans. A soft line break is a space between Latin words and nothing
    next to Chinese, so wrapped source lines do not leave stray spaces in the text."""
    pieces: list[tuple[str | None, bool]] = []  # None: a soft break, resolved below
    strong = False
    for child in children:
        if child.type == "strong_open":
            strong = True
        elif child.type == "strong_close":
            strong = False
        elif child.type in ("text", "code_inline", "image"):
            pieces.append((child.content, strong))
        elif child.type == "softbreak":
            pieces.append((None, strong))
        elif child.type == "hardbreak":
            pieces.append(("\n", strong))
    spans: list[Span] = []
    for n, (text, bold) in enumerate(pieces):
        if text is None:
            before = next((t for t, _ in reversed(pieces[:n]) if t), "")
            after = next((t for t, _ in pieces[n + 1:] if t), "")
            text = "" if _wide(before[-1:]) or _wide(after[:1]) else " "
        spans.append(Span(text, bold))
    merged: list[Span] = []
    for s in spans:
        if merged and merged[-1].strong == s.strong:
            merged[-1] = Span(merged[-1].text + s.text, s.strong)
        elif s.text:
            merged.append(s)
    return tuple(merged)
