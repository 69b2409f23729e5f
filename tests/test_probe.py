"""Probing real files, good and hostile. Nothing here may raise."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from dossier import probe as probe_mod
from dossier.i18n import Message
from dossier.messages import template
from dossier.probe import Problem, probe, sniff

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
    [problem] = result.problems
    assert (problem.key, problem.params["kind"]) == ("not-a-pdf", "html")
    assert problem.params["content"] == Message("content-kind/html")


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
    assert result.problems[0].code == "not-a-pdf" and result.problems[0].params["kind"] == "zip"


def test_image_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "photo.pdf"
    path.write_bytes(write_jpeg(tmp_path / "a.jpg").read_bytes())
    [problem] = probe(path, "pdf").problems
    assert problem.key == "not-a-pdf/image"
    assert (problem.params["kind"], problem.params["extension"]) == ("jpeg", "jpg")


def test_unknown_content_named_pdf(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"hello, this is text")
    assert [p.key for p in probe(tmp_path / "x.pdf", "pdf").problems] == ["not-a-pdf/unknown"]


def test_garbage_after_header(tmp_path: Path) -> None:
    (tmp_path / "g.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    [problem] = probe(tmp_path / "g.pdf", "pdf").problems
    assert problem.key == "corrupt-pdf"
    assert problem.params["detail"]  # pypdf's words, kept for JSON and logs only


def test_images(tmp_path: Path) -> None:
    assert probe(write_jpeg(tmp_path / "a.jpg", orientation=6), "jpeg").pages == 1
    assert probe(write_png(tmp_path / "a.png", alpha=True), "png").pages == 1
    tiff = probe(write_tiff(tmp_path / "a.tif", frames=3), "tiff")
    assert (tiff.pages, tiff.problems) == (3, ())


def keys(path: Path, kind: str) -> list[str]:
    return [p.key for p in probe(path, kind).problems]


def test_truncated_images(tmp_path: Path) -> None:
    jpg = truncate(write_jpeg(tmp_path / "a.jpg", size=(400, 300)))
    assert keys(jpg, "jpeg") == ["broken-image/truncated"]
    png = truncate(write_png(tmp_path / "a.png", size=(400, 300)), keep=0.9)
    assert keys(png, "png") == ["broken-image/truncated"]
    tif = truncate(write_tiff(tmp_path / "a.tif", frames=3), keep=0.5)
    assert codes(tif, "tiff") == ["broken-image"]  # Pillow fails before our strip check
    tif = truncate(write_tiff(tmp_path / "b.tif", frames=3), keep=0.9)
    assert keys(tif, "tiff") == ["broken-image/truncated"]


def test_implausibly_large_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 400×300 is then a "bomb"
    path = write_png(tmp_path / "a.png", size=(400, 300))
    assert keys(path, "png") == ["broken-image/too-large"]


def test_zero_size_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_png(tmp_path / "a.png")

    class Flat:
        size = (0, 10)

        def __enter__(self) -> Flat:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(Image, "open", lambda p: Flat())
    assert keys(path, "png") == ["broken-image/zero-size"]


def test_other_content_named_as_image(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"GIF89a" + b"\0" * 40)
    [problem] = probe(tmp_path / "a.jpg", "jpeg").problems
    assert problem.key == "broken-image/other-type"
    assert (problem.params["suffix"], problem.params["kind"]) == (".jpg", "gif")
    (tmp_path / "b.png").write_bytes(b"no magic at all")
    assert keys(tmp_path / "b.png", "png") == ["broken-image/unknown"]


def test_mislabelled_image(tmp_path: Path) -> None:
    path = write_png(tmp_path / "photo.jpg")
    result = probe(path, "jpeg")
    assert [p.code for p in result.problems] == ["mislabelled-image"] and result.usable
    assert {k: result.problems[0].params[k] for k in ("suffix", "kind", "extension")} == \
        {"suffix": ".jpg", "kind": "png", "extension": "png"}


def test_pdf_named_jpg(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.jpg")
    result = probe(path, "jpeg")
    assert [p.key for p in result.problems] == ["broken-image/pdf-content"]
    assert result.problems[0].params["suffix"] == ".jpg"


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
    assert result.problems[0].params == {"seconds": "0.2"}


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "dir.pdf").mkdir()  # open() fails with an OSError even for root
    [problem] = probe(tmp_path / "dir.pdf", "pdf").problems
    assert problem.code == "unreadable-file" and problem.params["errno"] == "EISDIR"


def test_every_content_kind_has_a_description() -> None:
    for kind in probe_mod.CONTENT_KINDS:
        template(f"content-kind/{kind}")
    heads = [magic for magic, _ in probe_mod._MAGIC] + [
        b"<!DOCTYPE html>", b"\0\0\0\x18ftypheic", b"RIFF\0\0\0\0WEBP"]
    assert {sniff(h) for h in heads} == set(probe_mod.CONTENT_KINDS)


def test_a_problem_needs_a_template() -> None:
    with pytest.raises(KeyError):
        Problem("broken-image", "no-such-variant")
    problem = Problem("encrypted-pdf")
    assert problem.message_for("a/b.pdf") == Message("encrypted-pdf", {"file": "a/b.pdf"})
    assert hash(Problem("not-a-pdf", params={"kind": "zip"})) == hash(Problem("not-a-pdf"))


def _tiff_with_pages(path: Path, pages: int = 3) -> list[int]:
    """A real multi-page TIFF (Pillow); the offsets of the next-IFD links, in order."""
    import io
    import struct

    frames = [Image.new("L", (64, 64), 40 * n) for n in range(pages)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    data = buf.getvalue()
    links, offset = [], struct.unpack_from("<I", data, 4)[0]
    while offset:
        (entries,) = struct.unpack_from("<H", data, offset)
        links.append(offset + 2 + 12 * entries)
        (offset,) = struct.unpack_from("<I", data, links[-1])
    path.write_bytes(data)
    return links


def test_a_tiff_whose_chain_of_pages_loops_is_a_broken_image(tmp_path: Path) -> None:
    """Pillow stops quietly at a loop and would bind what it saw; the probe follows the
    chain itself."""
    import struct

    good = tmp_path / "名单.tif"
    links = _tiff_with_pages(good)
    assert probe(good, "tiff").pages == 3 and not probe(good, "tiff").problems
    looped = tmp_path / "循环.tif"
    data = bytearray(good.read_bytes())
    struct.pack_into("<I", data, links[-1], struct.unpack_from("<I", data, 4)[0])
    looped.write_bytes(bytes(data))
    found = probe(looped, "tiff")
    assert [(p.code, p.variant) for p in found.problems] == [("broken-image", "frames")]
    assert "points back" in found.problems[0].params["detail"]
    # a link past the end of the file: cut off
    cut = tmp_path / "截断.tif"
    struct.pack_into("<I", data, links[-1], len(data) + 1000)
    cut.write_bytes(bytes(data))
    assert [(p.code, p.variant) for p in probe(cut, "tiff").problems] == [
        ("broken-image", "truncated")]


@pytest.mark.parametrize("count", [2_000_000_000, -1, 0, 7])
def test_a_page_tree_whose_count_lies_is_reported_and_counted_as_walked(
        tmp_path: Path, count: int) -> None:
    """pypdf walks the page tree (the real pages); /Count says otherwise: repaired-pdf."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    real = write_pdf(tmp_path / "real.pdf", pages=2)
    writer = PdfWriter(clone_from=PdfReader(real))
    writer._root_object["/Pages"][NameObject("/Count")] = NumberObject(count)
    liar = tmp_path / "liar.pdf"
    with liar.open("wb") as fh:
        writer.write(fh)
    found = probe(liar, "pdf")
    assert found.pages == 2
    assert [p.code for p in found.problems] == ["repaired-pdf"]
    assert f"declares {count} pages; 2 are there" in found.problems[0].params["detail"]
    assert not probe(real, "pdf").problems
