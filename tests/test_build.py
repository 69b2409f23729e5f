"""dossier build end to end, read back with pypdf: pages, outline, labels, links, text."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import assemble as assemble_mod
from dossier.build import Outcome, build, make_plan
from dossier.catalogue import Catalogue
from dossier.errors import UsageError
from dossier.fonts import FontChoice, choose
from dossier.i18n import Message
from dossier.manifest import read_manifest
from dossier.options import BuildOptions
from dossier.verify import verify

from makefiles import (
    make_volume_tree,
    write_encrypted_pdf,
    write_html_as_pdf,
    write_pdf,
    write_truncated_pdf,
    write_zero_page_pdf,
)

OPTS = BuildOptions(date="2021年3月", epoch=1614556800)


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    choice = choose(test_font)
    assert choice.embedded and choice.path == test_font
    return choice


def run(root: Path, out: Path, catalogue: Catalogue, font: FontChoice, ids: tuple[int, ...] = (12,),
        options: BuildOptions = OPTS, **kw: object) -> list[Outcome]:
    plans, _ = make_plan(root, out, catalogue, ids, None, options)
    return build(plans, root, out, font=font, **kw)  # type: ignore[arg-type]


def outline_titles(reader: PdfReader) -> list[object]:
    def walk(items: list) -> list[object]:  # type: ignore[type-arg]
        out: list[object] = []
        for item in items:
            out.append(walk(item) if isinstance(item, list) else item.title)
        return out
    return walk(reader.outline)


def test_volume_structure(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    [outcome] = run(root, tmp_path / "out", catalogue, font)
    assert outcome.status == "built" and outcome.messages == (), outcome.messages
    reader = PdfReader(tmp_path / "out" / "12-水环境质量.pdf")
    # cover + 1 目录 page + 2 + 3 + 3x(2+1) + 1 + 3 + 1 material pages
    assert len(reader.pages) == 2 + 19 == outcome.pages
    cover = reader.pages[0].extract_text()
    for needle in ("巴中市创建国家生态文明建设示范市", "水环境质量指标达标", "台账资料",
                   "市生态环境局", "2021年3月"):
        assert needle in cover.replace(" ", "").replace("\n", "") or needle in cover
    assert "「" not in cover and "」" not in cover  # 附件3's template has no brackets
    assert reader.page_labels[:4] == ["封面", "目录1", "1", "2"]
    assert reader.page_labels[-1] == "19"
    titles = outline_titles(reader)
    assert titles[:3] == ["封面", "目录", "一、指标达标说明"]
    assert titles[3] == ["水环境质量达标说明"]
    assert "六、2021年度进度材料" in titles and "七、长期有效材料" in titles
    meta = reader.metadata
    assert meta.author == "市生态环境局"
    assert meta.title == "巴中市创建国家生态文明建设示范市水环境质量指标达标台账资料（指标 12）"
    assert meta.subject == "指标 12 水环境质量"
    assert reader.trailer["/ID"][0] == reader.trailer["/ID"][1]
    # cover and 目录 share one embedded subset, which the page numbers use too; nothing
    # else (reportlab's default Helvetica, not embedded) is referenced
    for page in reader.pages[:2]:
        fonts = page["/Resources"]["/Font"].get_object()
        assert all(f.get_object()["/FontDescriptor"].get_object().get("/FontFile2")
                   for name, f in fonts.items()), list(fonts)
    stamped = reader.pages[2]["/Resources"]["/Font"].get_object()
    front = reader.pages[0]["/Resources"]["/Font"].get_object()
    assert stamped.raw_get("/DossierPN").idnum in {ref.idnum for ref in
                                                   (front.raw_get(k) for k in front)}


def test_toc_numbers_match_stamps_labels_and_links(tmp_path: Path, catalogue: Catalogue,
                                                   font: FontChoice) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    run(root, tmp_path / "out", catalogue, font)
    reader = PdfReader(tmp_path / "out" / "12-水环境质量.pdf")
    manifest = read_manifest(tmp_path / "out" / "12-水环境质量.manifest.json")
    assert manifest is not None
    front = manifest["output"]["front_pages"]
    toc = " ".join(reader.pages[n].extract_text() for n in range(1, front))
    toc_lines = [line.strip() for line in toc.splitlines()]
    starts = []
    for n, src in enumerate(manifest["sources"], 1):
        first, last = src["first_page"], src["last_page"]
        shown = str(first) if first == last else f"{first}–{last}"
        title = src["title"]
        row = next(line for line in toc_lines if line.startswith(f"{n} "))
        assert title in row and row.endswith(shown), (row, title, shown)
        for number in range(first, last + 1):
            index = front + number - 1
            assert reader.page_labels[index] == str(number)
            assert str(number) in reader.pages[index].extract_text().split()
        starts.append(first)
    targets = set()
    for page in range(1, front):
        for annot in reader.pages[page].get("/Annots", []):
            annot = annot.get_object()
            dest = annot["/Dest"] if "/Dest" in annot else annot["/A"]["/D"]
            targets.add(reader.get_page_number(dest[0].get_object()))
    assert targets == {front + s - 1 for s in starts}


def test_deterministic(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    run(root, tmp_path / "a", catalogue, font)
    run(root, tmp_path / "b", catalogue, font, jobs=2)
    a = (tmp_path / "a" / "12-水环境质量.pdf").read_bytes()
    b = (tmp_path / "b" / "12-水环境质量.pdf").read_bytes()
    assert a == b


def test_incremental(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    assert [o.status for o in run(root, out, catalogue, font)] == ["built"]
    assert [o.status for o in run(root, out, catalogue, font)] == ["up-to-date"]
    assert [o.status for o in run(root, out, catalogue, font, force=True)] == ["built"]
    write_pdf(ind / "2019" / "03-补充材料.pdf", 1, "new")
    assert [o.status for o in run(root, out, catalogue, font, dry_run=True)] == ["planned"]
    assert [o.status for o in run(root, out, catalogue, font)] == ["built"]


def _reason(outcome: Outcome) -> Message:
    """The reason of a volume that failed on one source."""
    [failure] = outcome.messages
    assert failure.key == "source-unusable"
    reason = failure.params["reason"]
    assert isinstance(reason, Message)
    return reason


def test_bad_document_fails_its_volume_only(tmp_path: Path, catalogue: Catalogue,
                                            font: FontChoice) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    write_truncated_pdf(ind / "2019" / "03-损坏的文件.pdf")
    (root / "08-河长制" / "2018").mkdir(parents=True)
    write_pdf(root / "08-河长制" / "2018" / "(1)河长制文件.pdf")
    outcomes = run(root, out, catalogue, font, ids=(8, 12))
    status = {o.plan.indicator: o for o in outcomes}
    assert status[8].status == "built"
    assert status[12].status == "failed"
    assert status[12].messages[0].params["file"] == "12-水环境质量/2019/03-损坏的文件.pdf"
    reason = _reason(status[12])
    assert reason.key == "source-corrupt-pdf" and reason.params["detail"]  # pypdf's words
    assert not (out / "12-水环境质量.pdf").exists()
    assert not list(out.glob(".*part"))
    # allow_broken: a marked placeholder page, recorded in the manifest
    broken = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, allow_broken=True)
    [o12] = run(root, out, catalogue, font, options=broken)
    assert o12.status == "built"
    [note] = o12.messages
    assert note.key == "build-placeholders" and note.params == {
        "count": 1, "files": ("12-水环境质量/2019/03-损坏的文件.pdf",)}
    reader = PdfReader(out / "12-水环境质量.pdf")
    manifest = read_manifest(out / "12-水环境质量.manifest.json")
    assert manifest is not None
    marked = [s for s in manifest["sources"] if s["placeholder"]]
    assert [s["path"] for s in marked] == ["12-水环境质量/2019/03-损坏的文件.pdf"]
    first, last = marked[0]["output_pages"]
    assert first == last
    page = reader.pages[first - 1].extract_text()
    assert "文件无法读取" in page and "03-损坏的文件.pdf" in page
    assert marked[0]["placeholder"]["key"] == "source-corrupt-pdf"
    assert marked[0]["placeholder"]["params"]["detail"]  # the raw text: only here
    toc = reader.pages[1].extract_text().replace(" ", "")
    assert "损坏的文件（文件无法读取）" in toc


def test_placeholder_page_is_chinese_only(tmp_path: Path, catalogue: Catalogue,
                                          font: FontChoice) -> None:
    """Whatever pypdf says about a broken file, the page bound in its place is Chinese:
    its heading, the file name and the reason; pypdf's text stays in the manifest."""
    import re

    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    write_truncated_pdf(ind / "2019" / "03-损坏的文件.pdf")
    broken = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, allow_broken=True)
    [outcome] = run(root, out, catalogue, font, options=broken)
    assert outcome.status == "built"
    reader = PdfReader(out / "12-水环境质量.pdf")
    manifest = read_manifest(out / "12-水环境质量.manifest.json")
    assert manifest is not None
    [first] = {s["output_pages"][0] for s in manifest["sources"] if s["placeholder"]}
    text = reader.pages[first - 1].extract_text()
    rest = text.replace("03-损坏的文件.pdf", "")
    assert re.findall(r"[A-Za-z]{2,}", rest) == [], text
    assert "文件已损坏" in rest


