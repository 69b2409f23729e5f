"""dossier.merge and `dossier merge`: the output folders of several shards made one, with
its 总目录; the same volume in two folders taken once, a conflict when built differently;
damaged or missing volumes not taken; `verify` and `status` on the result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pypdf import PdfReader

from dossier.merge import merge

from clirun import invoke
from makefiles import write_pdf

ENV = {"COLUMNS": "200", "SOURCE_DATE_EPOCH": "1614556800"}


def shards(tmp_path: Path, count: int = 2) -> tuple[Path, list[Path]]:
    root = tmp_path / "m"
    write_pdf(root / "01-生态文明建设规划" / "2019" / "01(1)2019年规划.pdf", 4)
    write_pdf(root / "08-河长制" / "2019" / "01(1)2019年河长制.pdf", 3)
    write_pdf(root / "12-水环境质量" / "2019" / "01(1)2019年水质.pdf", 2)
    outs = []
    for k in range(1, count + 1):
        out = tmp_path / "dist" / f"shard-{k}"
        result = invoke(["build", str(root), "--all", "--volumes", "single", "--shard",
                         f"{k}/{count}", "-o", str(out)], env=ENV)
        assert result.exit_code == 0, result.output
        outs.append(out)
    return root, outs


def test_shards_merge_into_one_verified_folder_with_its_register(tmp_path: Path) -> None:
    root, outs = shards(tmp_path)
    into = tmp_path / "public" / "volumes"
    result = invoke(["merge", *map(str, outs), "-o", str(into)], env=ENV)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in into.glob("*.pdf"))
    assert names == sorted(["01-生态文明建设规划.pdf", "08-河长制.pdf", "12-水环境质量.pdf",
                            "总目录.pdf"])
    assert "从 2 个文件夹合并 3 册" in result.output
    register = "".join(p.extract_text() for p in PdfReader(into / "总目录.pdf").pages)
    assert "河长制" in register and "水环境质量" in register and "生态文明建设规划" in register
    for pdf in outs[0].glob("*.pdf"):  # the bytes and the recorded time as built
        assert (into / pdf.name).read_bytes() == pdf.read_bytes()
        manifest = json.loads((into / pdf.name).with_suffix(".manifest.json")
                              .read_text(encoding="utf-8"))
        assert (into / pdf.name).stat().st_mtime_ns == manifest["output"]["mtime_ns"]
    verified = invoke(["verify", str(into), "--materials", str(root)], env=ENV)
    assert verified.exit_code == 0, verified.output
    status = invoke(["status", str(root), "--out", str(into), "--format", "json"], env=ENV)
    assert status.exit_code == 0, status.output
    # copies, not links: the shards' folders are as they were
    for pdf in outs[0].glob("*.pdf"):
        assert pdf.stat().st_nlink == 1 and (into / pdf.name).stat().st_nlink == 1
    # merging again changes nothing
    before = {p.name: p.read_bytes() for p in into.iterdir() if p.is_file()}
    assert invoke(["merge", *map(str, outs), "-o", str(into)], env=ENV).exit_code == 0
    assert {p.name: p.read_bytes() for p in into.iterdir() if p.is_file()} == before
    assert not (into / "已过期").exists()


def test_the_same_build_twice_is_taken_once_a_different_one_is_a_conflict(
        tmp_path: Path) -> None:
    _, outs = shards(tmp_path)
    twin = tmp_path / "dist" / "twin"
    shutil.copytree(outs[0], twin)  # a runner's artifacts downloaded twice
    merged = merge([outs[0], twin, outs[1]], tmp_path / "a")
    assert not merged.failed and merged.duplicates == len(list(outs[0].glob("*.pdf")))
    # the same volume built from other materials in another folder
    other_root = tmp_path / "other"
    write_pdf(other_root / "12-水环境质量" / "2019" / "01(1)2019年水质.pdf", 5)
    other = tmp_path / "dist" / "other"
    assert invoke(["build", str(other_root), "-i", "12", "--volumes", "single", "-o",
                   str(other)], env=ENV).exit_code == 0
    into = tmp_path / "b"
    result = invoke(["merge", *map(str, outs), str(other), "-o", str(into)], env=ENV)
    assert result.exit_code == 1
    assert "12-水环境质量.pdf" in result.output and "都不采用" in result.output
    assert not (into / "12-水环境质量.pdf").exists()  # neither copy
    assert (into / "08-河长制.pdf").exists()


def test_a_damaged_or_missing_volume_is_not_taken(tmp_path: Path) -> None:
    _, outs = shards(tmp_path, 1)
    [out] = outs
    damaged = out / "08-河长制.pdf"
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    (out / "12-水环境质量.pdf").unlink()
    (out / "bad.manifest.json").write_text(json.dumps({"tool": "dossier", "output": 5}),
                                           encoding="utf-8")
    merged = merge([out, tmp_path / "nowhere"], tmp_path / "into")
    keys = sorted(p.key for p in merged.problems)
    assert keys == ["merge-altered", "merge-bad-manifest", "merge-missing", "merge-no-folder",
                    "merge-volume-missing"]  # the shard record names both as its own
    assert merged.volumes == ("01-生态文明建设规划.pdf",)
    assert not (tmp_path / "into" / "08-河长制.pdf").exists()


def test_what_the_merged_folder_held_from_before_is_moved_aside(tmp_path: Path) -> None:
    """A volume no folder merged holds now (a conflict, or one no shard makes any more)
    does not stay in the merged folder, nor in its 总目录."""
    root, outs = shards(tmp_path)
    into = tmp_path / "into"
    assert invoke(["merge", *map(str, outs), "-o", str(into)], env=ENV).exit_code == 0
    (root / "12-水环境质量").rename(tmp_path / "gone")  # the indicator's material withdrawn
    again = tmp_path / "again"
    assert invoke(["build", str(root), "--all", "--volumes", "single", "-o", str(again)],
                  env=ENV).exit_code == 0
    user_file = into / "说明.txt"  # not dossier's: left alone
    user_file.write_text("备注", encoding="utf-8")
    result = invoke(["merge", str(again), "-o", str(into)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "已移到 已过期/12-水环境质量.pdf" in result.output
    assert not (into / "12-水环境质量.pdf").exists()
    assert (into / "已过期" / "12-水环境质量.pdf").is_file() and user_file.is_file()
    register = "".join(p.extract_text() for p in PdfReader(into / "总目录.pdf").pages)
    assert "水环境质量" not in register and "河长制" in register
    assert invoke(["verify", str(into), "--materials", str(root)], env=ENV).exit_code == 0


def test_a_volume_that_cannot_be_written_is_named_and_the_others_merge(
        tmp_path: Path) -> None:
    _, outs = shards(tmp_path, 1)
    into = tmp_path / "into"
    (into / "08-河长制.pdf").mkdir(parents=True)  # a folder where the PDF must go
    manifest = outs[0] / "12-水环境质量.manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["output"]["mtime_ns"] = 10**30  # not a time
    manifest.write_text(json.dumps(data), encoding="utf-8")
    result = invoke(["merge", str(outs[0]), "-o", str(into)], env=ENV)
    assert result.exit_code == 1
    assert "无法写入" in result.output and "08-河长制.pdf" in result.output
    assert "不是可用的装订清单" in result.output
    assert (into / "01-生态文明建设规划.pdf").is_file()
    assert (into / "01-生态文明建设规划.manifest.json").is_file()
    assert not (into / "08-河长制.manifest.json").exists()
    assert not list(into.glob(".*part"))  # nothing half-written is left


def test_merging_into_a_merged_folder_is_refused(tmp_path: Path) -> None:
    _, outs = shards(tmp_path, 1)
    result = invoke(["merge", str(outs[0]), "-o", str(outs[0])], env=ENV)
    assert result.exit_code == 2 and str(outs[0]) in result.stderr


def test_status_reads_several_folders_as_one_and_reports_a_conflict(tmp_path: Path) -> None:
    root, outs = shards(tmp_path)
    twin = tmp_path / "dist" / "twin"
    shutil.copytree(outs[0], twin)
    env = ENV

    def volumes(*folders: Path) -> list[dict]:  # type: ignore[type-arg]
        args = ["status", str(root), "--format", "json"]
        for folder in folders:
            args += ["--out", str(folder)]
        result = invoke(args, env=env)
        data = json.loads(result.stdout)
        return [v for ind in data["indicators"] for v in ind["volumes"]]

    alone = volumes(*outs)
    assert len(alone) == 3 and {v["state"] for v in alone} == {"current"}
    assert len(volumes(*outs, twin)) == 3  # the same build twice: listed once
    other_root = tmp_path / "other"
    write_pdf(other_root / "12-水环境质量" / "2019" / "01(1)2019年水质.pdf", 5)
    other = tmp_path / "dist" / "other"
    assert invoke(["build", str(other_root), "-i", "12", "--volumes", "single", "-o",
                   str(other)], env=ENV).exit_code == 0
    states = {v["file"]: v["state"] for v in volumes(*outs, other)}
    assert states["12-水环境质量.pdf"] == "conflict"
    assert states["08-河长制.pdf"] == "current"


def test_merge_checks_that_the_shards_are_one_split_and_all_there(tmp_path: Path) -> None:
    root, outs = shards(tmp_path, 3)
    record = json.loads((outs[0] / ".dossier-shard.json").read_text(encoding="utf-8"))
    assert record["shard"] == 1 and record["total"] == 3 and len(record["volumes"]) == 3
    assert sorted(record["mine"]) == sorted(p.name for p in outs[0].glob("*.pdf"))
    # a shard left out
    result = invoke(["merge", str(outs[0]), str(outs[1]), "-o", str(tmp_path / "a")], env=ENV)
    assert result.exit_code == 1 and "共 3 个分片中缺少第 3 个" in result.output
    # a volume its shard failed to build
    [missing] = [p for p in outs[1].glob("*.pdf")][:1]
    missing.unlink()
    missing.with_suffix(".manifest.json").unlink()
    result = invoke(["merge", *map(str, outs), "-o", str(tmp_path / "b")], env=ENV)
    assert result.exit_code == 1 and missing.name in result.output and "装订失败" in result.output
    # shards of another split: other materials, another total
    other = tmp_path / "other"
    assert invoke(["build", str(root), "--all", "--volumes", "single", "--shard", "1/2",
                   "-o", str(other)], env=ENV).exit_code == 0
    result = invoke(["merge", str(outs[0]), str(other), "-o", str(tmp_path / "c")], env=ENV)
    assert result.exit_code == 1 and "不是同一次分片的结果" in result.output
    # a damaged record is no record: the volumes are merged as any folder's
    (outs[2] / ".dossier-shard.json").write_text("{", encoding="utf-8")
    assert merge([outs[2]], tmp_path / "d").problems == ()
