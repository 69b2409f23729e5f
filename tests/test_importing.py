"""dossier import: contributions merged into the collecting unit's folder — pack zips,
zips made by Chinese Windows Explorer (GBK names without the flag), folders — each file
into its indicator, section and year; nothing overwritten; provenance recorded."""

from __future__ import annotations

import json
from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.importing import RECORD, UNSORTED, import_sources
from dossier.pack import plan_pack, write_pack
from zipmaker import Member, windows_zip, write_zip

from clirun import invoke
from makefiles import pdf_bytes, write_pdf

EPOCH = 1614902400


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def _lead_tree(root: Path) -> Path:
    """The collecting unit (市生态环境局) for indicator 12, folders spelled its own way."""
    write_pdf(root / "12 水环境质量" / "2019年度佐证材料" / "(1)2019年考核结果.pdf", text="own")
    return root


def test_pack_then_import_then_check_and_build(tmp_path: Path, catalogue: Catalogue,
                                               test_font: Path) -> None:
    sender = tmp_path / "住建局"
    write_pdf(sender / "12-水环境质量" / "2019" / "(1)2019年黑臭水体整治.pdf", text="a")
    write_pdf(sender / "12-水环境质量" / "2020" / "(1)2020年黑臭水体整治.pdf", text="b")
    zips = write_pack(plan_pack(sender, catalogue, "住建局", [12]), sender, tmp_path / "out",
                      EPOCH)
    lead = _lead_tree(tmp_path / "lead")
    [done] = import_sources(zips, lead, catalogue, today="2021-03-05")
    assert done.unit == "市住房和城乡建设局" and not done.problems and not done.refused
    assert {p.target for p in done.placed} == {
        "12 水环境质量/2019年度佐证材料/(1)2019年黑臭水体整治.pdf",  # the lead's own folder names
        "12 水环境质量/2020/(1)2020年黑臭水体整治.pdf"}
    record = json.loads((lead / RECORD).read_text(encoding="utf-8"))["files"]
    entry = record["12 水环境质量/2020/(1)2020年黑臭水体整治.pdf"]
    assert entry["unit"] == "市住房和城乡建设局" and entry["date"] == "2021-03-05"
    assert entry["source"] == zips[0].name
    assert list((lead / "导入记录" / zips[0].stem).glob("*/报送清单.json"))
    result = check(lead, catalogue, indicators=[12])
    assert not any(f.path and "导入记录" in f.path for f in result.report.findings)
    built = invoke(["build", str(lead), "-i", "12", "--volumes", "single", "-o",
                    str(tmp_path / "dist"), "--font",
                    str(test_font), "--allow-broken"])
    assert built.exit_code == 0, built.output
    [manifest] = (tmp_path / "dist").glob("*.manifest.json")
    sources = {s["path"]: s for s in json.loads(manifest.read_text(encoding="utf-8"))["sources"]}
    supplied = sources["12 水环境质量/2020/(1)2020年黑臭水体整治.pdf"]["supplied_by"]
    assert supplied == {"unit": "市住房和城乡建设局", "date": "2021-03-05", "source": zips[0].name}
    assert sources["12 水环境质量/2019年度佐证材料/(1)2019年考核结果.pdf"]["supplied_by"] is None


def test_a_zip_from_chinese_windows(tmp_path: Path, catalogue: Catalogue) -> None:
    archive = windows_zip(tmp_path / "水利局材料.zip", {
        "水利局材料/12-水环境/2019年/(1)2019年河长制考核.pdf": pdf_bytes(1, "x"),
        "水利局材料/12-水环境/2019年/(1)2019年考核结果.pdf": pdf_bytes(1, "different"),
        "说明.pdf": pdf_bytes(1, "loose"),
    })
    lead = _lead_tree(tmp_path / "lead")
    before = (lead / "12 水环境质量/2019年度佐证材料/(1)2019年考核结果.pdf").read_bytes()
    [done] = import_sources([archive], lead, catalogue, unit="水利局", today="2021-03-05")
    outcome = {p.source: (p.outcome, p.target) for p in done.placed}
    assert outcome["水利局材料/12-水环境/2019年/(1)2019年河长制考核.pdf"] == (
        "placed", "12 水环境质量/2019年度佐证材料/(1)2019年河长制考核.pdf")
    assert outcome["水利局材料/12-水环境/2019年/(1)2019年考核结果.pdf"] == (
        "kept-beside", "12 水环境质量/2019年度佐证材料/(1)2019年考核结果(2).pdf")
    assert outcome["说明.pdf"] == ("unsorted", f"{UNSORTED}/水利局材料/说明.pdf")
    assert (lead / "12 水环境质量/2019年度佐证材料/(1)2019年考核结果.pdf").read_bytes() == before
    assert done.unit == "市水利局"


