"""dossier verify of delivered volumes: the sources checked wherever the materials now
live, or each PDF checked against its manifest alone (hash, pages, 目录), saying plainly
that the sources were not checked; hostile manifests never hang or crash."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.fonts import FontChoice, choose
from dossier.hashing import sha256_file
from dossier.i18n import Message, translator
from dossier.options import BuildOptions
from dossier.verify import CHECKED, NOT_CHECKED, Verdict, verify

from clirun import invoke
from makefiles import pdf_bytes, write_pdf

OPTS = BuildOptions(date="2021年3月", epoch=1614556800)
PDF = "12-水环境质量.pdf"
MANIFEST = "12-水环境质量.manifest.json"
CHANGED = "12-水环境质量/2018/01(1)2018年度考核结果.pdf"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue,
          test_font: Path) -> Path:
    """One volume of indicator 12, built once: <dir>/m (materials), <dir>/out."""
    from makefiles import make_volume_tree

    base = tmp_path_factory.mktemp("built")
    root, out = base / "m", base / "out"
    make_volume_tree(root)
    font: FontChoice = choose(test_font)
    plans, _ = make_plan(root, out, catalogue, (12,), None, OPTS)
    [outcome] = build(plans, root, out, font=font)
    assert outcome.status == "built", outcome.messages
    return base


@pytest.fixture
def clerk(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A fresh copy of the clerk's materials and output: (materials, out)."""
    root, out = tmp_path / "clerk" / "m", tmp_path / "clerk" / "out"
    shutil.copytree(built / "m", root)
    shutil.copytree(built / "out", out)
    data = _manifest(out)
    data["materials"] = str(root.resolve())  # as if built right here
    _write(out, data)
    return root, out


@pytest.fixture
def office(clerk: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The delivered tree: the materials moved to another place, the output beside them
    (the manifest still names the clerk's folder, which no longer exists)."""
    root, out = clerk
    moved = tmp_path / "办公室" / "收到的材料"
    moved.parent.mkdir()
    shutil.move(str(root), moved)
    return moved, out


def _manifest(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / MANIFEST).read_text(encoding="utf-8")))


def _write(out: Path, data: dict[str, Any]) -> None:
    (out / MANIFEST).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _forge(out: Path, edit: Callable[[dict[str, Any]], None] = lambda data: None) -> None:
    """Make the manifest's hash and size fit the PDF as it now is (and edit it more)."""
    data = _manifest(out)
    pdf = out / PDF
    data["output"].update(sha256=sha256_file(pdf), size=pdf.stat().st_size)
    edit(data)
    _write(out, data)


def _one(out: Path, materials: Path | None = None) -> Verdict:
    [verdict] = verify(out, materials)
    return verdict


def _keys(verdict: Verdict) -> list[str]:
    return [r.key for r in verdict.reasons]


# -- where the sources are -------------------------------------------------------------

def test_manifest_paths_are_relative_and_slash_separated(clerk: tuple[Path, Path]) -> None:
    root, out = clerk
    data = _manifest(out)
    paths = [s["path"] for s in data["sources"]] + [i["path"] for i in data["inputs"]]
    assert paths and all("\\" not in p and not PurePosixPath(p).is_absolute() for p in paths)
    assert all((root / p).is_file() for p in paths)
    assert Path(data["materials"]).is_absolute()


def test_sources_checked_where_the_manifest_says(clerk: tuple[Path, Path]) -> None:
    root, out = clerk
    verdict = _one(out)
    assert verdict.status == "ok" and verdict.reasons == () and verdict.notes == ()
    assert verdict.sources == CHECKED and verdict.materials == str(root.resolve())


