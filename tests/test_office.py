"""dossier.office: real documents converted by LibreOffice, read back; a hung conversion
killed; a broken one a clear error; the cache making a rebuild convert nothing.

Needs LibreOffice; `.ci/run` installs it and sets DOSSIER_REQUIRE_TOOLS=1, so these tests
run there, never skipped."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import office, tools
from dossier.cache import Cache

REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
FOUND = tools.find(tools.LIBREOFFICE)
needs_soffice = pytest.mark.skipif(FOUND is None and not REQUIRED,
                                   reason="LibreOffice not installed")


def _make(tmp_path: Path, suffix: str, filter_name: str, html: str) -> Path:
    """A real document of this kind, made by LibreOffice itself from HTML."""
    assert FOUND is not None
    source = tmp_path / "src.html"
    source.write_text(f"<html><meta charset='utf-8'><body>{html}</body></html>",
                      encoding="utf-8")
    ran = tools.run([str(FOUND.path), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                     "--headless", "--convert-to", f"{suffix[1:]}:{filter_name}", "--outdir",
                     str(tmp_path), str(source)], timeout=120)
    made = tmp_path / f"src{suffix}"
    assert made.is_file(), ran
    return made


TEXT = ("<h1>巴中市2019年水环境质量报告</h1>"
        "<table border=1><tr><td>断面</td><td>达标</td></tr></table>")


@needs_soffice
@pytest.mark.parametrize(("suffix", "filter_name"), [(".docx", "MS Word 2007 XML"),
                                                     (".doc", "MS Word 97"),
                                                     (".rtf", "Rich Text Format")])
def test_word_documents_become_pages_with_their_text(tmp_path: Path, suffix: str,
                                                     filter_name: str) -> None:
    assert FOUND is not None
    document = _make(tmp_path, suffix, filter_name, TEXT)
    before = document.read_bytes()
    pdf = office.convert(document, FOUND)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace(" ", "")
    assert "巴中市2019年水环境质量报告" in text and "断面" in text
    assert document.read_bytes() == before  # the source is never touched
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted(
        ["src.html", f"src{suffix}"])  # nothing written beside it


@needs_soffice
def test_the_cache_converts_once_and_keeps_the_bytes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert FOUND is not None
    document = _make(tmp_path, ".docx", "MS Word 2007 XML", TEXT)
    cache = Cache("convert", tmp_path / "cache")
    first = office.to_pdf(document, FOUND, cache)

    def refuse(*args: object, **kw: object) -> bytes:
        raise AssertionError("converted again")

    monkeypatch.setattr(office, "convert", refuse)
    assert office.to_pdf(document, FOUND, cache) == first  # byte-identical, from the cache


@needs_soffice
def test_a_broken_document_is_a_clear_error(tmp_path: Path) -> None:
    assert FOUND is not None
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(office.ConversionError) as caught:
        office.convert(broken, FOUND, timeout=120)
    assert caught.value.reason.key == "convert-failed"


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a POSIX shell script")
def test_a_hung_conversion_is_stopped(tmp_path: Path) -> None:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\nsleep 60\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    found = tools.Found(tools.LIBREOFFICE, script, "0")
    document = tmp_path / "a.docx"
    document.write_bytes(b"PK\x03\x04")
    with pytest.raises(office.ConversionError) as caught:
        office.convert(document, found, timeout=1)
    assert caught.value.reason.key == "convert-timeout"
    assert caught.value.reason.params["seconds"] == "1"
