"""dossier doctor: each component found or not, in Chinese, with how to install it."""

from __future__ import annotations

from pathlib import Path

import pytest

from clirun import invoke


def test_doctor_lists_the_components(test_font: Path) -> None:
    done = invoke(["doctor", "--font", str(test_font)])
    text = done.stdout
    for needle in ("LibreOffice", "PDFium", "中文字体", "缓存文件夹", str(test_font.name)):
        assert needle in text.replace("\n", ""), needle


def test_missing_libreoffice_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                    test_font: Path) -> None:
    from dossier import doctor
    from dossier.i18n import translator

    monkeypatch.setattr(doctor, "find", lambda program: None)
    monkeypatch.setattr(doctor, "platform_key", lambda: "linux")
    [soffice, *_] = doctor.diagnose(str(test_font))
    zh = translator("zh")
    assert not soffice.ok and zh.render(soffice.state) == "未找到"
    assert soffice.hint is not None
    assert "sudo apt install libreoffice-writer libreoffice-calc" in zh.render(soffice.hint)
    done = invoke(["doctor", "--font", str(test_font)])
    assert done.exit_code == 0  # office binding is optional: build still works
    assert "缺少 1 个" in done.stdout
