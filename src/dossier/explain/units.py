"""Units of figures: which ones are the same quantity, and how to convert between them.

Clerks write units as they see them in a 公报: “%”, “％”, “‰”, “平方米/人”, “㎡/人”,
“m2/人”, “亿元”, “万元”. Two units compare when they have the same dimension; a value is
converted to the unit of the target (95% and 0.95 are different things unless the unit says
so: “95” with unit “%” equals “950” with unit “‰”)."""

from __future__ import annotations

import re
import unicodedata

# alias -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "%": ("ratio", 0.01),
    "百分比": ("ratio", 0.01),
    "‰": ("ratio", 0.001),
    "比值": ("ratio", 1.0),
    "小数": ("ratio", 1.0),
    "平方米/人": ("area/person", 1.0),
    "m2/人": ("area/person", 1.0),
    "m²/人": ("area/person", 1.0),
    "㎡/人": ("area/person", 1.0),
    "平方米": ("area", 1.0),
    "m2": ("area", 1.0),
    "㎡": ("area", 1.0),
    "公顷": ("area", 10_000.0),
    "亩": ("area", 10_000.0 / 15),
    "平方公里": ("area", 1_000_000.0),
    "平方千米": ("area", 1_000_000.0),
    "km2": ("area", 1_000_000.0),
    "km²": ("area", 1_000_000.0),
    "元": ("money", 1.0),
    "万元": ("money", 1e4),
    "亿元": ("money", 1e8),
    "人": ("people", 1.0),
    "万人": ("people", 1e4),
    "吨": ("mass", 1000.0),
    "万吨": ("mass", 1e7),
    "千克": ("mass", 1.0),
    "公斤": ("mass", 1.0),
    "kg": ("mass", 1.0),
    "立方米": ("volume", 1.0),
    "万立方米": ("volume", 1e4),
    "亿立方米": ("volume", 1e8),
}
_NONE = {"", "无", "-", "—", "无量纲", "个", "项"}


def canonical(unit: str | None) -> str:
    """The unit as written, NFKC-normalised, spaces removed (“％” -> “%”, “m 2/人” -> “m2/人”)."""
    text = unicodedata.normalize("NFKC", unit or "")
    text = re.sub(r"\s+", "", text).replace("／", "/")
    return text


def convert(value: float, unit: str | None, to: str | None) -> float | None:
    """`value` in `unit` expressed in `to`; None when the two are not the same quantity.
    A missing target unit accepts any value as it is."""
    src, dst = canonical(unit), canonical(to)
    if to is None or src == dst:
        return value
    a, b = _UNITS.get(src), _UNITS.get(dst)
    if a and b and a[0] == b[0]:
        return value * a[1] / b[1]
    if src in _NONE and dst in _NONE:
        return value
    return None


def same(a: float, b: float) -> bool:
    """Equal as figures in a report are equal: up to floating-point noise, not rounding."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def fmt(value: float) -> str:
    """85.7 -> “85.7”, 100.0 -> “100”, 0.1 + 0.2 -> “0.3”: as a clerk would write it."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(value: float, unit: str | None) -> str:
    u = canonical(unit)
    if u in _NONE:
        return fmt(value)
    return f"{fmt(value)}{u}" if u in ("%", "‰") else f"{fmt(value)} {u}"
