"""Probing real files, good and hostile. Nothing here may raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier import probe as probe_mod
from dossier.probe import probe

from makefiles import (
    truncate,
    write_encrypted_pdf,
    write_html_as_pdf,
    write_jpeg,
    write_pdf,
    write_png,
    write_tiff,
    write_truncated_pdf,
    write_zero_page_pdf,
)


def codes(path: Path, kind: str) -> list[str]:
    return [p.code for p in probe(path, kind).problems]


def test_good_pdf(tmp_path: Path) -> None:
    result = probe(write_pdf(tmp_path / "a.pdf", pages=3), "pdf")
    assert (result.pages, result.problems, result.usable) == (3, (), True)


def test_truncated_pdf(tmp_path: Path) -> None:
    result = probe(write_truncated_pdf(tmp_path / "t.pdf"), "pdf")
    assert [p.code for p in result.problems] == ["corrupt-pdf"]
    assert not result.usable and result.pages == 0


def test_html_saved_as_pdf(tmp_path: Path) -> None:
    result = probe(write_html_as_pdf(tmp_path / "h.pdf"), "pdf")
    assert [p.code for p in result.problems] == ["not-a-pdf"]
    assert "HTML" in result.problems[0].message


def test_zero_page_pdf(tmp_path: Path) -> None:
    assert codes(write_zero_page_pdf(tmp_path / "z.pdf"), "pdf") == ["empty-pdf"]


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.pdf").write_bytes(b"")
    assert codes(tmp_path / "e.pdf", "pdf") == ["empty-file"]


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-128", "RC4-128"])
def test_user_password_pdf(tmp_path: Path, algorithm: str) -> None:
    path = write_encrypted_pdf(tmp_path / "u.pdf", user_password="secret", algorithm=algorithm)
    assert codes(path, "pdf") == ["encrypted-pdf"]


def test_owner_password_only_pdf_is_fine(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "o.pdf", user_password="")
    result = probe(path, "pdf")
    assert [p.code for p in result.problems] == ["owner-password-pdf"]
    assert result.usable and result.pages == 1


def test_word_file_named_pdf(tmp_path: Path) -> None:
    (tmp_path / "w.pdf").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    result = probe(tmp_path / "w.pdf", "pdf")
    assert result.problems[0].code == "not-a-pdf" and "ZIP" in result.problems[0].message


def test_garbage_after_header(tmp_path: Path) -> None:
    (tmp_path / "g.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert codes(tmp_path / "g.pdf", "pdf") == ["corrupt-pdf"]


def test_images(tmp_path: Path) -> None:
    assert probe(write_jpeg(tmp_path / "a.jpg", orientation=6), "jpeg").pages == 1
    assert probe(write_png(tmp_path / "a.png", alpha=True), "png").pages == 1
    tiff = probe(write_tiff(tmp_path / "a.tif", frames=3), "tiff")
    assert (tiff.pages, tiff.problems) == (3, ())


def test_truncated_images(tmp_path: Path) -> None:
    jpg = truncate(write_jpeg(tmp_path / "a.jpg", size=(400, 300)))
    assert codes(jpg, "jpeg") == ["broken-image"]
    png = truncate(write_png(tmp_path / "a.png", size=(400, 300)), keep=0.9)
    assert codes(png, "png") == ["broken-image"]
    tif = truncate(write_tiff(tmp_path / "a.tif", frames=3), keep=0.5)
    assert codes(tif, "tiff") == ["broken-image"]


def test_mislabelled_image(tmp_path: Path) -> None:
    path = write_png(tmp_path / "photo.jpg")
    result = probe(path, "jpeg")
    assert [p.code for p in result.problems] == ["mislabelled-image"] and result.usable


def test_pdf_named_jpg(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.jpg")
    result = probe(path, "jpeg")
    assert result.problems[0].code == "broken-image" and ".pdf" in result.problems[0].message


def test_random_bytes_image(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    assert codes(tmp_path / "x.png", "png") == ["broken-image"]


def test_hanging_parser_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def spin(path: Path) -> None:
        while True:
            pass

    monkeypatch.setattr(probe_mod, "_probe_pdf", spin)
    result = probe(write_pdf(tmp_path / "a.pdf"), "pdf", timeout=0.2)
    assert [p.code for p in result.problems] == ["probe-timeout"]


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "dir.pdf").mkdir()  # open() fails with an OSError even for root
    assert codes(tmp_path / "dir.pdf", "pdf") == ["unreadable-file"]