@pytest.mark.parametrize(("make", "key"), [
    (write_truncated_pdf, "source-corrupt-pdf"),
    (write_html_as_pdf, "source-not-pdf"),
    (write_zero_page_pdf, "source-no-pages"),
    (lambda p: (p.parent.mkdir(parents=True, exist_ok=True), p.write_bytes(b"")),
     "source-empty"),
    (lambda p: write_encrypted_pdf(p, user_password="secret"), "source-encrypted"),
])
def test_unusable_sources_are_classified(tmp_path: Path, catalogue: Catalogue,
                                         font: FontChoice, make: object, key: str) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    make(ind / "长期有效" / "坏文件.pdf")  # type: ignore[operator]
    [failed] = run(root, out, catalogue, font)
    assert failed.status == "failed"
    assert failed.messages[0].params["file"] == "12-水环境质量/长期有效/坏文件.pdf"
    assert _reason(failed).key == key


def test_broken_image_is_classified(tmp_path: Path, catalogue: Catalogue,
                                    font: FontChoice) -> None:
    from makefiles import truncate, write_jpeg

    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    truncate(write_jpeg(ind / "长期有效" / "坏照片.jpg", (200, 150)), 0.3)
    [failed] = run(root, out, catalogue, font)
    assert failed.status == "failed"
    assert _reason(failed).key in ("source-broken-image", "source-unusable-file")


