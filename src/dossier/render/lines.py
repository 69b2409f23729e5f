"""Line breaking for Chinese text, shared by the 达标说明, the cover, the 目录 and
placeholder pages: breaks fall between any two Chinese characters, Latin words and numbers
stay whole, 避头尾 moves a break back (a line never starts with closing punctuation nor
ends with opening punctuation), and a title that needs two lines breaks where the sense
allows (after 」 or ）) into lines as even as possible."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

_EPS = 1e-6


def tokens(text: str) -> Iterator[str]:
    """Words (runs of ASCII non-space characters) and single other characters."""
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            yield word
            word = ""
        yield ch
    if word:
        yield word


# 避头: characters that must not start a line; 避尾: that must not end one.
NO_START = frozenset("，。、；：？！）》」』”’〕】〉］｝,.;:?!)]}%·—…～")
NO_END = frozenset("（《「『“‘〔【〈［｛([{≥≤±￥")
# A title that needs two lines is broken after one of these, where the sense allows it.
_TITLE_BREAKS = frozenset("」』）》】〕)，、：； ")


@dataclass(frozen=True)
class Line:
    text: str
    x: float  # offset of the line's room from the flowable's left edge
    room: float  # the width the line may fill
    width: float  # the width of its text
    last: bool  # the last line of a paragraph or before a hard break: not justified
    source: str  # the text it stands for, with the spaces and hard break it swallowed


def split_units(text: str) -> list[str]:
    """Breakable units: a run of ASCII letters, digits and punctuation (a word or a
    number, kept whole), a space, or any other single character."""
    return [" " if t.isspace() else t for t in tokens(text)]


def _settle(units: Sequence[str], start: int, end: int) -> int:
    """Move a break back so the next line does not start with closing punctuation and this
    one does not end with opening punctuation (at most two units, and never emptying the
    line); the break stays where it was when no better place is that close."""
    brk = end
    for _ in range(3):
        if brk >= len(units) or units[brk] == " " or units[brk - 1] == " ":
            return brk
        if units[brk][0] not in NO_START and units[brk - 1][-1] not in NO_END:
            return brk
        if brk - 1 <= start:
            break
        brk -= 1
    return end


def break_lines(text: str, font: str, size: float, width: float,
                indent: float = 0.0) -> list[Line]:
    """Lines of `text` no wider than `width` (the first one `indent` narrower); "\\n" is a
    hard break. Every line is at least one character, so nothing is ever lost."""
    lines: list[Line] = []
    segments = text.split("\n")
    for number, segment in enumerate(segments):
        units = split_units(segment)
        widths = [stringWidth(u, font, size) for u in units]
        start = 0
        while True:
            begin = start
            while start < len(units) and units[start] == " ":
                start += 1
            x = indent if not lines else 0.0
            room = width - x
            end, used = start, 0.0
            while end < len(units) and used + widths[end] <= room + _EPS:
                used += widths[end]
                end += 1
            last = end >= len(units)
            if not last and end == start and len(units[start]) == 1:
                end = start + 1  # a character wider than the line: it gets a line alone
            elif not last and end == start:  # a word wider than the line: cut it
                unit, cut = units[start], 1
                while cut < len(unit) - 1 and stringWidth(unit[:cut + 1], font, size) <= room:
                    cut += 1
                units[start:start + 1] = [unit[:cut], unit[cut:]]
                widths[start:start + 1] = [stringWidth(unit[:cut], font, size),
                                           stringWidth(unit[cut:], font, size)]
                end = start + 1
            elif not last:
                end = _settle(units, start, end)
            line = "".join(units[start:end]).rstrip(" ")
            source = "".join(units[begin:end]) + ("\n" if last and number < len(segments) - 1
                                                  else "")
            lines.append(Line(line, x, room, stringWidth(line, font, size), last, source))
            if last:
                break
            start = end
    return lines


def title_lines(text: str, font: str, size: float, width: float) -> list[Line]:
    """A title that does not fit on one line is broken where the sense allows (after 」, ）
    or punctuation) into two lines as even as possible; failing that, greedily but into
    lines of even length, as GB/T 9704 asks (词意完整, 排列对称)."""
    greedy = break_lines(text, font, size, width)
    if len(greedy) == 1 or "\n" in text:
        return greedy
    best: tuple[float, int] | None = None
    for cut in range(1, len(text)):
        if text[cut - 1] not in _TITLE_BREAKS or text[cut] in NO_START:
            continue
        head, tail = text[:cut].rstrip(), text[cut:].lstrip()
        w1, w2 = stringWidth(head, font, size), stringWidth(tail, font, size)
        if head and tail and max(w1, w2) <= width + _EPS and (best is None or
                                                               abs(w1 - w2) < best[0]):
            best = (abs(w1 - w2), cut)
    if best is not None:
        cut = best[1]
        return break_lines(text[:cut].rstrip() + "\n" + text[cut:].lstrip(), font, size, width)
    low, high = width / len(greedy), width  # the narrowest measure giving as many lines
    for _ in range(20):
        mid = (low + high) / 2
        if len(break_lines(text, font, size, mid)) > len(greedy):
            low = mid
        else:
            high = mid
    return [Line(ln.text, 0.0, width, ln.width, True, ln.source)
            for ln in break_lines(text, font, size, high)]
