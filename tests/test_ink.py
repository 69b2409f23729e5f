"""dossier.ink: the page number moves off content. Pages are made here as a scanner, a
phone or Word would make them; what is looked at is read back, and the choice checked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from dossier import ink
from dossier.cache import Cache
from dossier.images import add_image
from dossier.options import StampOptions
from dossier.stamp import geometry, spot

OPTS = StampOptions()


def width(size: float) -> float:
    return size * 2.3  # about "8888" in a CJK face


def scan(path: Path, corners: tuple[str, ...] = ("top-right",), fill: int = 236,
         orientation: int = 1, progressive: bool = False) -> Path:
    """A 150 dpi grey scan with body text and a dark printed block in each corner named."""
    img = Image.new("L", (1240, 1754), fill)
    draw = ImageDraw.Draw(img)
    for y in range(300, 1600, 60):
        draw.rectangle((150, y, 1100, y + 25), fill=60)
    # printed up to the edge of the sheet, as a form's 第一联 存根 is
    boxes = {"top-right": (900, 0, 1240, 120), "top-left": (0, 0, 340, 120),
             "top-center": (450, 0, 790, 120), "bottom-right": (900, 1630, 1240, 1754),
             "bottom-left": (0, 1630, 340, 1754), "bottom-center": (450, 1630, 790, 1754)}
    for corner in corners:
        draw.rectangle(boxes[corner], fill=30)
    if orientation == 6:  # stored lying down; EXIF stands it up
        img = img.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = orientation
    img.save(path, "JPEG", quality=80, exif=exif, progressive=progressive)
    return path


def page_of(image: Path, tmp_path: Path) -> Path:
    """The image as dossier binds it: one image XObject drawn over the page."""
    writer = PdfWriter()
    add_image(writer, image)
    out = tmp_path / f"{image.stem}.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def choose(pdf: Path, kind: str = "pdf", index: int = 0, recto: bool = True,
           opts: StampOptions = OPTS) -> ink.Choice:
    reader = PdfReader(pdf)
    looker = ink.SourceInk(pdf if kind == "pdf" else None, lambda: "", opts, width, None)
    try:
        return looker.choose(index, reader.pages[index], recto)
    finally:
        looker.close()


def test_a_free_corner_is_kept(tmp_path: Path) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg", ()), tmp_path)
    assert choose(pdf) == ink.Choice("top-right", False, False)


def test_printed_corner_moves_the_number_to_the_next_free_one(tmp_path: Path) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg"), tmp_path)
    assert choose(pdf) == ink.Choice("top-left", True, False)
    both = page_of(scan(tmp_path / "t.jpg", ("top-right", "top-left")), tmp_path)
    assert choose(both).position == "top-center"


def test_ink_everywhere_leaves_it_where_asked_and_says_so(tmp_path: Path) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg", tuple(ink.ORDER)), tmp_path)
    assert choose(pdf) == ink.Choice("top-right", False, True)


def test_a_page_dark_all_over_has_no_ink(tmp_path: Path) -> None:
    """A photo of a document on a dark table: the patch is needed, nothing to avoid."""
    pdf = page_of(scan(tmp_path / "s.jpg", (), fill=40), tmp_path)
    assert choose(pdf).position == "top-right"


def test_outer_follows_the_side_of_the_sheet(tmp_path: Path) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg", ("top-left",)), tmp_path)
    outer = StampOptions(position="outer")
    assert choose(pdf, opts=outer, recto=True).position == "top-right"
    assert choose(pdf, opts=outer, recto=False) == ink.Choice("top-right", True, False)


def test_turned_photo_is_looked_at_as_displayed(tmp_path: Path) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg", orientation=6), tmp_path)
    assert choose(pdf).position == "top-left"


def test_png_scan_through_flate(tmp_path: Path) -> None:
    jpeg = scan(tmp_path / "s.jpg")
    png = tmp_path / "s.png"
    Image.open(jpeg).save(png)
    assert choose(page_of(png, tmp_path)).position == "top-left"


def test_progressive_jpeg_is_decoded_whole(tmp_path: Path) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg", progressive=True), tmp_path)
    assert choose(pdf).position == "top-left"


def test_the_top_rows_decode_as_the_whole_image_does(tmp_path: Path) -> None:
    """The JPEG is decoded down to the patch only (its frame height shortened): what is
    seen must be what decoding the whole image shows there."""
    path = scan(tmp_path / "s.jpg")
    pdf = page_of(path, tmp_path)
    page = PdfReader(pdf).pages[0]
    shape = geometry(page)
    patch = spot(shape, width, OPTS, "top-right").patch
    views = ink.scanned_views(page, shape, patch, patch)
    assert views is not None
    seen, _ = views
    assert seen.size[0] > 5 and seen.size[1] > 3
    assert max(seen.histogram()[100:]) == 0  # the dark block, not the paper or a filler


def _vector(path: Path, header: bool) -> Path:
    c = Canvas(str(path), pagesize=A4, invariant=1)
    if header:
        c.setFont("Helvetica-Bold", 18)
        c.drawRightString(A4[0] - 20, A4[1] - 40, "FORM 1 STUB")
    c.setFont("Helvetica", 12)
    c.drawString(80, 500, "body")
    c.showPage()
    c.save()
    return path


def test_vector_page_is_rendered(tmp_path: Path) -> None:
    assert choose(_vector(tmp_path / "h.pdf", True)).position == "top-left"
    assert choose(_vector(tmp_path / "n.pdf", False)).position == "top-right"


def test_scan_wrapped_in_a_form_is_rendered(tmp_path: Path) -> None:
    """reportlab (and some scanners) draw the image inside a form XObject."""
    data = io.BytesIO()
    Image.open(scan(tmp_path / "s.jpg")).save(data, "JPEG")
    from reportlab.lib.utils import ImageReader

    pdf = tmp_path / "form.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(io.BytesIO(data.getvalue())), 0, 0, A4[0], A4[1])
    c.showPage()
    c.save()
    assert choose(pdf).position == "top-left"


def test_answers_are_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg"), tmp_path)
    cache = Cache("ink", tmp_path / "cache")
    digest = "ab" * 32
    first = ink.SourceInk(pdf, lambda: digest, OPTS, width, cache)
    assert first.choose(0, PdfReader(pdf).pages[0], True).position == "top-left"
    first.save()

    def blind(*args: object) -> bool:
        raise AssertionError("looked again")

    monkeypatch.setattr(ink.SourceInk, "_look", blind)
    again = ink.SourceInk(pdf, lambda: digest, OPTS, width, cache)
    assert again.choose(0, PdfReader(pdf).pages[0], True).position == "top-left"
    other = ink.SourceInk(pdf, lambda: "cd" * 32, OPTS, width, cache)
    with pytest.raises(AssertionError):
        other.choose(0, PdfReader(pdf).pages[0], True)


def test_damaged_image_data_counts_as_free(tmp_path: Path) -> None:
    pdf = page_of(scan(tmp_path / "s.jpg"), tmp_path)
    writer = PdfWriter(clone_from=str(pdf))
    image = writer.pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()
    image._data = b"\xff\xd8\xff\xc0\x00\x11garbage" + b"\x00" * 100
    broken = tmp_path / "broken.pdf"
    with broken.open("wb") as fh:
        writer.write(fh)
    assert choose(broken, kind="jpeg").position == "top-right"


def test_a_volume_moves_numbers_off_a_printed_corner(tmp_path: Path, test_font: Path) -> None:
    """End to end: the manifest says which pages moved and where, the build says so, the
    rendered page shows the number in the free corner and the print untouched; with
    --stamp-fixed the number stays where asked."""
    import json
    import shutil

    from clirun import invoke
    from makefiles import make_volume_tree

    root = tmp_path / "m"
    ind = make_volume_tree(root)
    jpeg = scan(tmp_path / "stub.jpg")
    shutil.copy(page_of(jpeg, tmp_path), ind / "2019" / "03-存根联.pdf")
    out = tmp_path / "out"
    args = ["build", str(root), "-i", "12", "--font", str(test_font), "-o", str(out)]
    done = invoke(args)
    assert done.exit_code == 0, done.output
    assert "页码位置有内容的 1 页" in done.stdout.replace("\n", "").replace(" ", "") or \
        "页码位置有内容的1页" in done.stdout.replace("\n", "").replace(" ", "")
    name = "12-水环境质量-2019年度佐证材料"
    data = json.loads((out / f"{name}.manifest.json").read_text("utf-8"))
    [stub] = [s for s in data["sources"] if s["path"].endswith("存根联.pdf")]
    number = stub["first_page"]
    assert stub["stamp_moved"] == {str(number): "top-left"} and stub["stamp_covered"] == []
    assert all(not s["stamp_moved"] for s in data["sources"] if s is not stub)
    white = _white_corners(out / f"{name}.pdf", stub["output_pages"][0], tmp_path / "a")
    assert white == (True, False)  # the number's white patch on the paper, the print whole
    fixed = invoke([*args, "--stamp-fixed"])
    assert fixed.exit_code == 0
    data = json.loads((out / f"{name}.manifest.json").read_text("utf-8"))
    assert all(not s["stamp_moved"] for s in data["sources"])
    assert _white_corners(out / f"{name}.pdf", stub["output_pages"][0],
                          tmp_path / "b") == (False, True)  # over the print, as asked


def _white_corners(pdf: Path, page: int, prefix: Path) -> tuple[bool, bool]:
    """Rendered at 50 dpi: is there white (a number's patch) inside the scan's top-left
    and top-right corners (the scan's paper is grey, its print dark)?"""
    import subprocess

    subprocess.run(["pdftoppm", "-r", "50", "-f", str(page), "-l", str(page), "-gray",
                    "-singlefile", str(pdf), str(prefix)], check=True)
    img = Image.open(f"{prefix}.pgm")
    w = img.width
    rows = (24, 29)  # 12–14.5 mm from the top: inside the scan, where numbers go
    left = img.crop((int(w * 0.06), rows[0], int(w * 0.14), rows[1])).histogram()
    right = img.crop((int(w * 0.86), rows[0], int(w * 0.94), rows[1])).histogram()
    return sum(left[250:]) > 0, sum(right[250:]) > 0


def test_a_page_that_cannot_be_looked_at_is_free_and_not_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _vector(tmp_path / "h.pdf", True)
    cache = Cache("ink", tmp_path / "cache")
    monkeypatch.setattr(ink.SourceInk, "_rendered", lambda *a: None)  # PDFium failed
    looker = ink.SourceInk(pdf, lambda: "ef" * 32, OPTS, width, cache)
    assert looker.choose(0, PdfReader(pdf).pages[0], True) == ink.Choice("top-right", False,
                                                                        False)
    looker.save()
    assert not (tmp_path / "cache").exists()  # nothing learnt, nothing kept
    monkeypatch.undo()
    again = ink.SourceInk(pdf, lambda: "ef" * 32, OPTS, width, cache)
    assert again.choose(0, PdfReader(pdf).pages[0], True).position == "top-left"