def test_importing_again_changes_nothing(tmp_path: Path, catalogue: Catalogue) -> None:
    archive = windows_zip(tmp_path / "a.zip", {"12-水环境质量/2020/(1)a.pdf": pdf_bytes(1, "a")})
    lead = _lead_tree(tmp_path / "lead")
    import_sources([archive], lead, catalogue, unit="水利局", today="2021-03-04")
    first = _snapshot(lead)
    [again] = import_sources([archive], lead, catalogue, unit="水利局", today="2021-03-05")
    assert {p.outcome for p in again.placed} == {"identical"}
    assert _snapshot(lead) == first


def test_a_hostile_archive_leaves_the_folder_untouched(tmp_path: Path,
                                                      catalogue: Catalogue) -> None:
    archive = write_zip(tmp_path / "evil.zip", [
        Member("12-水环境质量/2019/(1)a.pdf", pdf_bytes(1, "a")),
        Member("../../evil.pdf", b"x")])
    lead = _lead_tree(tmp_path / "lead")
    before = _snapshot(lead)
    [done] = import_sources([archive], lead, catalogue, today="2021-03-05")
    assert done.refused and any(p.key == "archive-traversal" for p in done.problems)
    assert _snapshot(lead) == before and not (tmp_path / "evil.pdf").exists()
    result = invoke(["import", str(archive), "--into", str(lead)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_import_command_dry_run_and_folders(tmp_path: Path) -> None:
    source = tmp_path / "交来的"
    write_pdf(source / "12-水环境质量" / "2021" / "2021年一季度水质.pdf")
    lead = _lead_tree(tmp_path / "lead")
    before = _snapshot(lead)
    dry = invoke(["import", str(source), "--into", str(lead), "--from", "巴州区", "--dry-run"])
    assert dry.exit_code == 0 and _snapshot(lead) == before
    done = invoke(["import", str(source), "--into", str(lead), "--from", "巴州区"])
    assert done.exit_code == 0
    assert (lead / "12 水环境质量" / "2021" / "2021年一季度水质.pdf").is_file()
    assert json.loads((lead / RECORD).read_text(encoding="utf-8"))["files"][
        "12 水环境质量/2021/2021年一季度水质.pdf"]["unit"] == "巴州区"


def test_three_units_send_and_the_collecting_unit_builds(tmp_path: Path, catalogue: Catalogue,
                                                         test_font: Path) -> None:
    """Done when: the 牵头单位 imports three units' zips and builds the indicator, with
    nothing lost and nothing overwritten."""
    zips = []
    sent: dict[str, str] = {}
    for n, (unit, folder) in enumerate((("住建局", "12-水环境质量"), ("市水利局", "12 水环境"),
                                        ("巴州区", "12_水环境质量"))):
        sender = tmp_path / unit
        for year in (2018, 2019, 2020):
            name = f"(1){year}年{unit}水环境工作情况.pdf"
            write_pdf(sender / folder / str(year) / name, text=f"unit {n} {year}")
            sent[name] = unit
        # the same file name from every unit, different content: kept side by side
        write_pdf(sender / folder / "2019" / "(2)工作总结.pdf", text=f"summary {n}")
        zips += write_pack(plan_pack(sender, catalogue, unit, [12]), sender,
                           tmp_path / "out" / unit, EPOCH)
    lead = _lead_tree(tmp_path / "lead")
    done = import_sources(zips, lead, catalogue, today="2021-03-05")
    assert [d.unit for d in done] == ["市住房和城乡建设局", "市水利局", "巴州区"]
    assert all(not d.problems and not d.refused for d in done)
    files = {p.name for p in (lead / "12 水环境质量").rglob("*.pdf")}
    assert set(sent) <= files  # nothing lost
    assert {"(2)工作总结.pdf", "(2)工作总结(2).pdf", "(2)工作总结(3).pdf"} <= files  # none lost
    assert "(1)2019年考核结果.pdf" in files  # the lead's own file untouched
    record = json.loads((lead / RECORD).read_text(encoding="utf-8"))["files"]
    assert {r["unit"] for r in record.values()} == {"市住房和城乡建设局", "市水利局", "巴州区"}
    built = invoke(["build", str(lead), "-i", "12", "--volumes", "single", "-o",
                    str(tmp_path / "dist"), "--font",
                    str(test_font)])
    assert built.exit_code == 0, built.output
    [manifest] = (tmp_path / "dist").glob("*.manifest.json")
    sources = json.loads(manifest.read_text(encoding="utf-8"))["sources"]
    assert len(sources) >= len(sent) + 4
    assert {s["supplied_by"]["unit"] for s in sources if s["supplied_by"]} == {
        "市住房和城乡建设局", "市水利局", "巴州区"}


def test_review_fixes(tmp_path: Path, catalogue: Catalogue) -> None:
    """Re-importing after a file was kept beside changes nothing; set-aside and record files
    of a tidied source are not merged; a link in the destination is never written through;
    a 报送清单 that points outside the zip is not followed."""
    lead = _lead_tree(tmp_path / "lead")
    own = lead / "12 水环境质量" / "2019年度佐证材料" / "(1)2019年考核结果.pdf"
    archive = windows_zip(tmp_path / "a.zip", {
        "12-水环境质量/2019/(1)2019年考核结果.pdf": pdf_bytes(1, "theirs")})
    for _ in range(3):
        import_sources([archive], lead, catalogue, unit="水利局", today="2021-03-05")
    copies = sorted(p.name for p in own.parent.glob("(1)2019年考核结果*"))
    assert copies == ["(1)2019年考核结果(2).pdf", "(1)2019年考核结果.pdf"]

    source = tmp_path / "tidied"
    write_pdf(source / "12-水环境质量" / "2020" / "(1)a.pdf", text="a")
    write_pdf(source / "重复文件" / "12-水环境质量" / "2020" / "(1)a副本.pdf", text="a")
    (source / "整理记录.json").write_text("{}", encoding="utf-8")
    (source / "12-水环境质量" / "要求.md").write_text("x", encoding="utf-8")
    [done] = import_sources([source], lead, catalogue, unit="水利局", today="2021-03-05")
    assert [p.source for p in done.placed] == ["12-水环境质量/2020/(1)a.pdf"]

    outside = tmp_path / "outside"
    outside.mkdir()
    (lead / "13-生态环境状况指数").symlink_to(outside, target_is_directory=True)
    linked = windows_zip(tmp_path / "l.zip", {"13-生态环境状况指数/2019/(1)x.pdf": b"%PDF-1.4"})
    [through] = import_sources([linked], lead, catalogue, unit="水利局", today="2021-03-05")
    assert not list(outside.rglob("*")) and through.problems
    assert through.problems[0].key == "import/outside"

    manifest = json.dumps({"tool": "dossier", "unit": "市水利局", "files": [
        {"path": "../../../../etc/hostname", "sha256": "0"}, {"path": "a" * 5000}]})
    hostile = write_zip(tmp_path / "m.zip", [Member("报送清单.json", manifest.encode())])
    [odd] = import_sources([hostile], lead, catalogue, today="2021-03-05")
    assert {p.key for p in odd.problems} == {"import-listed-missing"}


def test_tidy_keeps_the_import_record_of_what_it_moves(tmp_path: Path,
                                                      catalogue: Catalogue) -> None:
    """A file merged by import and then moved by tidy (to its year's folder) keeps who
    supplied it; undo puts the record back with the file; import checks the unit a
    报送清单 names, and a name no encoding reads is said."""
    from dossier.tidy import apply_tidy, plan_tidy, undo_tidy

    lead = _lead_tree(tmp_path / "lead")
    archive = windows_zip(tmp_path / "a.zip", {
        "12-水环境质量/2020/(1)2019年度水质通报.pdf": pdf_bytes(1, "misfiled")})
    import_sources([archive], lead, catalogue, unit="水利局", today="2021-03-05")
    old = "12 水环境质量/2020/(1)2019年度水质通报.pdf"
    assert old in json.loads((lead / RECORD).read_text(encoding="utf-8"))["files"]
    apply_tidy(plan_tidy(lead, catalogue), lead)
    record = json.loads((lead / RECORD).read_text(encoding="utf-8"))["files"]
    [moved] = [k for k in record if k.endswith("(1)2019年度水质通报.pdf")]
    assert moved != old and record[moved]["unit"] == "市水利局"
    assert (lead / moved).is_file()
    undo_tidy(lead)
    assert old in json.loads((lead / RECORD).read_text(encoding="utf-8"))["files"]

    manifest = json.dumps({"tool": "dossier", "unit": "某某局", "files": []}).encode()
    odd = write_zip(tmp_path / "p.zip", [Member("报送清单.json", manifest),
                                         Member("12-水环境质量/2019/(1)b.pdf", pdf_bytes(1, "b"))])
    [done] = import_sources([odd], lead, catalogue, today="2021-03-05")
    assert [p.key for p in done.problems] == ["import-unit-unknown"] and done.unit == ""
    [differs] = import_sources([odd], lead, catalogue, unit="住建局", today="2021-03-05")
    assert differs.unit == "市住房和城乡建设局"
