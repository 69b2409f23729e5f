"""Images as pages: JPEG bytes passed through, orientation by matrix, lossless PNG/TIFF,
transparency flattened, bilevel scans kept 1-bit, 16-bit grey scaled (not clipped)."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from dossier.images import add_image, placement

from makefiles import write_jpeg, write_png, write_tiff


def _pages(path: Path) -> list:  # type: ignore[type-arg]
    writer = PdfWriter()
    added = add_image(writer, path)
    out = io.BytesIO()
    writer.write(out)
    reader = PdfReader(out)
    assert len(reader.pages) == added
    return list(reader.pages)


def _image(page: object) -> object:
    return page["/Resources"]["/XObject"]["/Im0"].get_object()  # type: ignore[index]


def test_jpeg_bytes_are_embedded_unchanged(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "a.jpg", size=(120, 80))
    [page] = _pages(path)
    image = _image(page)
    assert image["/Filter"] == "/DCTDecode"
    assert image._data == path.read_bytes()
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape page


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_exif_orientation_goes_into_the_matrix(tmp_path: Path, orientation: int) -> None:
    path = write_jpeg(tmp_path / "p.jpg", size=(160, 120), orientation=orientation)
    [page] = _pages(path)
    upright_is_portrait = orientation in (6, 8)
    portrait = float(page.mediabox.height) > float(page.mediabox.width)
    assert portrait == upright_is_portrait
    content = page.get_contents().get_data().decode()
    matrix = [float(v) for v in content.split()[1:5]]

    def sign(v: float) -> int:
        return (v > 0) - (v < 0)

    assert [sign(v) for v in matrix] == [sign(v) for v in placement(orientation, 0, 0, 1, 1)[:4]]


def test_png_alpha_is_flattened_onto_white(tmp_path: Path) -> None:
    path = write_png(tmp_path / "a.png", size=(40, 30), alpha=True)
    [page] = _pages(path)
    image = _image(page)
    assert image["/ColorSpace"] == "/DeviceRGB" and "/SMask" not in image
    assert len(zlib.decompress(image._data)) == 40 * 30 * 3


def test_sixteen_bit_grey_keeps_its_grey_levels(tmp_path: Path) -> None:
    """Pillow's convert("L") clips 16-bit samples to 255: a 16-bit grey scan came out white."""
    im = Image.new("I;16", (256, 4))
    for x in range(256):
        for y in range(4):
            im.putpixel((x, y), x * 256)
    path = tmp_path / "g16.png"
    im.save(path)
    [page] = _pages(path)
    image = _image(page)
    assert image["/ColorSpace"] == "/DeviceGray" and image["/BitsPerComponent"] == 8
    row = zlib.decompress(image._data)[:256]
    assert row[0] == 0 and row[128] == 128 and row[255] == 255


def test_bilevel_scan_stays_one_bit(tmp_path: Path) -> None:
    scan = Image.new("1", (1240, 1754), 1)
    ImageDraw.Draw(scan).rectangle((100, 100, 1100, 200), fill=0)
    path = tmp_path / "fax.tif"
    scan.save(path, compression="group4")
    [page] = _pages(path)
    image = _image(page)
    assert image["/BitsPerComponent"] == 1 and image["/ColorSpace"] == "/DeviceGray"
    data = zlib.decompress(image._data)
    assert len(data) == (1240 + 7) // 8 * 1754
    assert len(image._data) < 20_000  # an 8-bit grey copy would be ~1 MB before Flate
    rendered = page.images[0].image
    assert rendered.getpixel((50, 50)) and not rendered.getpixel((500, 150))  # white, black


def test_every_tiff_frame_is_a_page(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "multi.tif", frames=3)
    assert len(_pages(path)) == 3


def test_adobe_cmyk_jpeg_is_decoded_inverted(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (30, 20), (0, 255, 255, 0)).save(path)
    [page] = _pages(path)
    image = _image(page)
    assert image["/ColorSpace"] == "/DeviceCMYK"
    assert "/Decode" in image  # Pillow writes Adobe (inverted) CMYK JPEGs


def test_float_samples_in_zero_to_one_are_scaled(tmp_path: Path) -> None:
    im = Image.new("F", (3, 1))
    for x, v in enumerate((0.0, 0.5, 1.0)):
        im.putpixel((x, 0), v)
    path = tmp_path / "f.tif"
    im.save(path)
    [page] = _pages(path)
    row = zlib.decompress(_image(page)._data)
    assert row[0] == 0 and 120 <= row[1] <= 135 and row[2] == 255
