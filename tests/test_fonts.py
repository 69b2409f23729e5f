from __future__ import annotations

from pathlib import Path

import pytest

from dossier import fonts

from fontmaker import make_font


def test_good_truetype_font(tmp_path: Path) -> None:
    cand = fonts.inspect(make_font(tmp_path / "good.ttf"))
    assert cand.usable and cand.reason == "DossierTestgood"


def test_cff_font_is_refused(tmp_path: Path) -> None:
    cand = fonts.inspect(make_font(tmp_path / "noto.otf", cff=True))
    assert not cand.usable and "CFF" in cand.reason


def test_font_without_digits_is_refused(tmp_path: Path) -> None:
    chars = "".join(c for c in fonts.REQUIRED_TEXT if not c.isascii())
    cand = fonts.inspect(make_font(tmp_path / "droid.ttf", chars))
    assert not cand.usable and "0" in cand.reason


def test_font_that_forbids_embedding_is_refused(tmp_path: Path) -> None:
    cand = fonts.inspect(make_font(tmp_path / "locked.ttf", fs_type=0x0002))
    assert not cand.usable and "embedding" in cand.reason


def test_garbage_file(tmp_path: Path) -> None:
    (tmp_path / "x.ttf").write_bytes(b"not a font")
    assert not fonts.inspect(tmp_path / "x.ttf").usable


def test_user_font_first_and_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.delenv("DOSSIER_FONT", raising=False)
    good = make_font(tmp_path / "good.ttf")
    choice = fonts.choose(good)
    assert choice.embedded and choice.path == good and choice.warning is None
    fallback = fonts.choose(make_font(tmp_path / "noto.otf", cff=True))
    assert not fallback.embedded and fallback.name == fonts.FALLBACK
    assert "NOT embedded" in (fallback.warning or "")


def test_coverage_of_the_text_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    good = make_font(tmp_path / "good.ttf")
    assert fonts.choose(good, text="巴中市").embedded
    assert not fonts.choose(good, text="龘").embedded
