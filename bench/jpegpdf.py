"""Tiny JPEG and PDF helpers shared by the corpus generator and the benchmark runner.

Scanned documents are JPEGs inside a PDF. To make thousands of such pages quickly and
honestly, the JPEG bytes are written into the PDF unchanged (a DCTDecode image XObject per
page, no re-encoding, no ASCII85), by a minimal deterministic PDF writer. The same writer
wraps the raw photo JPEGs of the corpus into one-page PDFs for the qpdf baseline."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

A4_W, A4_H = 595.2756, 841.8898  # points
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# EXIF orientation -> page /Rotate that shows the stored image upright (baseline wrapper).
ORIENTATION_ROTATE = {1: 0, 3: 180, 6: 90, 8: 270}


@dataclass(frozen=True)
class JpegInfo:
    width: int
    height: int
    components: int
    orientation: int  # EXIF orientation, 1 when absent


def _exif_orientation(app1: bytes) -> int:
    """Orientation tag (0x0112) of an APP1 Exif payload, 1 when absent or unreadable."""
    if not app1.startswith(b"Exif\0\0") or len(app1) < 14:
        return 1
    tiff = app1[6:]
    endian = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if endian is None:
        return 1
    try:
        (ifd,) = struct.unpack(endian + "I", tiff[4:8])
        (count,) = struct.unpack(endian + "H", tiff[ifd:ifd + 2])
        for n in range(count):
            entry = tiff[ifd + 2 + 12 * n: ifd + 14 + 12 * n]
            tag, _kind, _num = struct.unpack(endian + "HHI", entry[:8])
            if tag == 0x0112:
                return int(struct.unpack(endian + "H", entry[8:10])[0])
    except struct.error:
        return 1
    return 1


def _segments(data: bytes) -> list[tuple[int, int, int]]:
    """(marker, start, end) of every marker segment before the scan data."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out = []
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"bad JPEG marker at {pos}")
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        out.append((marker, pos, pos + 2 + length))
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        pos += 2 + length
    return out


def jpeg_info(data: bytes) -> JpegInfo:
    orientation = 1
    for marker, start, end in _segments(data):
        if marker == 0xE1:
            orientation = _exif_orientation(data[start + 4:end])
        elif marker in _SOF:
            height, width = struct.unpack(">HH", data[start + 5:start + 9])
            return JpegInfo(width, height, data[start + 9], orientation)
    raise ValueError("JPEG without a frame header")


def with_comment(data: bytes, text: str) -> bytes:
    """The same image with a COM segment after the APPn segments: distinct bytes (and
    hash) for every file of the corpus without encoding a new image."""
    payload = text.encode("utf-8")[:60000]
    insert = 2
    for marker, _start, end in _segments(data):
        if 0xE0 <= marker <= 0xEF:
            insert = end
        else:
            break
    return data[:insert] + b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload \
        + data[insert:]


@dataclass(frozen=True)
class ImagePage:
    jpeg: bytes
    rotate: int = 0  # the page's /Rotate


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def image_pdf(pages: Sequence[ImagePage]) -> bytes:
    """A PDF with one page per JPEG, each fitted to an A4 page of its orientation."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    kids = []
    for page in pages:
        info = jpeg_info(page.jpeg)
        space = {1: b"/DeviceGray", 3: b"/DeviceRGB", 4: b"/DeviceCMYK"}[info.components]
        image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                    b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
                    % (info.width, info.height, space, len(page.jpeg))
                    + page.jpeg + b"\nendstream")
        page_w, page_h = (A4_H, A4_W) if info.width > info.height else (A4_W, A4_H)
        scale = min(page_w / info.width, page_h / info.height)
        w, h = info.width * scale, info.height * scale
        x, y = (page_w - w) / 2, (page_h - h) / 2
        content = f"q {_num(w)} 0 0 {_num(h)} {_num(x)} {_num(y)} cm /Im0 Do Q".encode()
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        rotate = b" /Rotate %d" % page.rotate if page.rotate else b""
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s]%s /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> /ProcSet [/PDF /ImageB /ImageC] >> >>"
            % (pages_obj, _num(page_w).encode(), _num(page_h).encode(), rotate, stream, image)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = (b"<< /Type /Pages /Kids [%s] /Count %d >>"
                              % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    info_obj = add(b"<< /Producer (dossier bench scanner) >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    ident = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().encode()
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, info_obj, ident, ident, xref))
    return bytes(out)


def wrap_photo(path: Path) -> bytes:
    """A one-page PDF showing a photo JPEG upright (EXIF orientation as page /Rotate),
    bytes unchanged: what a clerk would get by "print to PDF" without re-encoding."""
    data = path.read_bytes()
    rotate = ORIENTATION_ROTATE.get(jpeg_info(data).orientation, 0)
    return image_pdf([ImagePage(data, rotate)])