def test_moved_materials_pdf_only_and_said_plainly(office: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    _, out = office
    recorded = _manifest(out)["materials"]
    verdict = _one(out)
    assert verdict.status == "ok" and verdict.reasons == ()
    assert verdict.sources == NOT_CHECKED and verdict.materials == ""
    assert verdict.notes == (Message("verify-sources-not-checked",
                                     {"folder": recorded, "out": str(out)}),)
    data = verdict.to_dict(translator("en"))
    assert data["sources"] == "not-checked" and data["notes"][0]["key"] == \
        "verify-sources-not-checked"


def test_moved_materials_checked_with_materials(office: tuple[Path, Path]) -> None:
    moved, out = office
    verdict = _one(out, moved)
    assert verdict.status == "ok" and verdict.sources == CHECKED
    assert verdict.materials == str(moved) and verdict.notes == ()
    write_pdf(moved / CHANGED, 3, "changed")
    stale = _one(out, moved)
    assert stale.status == "stale" and stale.sources == CHECKED
    assert stale.reasons == (Message("verify-source-changed", {"file": CHANGED}),)
    (moved / "12-水环境质量" / "长期有效" / "示意图.png").unlink()
    assert _keys(_one(out, moved)) == ["verify-source-changed", "verify-source-removed"]
    assert _one(out).status == "ok"  # without the folder: the PDF alone is intact


def test_wrong_materials_folder_reports_every_source_removed(office: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    _, out = office
    (tmp_path / "empty").mkdir()
    verdict = _one(out, tmp_path / "empty")
    assert verdict.status == "stale" and set(_keys(verdict)) == {"verify-source-removed"}
    assert len(verdict.reasons) == len(_manifest(out)["sources"])


# -- the PDF against its manifest -------------------------------------------------------

def test_altered_pdf_is_corrupt(office: tuple[Path, Path]) -> None:
    _, out = office
    pdf = out / PDF
    blob = pdf.read_bytes()
    pdf.write_bytes(blob[: len(blob) // 2])
    assert _one(out).reasons == (Message("verify-output-differs", {"file": PDF}),)
    pdf.write_bytes(blob[:100] + b"x" + blob[101:])  # same size, other bytes
    assert _one(out).reasons == (Message("verify-output-differs", {"file": PDF}),)


def test_unparseable_pdf_with_a_forged_manifest_is_corrupt(office: tuple[Path, Path]) -> None:
    _, out = office
    (out / PDF).write_bytes(b"<html>not a volume</html>\n" * 50)
    _forge(out)
    verdict = _one(out)
    assert verdict.status == "corrupt" and _keys(verdict) == ["verify-output-unparseable"]
    assert verdict.sources == NOT_CHECKED and verdict.notes == ()


def test_other_pdf_with_a_forged_manifest_fails_the_page_count(
        office: tuple[Path, Path]) -> None:
    _, out = office
    expected = _manifest(out)["output"]["pages"]
    (out / PDF).write_bytes(pdf_bytes(5, "forged"))
    _forge(out)
    verdict = _one(out)
    assert verdict.status == "corrupt"
    assert verdict.reasons == (Message("verify-output-pages",
                                       {"file": PDF, "pages": 5, "expected": expected}),)


def test_other_pdf_of_the_same_length_fails_the_front_pages(office: tuple[Path, Path]) -> None:
    _, out = office
    pages = _manifest(out)["output"]["pages"]
    (out / PDF).write_bytes(pdf_bytes(pages, "forged"))
    _forge(out)
    assert _one(out).reasons == (Message("verify-output-front", {"file": PDF, "count": 1}),)


def test_manifest_page_numbers_must_fit_together(office: tuple[Path, Path]) -> None:
    _, out = office

    def shift(data: dict[str, Any]) -> None:
        data["sources"][3]["output_pages"] = [30, 31]

    _forge(out, shift)
    [reason] = _one(out).reasons
    assert reason.key == "verify-manifest-pages"
    assert reason.params["first"] == 30 and reason.params["last"] == 31
    assert reason.params["source"] == _manifest(out)["sources"][3]["path"]


def test_outline_must_match_the_recorded_documents(office: tuple[Path, Path]) -> None:
    _, out = office

    def rename(data: dict[str, Any]) -> None:
        data["sources"][1]["title"] = "别的文件"

    _forge(out, rename)
    assert _one(out).reasons == (Message("verify-output-outline", {"file": PDF}),)


def test_swapped_documents_fail_the_outline(office: tuple[Path, Path]) -> None:
    """Two documents of equal length swapped in the manifest: pages still fit together,
    but the bookmarks lead elsewhere."""
    _, out = office

    def swap(data: dict[str, Any]) -> None:
        a, b = data["sources"][3], data["sources"][5]  # the 2018 and 2019 photos
        assert a["output_pages"][1] - a["output_pages"][0] == 0 == \
            b["output_pages"][1] - b["output_pages"][0]
        a["title"], b["title"] = b["title"], a["title"]

    _forge(out, swap)
    assert _keys(_one(out)) == ["verify-output-outline"]


def test_toc_links_must_lead_to_the_recorded_first_pages(office: tuple[Path, Path]) -> None:
    _, out = office
    pdf = out / PDF
    writer = PdfWriter(clone_from=str(pdf))
    toc = writer.pages[1]
    annots = toc[NameObject("/Annots")]
    del annots[-1]  # the last document's row no longer links
    with pdf.open("wb") as fh:
        writer.write(fh)
    reader = PdfReader(pdf)
    assert len(reader.pages) == _manifest(out)["output"]["pages"]
    _forge(out)
    assert _one(out).reasons == (Message("verify-output-toc-links", {"file": PDF}),)


def test_missing_pdf(office: tuple[Path, Path]) -> None:
    _, out = office
    (out / PDF).unlink()
    verdict = _one(out)
    assert verdict.status == "missing" and _keys(verdict) == ["verify-output-missing"]


# -- hostile manifests and files -------------------------------------------------------

@pytest.mark.parametrize("path", ["/dev/zero", "../outside.pdf", "12-水环境质量/../../x.pdf",
                                  "..\\x.pdf", "C:/Windows/x.pdf", "\\\\server\\share\\x",
                                  "a\x00b", ""])
def test_source_paths_outside_the_materials_are_a_corrupt_manifest(
        office: tuple[Path, Path], path: str) -> None:
    moved, out = office
    data = _manifest(out)
    data["sources"][0]["path"] = path
    _write(out, data)
    started = time.monotonic()
    for given in (None, moved):
        verdict = _one(out, given)
        assert verdict.status == "corrupt"
        assert verdict.reasons == (Message("verify-manifest-path", {
            "file": MANIFEST, "field": "sources.path", "path": path.replace("\x00", "\\x00")}),)
    assert time.monotonic() - started < 5


def test_input_paths_outside_the_materials_are_a_corrupt_manifest(
        office: tuple[Path, Path]) -> None:
    _, out = office
    data = _manifest(out)
    data["inputs"] = [{"path": "/etc/passwd", "size": 1, "sha256": None}]
    _write(out, data)
    [reason] = _one(out).reasons
    assert reason.key == "verify-manifest-path" and reason.params["field"] == "inputs.path"


@pytest.mark.skipif(sys.platform == "win32", reason="devices and FIFOs are POSIX")
def test_non_regular_files_are_never_read(office: tuple[Path, Path]) -> None:
    moved, out = office
    source = moved / CHANGED
    source.unlink()
    source.symlink_to("/dev/zero")
    other = moved / "12-水环境质量" / "长期有效" / "示意图.png"
    other.unlink()
    os.mkfifo(other)
    started = time.monotonic()
    verdict = _one(out, moved)
    assert verdict.status == "stale"
    assert [(r.key, r.params["file"]) for r in verdict.reasons] == [
        ("verify-source-not-a-file", CHANGED),
        ("verify-source-not-a-file", "12-水环境质量/长期有效/示意图.png")]
    pdf = out / PDF
    pdf.unlink()
    os.mkfifo(pdf)
    assert _one(out, moved).reasons == (Message("verify-output-not-a-file", {"file": PDF}),)
    (out / MANIFEST).unlink()
    os.mkfifo(out / MANIFEST)
    assert _keys(_one(out, moved)) == ["verify-manifest-unreadable"]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("edit", "field"), [
    (lambda m: {k: v for k, v in m.items() if k != "output"}, "output"),
    (lambda m: {**m, "output": {**m["output"], "pages": "21"}}, "output.pages"),
    (lambda m: {**m, "output": {k: v for k, v in m["output"].items() if k != "front_pages"}},
     "output.front_pages"),
    (lambda m: {**m, "output": {**m["output"], "file": ".."}}, "output.file"),
    (lambda m: {**m, "sources": "all of them"}, "sources"),
    (lambda m: {**m, "sources": [{**m["sources"][0], "output_pages": [3]}]},
     "sources.output_pages"),
    (lambda m: {**m, "sources": [{**m["sources"][0], "output_pages": [3, True]}]},
     "sources.output_pages"),
    (lambda m: {**m, "sources": [{k: v for k, v in m["sources"][0].items() if k != "title"}]},
     "sources.title"),
])
def test_incomplete_manifest_is_corrupt(office: tuple[Path, Path], edit: Any,
                                        field: str) -> None:
    _, out = office
    _write(out, edit(_manifest(out)))
    assert _one(out).reasons == (Message("verify-manifest-incomplete",
                                         {"file": MANIFEST, "field": field}),)


@pytest.mark.parametrize("content", ["[" * 200_000 + "]" * 200_000, "huge"])
def test_a_manifest_too_deep_or_too_large_is_corrupt_not_a_traceback(
        office: tuple[Path, Path], content: str) -> None:
    _, out = office
    manifest = out / MANIFEST
    if content == "huge":
        with manifest.open("wb") as fh:  # sparse: larger than any manifest dossier writes
            fh.write(b'{"tool": "dossier"')
            fh.truncate(80 << 20)
    else:
        manifest.write_text(content, encoding="utf-8")
    assert _keys(_one(out)) == ["verify-manifest-unreadable"]


# -- the command line, in both languages -----------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_says_the_sources_were_not_checked(office: tuple[Path, Path], lang: str) -> None:
    moved, out = office
    tr = translator(lang)
    note = Message("verify-sources-not-checked", {"folder": _manifest(out)["materials"],
                                                  "out": str(out)})
    result = invoke(["verify", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert tr.render(note) in result.stdout
    assert "--materials" in result.stdout  # the hint
    checked = invoke(["verify", str(out), "--materials", str(moved), "--lang", lang])
    assert checked.exit_code == 0, checked.output
    assert tr.render(note) not in checked.stdout
    assert str(moved) in checked.stdout  # which folder was used
    write_pdf(moved / CHANGED, 3, "changed")
    stale = invoke(["verify", str(out), "--materials", str(moved), "--lang", lang])
    assert stale.exit_code == 1
    assert tr.render(Message("verify-source-changed", {"file": CHANGED})) in stale.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_missing_materials_folder_is_a_usage_error(office: tuple[Path, Path],
                                                       tmp_path: Path, lang: str) -> None:
    moved, out = office
    for bad in (tmp_path / "nowhere", moved / CHANGED):
        result = invoke(["verify", str(out), "--materials", str(bad), "--lang", lang])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and bad.name in result.stderr


def test_cli_json(office: tuple[Path, Path]) -> None:
    moved, out = office
    data = json.loads(invoke(["verify", str(out), "-f", "json"]).stdout)
    assert data["summary"] == {"ok": 1, "stale": 0, "corrupt": 0, "missing": 0}
    [v] = data["verdicts"]
    assert v["status"] == "ok" and v["sources"] == "not-checked" and v["output"] == PDF
    assert [n["key"] for n in v["notes"]] == ["verify-sources-not-checked"]
    checked = json.loads(invoke(["verify", str(out), "--materials", str(moved), "-f",
                                 "json"]).stdout)
    assert checked["verdicts"][0]["sources"] == "checked"
    assert checked["verdicts"][0]["materials"] == str(moved.resolve())
    (out / PDF).write_bytes(pdf_bytes(2))
    _forge(out)
    result = invoke(["verify", str(out), "-f", "json"])
    assert result.exit_code == 1
    [v] = json.loads(result.stdout)["verdicts"]
    assert v["status"] == "corrupt" and v["reasons"][0]["key"] == "verify-output-pages"
