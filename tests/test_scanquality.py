"""dossier.scanquality and checks.scans: scanned pages that are blank, too dark, too faint or of
low resolution, on real scans made here (pages drawn with Pillow, saved as JPEG or PNG and
placed full-page in PDFs by reportlab, as scanners write them)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from dossier import scanquality
from dossier.cache import Cache
from dossier.checks.scans import look_at_files, scan_findings
from dossier.probe import Probe

from makefiles import mf, write_pdf


def page(dpi: int = 200, *, text: bool = True, paper: int = 245, ink: int = 20,
         seed: int = 1) -> Image.Image:
    """An A4 page as a scanner sees it: paper with noise, and lines of writing."""
    rnd = random.Random(seed)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(img)
    for _ in range(width * height // 400):  # paper grain
        x, y = rnd.randrange(width), rnd.randrange(height)
        draw.point((x, y), fill=max(0, paper - rnd.randrange(12)))
    if text:
        for row in range(30):
            y = int(height * 0.1) + row * int(dpi * 0.3)
            for word in range(12):
                x = int(width * 0.1) + word * int(dpi * 0.55)
                draw.rectangle([x, y, x + int(dpi * 0.4), y + max(2, dpi // 12)], fill=ink)
    return img


def scan_pdf(path: Path, pages: list[Image.Image], fmt: str = "JPEG") -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for img in pages:
        buf = io.BytesIO()
        img.save(buf, fmt, quality=75) if fmt == "JPEG" else img.save(buf, fmt)
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, *A4)
        c.showPage()
    c.save()
    return path


def looks(path: Path, kind: str = "pdf") -> tuple[scanquality.PageLook, ...]:
    return scanquality.look_at(path, kind)


def test_a_good_scan_has_no_fault(tmp_path: Path) -> None:
    [look] = looks(scan_pdf(tmp_path / "a.pdf", [page(200)]))
    assert look.dpi in (199, 200) and not (look.blank or look.dark or look.faint)


def test_low_resolution_blank_dark_and_faint_pages(tmp_path: Path) -> None:
    pdf = scan_pdf(tmp_path / "b.pdf", [page(100), page(200, text=False), page(200, paper=60),
                                        page(200, ink=215)])
    low, blank, dark, faint = looks(pdf)
    assert 95 <= low.dpi <= 100 and not low.blank
    assert blank.blank and not blank.faint
    assert dark.dark
    assert faint.faint and not faint.blank
    f = mf("2019", "b")
    f = type(f)(**{**f.__dict__, "path": pdf, "size": pdf.stat().st_size})
    probes = {f.rel: Probe(4, ())}
    seen = look_at_files([f], probes, cache_dir=tmp_path / "c")
    found = {x.code: x for x in scan_findings([f], probes, seen)}
    assert set(found) == {"scan-low-resolution", "scan-blank-page", "scan-too-dark",
                          "scan-too-faint"}
    assert found["scan-low-resolution"].params["pages"] == ("1",)
    assert found["scan-low-resolution"].params["dpi"] <= 100
    assert found["scan-blank-page"].params["pages"] == ("2",)
    from dossier.i18n import translator

    text = translator("zh").render(found["scan-blank-page"].message)
    assert "第 2 页是空白页" in text


def test_the_blank_backs_of_a_double_sided_scan_are_not_reported(tmp_path: Path) -> None:
    sheets = [page(150, seed=n) if n % 2 == 0 else page(150, text=False, seed=n)
              for n in range(6)]
    pdf = scan_pdf(tmp_path / "duplex.pdf", sheets)
    pages = looks(pdf)
    assert [p.blank for p in pages] == [False, True] * 3
    assert scanquality.duplex_backs(pages, 6)
    f = mf("2019", "duplex")
    f = type(f)(**{**f.__dict__, "path": pdf, "size": pdf.stat().st_size})
    probes = {f.rel: Probe(6, ())}
    seen = look_at_files([f], probes, cache_dir=tmp_path / "c")
    assert not [x for x in scan_findings([f], probes, seen) if x.code == "scan-blank-page"]
    # one blank page among written ones is reported
    assert not scanquality.duplex_backs(pages[:2] + pages[2:3], 3)


def test_pages_that_are_not_jpeg_are_rendered_and_text_pages_skipped(tmp_path: Path) -> None:
    pdf = scan_pdf(tmp_path / "png.pdf", [page(120, text=False)], fmt="PNG")
    [look] = looks(pdf)
    assert look.blank and 115 <= look.dpi <= 120
    assert looks(write_pdf(tmp_path / "text.pdf", 3)) == ()  # reportlab text: not a scan


def test_photos_are_judged_for_blankness_only(tmp_path: Path) -> None:
    scene = Image.new("RGB", (480, 360), (140, 180, 225))
    ImageDraw.Draw(scene).rectangle([0, 250, 480, 360], fill=(40, 90, 50))
    scene.save(tmp_path / "scene.jpg", quality=80)
    [look] = looks(tmp_path / "scene.jpg", "jpeg")
    assert not (look.blank or look.dark or look.faint)
    Image.new("RGB", (480, 360), (20, 20, 20)).save(tmp_path / "night.jpg")
    [night] = looks(tmp_path / "night.jpg", "jpeg")
    assert night.blank and not night.dark  # one flat tone; a photo is never "too dark"
    page(150, paper=60).save(tmp_path / "scan.tif")
    [tiff] = looks(tmp_path / "scan.tif", "tiff")
    assert tiff.dark  # a TIFF is a scanner's


def test_what_is_seen_is_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    pdf = scan_pdf(tmp_path / "c.pdf", [page(100)])
    cache = Cache("scans", tmp_path / "cache")
    first = scanquality.look_at(pdf, "pdf", cache)

    def fail(path: Path) -> None:
        raise AssertionError("looked at again")

    monkeypatch.setattr(scanquality, "_pdf_pages", fail)
    assert scanquality.look_at(pdf, "pdf", cache) == first
    # another content is looked at (and a hostile one says nothing)
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.4 broken")
    assert scanquality.look_at(tmp_path / "d.pdf", "pdf", cache) == ()


def test_a_scan_askew_by_more_than_two_degrees_is_reported(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    turned = [page(150, seed=n).rotate(angle, fillcolor=245,
                                       resample=PILImage.Resampling.BILINEAR)
              for n, angle in enumerate((0.0, 1.0, 4.0, -3.5))]
    pdf = scan_pdf(tmp_path / "skew.pdf", turned)
    pages = looks(pdf)
    assert [round(p.skew) for p in pages] == [0, 1, 4, -4]  # rising to the right: positive
    f = mf("2019", "skew")
    f = type(f)(**{**f.__dict__, "path": pdf, "size": pdf.stat().st_size})
    probes = {f.rel: Probe(4, ())}
    [skewed] = [x for x in scan_findings([f], probes, look_at_files([f], probes))
                if x.code == "scan-skewed"]
    assert skewed.params["pages"] == ("3", "4") and skewed.params["angle"] == "4.0"
    from dossier.i18n import translator

    assert "歪" in translator("zh").render(skewed.message)


def sheet_photo(path: Path, tilt: int) -> Path:
    """A phone photo of a sheet on a dark desk; `tilt` pixels of perspective (0: square)."""
    import cv2
    import numpy as np

    desk = np.full((1200, 1600, 3), (60, 50, 40), np.uint8)
    sheet = np.asarray(page(60).convert("RGB"))
    sh, sw = sheet.shape[:2]
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    dst = np.float32([[500 - tilt, 150], [1130 + tilt, 150], [1130 + 3 * tilt, 1050],
                      [500 - 3 * tilt, 1050]])
    out = cv2.warpPerspective(sheet, cv2.getPerspectiveTransform(src, dst), (1600, 1200),
                              dst=desk.copy(), borderMode=cv2.BORDER_TRANSPARENT)
    Image.fromarray(out).save(path, "JPEG", quality=85)
    return path


def test_a_photo_of_a_document_at_a_slant_is_reported(tmp_path: Path) -> None:
    [square] = looks(sheet_photo(tmp_path / "square.jpg", 0), "jpeg")
    [slanted] = looks(sheet_photo(tmp_path / "slanted.jpg", 200), "jpeg")
    assert square.slant < 5 and slanted.slant > scanquality.MAX_SLANT
    site = tmp_path / "site.jpg"
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
    from make_materials import photo_jpeg

    site.write_bytes(photo_jpeg(12))
    [scene] = looks(site, "jpeg")
    assert scene.slant == 0.0  # no sheet in a site photo: nothing to judge
    f = mf("2019", "slanted")
    f = type(f)(**{**f.__dict__, "path": tmp_path / "slanted.jpg", "kind": "jpeg",
                   "rel": "12/2019/slanted.jpg"})
    probes = {f.rel: Probe(1, ())}
    [found] = [x for x in scan_findings([f], probes, look_at_files([f], probes))
               if x.code == "photo-perspective"]
    assert int(found.params["angle"]) > 15


@pytest.mark.parametrize("xobjects", [
    "5", "null", "<< /Im0 null >>", "<< /Im0 5 >>",
    "<< /Im0 << /Subtype /Image /Width /Foo /Height 10 >> >>",
    "<< /Im0 99 0 R >>",  # a reference to nothing
])
def test_odd_xobjects_make_no_image_and_no_traceback(tmp_path: Path, xobjects: str) -> None:
    """A hostile page's /XObject: not a scan (so neither checked nor OCR'd), never an
    exception from scanquality.largest_image or dossier.ocr.image_only."""
    from pypdf import PdfReader

    from dossier import ocr

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /XObject " + xobjects.encode() + b" >> >>",
               b"<< /Length 28 >>\nstream\nq 595 0 0 842 0 0 cm /Im0 Do Q\nendstream"]
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    path = tmp_path / "odd.pdf"
    path.write_bytes(out.getvalue())
    page = PdfReader(path).pages[0]
    assert scanquality.largest_image(page.get("/Resources")) is None
    assert not scanquality.has_text(page)
    assert ocr.image_only(page) is False
    assert list(scanquality.look_at(path, "pdf", None)) == []


def test_text_inside_a_form_xobject_is_text(tmp_path: Path) -> None:
    """A page drawn as a form XObject (reportlab's forms, pdfpages, an OCR'd page) shows
    text; a form of lines only does not."""
    from pypdf import PdfReader

    path = tmp_path / "form.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for name, text in (("words", "Sewage 95.6%"), ("lines", "")):
        pdf.beginForm(name)
        if text:
            pdf.drawString(72, 700, text)
        pdf.line(72, 650, 500, 650)
        pdf.endForm()
        pdf.doForm(name)
        pdf.showPage()
    pdf.save()
    words, lines = PdfReader(path).pages
    assert b"Tj" not in words.get_contents().get_data()  # only in the form
    assert scanquality.has_text(words)
    assert not scanquality.has_text(lines)
