from __future__ import annotations

import pytest

from dossier.explain.units import canonical, convert, fmt, same, with_unit


def test_canonical_units() -> None:
    assert canonical("％") == "%"
    assert canonical(" 平方米／人 ") == "平方米/人"
    assert canonical(None) == ""


@pytest.mark.parametrize(("value", "unit", "to", "expected"), [
    (95, "%", "%", 95),
    (950, "‰", "%", 95),
    (0.95, "小数", "%", 95),
    (1.5, "亿元", "万元", 15000),
    (150, "公顷", "平方公里", 1.5),
    (15, "㎡/人", "平方米/人", 15),
    (3, "吨", "千克", 3000),
    (7, "anything", None, 7),
])
def test_convert(value: float, unit: str, to: str | None, expected: float) -> None:
    got = convert(value, unit, to)
    assert got is not None and same(got, expected)


def test_units_that_do_not_convert() -> None:
    assert convert(95, "%", "平方米/人") is None
    assert convert(95, "", "%") is None  # a bare 95 is not 95 %
    assert convert(2, "个", "无") == 2  # both dimensionless


def test_formatting() -> None:
    assert fmt(85.7) == "85.7" and fmt(100.0) == "100" and fmt(0.1 + 0.2) == "0.3"
    assert fmt(-0.0) == "0"
    assert with_unit(93.1, "%") == "93.1%"
    assert with_unit(15.2, "平方米/人") == "15.2 平方米/人"
    assert with_unit(71.2, "无") == "71.2"


def test_same_tolerates_float_noise_not_rounding() -> None:
    assert same(0.1 + 0.2, 0.3)
    assert not same(654.8, 654.79)
