"""Choosing the language and rendering messages."""

from __future__ import annotations

import pytest

from dossier import i18n
from dossier.i18n import Message, choose_language, language_of, translator


@pytest.mark.parametrize("tag,expected", [
    ("zh_CN.UTF-8", "zh"), ("zh-Hans", "zh"), ("zh_TW", "zh"), ("Chinese (Simplified)_China",
                                                                 "zh"),
    ("en_US.UTF-8", "en"), ("en", "en"), ("English_United States", "en"),
    ("C", None), ("POSIX", None), ("", None), (None, None), ("de_DE", None)])
def test_language_of(tag: str | None, expected: str | None) -> None:
    assert language_of(tag) == expected


def test_choice_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: None)
    assert choose_language("en", {"DOSSIER_LANG": "zh", "LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language(None, {"DOSSIER_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language(None, {"LANG": "en_GB.UTF-8"}) == "en"
    assert choose_language(None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert choose_language(None, {"LANGUAGE": "en:zh", "LANG": "zh_CN.UTF-8"}) == "en"
    # nothing said, or a locale naming neither language: Chinese, for Chinese offices
    assert choose_language(None, {}) == "zh"
    assert choose_language(None, {"LANG": "C"}) == "zh"
    assert choose_language(None, {"LANG": "C.UTF-8"}) == "zh"
    assert choose_language("fr", {}) == "zh"


def test_windows_asks_for_the_ui_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows LANG is normally unset; the UI language decides."""
    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: "en_US")
    assert choose_language(None, {}) == "en"
    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: "zh_CN")
    assert choose_language(None, {}) == "zh"
    assert choose_language(None, {"LANG": "en_US.UTF-8"}) == "en"  # a set locale wins


def test_render_lists_nested_messages_and_plurals() -> None:
    en, zh = translator("en"), translator("zh")
    inner = Message("empty-section", {"path": "12/2019"})
    assert en.value([2018, 2019]) == "2018, 2019"
    assert zh.value([2018, 2019]) == "2018、2019"
    assert en.value(inner) == en.render(inner) and "12/2019" in zh.value(inner)
    invalid = Message("catalogue-invalid", {"file": "c.yaml", "count": 1})
    many = Message("catalogue-invalid", {"file": "c.yaml", "count": 2})
    assert en.render(invalid) != en.render(many)
    assert "c.yaml" in zh.render(many)


def test_pdf_text_is_always_chinese() -> None:
    assert i18n.pdf_text().language == "zh"