def test_encrypted_sources(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    write_encrypted_pdf(ind / "长期有效" / "仅权限密码.pdf", user_password="")
    assert [o.status for o in run(root, out, catalogue, font)] == ["built"]
    write_encrypted_pdf(ind / "长期有效" / "需要密码.pdf", user_password="secret")
    [failed] = run(root, out, catalogue, font)
    assert failed.status == "failed"
    assert failed.messages[0].params["file"] == "12-水环境质量/长期有效/需要密码.pdf"
    assert _reason(failed).key == "source-encrypted"


def test_killed_write_leaves_no_pdf(tmp_path: Path, catalogue: Catalogue, font: FontChoice,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)

    class Killed(BaseException):
        pass

    def die(self: object, stream: object) -> None:
        stream.write(b"%PDF-1.7 half written")  # type: ignore[attr-defined]
        raise Killed

    monkeypatch.setattr(assemble_mod.PdfWriter, "write", die)
    with pytest.raises(Killed):
        run(root, out, catalogue, font)
    assert list(out.iterdir()) == []


def test_by_year_volumes(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    opts = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, volumes="by-year")
    outcomes = run(root, out, catalogue, font, options=opts)
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == sorted(["12-水环境质量-主册.pdf", "12-水环境质量-2018年度佐证材料.pdf",
                            "12-水环境质量-2019年度佐证材料.pdf",
                            "12-水环境质量-2020年度佐证材料.pdf",
                            "12-水环境质量-2021年度进度材料.pdf", "12-水环境质量-长期有效材料.pdf"])
    assert all(o.status == "built" for o in outcomes)
    year = PdfReader(out / "12-水环境质量-2019年度佐证材料.pdf")
    assert year.page_labels[2] == "1"  # numbered independently
    assert "2019年度佐证材料" in year.pages[0].extract_text().replace(" ", "")


def test_output_inside_materials_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    with pytest.raises(UsageError) as caught:
        make_plan(root, root / "dist", catalogue, (12,), None, OPTS)
    assert caught.value.key == "output-inside-materials"
    assert caught.value.message.params == {"out": str(root / "dist"), "root": str(root)}


def test_sources_are_never_modified(tmp_path: Path, catalogue: Catalogue,
                                    font: FontChoice) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    run(root, tmp_path / "out", catalogue, font)
    assert before == {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_verify(tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    run(root, out, catalogue, font)
    assert [v.status for v in verify(out)] == ["ok"]
    write_pdf(ind / "2018" / "01(1)2018年度考核结果.pdf", 3, "changed")
    [stale] = verify(out)
    assert stale.status == "stale" and stale.reasons == (
        Message("verify-source-changed", {"file": "12-水环境质量/2018/01(1)2018年度考核结果.pdf"}),)
    (ind / "长期有效" / "示意图.png").unlink()
    [stale] = verify(out)
    assert [r.key for r in stale.reasons] == ["verify-source-changed", "verify-source-removed"]
    assert stale.reasons[1].params == {"file": "12-水环境质量/长期有效/示意图.png"}
    pdf = out / "12-水环境质量.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    [corrupt] = verify(out)
    assert corrupt.status == "corrupt"
    assert corrupt.reasons == (Message("verify-output-differs", {"file": pdf.name}),)
    pdf.unlink()
    [missing] = verify(out)
    assert missing.status == "missing" and missing.output == pdf.name
    assert [r.key for r in missing.reasons] == ["verify-output-missing"]
    (out / "12-水环境质量.manifest.json").write_text("{ not json", encoding="utf-8")
    [unreadable] = verify(out)
    assert unreadable.status == "corrupt"
    assert [r.key for r in unreadable.reasons] == ["verify-manifest-unreadable"]


@pytest.mark.parametrize(("edit", "field"), [
    (lambda m: {"tool": "dossier"}, "output"),
    (lambda m: {k: v for k, v in m.items() if k != "output"}, "output"),
    (lambda m: {**m, "output": {"file": m["output"]["file"]}}, "output.sha256"),
    (lambda m: {**m, "output": {**m["output"], "file": "../elsewhere.pdf"}}, "output.file"),
    (lambda m: {k: v for k, v in m.items() if k != "materials"}, "materials"),
    (lambda m: {**m, "sources": "all of them"}, "sources"),
    (lambda m: {**m, "sources": {"a": 1}}, "sources"),
    (lambda m: {**m, "sources": [1, 2]}, "sources"),
    (lambda m: {**m, "sources": [{"path": "x.pdf"}]}, "sources.size"),
    (lambda m: {**m, "sources": [{"path": 3, "size": 1, "sha256": "0"}]}, "sources.path"),
    (lambda m: {**m, "inputs": "x"}, "inputs"),
    (lambda m: {**m, "inputs": [{"path": "共享数据.yaml", "size": "big", "sha256": None}]},
     "inputs.size"),
])
def test_verify_incomplete_manifest_is_corrupt(tmp_path: Path, catalogue: Catalogue,
                                               font: FontChoice, edit: object,
                                               field: str) -> None:
    """A manifest that lacks what verify needs (or holds the wrong types) is reported as
    corrupt, never a KeyError or TypeError."""
    import json

    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    run(root, out, catalogue, font)
    path = out / "12-水环境质量.manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(edit(data)), encoding="utf-8")  # type: ignore[operator]
    [verdict] = verify(out)
    assert verdict.status == "corrupt" and verdict.manifest == path.name
    assert verdict.reasons == (Message("verify-manifest-incomplete",
                                       {"file": path.name, "field": field}),)


def test_missing_glyphs_are_reported(tmp_path: Path, catalogue: Catalogue,
                                     font: FontChoice) -> None:
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    write_pdf(ind / "长期有效" / "龘䶮文件.pdf")
    [outcome] = run(root, tmp_path / "out", catalogue, font)
    assert outcome.status == "built"
    [note] = outcome.messages
    assert note.key == "build-font-lacks-glyphs" and note.params["font"] == font.path.name
    assert set(note.params["chars"]) == set("龘䶮")


def test_build_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, catalogue: Catalogue,
                                                           font: FontChoice) -> None:
    """The build pauses automatic collections and freezes long-lived objects (see
    build._collector_paused); a library caller gets both back."""
    import gc

    root = tmp_path / "materials"
    make_volume_tree(root)
    assert gc.isenabled()
    outcomes = run(root, tmp_path / "out", catalogue, font)
    assert [o.status for o in outcomes] == ["built"]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_fingerprint_does_not_depend_on_where_the_materials_are(
        tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint is the volume's /ID: building the same tree through a relative path
    or from its copy elsewhere gives the same bytes."""
    import shutil

    root = tmp_path / "m"
    make_volume_tree(root)
    absolute, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, OPTS)
    monkeypatch.chdir(tmp_path)
    relative, _ = make_plan(Path("m"), Path("out"), catalogue, (12,), None, OPTS)
    assert relative[0].sources[0].path != absolute[0].sources[0].path
    assert relative[0].fingerprint() == absolute[0].fingerprint()
    copy = tmp_path / "elsewhere" / "m"
    shutil.copytree(root, copy, copy_function=shutil.copy2)
    moved, _ = make_plan(copy, tmp_path / "out", catalogue, (12,), None, OPTS)
    assert moved[0].fingerprint() == absolute[0].fingerprint()
    # by year: the 主册 lists its companion volumes, whose sources have paths too
    by_year = replace(OPTS, volumes="by-year")
    here, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, by_year)
    there, _ = make_plan(copy, tmp_path / "out", catalogue, (12,), None, by_year)
    assert len(here) > 1 and any(p.companions for p in here)
    assert [p.fingerprint() for p in here] == [p.fingerprint() for p in there]


def test_parallel_build_with_spawned_workers(tmp_path: Path, catalogue: Catalogue,
                                             font: FontChoice,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows and macOS start workers with spawn: plans, font and results must cross
    process boundaries by pickling, and the PDFs must equal a -j1 build's."""
    import multiprocessing

    import dossier.build

    root = tmp_path / "m"
    make_volume_tree(root)
    write_pdf(root / "13-生态环境状况指数" / "2019" / "01-2019年报告.pdf")
    one = run(root, tmp_path / "a", catalogue, font, ids=(12, 13))
    monkeypatch.setattr(dossier.build, "_fork_context",
                        lambda: multiprocessing.get_context("spawn"))
    two = run(root, tmp_path / "b", catalogue, font, ids=(12, 13), jobs=2)
    assert [o.status for o in two] == ["built", "built"], [o.messages for o in two]
    for o in one:
        assert (tmp_path / "a" / o.plan.output).read_bytes() == \
            (tmp_path / "b" / o.plan.output).read_bytes()


@pytest.mark.parametrize("jobs", [1, 2])
def test_page_progress_adds_up_to_the_pages_built(tmp_path: Path, catalogue: Catalogue,
                                                  font: FontChoice, jobs: int) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    write_pdf(root / "13-生态环境状况指数" / "2019" / "01-2019年报告.pdf", pages=3)
    heard: list[int] = []
    done: list[str] = []
    outcomes = run(root, tmp_path / "out", catalogue, font, ids=(12, 13), jobs=jobs,
                   on_pages=heard.append, on_done=lambda o: done.append(o.status))
    assert done == ["built", "built"]
    assert sum(heard) == sum(o.pages for o in outcomes)
    if jobs == 1:
        assert len(heard) > len(outcomes)  # document by document, not volume by volume


@pytest.mark.skipif(sys.platform == "win32", reason="names with undecodable bytes")
def test_names_with_undecodable_bytes_and_control_characters(
        tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    """A GBK name on a UTF-8 system, a control character: the volume is built (a placeholder
    for the empty file), its 目录 and outline show \\xNN, its manifest reads back, and a
    re-run is up to date and verifies."""
    import os

    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    os.close(os.open(os.path.join(os.fsencode(ind / "2019"), b"(3)\xb9\xfa\xbc\xd2.pdf"),
                     os.O_CREAT | os.O_WRONLY))
    write_pdf(ind / "2019" / "控制\x01字符.pdf")
    broken = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, allow_broken=True)
    [outcome] = run(root, out, catalogue, font, options=broken)
    assert outcome.status == "built"
    shown = "12-水环境质量/2019/(3)\\xb9\\xfa\\xbc\\xd2.pdf"
    assert outcome.messages[0].params["files"] == (shown,)
    reader = PdfReader(out / "12-水环境质量.pdf")
    titles = outline_titles(reader)
    flat = titles[titles.index("四、2019年度佐证材料") + 1]
    assert isinstance(flat, list)
    assert "\\xb9\\xfa\\xbc\\xd2" in flat and "控制\\x01字符" in flat
    manifest = read_manifest(out / "12-水环境质量.manifest.json")
    assert manifest is not None
    assert any(s["path"].endswith("(3)\udcb9\udcfa\udcbc\udcd2.pdf") for s in manifest["sources"])
    assert [o.status for o in run(root, out, catalogue, font, options=broken)] == ["up-to-date"]
    assert [v.status for v in verify(out)] == ["ok"]


def test_cover_month_is_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier.options import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1614556800")  # 2021-03-01
    assert build_date() == (1614556800, "2021年3月")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    epoch, month = build_date(now=1639000000.0)  # 2021-12-08: the first of the month
    assert month == "2021年12月" and epoch == 1638316800


def test_pypdf_complaints_stay_off_the_console(tmp_path: Path, catalogue: Catalogue,
                                               font: FontChoice,
                                               capfd: pytest.CaptureFixture[str]) -> None:
    """pypdf logs "EOF marker not found" for a damaged file; without a logging setup that
    English would reach the console through Python's last-resort handler."""
    import logging

    root, out = tmp_path / "m", tmp_path / "out"
    ind = make_volume_tree(root)
    write_truncated_pdf(ind / "2019" / "03-损坏的文件.pdf")
    pypdf_logger = logging.getLogger("pypdf")
    handlers, propagate = pypdf_logger.handlers[:], pypdf_logger.propagate
    root_handlers = logging.getLogger().handlers[:]
    try:  # as in a plain process: no handler anywhere (pytest's own are set aside)
        pypdf_logger.handlers, pypdf_logger.propagate = [], True
        logging.getLogger().handlers = []
        broken = BuildOptions(date=OPTS.date, epoch=OPTS.epoch, allow_broken=True)
        [outcome] = run(root, out, catalogue, font, options=broken)
    finally:
        pypdf_logger.handlers, pypdf_logger.propagate = handlers, propagate
        logging.getLogger().handlers = root_handlers
    assert outcome.status == "built"
    assert "EOF marker" not in capfd.readouterr().err


def test_a_missing_packaged_file_is_a_usage_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier import resources

    monkeypatch.setattr(resources, "_PACKAGE_DATA", tmp_path / "a")
    monkeypatch.setattr(resources, "_SOURCE_ROOT", tmp_path / "b")
    with pytest.raises(UsageError) as caught:
        resources.default_templates_dir()
    assert caught.value.message.key == "packaged-file-missing"
    assert caught.value.message.params == {"name": "templates"}


def test_unwritable_output_fails_the_volume(tmp_path: Path, catalogue: Catalogue,
                                            font: FontChoice,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk or a read-only output folder fails the volume with a message naming
    the errno, for the PDF and for its manifest alike."""
    import errno

    import dossier.build

    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)

    def full(self: object, stream: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(assemble_mod.PdfWriter, "write", full)
        [failed] = run(root, out, catalogue, font)
    assert failed.status == "failed"
    [why] = failed.messages
    assert why.key == "output-unwritable" and why.params["errno"] == "ENOSPC"
    assert why.params["file"] == str(out / "12-水环境质量.pdf")

    def no_manifest(path: Path, data: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(dossier.build, "write_manifest", no_manifest)
    [failed] = run(root, out, catalogue, font)
    assert failed.status == "failed"
    assert failed.messages[0].key == "output-unwritable"
    assert failed.messages[0].params["errno"] == "EACCES"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_the_main_process(tmp_path: Path) -> None:
    """kill -9 of the main process only (not of its group): its workers end within
    seconds (PR_SET_PDEATHSIG, and their own watch of the parent), instead of writing on."""
    import os
    import signal
    import subprocess
    import time

    root = tmp_path / "m"
    for folder in ("01-生态文明建设规划", "08-河长制", "12-水环境质量"):
        write_pdf(root / folder / "2019" / "01(1)2019年材料.pdf", 2)
    # every volume takes ten minutes in the workers (they are forked from this setup)
    script = ("import time, dossier.build as b\n"
              "def slow(*a, **k):\n    time.sleep(600)\n"
              "slow.__module__, slow.__qualname__ = 'dossier.build', '_build_one'\n"
              "b._build_one = slow\n"
              "from dossier.cli import main\nmain()\n")
    main = subprocess.Popen([sys.executable, "-c", script, "build", str(root), "--all",
                             "--volumes", "single", "-j", "2", "-o", str(tmp_path / "out")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def children() -> list[int]:
        try:
            found = Path(f"/proc/{main.pid}/task/{main.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(p) for p in found]

    try:
        deadline = time.monotonic() + 60
        while len(children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = children()
        assert len(workers) >= 2, workers
        os.kill(main.pid, signal.SIGKILL)
        main.wait(timeout=10)
        deadline = time.monotonic() + 10
        alive = workers
        while alive and time.monotonic() < deadline:
            time.sleep(0.1)
            alive = [w for w in workers if Path(f"/proc/{w}").exists()
                     and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2:3]]
        assert alive == [], alive
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(main.pid, signal.SIGKILL)


def test_a_pipe_named_pdf_fails_its_volume_at_once_or_becomes_a_placeholder(
        tmp_path: Path) -> None:
    """A FIFO named x.pdf in a year folder: no hang (a subprocess, so that a hang fails the
    test instead of stalling it), a message naming the file, or with --allow-broken a
    placeholder page."""
    import os
    import subprocess

    root = tmp_path / "m"
    write_pdf(root / "12-水环境质量" / "2019" / "01(1)2019年水质.pdf", 2)
    fifo = root / "12-水环境质量" / "2019" / "02(1)管道.pdf"
    os.mkfifo(fifo)
    env = {**os.environ, "COLUMNS": "300", "DOSSIER_LANG": "zh"}
    base = [sys.executable, "-m", "dossier", "build", str(root), "-i", "12", "--volumes",
            "single"]
    failed = subprocess.run([*base, "-o", str(tmp_path / "a")], capture_output=True,
                            text=True, timeout=60, env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "管道.pdf" in failed.stdout and "不是普通文件" in failed.stdout
    placeholder = subprocess.run([*base, "-o", str(tmp_path / "b"), "--allow-broken"],
                                 capture_output=True, text=True, timeout=60, env=env)
    assert placeholder.returncode == 0, placeholder.stdout + placeholder.stderr
    [volume] = (tmp_path / "b").glob("*.pdf")
    assert len(PdfReader(volume).pages) == 1 + 1 + 2 + 1  # cover, 目录, the PDF, placeholder


def test_a_huge_file_of_nothing_named_pdf_is_refused_without_reading_it(
        tmp_path: Path) -> None:
    """64 MiB of zeros, and a PDF header then zeros (sparse files): pypdf would read them
    backwards line by line looking for %%EOF; check and build refuse them at once."""
    import os
    import subprocess

    from dossier.probe import probe

    root = tmp_path / "m"
    write_pdf(root / "12-水环境质量" / "2019" / "01(1)2019年水质.pdf", 1)
    zeros = root / "12-水环境质量" / "2019" / "02(1)全零.pdf"
    header = root / "12-水环境质量" / "2019" / "03(1)只有文件头.pdf"
    for path, start in ((zeros, b""), (header, b"%PDF-1.4\n")):
        with path.open("wb") as fh:
            fh.write(start)
            fh.truncate(64 << 20)
    assert {p.code for p in probe(zeros, "pdf").problems} <= {"not-a-pdf", "corrupt-pdf"}
    assert probe(zeros, "pdf").problems
    assert [p.code for p in probe(header, "pdf").problems] == ["corrupt-pdf"]
    env = {**os.environ, "COLUMNS": "300", "DOSSIER_LANG": "zh"}
    placeholders = subprocess.run(  # the timeout turns a hang into a failure
        [sys.executable, "-m", "dossier", "build", str(root), "-i", "12", "--volumes",
         "single", "-o", str(tmp_path / "out"), "--allow-broken"],
        capture_output=True, text=True, timeout=120, env=env)
    assert placeholders.returncode == 0, placeholders.stdout + placeholders.stderr
    [volume] = (tmp_path / "out").glob("*.pdf")
    assert len(PdfReader(volume).pages) == 1 + 1 + 1 + 2  # cover, 目录, the PDF, 2 placeholders
