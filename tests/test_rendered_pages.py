"""Integration: render built pages with pdftoppm and look at the pixels.

Needs poppler-utils; `.ci/run` installs it and sets DOSSIER_REQUIRE_TOOLS=1 so these
tests cannot be skipped there."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.fonts import choose
from dossier.options import BuildOptions

from makefiles import make_volume_tree

REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
HAVE = shutil.which("pdftoppm") is not None and shutil.which("qpdf") is not None
pytestmark = pytest.mark.skipif(not HAVE and not REQUIRED, reason="poppler/qpdf not installed")


def render(pdf: Path, page: int, out: Path, dpi: int = 40) -> Image.Image:
    prefix = out / f"p{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(pdf), str(prefix)], check=True)
    return Image.open(f"{prefix}.png").convert("L")


def ink(img: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Share of dark pixels inside a box given in fractions of the page."""
    w, h = img.size
    crop = img.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    hist = crop.histogram()
    return sum(hist[:128]) / max(sum(hist), 1)


@pytest.fixture(scope="module")
def volume(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue,
           test_font: Path) -> Path:
    tmp = tmp_path_factory.mktemp("vol")
    make_volume_tree(tmp / "m")
    opts = BuildOptions(date="2021年3月", epoch=1614556800)
    plans, _ = make_plan(tmp / "m", tmp / "out", catalogue, (12,), None, opts)
    [outcome] = build(plans, tmp / "m", tmp / "out", font=choose(test_font))
    assert outcome.status == "built"
    return tmp / "out" / "12-水环境质量.pdf"


def test_qpdf_check(volume: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(volume)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cover_is_centred_with_large_title(volume: Path, tmp_path: Path) -> None:
    img = render(volume, 1, tmp_path)
    assert ink(img, (0.2, 0.40, 0.8, 0.55)) > 0.05  # 台账资料, large, centred
    assert ink(img, (0.0, 0.0, 1.0, 0.15)) == 0  # generous top margin
    left, right = ink(img, (0.0, 0.4, 0.2, 0.55)), ink(img, (0.8, 0.4, 1.0, 0.55))
    assert left == right == 0


def test_toc_has_a_table(volume: Path, tmp_path: Path) -> None:
    img = render(volume, 2, tmp_path)
    assert ink(img, (0.1, 0.15, 0.9, 0.6)) > 0.02
    assert ink(img, (0.0, 0.0, 1.0, 0.05)) == 0


def test_number_on_rotated_page_is_top_right(volume: Path, tmp_path: Path) -> None:
    # 直接证明材料 page 2 of 3 carries /Rotate 90; it is material page 4, PDF page 6
    img = render(volume, 6, tmp_path, dpi=60)
    assert img.width > img.height  # displayed landscape
    top_right = ink(img, (0.85, 0.0, 1.0, 0.1))
    assert top_right > 0.005
    assert ink(img, (0.0, 0.0, 0.15, 0.1)) < top_right / 4
    assert ink(img, (0.85, 0.9, 1.0, 1.0)) < top_right / 4


def test_photo_is_upright(volume: Path, tmp_path: Path) -> None:
    img = render(volume, 8, tmp_path)  # 2018 photo, stored landscape with EXIF 6
    assert img.height > img.width


def test_placeholder_page_is_marked_and_lettered(tmp_path: Path, catalogue: Catalogue,
                                                 test_font: Path) -> None:
    """The page standing in for a broken file: a red frame, a large heading and two lines
    of (Chinese) text in the middle, nothing spilling over the frame."""
    from dossier.manifest import read_manifest

    from makefiles import write_truncated_pdf

    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    write_truncated_pdf(ind / "2019" / "03-损坏的文件.pdf")
    opts = BuildOptions(date="2021年3月", epoch=1614556800, allow_broken=True)
    plans, _ = make_plan(root, out, catalogue, (12,), None, opts)
    [outcome] = build(plans, root, out, font=choose(test_font))
    assert outcome.status == "built"
    manifest = read_manifest(out / plans[0].manifest_name)
    assert manifest is not None
    [page] = [s["output_pages"][0] for s in manifest["sources"] if s["placeholder"]]
    img = render(out / plans[0].output, page, tmp_path, dpi=60)
    assert ink(img, (0.06, 0.3, 0.12, 0.7)) > 0.05  # the frame: its left edge
    assert ink(img, (0.88, 0.3, 0.94, 0.7)) > 0.05  # and its right edge
    assert ink(img, (0.25, 0.3, 0.75, 0.36)) > 0.05  # the heading
    assert ink(img, (0.15, 0.36, 0.85, 0.5)) > 0.01  # file name and reason
    assert ink(img, (0.12, 0.55, 0.88, 0.9)) == 0  # the lower half stays empty
