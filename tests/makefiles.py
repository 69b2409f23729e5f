"""Real PDFs and images for tests, generated on the fly (nothing binary is committed)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from dossier.naming import parse_name, years_in
from dossier.scan import MaterialFile


def pdf_bytes(pages: int = 1, text: str = "test") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(pages):
        c.drawString(72, 720, f"{text} page {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def write_pdf(path: Path, pages: int = 1, text: str = "test") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages, text))
    return path


def write_sealed_pdf(path: Path, title: str = "考核结果", issuer: str = "巴中市生态环境局",
                     pages: int = 1) -> Path:
    """A 公文 with a red masthead and the issuer's seal on its last page (as
    examples/make_materials.py draws them): what a document that needs a seal looks like."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
    from make_materials import official_pdf

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(official_pdf(issuer, "", title, ["（正文略）"], pages, seal=issuer))
    return path


def write_encrypted_pdf(path: Path, user_password: str, owner_password: str = "owner",
                        algorithm: str = "AES-256") -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password=owner_password,
                   algorithm=algorithm)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def write_zero_page_pdf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        PdfWriter().write(fh)
    return path


def write_truncated_pdf(path: Path, keep: float = 0.5) -> Path:
    data = pdf_bytes(3)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def write_html_as_pdf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<!DOCTYPE html><html><body>登录超时</body></html>", encoding="utf-8")
    return path


def jpeg_bytes(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    img = Image.new("RGB", size, (200, 120, 40))
    buf = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    img.save(buf, "JPEG", quality=80, exif=exif.tobytes())
    return buf.getvalue()


def write_jpeg(path: Path, size: tuple[int, int] = (64, 48),
               orientation: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg_bytes(size, orientation))
    return path


def write_png(path: Path, size: tuple[int, int] = (40, 30), alpha: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGBA" if alpha else "RGB", size, (10, 200, 10)).save(path, "PNG")
    return path


def write_tiff(path: Path, frames: int = 3) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    images = [Image.new("L", (50, 70), 40 * n) for n in range(frames)]
    images[0].save(path, "TIFF", save_all=True, append_images=images[1:])
    return path


def truncate(path: Path, keep: float = 0.6) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def mf(section: str | None, stem: str, indicator: int = 12) -> MaterialFile:
    """A MaterialFile as scan() would make it, without a file on disk."""
    info = parse_name(stem)
    return MaterialFile(path=Path(f"/x/{stem}.pdf"), rel=f"{indicator}/{section}/{stem}.pdf",
                        indicator=indicator, section=section, name=info, tags=info.tags,
                        years=years_in(stem), size=10, kind="pdf")


def make_volume_tree(root: Path) -> Path:
    """Indicator 12 with every section filled: 4 PDFs, photos, a multi-page TIFF, a PNG,
    a rotated page and a CropBox offset. Returns the indicator folder."""
    ind = root / "12-水环境质量"
    write_pdf(ind / "达标说明" / "水环境质量达标说明.pdf", 2, "expl")
    direct = write_pdf(ind / "直接证明材料" / "01(1)2018-2020年考核结果汇总.pdf", 3, "direct")
    writer = PdfWriter(clone_from=str(direct))
    writer.pages[1].rotate(90)
    writer.pages[2].cropbox = writer.pages[2].mediabox.__class__([30, 40, 500, 780])
    with direct.open("wb") as fh:
        writer.write(fh)
    for year in (2018, 2019, 2020):
        write_pdf(ind / str(year) / f"01(1){year}年度考核结果.pdf", 2, f"y{year}")
        write_jpeg(ind / str(year) / f"02(2)现场照片{year}.jpg", (80, 60), orientation=6)
    write_pdf(ind / "2021" / "2021年一季度水质通报.pdf", 1, "progress")
    write_tiff(ind / "长期有效" / "多页扫描.tif", 3)
    write_png(ind / "长期有效" / "示意图.png", (30, 20), alpha=True)
    return ind
