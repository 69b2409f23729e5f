"""Figures checked against the evidence (附件3 (三)(四): 实证性, 逻辑性).

For each figure of 达标说明.yaml with a value and a 来源 (a reference to 共享数据.yaml takes
the 来源 written there), the documents its 来源 names are found among the bound files:

- by 文号: a 来源 holding a 文号 (川环函〔2021〕45号) names the files with that 文号;
- by review point: 审核要点(2), 要点2 or a bare (2) names the files tagged (2) that are
  evidence for the figure's year;
- by title: a 来源 that contains a file's title, or is contained in it, or reads almost the
  same (difflib ratio ≥ 0.8), names that file; when the 来源 names years, the file's title
  must name one of them (or none). Containment counts when the shorter text has 6
  characters or more, or is 40% of the longer: 考核结果 inside a long 来源 names nothing. Of
  several such files, those named best are kept (the same words before a longer title
  containing them, a longer common part before a shorter), and of those, the files that
  are evidence for the figure's year, when there are any. The indicator's own files are
  searched first, then the other checked indicators' files.

The figure is then looked for in those documents' text (dossier.evidence). When it is in
none of them, `figure-not-in-evidence` warns, naming the figure, the year and the documents
searched; a warning, never an error, for OCR misses digits. When none of the documents has
any text (scans without OCR), `figure-evidence-unreadable` says so once per figure. A 来源
naming no bound document (环卫部门测算) is not checked."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from dossier.evidence import DocumentText, number_text
from dossier.explain.model import Explanation, Figure, SharedData
from dossier.findings import Finding, finding
from dossier.naming import doc_number, fold_width, safe_display
from dossier.scan import MaterialFile
from dossier.titles import Titled

_TAG = re.compile(r"(?:审核要点|要点|审核点)\s*[（(]?\s*(\d{1,2})\s*[)）]?"
                  r"|^\s*[（(](\d{1,2})[)）]\s*$")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_PUNCT = re.compile(r"[\s《》“”\"'‘’（）()\[\]【】〔〕、，,。.:：;；\-—–_·]")
SIMILAR = 0.8
CONTAINED = 6  # characters: a title this long is named when the 来源 holds it
SHARE = 0.4  # or a shorter one, when it is this share of the longer


@dataclass(frozen=True)
class Candidate:
    file: MaterialFile
    titled: Titled
    years: frozenset[int]  # the years it is evidence for


def evidence_findings(explanations: Iterable[Explanation], shared: SharedData | None,
                      candidates: Sequence[Candidate],
                      text_of: Callable[[MaterialFile], DocumentText]) -> Iterator[Finding]:
    """`candidates`: the usable PDF and image files that may be cited; `text_of`: a
    document's text (cached by the caller)."""
    for explanation in explanations:
        own = [c for c in candidates if c.file.indicator == explanation.indicator]
        others = [c for c in candidates if c.file.indicator != explanation.indicator]
        for year in explanation.years:
            for figure in year.all_figures():
                source = _source(figure, shared)
                if figure.value is None or not source:
                    continue
                cited = cite(source, figure.year, own) or cite(source, figure.year, others)
                if cited:
                    yield from _judge(explanation, figure, source, cited, text_of)


def cite(source: str, year: int, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The documents a 来源 names (see the module's text), in the order given."""
    text = fold_width(unicodedata.normalize("NFKC", source))
    number = doc_number(text)
    if number is not None:
        key = _key(number.text)
        found = [c for c in candidates if c.titled.number and _key(c.titled.number) == key]
        if found:
            return found
    tag = _TAG.search(text)
    if tag:
        point = int(tag.group(1) or tag.group(2))
        found = [c for c in candidates if point in c.file.tags and year in c.years]
        if found:
            return found
    scored = [(_likeness(text, c.titled), c) for c in candidates]
    best = max((score for score, _ in scored), default=0.0)
    named = [c for score, c in scored if score >= SIMILAR and score >= best - 0.05]
    for_year = [c for c in named if year in c.years]
    return for_year or named


def _likeness(source: str, titled: Titled) -> float:
    """How well a 来源 names a file by its title: 1 for the same words; 0.8 and more for one
    containing the other (more, the more of it the shorter covers), else difflib's ratio;
    0 when their years differ."""
    wanted = _key(source)
    years = set(_YEAR.findall(source))
    best = 0.0
    for title in {titled.title, titled.own}:
        key = _key(title)
        if len(key) < 4 or len(wanted) < 4:
            continue
        named = set(_YEAR.findall(title))
        if years and named and not years & named:
            continue
        if key == wanted:
            return 1.0
        short, long = sorted((len(key), len(wanted)))
        if (key in wanted or wanted in key) and (short >= CONTAINED or short / long >= SHARE):
            best = max(best, 0.8 + 0.19 * short / long)
        else:
            best = max(best, difflib.SequenceMatcher(None, key, wanted).ratio())
    return best


def _key(text: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _source(figure: Figure, shared: SharedData | None) -> str:
    if figure.ref and shared is not None:
        entry = shared.get(figure.ref)
        value = entry.value(figure.year) if entry else None
        if value is not None and value[1]:
            return value[1]
    return (figure.source or "").strip()


def _judge(explanation: Explanation, figure: Figure, source: str, cited: list[Candidate],
           text_of: Callable[[MaterialFile], DocumentText]) -> Iterator[Finding]:
    texts = [text_of(c.file) for c in cited]
    assert figure.value is not None
    if any(t.contains(figure.value) for t in texts):
        return
    documents = tuple(safe_display(c.file.rel) for c in cited[:6])
    params: dict[str, Any] = {
        "file": figure.where.file, "line": figure.where.line, "figure": figure.name,
        "year": figure.year, "value": number_text(figure.value), "unit": figure.unit or "",
        "source": source, "documents": documents, "count": len(documents)}
    code = "figure-not-in-evidence" if any(t.readable for t in texts) \
        else "figure-evidence-unreadable"
    yield finding(code, indicator=explanation.indicator, path=figure.where.file, **params)


def text_reader(read: Callable[[MaterialFile], DocumentText],
                ) -> Callable[[MaterialFile], DocumentText]:
    """`read`, once per file."""
    seen: dict[str, DocumentText] = {}

    def text_of(f: MaterialFile) -> DocumentText:
        if f.rel not in seen:
            seen[f.rel] = read(f)
        return seen[f.rel]

    return text_of

