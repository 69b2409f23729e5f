from __future__ import annotations

import hashlib
from pathlib import Path

from pypdf import PdfWriter

from dossier.hashing import HashingWriter, sha256_file


def test_hashing_writer_digest_equals_the_written_file(tmp_path: Path) -> None:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    path = tmp_path / "out.pdf"
    with path.open("wb") as fh:
        out = HashingWriter(fh)
        writer.write(out)  # type: ignore[arg-type]
    assert out.size == path.stat().st_size
    assert out.hexdigest() == sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()
