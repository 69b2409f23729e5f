from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def _compile_catalogues() -> None:
    """In a source checkout, a .po edited since the install is compiled again, so the tests
    see the catalogue as it is (packages compile it in hatch_build.py)."""
    locale = Path(__file__).resolve().parents[1] / "src" / "dossier" / "locale"
    stale = [po for po in locale.glob("*/LC_MESSAGES/*.po")
             if not po.with_suffix(".mo").exists()
             or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if not stale:
        return
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in stale:
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parents[1].name)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


_compile_catalogues()

from dossier.catalogue import Catalogue, load_catalogue  # noqa: E402 (after compiling)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


SECTIONS = ("达标说明", "直接证明材料", "2018", "2019", "2020", "2021", "长期有效")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An empty materials folder with the full skeleton for indicator 12."""
    root = tmp_path / "materials"
    for s in SECTIONS:
        (root / "12-水环境质量" / s).mkdir(parents=True)
    return root


MISSING_GLYPHS = "龘䶮"  # never in the test font: tests of missing-glyph warnings use them


@pytest.fixture(scope="session")
def test_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A TrueType font covering the catalogue's text, ASCII and test file names,
    so build tests never depend on system fonts."""
    from dossier.resources import default_catalogue_path

    from fontmaker import DEFAULT_CHARS, make_font

    chars = set(default_catalogue_path().read_text(encoding="utf-8"))
    chars |= {chr(c) for c in range(32, 127)} | set(DEFAULT_CHARS)
    here = Path(__file__).parent
    for source in (*sorted(here.rglob("*.py")),
                   *sorted(p for p in (here.parent / "templates").rglob("*") if p.is_file())):
        chars |= set(source.read_text(encoding="utf-8"))
    chars |= set("封面目录续无文件无法读取页照片扫描多页示意图年度考核结果汇总公报说明现场")
    chars |= set("第共（）「」：")
    # every Chinese text of the catalogue: PDF labels (placeholders, 目录, outline) and
    # whatever else a test may set with this font
    po = Path(__file__).parents[1] / "src/dossier/locale/zh_CN/LC_MESSAGES/dossier.po"
    if po.exists():
        chars |= set(po.read_text(encoding="utf-8"))
    chars = {c for c in chars if c.isprintable()} - set(MISSING_GLYPHS)
    return make_font(tmp_path_factory.mktemp("font") / "test-cjk.ttf", "".join(sorted(chars)))


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tool's cache (dossier.cache) in a folder of the test session, never the user's."""
    monkeypatch.setenv("DOSSIER_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
