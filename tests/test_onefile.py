"""dossier.onefile: PyInstaller is told about the package's data and the bundled font;
only freely licensed fonts are shipped; the bundled font is the last resort of
dossier.fonts. The executable itself is built and run without Python in `.ci/run`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossier import fonts, onefile


def test_pyinstaller_collects_the_package_data_and_carries_the_font(tmp_path: Path) -> None:
    font = tmp_path / "wqy-microhei.ttc"
    font.write_bytes(b"font")
    args = onefile.pyinstaller_args(tmp_path / "entry.py", tmp_path / "out", tmp_path, font)
    assert args[args.index("--collect-data") + 1] == "dossier"  # else: indicators.yaml missing
    assert "--onefile" in args and args[args.index("--name") + 1] == "dossier"
    assert args[args.index("--add-data") + 1] == f"{font.resolve()}{os.pathsep}dossier/_fonts"
    assert "--add-data" not in onefile.pyinstaller_args(tmp_path / "e.py", tmp_path, tmp_path,
                                                         None)


@pytest.mark.parametrize(("name", "free"), [
    ("wqy-microhei.ttc", True), ("wqy-zenhei.ttc", True), ("WQY-MicroHei.TTC", True),
    # CFF outlines (reportlab cannot embed them), no digits, or not a TrueType file
    ("NotoSansCJK-Regular.ttc", False), ("SourceHanSansSC-Regular.otf", False),
    ("DroidSansFallbackFull.ttf", False), ("wqy-microhei.otf", False),
    # Microsoft's and other licensed fonts are never shipped
    ("msyh.ttc", False), ("simsun.ttc", False), ("simhei.ttf", False),
    ("方正小标宋简体.ttf", False),
])
def test_only_freely_licensed_fonts_are_shipped(name: str, free: bool) -> None:
    assert onefile.free_font(Path(name)) is free


@pytest.mark.parametrize("name", ["simsun.ttc", "wqy-microhei.ttc"])
def test_a_font_not_free_or_not_embeddable_is_refused(tmp_path: Path, name: str) -> None:
    font = tmp_path / name
    font.write_bytes(b"not a font")  # a renamed file is probed, not trusted by its name
    if name.startswith("wqy"):
        assert onefile.font_problem(font)  # named as a free font, but not one
    with pytest.raises(SystemExit) as exited:
        onefile.main(["--font", str(font), "--out", str(tmp_path / "out")])
    assert exited.value.code == 2


def test_a_usable_free_font_passes_and_its_licence_travels_with_it(
        tmp_path: Path, test_font: Path) -> None:
    font = tmp_path / "wqy-microhei.ttc"
    font.write_bytes(test_font.read_bytes())
    assert onefile.font_problem(font) == ""
    licence = tmp_path / "copyright"
    licence.write_text("GPL-3 with font exception", encoding="utf-8")
    args = onefile.pyinstaller_args(tmp_path / "e.py", tmp_path, tmp_path, font, licence)
    assert f"{licence.resolve()}{os.pathsep}dossier/_fonts" in args


def test_the_entry_supports_spawned_workers() -> None:
    """Windows starts the workers of -j 2 by running the executable again."""
    assert "multiprocessing.freeze_support()" in onefile.ENTRY
    compile(onefile.ENTRY, "entry", "exec")


def test_the_bundled_font_is_the_last_resort(tmp_path: Path, test_font: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "_fonts"
    bundled.mkdir()
    (bundled / "wqy-microhei.ttc").write_bytes(test_font.read_bytes())
    monkeypatch.setattr(fonts, "BUNDLED", bundled)
    assert fonts.bundled_fonts() == [bundled / "wqy-microhei.ttc"]
    assert fonts.discover()[-1] == bundled / "wqy-microhei.ttc"
    monkeypatch.setattr(fonts, "font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.delenv("DOSSIER_FONT", raising=False)
    choice = fonts.choose()
    assert choice.embedded and choice.path == bundled / "wqy-microhei.ttc"
