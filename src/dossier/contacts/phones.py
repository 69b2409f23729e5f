"""联系电话 as clerks write it: a mobile number (138-1234-5678, 138 1234 5678), a landline
with its area code (0827-5261234, (0827)5261234, 0827—5261234 as the notice writes it), an
extension (转123, -123), several numbers in one cell (、，,/；;). Full-width digits and
spaces are folded first."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class PhoneKind(str, enum.Enum):
    OK = "ok"
    LOCAL = "local"  # 7–8 digits without an area code: reachable only from inside the city
    LOST_ZERO = "lost-zero"  # a landline stored as a number, its leading 0 dropped
    INVALID = "invalid"


@dataclass(frozen=True)
class PhoneCheck:
    kind: PhoneKind
    text: str  # the cell as folded (full-width forms, dashes, spaces), or the repaired number
    parts: tuple[str, ...]  # each number, as written after folding


_DASHES = re.compile(r"[‐‑‒–—―−﹣－~～]")  # NFKC keeps these: the notice writes 0827—5187178
_SEPARATORS = re.compile(r"[、,/;，；或]+")
_MOBILE = re.compile(r"(?:\+?86|0086)?-?1[3-9]\d{9}")
_LANDLINE = re.compile(r"(?:\(0\d{2,3}\)|0\d{2,3}-?)[2-9]\d{6,7}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_EXTENSION = re.compile(r"(?P<main>.+?)(?:转|分机|-)(?P<ext>\d{1,6})")


def fold(text: str) -> str:
    """Full-width forms as ASCII, every dash as "-", no spaces."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _DASHES.sub("-", folded)
    return "".join(folded.split())


def _one(part: str) -> PhoneKind:
    for candidate in _candidates(part):
        if _MOBILE.fullmatch(candidate.replace("-", "")):
            return PhoneKind.OK
        if _LANDLINE.fullmatch(candidate):
            return PhoneKind.OK
        if _LOCAL.fullmatch(candidate.replace("-", "")):
            return PhoneKind.LOCAL
    return PhoneKind.INVALID


def _candidates(part: str) -> tuple[str, ...]:
    """The number itself, and the number without an extension where one may follow."""
    ext = _EXTENSION.fullmatch(part)
    return (part, ext.group("main")) if ext else (part,)


def shown(text: str) -> str:
    """A phone as kept and shown: full-width forms folded, every dash as "-", single
    spaces."""
    folded = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    return " ".join(folded.split())


def check_phone(text: str, numeric: bool = False) -> PhoneCheck:
    """How usable a 联系电话 is. `numeric`: the cell held a number, not text (Excel drops
    the leading 0 of 08275261234 there)."""
    folded = fold(text)
    parts = tuple(p for p in _SEPARATORS.split(folded) if p)
    if not parts:
        return PhoneCheck(PhoneKind.INVALID, folded, ())
    if numeric and folded.isdigit() and _one(folded) is not PhoneKind.OK:
        repaired = "0" + folded
        if _LANDLINE.fullmatch(repaired):
            return PhoneCheck(PhoneKind.LOST_ZERO, repaired, (repaired,))
    kinds = [_one(p) for p in parts]
    if PhoneKind.INVALID in kinds:
        return PhoneCheck(PhoneKind.INVALID, folded, parts)
    if PhoneKind.LOCAL in kinds:
        return PhoneCheck(PhoneKind.LOCAL, folded, parts)
    return PhoneCheck(PhoneKind.OK, folded, parts)
