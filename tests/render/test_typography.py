"""Line breaking for titles and body text (避头尾, balanced two-line titles)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from dossier.fonts import FontChoice, choose
from dossier.render.typography import title_lines, wrap


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def test_title_that_fits_stays_one_line(font: FontChoice) -> None:
    title = "「12 水环境质量」指标达标"
    assert title_lines(title, font.name, 22, 442) == [title]


def test_long_title_breaks_after_the_closing_bracket(font: FontChoice) -> None:
    text = "「30 城镇人均公园绿地面积(平方米/人)」指标达标"
    lines = title_lines(text, font.name, 22, 442)
    assert lines == ["「30 城镇人均公园绿地面积(平方米/人)」", "指标达标"]
    assert all(stringWidth(line, font.name, 22) <= 442 for line in lines)


def test_title_never_starts_a_line_with_closing_punctuation(font: FontChoice) -> None:
    text = "「30 城镇人均公园绿地面积(平方米/人)」指标达标"
    for width in range(200, 460, 20):
        for line in title_lines(text, font.name, 22, width)[1:]:
            assert line[0] not in "」）)，、。：；", (width, line)


def test_title_without_a_good_break_wraps_like_body_text(font: FontChoice) -> None:
    text = "水" * 40
    assert title_lines(text, font.name, 22, 442) == wrap(text, font.name, 22, 442)
