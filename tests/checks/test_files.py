from __future__ import annotations

from pathlib import Path

import pytest

from dossier.checks import files as files_mod
from dossier.checks.files import duplicate_findings, unsupported_message
from dossier.scan import MaterialFile

from makefiles import mf, write_pdf


@pytest.mark.parametrize("suffix, hint", [(".docx", "WPS/Word"), (".xls", "Excel"),
                                          (".ofd", "OFD"), (".zip", "unpack"),
                                          (".heic", "JPEG"), (".xyz", "convert it to PDF")])
def test_unsupported_messages(suffix: str, hint: str) -> None:
    f = mf("2018", "x")
    f = MaterialFile(**{**f.__dict__, "path": Path("/x/x" + suffix), "kind": None})
    assert hint in unsupported_message(f)


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
