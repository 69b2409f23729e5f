"""HEIC photos (iPhones) become pages like JPEG photos: probed, laid out upright, stored
as JPEG (HEVC cannot go into a PDF), the same photo always giving the same bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from dossier.images import add_image
from dossier.probe import heif_opener, probe, sniff

pytestmark = pytest.mark.skipif(not heif_opener(), reason="pillow-heif not installed")


def heic(path: Path, size: tuple[int, int] = (800, 600)) -> Path:
    img = Image.new("RGB", size, (230, 230, 230))
    draw = ImageDraw.Draw(img)
    draw.rectangle((50, 50, size[0] // 2, size[1] // 2), fill=(200, 20, 20))
    img.save(path, format="HEIF", quality=85)
    return path


def test_a_heic_photo_is_probed_and_bound(tmp_path: Path) -> None:
    photo = heic(tmp_path / "IMG_0001.HEIC")
    assert sniff(photo.read_bytes()[:64]) == "heic"
    found = probe(photo, "heic")
    assert found.usable and found.pages == 1 and found.size == (800, 600)
    writer = PdfWriter()
    assert add_image(writer, photo) == 1
    page = writer.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape photo
    image = page["/Resources"]["/XObject"]["/Im0"].get_object()
    assert image["/Filter"] == "/DCTDecode" and (image["/Width"], image["/Height"]) == (800, 600)
    with Image.open(io.BytesIO(image.get_data())) as seen:  # the red block is where it was
        r, g, b = seen.convert("RGB").getpixel((100, 100))
        assert r > 150 and g < 80 and b < 80


def test_the_same_photo_gives_the_same_bytes(tmp_path: Path) -> None:
    photo = heic(tmp_path / "a.heic")
    outs = []
    for _ in range(2):
        writer = PdfWriter()
        add_image(writer, photo)
        buffer = io.BytesIO()
        writer.write(buffer)
        outs.append(buffer.getvalue())
    assert outs[0] == outs[1]


def test_a_heic_named_jpg_is_still_bound(tmp_path: Path) -> None:
    photo = heic(tmp_path / "photo.jpg")  # a phone's share menu renamed it
    found = probe(photo, "jpeg")
    assert found.usable and [p.code for p in found.problems] == ["mislabelled-image"]
    writer = PdfWriter()
    assert add_image(writer, photo) == 1


def test_a_volume_binds_a_heic_photo(tmp_path: Path, test_font: Path) -> None:
    from clirun import invoke
    from makefiles import make_volume_tree

    root = tmp_path / "m"
    ind = make_volume_tree(root)
    heic(ind / "2020" / "03-巴河现场照片.heic")
    out = tmp_path / "out"
    done = invoke(["build", str(root), "-i", "12", "--font", str(test_font), "-o", str(out)])
    assert done.exit_code == 0, done.output
    reader = PdfReader(out / "12-水环境质量-2020年度佐证材料.pdf")
    assert any("巴河现场照片" in str(item.title) for item in reader.outline[2]
               if not isinstance(item, list)) or "巴河现场照片" in str(reader.outline)
    checked = invoke(["check", str(root), "-i", "12", "--format", "json"])
    assert "unsupported-file-type" not in checked.stdout
