from __future__ import annotations

from pathlib import Path

import pytest

from dossier.checks import files as files_mod
from dossier.checks.files import (
    duplicate_findings,
    file_findings,
    probe_files,
    unsupported_finding,
)
from dossier.probe import Probe, Problem
from dossier.scan import MaterialFile

from makefiles import mf, write_pdf


@pytest.mark.parametrize("suffix, variant", [
    (".txt", "word"), (".csv", "excel"), (".ofd", "ofd"), (".zip", "archive"),
    (".7z", "archive"), (".heic", "image"), (".gif", "image"), (".xyz", "other"),
    ("", "other")])
def test_unsupported_file_types_say_how_to_convert(suffix: str, variant: str) -> None:
    f = mf("2018", "x")
    f = MaterialFile(**{**f.__dict__, "path": Path("/x/x" + suffix), "kind": None})
    found = unsupported_finding(f)
    assert (found.code, found.variant) == ("unsupported-file-type", variant)
    assert found.params == {"file": f.rel, "suffix": suffix}


def test_problems_become_findings_about_the_shown_file() -> None:
    f = MaterialFile(**{**mf("2018", "x").__dict__, "rel": "12-水/2018/bad\udcff.pdf"})
    problem = Problem("broken-image", "too-large", {"detail": "DecompressionBombError"})
    [found] = file_findings([f], {f.rel: Probe(0, (problem,))})
    assert found.key == "broken-image/too-large"
    assert found.path == found.params["file"] == "12-水/2018/bad\\xff.pdf"
    assert found.params["detail"] == "DecompressionBombError"


def test_a_file_the_scan_could_not_stat(tmp_path: Path) -> None:
    f = MaterialFile(**{**mf("2018", "x").__dict__, "path": tmp_path / "gone.pdf", "size": -1})
    [problem] = probe_files([f])[f.rel].problems
    assert problem.code == "unreadable-file" and problem.params["errno"] == "ENOENT"


def test_only_same_size_files_are_hashed(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    a = write_pdf(tmp_path / "a.pdf", text="same")
    b = tmp_path / "b.pdf"
    b.write_bytes(a.read_bytes())
    c = write_pdf(tmp_path / "c.pdf", pages=3)
    hashed: list[Path] = []
    real = files_mod._sha256

    def spy(path: Path) -> str | None:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(files_mod, "_sha256", spy)
    items = [MaterialFile(**{**mf("2018", p.stem).__dict__, "path": p, "rel": p.name,
                             "size": p.stat().st_size}) for p in (a, b, c)]
    found = list(duplicate_findings(items))
    assert [f.path for f in found] == ["b.pdf"]
    assert c not in hashed


def test_an_ofd_is_known_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    """An e-invoice (OFD: a zip holding OFD.xml) saved as .pdf is not "a damaged PDF" but an
    OFD, and the finding says how to save it as PDF."""
    import zipfile

    invoice = tmp_path / "电子发票.pdf"
    with zipfile.ZipFile(invoice, "w") as zf:
        zf.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        zf.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    f = MaterialFile(**{**mf("2018", "电子发票").__dict__, "path": invoice,
                        "size": invoice.stat().st_size})
    [problem] = probe_files([f])[f.rel].problems
    assert problem.key == "unsupported-file-type/ofd"
    [found] = file_findings([f], {f.rel: probe_files([f])[f.rel]})
    from dossier.i18n import translator

    text = translator("zh").render(found.message)
    assert "OFD" in text and "数科阅读器" in text and "WPS" in text
