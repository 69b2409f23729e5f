"""Tall images (long phone screenshots) cut into page-high slices at blank rows: how many
pages (from the size alone, so probe, plan and volume agree), where the cuts fall, and
what the pages show, rendered with pdftoppm."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from dossier.images import _page_rows, add_image, image_pages, slice_count, slice_cuts
from dossier.probe import probe

REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
HAVE = shutil.which("pdftoppm") is not None


def screenshot(height: int = 6200, width: int = 1080, seed: int = 3) -> Image.Image:
    """Grey background, white message blocks of text lines, gaps between the blocks."""
    import random

    rng = random.Random(seed)
    img = Image.new("L", (width, height), 237)
    draw = ImageDraw.Draw(img)
    y = 200
    while y < height - 200:
        block = rng.randint(120, 520)
        draw.rectangle((60, y, width - 60, y + block), fill=255)
        for line in range(y + 30, y + block - 30, 44):
            draw.rectangle((100, line, rng.randint(500, width - 100), line + 26), fill=60)
        y += block + rng.randint(30, 60)
    return img


def bubble(height: int = 5000, width: int = 900) -> Image.Image:
    """One white bubble the whole height and width of the image: no row is blank, but
    the rows between two lines of text are quiet."""
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 3, height), fill=0)  # the bubble's edge runs down every row
    for line in range(20, height - 40, 50):
        draw.rectangle((40, line, width - 80, line + 30), fill=40)
    return img


def test_slice_count_follows_the_size() -> None:
    rows = _page_rows(1080)
    assert slice_count(1080, 1000) == 1 and slice_count(1080, int(1.6 * rows)) == 1
    assert slice_count(1080, int(1.61 * rows)) == 2
    assert slice_count(1080, 6200) == 5
    assert slice_count(4000, 3000) == 1  # wide: a landscape page, as before


def test_cuts_fall_on_blank_rows_and_slices_fit_a_page() -> None:
    img = screenshot()
    count = slice_count(*img.size)
    cuts = slice_cuts(img, count)
    assert cuts[0] == 0 and cuts[-1] == img.height and len(cuts) == count + 1
    for cut in cuts[1:-1]:
        row = img.crop((0, cut, img.width, cut + 1)).tobytes()
        assert max(row) - min(row) <= 10, cut  # a gap between two blocks
    assert all(b - a <= _page_rows(img.width) for a, b in itertools.pairwise(cuts))


def test_without_a_blank_row_the_cut_falls_between_lines_of_text() -> None:
    img = bubble()
    cuts = slice_cuts(img, slice_count(*img.size))
    for cut in cuts[1:-1]:
        above, at, below = (img.crop((0, r, img.width, r + 1)).tobytes()
                            for r in (cut - 1, cut, cut + 1))
        assert above == at == below and min(at[40:]) == 255, cut  # no character is cut


@pytest.mark.parametrize("kind", ["png", "jpeg", "jpeg-turned"])
def test_probe_and_pages_agree(tmp_path: Path, kind: str) -> None:
    img = screenshot().convert("RGB")
    path = tmp_path / ("shot.png" if kind == "png" else "shot.jpg")
    if kind == "jpeg-turned":  # stored lying down, EXIF orientation 6 stands it up
        exif = Image.Exif()
        exif[0x0112] = 6
        img.transpose(Image.Transpose.ROTATE_90).save(path, quality=85, exif=exif)
    else:
        img.save(path, **({"quality": 85} if kind != "png" else {}))
    found = probe(path, "png" if kind == "png" else "jpeg")
    assert found.usable and found.size == (1080, 6200)
    writer = PdfWriter()
    added = add_image(writer, path)
    assert added == image_pages(found, True) == 5 == len(writer.pages)
    images = {page["/Resources"]["/XObject"].raw_get("/Im0").idnum for page in writer.pages}
    assert len(images) == 1  # embedded once, shown through a clip on each page
    whole = PdfWriter()
    assert add_image(whole, path, slicing=False) == image_pages(found, False) == 1


def test_small_and_multi_frame_images_are_not_sliced(tmp_path: Path) -> None:
    short = tmp_path / "short.png"
    screenshot(1400).save(short)
    assert image_pages(probe(short, "png"), True) == 1
    tiff = tmp_path / "scan.tif"
    frames = [screenshot(6200, seed=n) for n in range(2)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    found = probe(tiff, "tiff")
    assert found.size == (0, 0) and image_pages(found, True) == 2


@pytest.mark.skipif(not HAVE and not REQUIRED, reason="poppler not installed")
def test_each_page_shows_its_rows_at_the_page_width(tmp_path: Path) -> None:
    """Stripes of distinct greys: each rendered slice shows, just below its top, the rows
    right after its cut, and fills the width of the text area."""
    width, height = 1000, 5600
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    for n, top in enumerate(range(0, height, 320)):
        draw.rectangle((0, top, width, top + 299), fill=20 + (n * 37) % 200)
    path = tmp_path / "stripes.png"
    img.save(path)
    writer = PdfWriter()
    count = add_image(writer, path)
    pdf = tmp_path / "out.pdf"
    with pdf.open("wb") as fh:
        writer.write(fh)
    cuts = slice_cuts(img, count)
    dpi = 72
    for index, cut in enumerate(cuts[:-1]):
        prefix = tmp_path / f"p{index}"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(index + 1), "-l", str(index + 1),
                        "-gray", "-singlefile", str(pdf), str(prefix)], check=True)
        page = Image.open(f"{prefix}.pgm")
        reader_page = PdfReader(pdf).pages[index]
        scale = (float(reader_page.mediabox.width) - 2 * 8 * 72 / 25.4) / width
        top = (8 + 10) * 72 / 25.4  # margin and the band kept for the number
        for offset in (15, 150, 300):
            row = cut + offset
            if row >= cuts[index + 1]:
                continue
            y = round(top + offset * scale)
            got = page.getpixel((page.width // 2, y))
            assert abs(int(got) - int(img.getpixel((width // 2, row)))) <= 2, (index, offset)
        # the image spans the text width: ink at both edges of the area, none beyond
        y = round(top + 5 * scale)
        left, right = round(8 * 72 / 25.4), page.width - round(8 * 72 / 25.4)
        assert page.getpixel((left + 3, y)) == page.getpixel((right - 4, y))
        assert page.getpixel((left - 3, y)) == 255


def test_a_volume_marks_the_slices_and_counts_them(tmp_path: Path, test_font: Path) -> None:
    from clirun import invoke
    from makefiles import make_volume_tree

    root = tmp_path / "m"
    ind = make_volume_tree(root)
    screenshot().convert("RGB").save(ind / "2020" / "03-巴中发布长截图.png")
    out = tmp_path / "out"
    args = ["build", str(root), "-i", "12", "--font", str(test_font), "-o", str(out)]
    assert invoke(args).exit_code == 0
    import json

    data = json.loads((out / "12-水环境质量-2020年度佐证材料.manifest.json").read_text("utf-8"))
    [shot] = [s for s in data["sources"] if s["path"].endswith("长截图.png")]
    assert shot["pages"] == 5
    # the slices leave a band for the number: not looked at, nothing moved or covered
    assert shot["stamp_moved"] == {} and shot["stamp_covered"] == []
    reader = PdfReader(out / "12-水环境质量-2020年度佐证材料.pdf")
    first, last = shot["output_pages"]
    texts = [reader.pages[i - 1].extract_text().replace(" ", "") for i in range(first, last + 1)]
    assert "续" not in texts[0]
    for n, text in enumerate(texts[1:], start=2):
        assert f"续（{n}/5）" in text, text
    assert invoke(["verify", str(out)]).exit_code == 0
    # the 主册 counts the slices among the pages of that volume
    main = PdfReader(out / "12-水环境质量-主册.pdf")
    listed = "".join(main.pages[n].extract_text() for n in range(1, 3)).replace(" ", "")
    assert f"材料{data['output']['material_pages']}页" in listed
    whole = invoke([*args, "--whole-images"])
    assert whole.exit_code == 0
    again = json.loads((out / "12-水环境质量-2020年度佐证材料.manifest.json").read_text("utf-8"))
    assert [s["pages"] for s in again["sources"] if s["path"].endswith("长截图.png")] == [1]
