from __future__ import annotations

from pathlib import Path

import pytest

from dossier import fonts
from dossier.i18n import Message

from fontmaker import make_font


def test_good_truetype_font(tmp_path: Path) -> None:
    cand = fonts.inspect(make_font(tmp_path / "good.ttf"))
    assert cand.usable and cand.reason == Message("font-usable", {"family": "DossierTestgood"})


def test_cff_font_is_refused(tmp_path: Path) -> None:
    cand = fonts.inspect(make_font(tmp_path / "noto.otf", cff=True))
    assert not cand.usable and cand.reason.key == "font-cff"


def test_font_without_digits_is_refused(tmp_path: Path) -> None:
    chars = "".join(c for c in fonts.required_text() if not c.isascii())
    cand = fonts.inspect(make_font(tmp_path / "droid.ttf", chars))
    assert not cand.usable and cand.reason.key == "font-lacks-glyphs"
    assert "0" in cand.reason.params["chars"]


def test_font_that_forbids_embedding_is_refused(tmp_path: Path) -> None:
    cand = fonts.inspect(make_font(tmp_path / "locked.ttf", fs_type=0x0002))
    assert not cand.usable
    assert cand.reason == Message("font-no-embedding", {"fs_type": "0x0002"})


def test_garbage_file(tmp_path: Path) -> None:
    (tmp_path / "x.ttf").write_bytes(b"not a font")
    cand = fonts.inspect(tmp_path / "x.ttf")
    assert not cand.usable and cand.reason.key == "font-unreadable"
    assert cand.reason.params["detail"]  # reportlab's words: kept, not shown
    assert fonts.inspect(tmp_path / "absent.ttf").reason.key == "font-missing"


def test_user_font_first_and_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.delenv("DOSSIER_FONT", raising=False)
    good = make_font(tmp_path / "good.ttf")
    choice = fonts.choose(good)
    assert choice.embedded and choice.path == good and choice.warning is None
    noto = make_font(tmp_path / "noto.otf", cff=True)
    fallback = fonts.choose(noto)
    assert not fallback.embedded and fallback.name == fonts.FALLBACK
    assert fallback.warning is not None
    assert fallback.warning.key == "font-user-unusable/fallback"
    assert fallback.warning.params["font"] == str(noto)
    assert fallback.warning.params["reason"].key == "font-cff"
    assert fonts.choose().warning == Message("font-fallback", {})


def test_unusable_user_font_falls_back_to_another(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    good = make_font(tmp_path / "good.ttf")
    monkeypatch.setattr(fonts, "font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "_fc_list", lambda: [good])
    monkeypatch.delenv("DOSSIER_FONT", raising=False)
    locked = make_font(tmp_path / "locked.ttf", fs_type=0x0002)
    choice = fonts.choose(locked)
    assert choice.embedded and choice.path == good
    assert choice.warning == Message("font-user-unusable", {
        "font": str(locked), "chosen": "good.ttf",
        "reason": Message("font-no-embedding", {"fs_type": "0x0002"})})


def test_coverage_of_the_text_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    good = make_font(tmp_path / "good.ttf")
    assert fonts.choose(good, text="巴中市").embedded
    assert not fonts.choose(good, text="龘").embedded
