"""Double-sided volumes, the 卷内备考表 and volumes split into parts, built end to end and
read back with pypdf: which page is what, labels, stamps and their side, the manifest,
verify and the 总目录."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.fonts import FontChoice, choose, register
from dossier.manifest import read_manifest
from dossier.options import BuildOptions, ClosingSheet
from dossier.register import entries
from dossier.verify import verify

from makefiles import make_volume_tree, write_pdf

OPTS = BuildOptions(volumes="by-year", date="2021年3月", epoch=1614556800)
IND = "12-水环境质量"


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def _build(tmp_path: Path, catalogue: Catalogue, font: FontChoice, options: BuildOptions,
           extra: dict[str, int] | None = None) -> Path:
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    for name, pages in (extra or {}).items():
        write_pdf(ind / name, pages, name)
    out = tmp_path / "out"
    plans, _ = make_plan(root, out, catalogue, (12,), None, options, font=font)
    outcomes = build(plans, root, out, font=font)
    assert all(o.status == "built" for o in outcomes), [o.messages for o in outcomes]
    return out


def _stamp_x(reader: PdfReader, index: int) -> float | None:
    """Where the page number of a page was put (x of its text matrix), None if none."""
    page = reader.pages[index]
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    found = re.findall(rb"q (-?\d) (-?\d) (-?\d) (-?\d) ([\d.]+) [\d.]+ cm 1 g .*?/DossierPN",
                       data)
    return float(found[-1][4]) if found else None


def _kinds(manifest: dict) -> dict[int, str]:  # type: ignore[type-arg]
    out = manifest["output"]
    kinds = {n: "blank" for n in out["blank_pages"]}
    if out["closing_page"]:
        kinds[out["closing_page"]] = "closing"
    return kinds


def test_duplex_sections_start_on_right_hand_pages(tmp_path: Path, catalogue: Catalogue,
                                                   font: FontChoice) -> None:
    options = replace(OPTS, duplex=True, stamp=replace(OPTS.stamp, position="outer"))
    out = _build(tmp_path, catalogue, font, options)
    main = read_manifest(out / f"{IND}-主册.manifest.json")
    assert main is not None
    reader = PdfReader(out / f"{IND}-主册.pdf")
    blanks = main["output"]["blank_pages"]
    assert 2 in blanks  # the back of the cover
    firsts = {}
    for src in main["sources"]:
        firsts.setdefault(src["section"], src["output_pages"][0])
    # 达标说明 and 直接证明材料 each begin on an odd (right-hand) page
    assert set(firsts) == {"达标说明", "直接证明材料"}
    assert all(page % 2 == 1 for page in firsts.values()), firsts
    labels = reader.page_labels
    for page in blanks:
        assert labels[page - 1] == "空白页"
        assert _stamp_x(reader, page - 1) is None  # blanks are not numbered
        assert not reader.pages[page - 1].extract_text().strip()
    # the material is numbered 1 … without the blanks, and outer numbers follow the side
    numbered = [i for i, label in enumerate(labels) if label.isdigit()]
    assert [labels[i] for i in numbered] == [str(n) for n in range(1, len(numbered) + 1)]
    width = float(reader.pages[numbered[0]].mediabox.width)
    for i in numbered:
        x = _stamp_x(reader, i)
        assert x is not None
        if float(reader.pages[i].mediabox.width) == width and "/Rotate" not in reader.pages[i]:
            assert (x > width / 2) == (i % 2 == 0), (i, x)  # right on recto, left on verso
    assert len(reader.pages) == main["output"]["pages"]
    for year in ("2018", "2019", "2020"):  # year volumes: 目录 on page 3, material on 5
        data = read_manifest(out / f"{IND}-{year}年度佐证材料.manifest.json")
        assert data is not None and data["sources"][0]["output_pages"][0] % 2 == 1
    assert all(v.status == "ok" for v in verify(out, tmp_path / "m")), verify(out)


def test_closing_sheet_ends_each_volume_unnumbered(tmp_path: Path, catalogue: Catalogue,
                                                   font: FontChoice) -> None:
    options = replace(OPTS, closing=ClosingSheet(compiler="市生态环境局"))
    out = _build(tmp_path, catalogue, font, options)
    data = read_manifest(out / f"{IND}-2019年度佐证材料.manifest.json")
    assert data is not None
    reader = PdfReader(out / f"{IND}-2019年度佐证材料.pdf")
    last = len(reader.pages)
    assert data["output"]["closing_page"] == last and data["output"]["blank_pages"] == []
    assert reader.page_labels[-1] == "卷内备考表"
    assert _stamp_x(reader, last - 1) is None
    text = reader.pages[-1].extract_text().replace(" ", "")
    items, pages = len(data["sources"]), data["output"]["material_pages"]
    for needle in ("卷内备考表", "本卷情况说明", f"本卷共{items}件，{pages}页",
                   "立卷人：市生态环境局", "检查人：", "日期：2021年3月"):
        assert needle in text, (needle, text)
    assert pages == sum(s["pages"] for s in data["sources"]) == last - 3
    assert all(v.status == "ok" for v in verify(out, tmp_path / "m"))
    # the 总目录 counts numbered pages only
    assert {e.file: e.pages for e in entries(out)}[f"{IND}-2019年度佐证材料.pdf"] == pages


def test_max_pages_splits_into_parts_numbered_on(tmp_path: Path, catalogue: Catalogue,
                                                 font: FontChoice) -> None:
    extra = {"2019/03(3)2019年水质月报汇编上.pdf": 12, "2019/04(4)2019年水质月报汇编下.pdf": 9}
    out = _build(tmp_path, catalogue, font, replace(OPTS, max_pages=20), extra)
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert f"{IND}-2019年度佐证材料-1.pdf" in files and f"{IND}-2019年度佐证材料-2.pdf" in files
    assert f"{IND}-2019年度佐证材料.pdf" not in files
    one = read_manifest(out / f"{IND}-2019年度佐证材料-1.manifest.json")
    two = read_manifest(out / f"{IND}-2019年度佐证材料-2.manifest.json")
    assert one is not None and two is not None
    assert one["part"]["split"] == [1, 2] and two["part"]["split"] == [2, 2]
    # the numbers run on: the second part begins where the first ended
    last = one["sources"][-1]["last_page"]
    assert two["sources"][0]["first_page"] == last + 1
    assert one["output"]["material_pages"] <= 20
    reader = PdfReader(out / f"{IND}-2019年度佐证材料-2.pdf")
    front = two["output"]["front_pages"]
    assert reader.page_labels[front] == str(last + 1)
    assert str(last + 1) in reader.pages[front].extract_text().split()
    cover = reader.pages[0].extract_text().replace(" ", "").replace("\n", "")
    count = len(files)
    assert "2019年度佐证材料（二）" in cover and f"共{count}册" in cover, cover
    toc = reader.pages[1].extract_text().replace(" ", "")
    assert "2019年度佐证材料（续）" in toc and f"{last + 1}–" in toc
    # the 主册 lists both parts; every volume verifies; the 总目录 has them all
    main = PdfReader(out / f"{IND}-主册.pdf")
    listed = " ".join(main.pages[n].extract_text() for n in range(1, 3)).replace(" ", "")
    assert "2019年度佐证材料（一）" in listed and "2019年度佐证材料（二）" in listed
    assert all(v.status == "ok" for v in verify(out, tmp_path / "m"))
    assert sorted(e.file for e in entries(out)) == files
    numbers = sorted(json.loads((out / f.replace(".pdf", ".manifest.json")).read_text(
        encoding="utf-8"))["part"]["number"] for f in files)
    assert numbers == list(range(1, count + 1))


def test_verify_knows_the_blank_pages(tmp_path: Path, catalogue: Catalogue,
                                      font: FontChoice) -> None:
    out = _build(tmp_path, catalogue, font, replace(OPTS, duplex=True,
                                                    closing=ClosingSheet()))
    path = out / f"{IND}-主册.manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert _kinds(data)
    data["output"]["blank_pages"] = data["output"]["blank_pages"][1:]  # one blank forgotten
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    verdict = {v.output: v for v in verify(out, tmp_path / "m")}[f"{IND}-主册.pdf"]
    assert verdict.status == "corrupt"


def test_a_generated_explanation_is_counted_as_it_is_laid_out(
        tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    """The 达标说明 is generated from 达标说明.yaml: its pages are counted by laying it out
    with the build's font, so the part after it numbers on exactly."""
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    (ind / "达标说明" / "水环境质量达标说明.pdf").unlink()  # only the generated one
    (ind / "达标说明" / "达标说明.yaml").write_text(
        "年度:\n  2018: {上级考核: {完成: 是}}\n", encoding="utf-8")
    write_pdf(ind / "直接证明材料" / "02(2)考核通报.pdf", 19, "big")
    register(font)
    out = tmp_path / "out"
    plans, _ = make_plan(root, out, catalogue, (12,), None, replace(OPTS, max_pages=20),
                         font=font)
    outcomes = build(plans, root, out, font=font)
    assert all(o.status == "built" for o in outcomes), [o.messages for o in outcomes]
    mains = sorted(out.glob(f"{IND}-主册*.manifest.json"))
    assert len(mains) >= 2
    first, second = (read_manifest(p) for p in mains[:2])
    assert first is not None and second is not None
    assert second["sources"][0]["first_page"] == first["sources"][-1]["last_page"] + 1
    assert all(v.status == "ok" for v in verify(out, root))


