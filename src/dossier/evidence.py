"""What the evidence says: the text of a cited document, and whether a figure is in it
(附件3 (三)(四): the explanation's figures are proved by the evidence).

A document's text is its PDF text layer (pypdf), page by page, plus, for pages that show
no text, what OCR read on them (dossier.ocr, when `--ocr` ran). It is cached by the file's
SHA-256 (dossier.cache, kind "text"), and bounded: the first MAX_PAGES pages and MAX_CHARS
characters are read.

A figure is found in a text when it appears as a report prints it: 95.6, 95.60, 95.6%,
1,234.5 or 1234.5, 1 234.5, ９５.６ (full-width). 100 is found as 100 or 100.0, but not
inside 1000, 2100.5, 10.05 or -100. A negative figure is found as -3.5 or −3.5, or as 3.5
after 下降, 降低 or 减少. Numbers written in Chinese words (九十五点六) are not looked for.

Text is searched twice: as it is (full-width folded, thousands separators dropped), and
with the spaces OCR puts inside a number (9 5.6, 95. 6) removed. A figure found either way
is found, so that a table row (95 100 98.6) or a list (85，90，95) never hides one of its
numbers by being glued together."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from dossier.cache import Cache
from dossier.hashing import sha256_file

FORMAT = 1
MAX_PAGES = 400
MAX_CHARS = 4_000_000


@dataclass(frozen=True)
class DocumentText:
    """A document's text, page by page ("" for a page that shows none)."""

    pages: tuple[str, ...]

    @property
    def readable(self) -> bool:
        return any(p.strip() for p in self.pages)

    @functools.cached_property
    def _normalised(self) -> tuple[str, ...]:  # once, for every figure looked for
        return tuple("\n".join(forms(page)) for page in self.pages)

    def contains(self, value: float) -> bool:
        pattern = number_pattern(value)
        return any(pattern.search(page) for page in self._normalised)


def document_text(path: Path, kind: str, cache: Cache | None = None,
                  ocr: Mapping[int, str] | None = None) -> DocumentText:
    """The text of one usable PDF or image; `ocr`: OCR text of its pages, by 0-based index,
    used where the page has no text of its own. Never raises for a hostile file."""
    layer = _cached_layer(path, cache) if kind == "pdf" else ()
    count = max(len(layer), 1 + max(ocr, default=-1)) if ocr else len(layer)
    pages = []
    for index in range(count):
        own = layer[index] if index < len(layer) else ""
        pages.append(own if own.strip() else (ocr or {}).get(index, ""))
    return DocumentText(tuple(pages))


_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]|\.\d*,)")
_SPACED = re.compile(r"(?<=\d) (?=\d{3}(?!\d))|(?<=\d) (?=\.\d)|(?<=\d\.) (?=\d)")
_FALL = "(?:下降|降低|减少|减)\\s*"


def normalise(text: str) -> str:
    """Full-width digits and minus signs folded. A full-width comma (，) separates a list
    in Chinese, never thousands: it becomes 、."""
    return unicodedata.normalize("NFKC", text.replace("，", "、")).replace("\u2212", "-")


def forms(text: str) -> tuple[str, ...]:
    """The forms of a text a figure is looked for in (see the module's text): as it is,
    folded; with thousands separators dropped (1,234,567); and with a space removed where
    it splits one number: before a group of three digits (1 234), or beside a decimal
    point (95 .6, 95. 6)."""
    folded = normalise(text)
    plain = _THOUSANDS.sub(lambda m: m.group().replace(",", ""), folded)
    return tuple(dict.fromkeys((folded, plain, _SPACED.sub("", plain))))


def number_text(value: float) -> str:
    """The figure as written, without float noise or rounding: 95.6, 100, -3.5, 0.0001."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number_pattern(value: float) -> re.Pattern[str]:
    """The forms a report prints `value` in (see the module's text)."""
    text = number_text(value)
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    body = re.escape(whole) + (r"\." + re.escape(fraction) + "0*" if fraction else r"(?:\.0+)?")
    if negative:
        return re.compile(rf"(?:(?<![\d.])-\s*|{_FALL}){body}(?!\.?\d)")
    return re.compile(rf"(?<![\d.\-]){body}(?!\.?\d)")


def _cached_layer(path: Path, cache: Cache | None) -> tuple[str, ...]:
    key = ""
    if cache is not None:
        with contextlib.suppress(OSError):
            key = hashlib.sha256(f"{FORMAT}:{sha256_file(path)}".encode()).hexdigest()
        kept = cache.get(key) if key else None
        if kept is not None and isinstance(kept.get("pages"), list):
            return tuple(str(p) for p in kept["pages"])
    try:
        pages = tuple(_layer(path))
    except Exception:  # hostile input: the probe reports it; no text is known
        return ()
    if cache is not None and key:
        cache.put(key, {"pages": list(pages)})
    return pages


def _layer(path: Path) -> Iterator[str]:
    from pypdf import PdfReader

    from dossier.quiet import libraries_quiet

    with libraries_quiet():
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        total = 0
        for index, page in enumerate(reader.pages):
            if index >= MAX_PAGES or total >= MAX_CHARS:
                break
            try:
                text = page.extract_text() or ""
            except Exception:  # one unreadable page: the others still count
                text = ""
            total += len(text)
            yield text[: max(0, MAX_CHARS - total + len(text))]
