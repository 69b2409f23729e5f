from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from dossier.hashing import HashingWriter, sha256_file


def test_hashing_writer_digest_equals_the_written_file(tmp_path: Path) -> None:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    path = tmp_path / "out.pdf"
    with path.open("wb") as fh, HashingWriter(fh) as out:
        writer.write(out)  # type: ignore[arg-type]
    assert out.size == path.stat().st_size
    assert out.hexdigest() == sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_small_and_large_writes_keep_their_order_and_tell_counts_them() -> None:
    pieces = [b"a" * 10, b"b" * (200 << 10), bytearray(b"c" * 5), memoryview(b"d" * (3 << 20)),
              b"e" * 70_000, b"f"]
    sink = io.BytesIO()
    with HashingWriter(sink) as out:
        for n, piece in enumerate(pieces):
            out.write(piece)
            assert out.tell() == sum(len(p) for p in pieces[:n + 1])
    expected = b"".join(bytes(p) for p in pieces)
    assert sink.getvalue() == expected
    assert out.hexdigest() == hashlib.sha256(expected).hexdigest()


def test_digest_is_refused_before_the_writer_is_closed() -> None:
    out = HashingWriter(io.BytesIO())
    out.write(b"x")
    with pytest.raises(RuntimeError):
        out.hexdigest()
    out.close()
    assert out.hexdigest() == hashlib.sha256(b"x").hexdigest()


class _FullDisk(io.BytesIO):
    def write(self, data: object) -> int:
        raise OSError(28, "No space left on device")


def test_a_write_error_in_the_thread_reaches_the_caller() -> None:
    out = HashingWriter(_FullDisk())
    with pytest.raises(OSError, match="No space left"):
        for _ in range(200):  # the error surfaces at a later write, without hanging
            out.write(b"z" * (1 << 20))
    with pytest.raises(OSError, match="No space left"):
        out.close()  # waits for the thread, and reports the error too
    out.close()  # closing again is harmless


def test_a_pipe_or_a_device_is_never_read(tmp_path: Path) -> None:
    """A FIFO would block the open until a writer comes; /dev/zero never ends."""
    import os

    from dossier.hashing import NotRegularFile, open_regular, sha256_file

    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), Path("/dev/null")):
        with pytest.raises(NotRegularFile):
            sha256_file(path)
        with pytest.raises(NotRegularFile):
            open_regular(path)
    real = tmp_path / "a.pdf"
    real.write_bytes(b"%PDF-1.4")
    with open_regular(real) as fh:
        assert fh.read() == b"%PDF-1.4"