def test_cli_options_and_catalogue_defaults(tmp_path: Path, test_font: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """--max-pages below 20 is a usage error; the catalogue's max_pages, compiler and
    checker apply when the command line gives none."""
    from dossier.resources import default_catalogue_path

    from clirun import invoke

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1614556800")
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    write_pdf(ind / "2019" / "03(3)月报上.pdf", 12, "a")
    write_pdf(ind / "2019" / "04(4)月报下.pdf", 9, "b")
    small = invoke(["build", str(root), "-i", "12", "--max-pages", "5"])
    assert small.exit_code == 2 and "--max-pages" in small.output
    text = default_catalogue_path().read_text(encoding="utf-8")
    own = tmp_path / "indicators.yaml"
    own.write_text(text.replace("  progress_year: 2021\n", "  progress_year: 2021\n"
                                "  max_pages: 20\n  compiler: 市生态环境局\n", 1),
                   encoding="utf-8")
    out = tmp_path / "out"
    built = invoke(["build", str(root), "-i", "12", "-o", str(out), "--font", str(test_font),
                    "--catalogue", str(own), "--closing-sheet", "--checker", "水环境"])
    assert built.exit_code == 0, built.output
    assert (out / f"{IND}-2019年度佐证材料-2.pdf").is_file()
    last = PdfReader(out / f"{IND}-2019年度佐证材料-2.pdf").pages[-1].extract_text()
    assert "市生态环境局" in last.replace(" ", "") and "水环境" in last.replace(" ", "")
    again = invoke(["build", str(root), "-i", "12", "-o", str(out), "--font", str(test_font),
                    "--catalogue", str(own), "--closing-sheet", "--checker", "水环境"])
    assert again.exit_code == 0 and "已装订" not in again.output  # up to date


def test_a_part_whose_documents_changed_fails_plainly(tmp_path: Path, catalogue: Catalogue,
                                                     font: FontChoice) -> None:
    """The split counted the pages; a document that grows before the part is bound makes
    that part fail with a message, never number on wrongly (build-part-pages stays as the
    second line of defence, for a change the scan's size and time cannot see)."""
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    write_pdf(ind / "2019" / "03(3)上.pdf", 12, "a")
    write_pdf(ind / "2019" / "04(4)下.pdf", 9, "b")
    out = tmp_path / "out"
    plans, _ = make_plan(root, out, catalogue, (12,), None, replace(OPTS, max_pages=20),
                         font=font)
    write_pdf(ind / "2019" / "03(3)上.pdf", 14, "a")  # two pages more, after planning
    outcomes = {o.plan.output: o for o in build(plans, root, out, font=font)}
    first = outcomes[f"{IND}-2019年度佐证材料-1.pdf"]
    # the document is no longer the one the plan counted: refused as changed since the scan
    assert first.status == "failed" and first.messages[0].key == "source-unusable"
    assert first.messages[0].params["reason"].key == "source-changed"
    assert not (out / f"{IND}-2019年度佐证材料-1.pdf").exists()
