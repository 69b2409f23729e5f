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
    assert status.exit_code in (0, 1), status.output
    # merging again changes nothing and says so
    assert invoke(["merge", *map(str, outs), "-o", str(into)], env=ENV).exit_code == 0


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
    assert keys == ["merge-altered", "merge-bad-manifest", "merge-missing", "merge-no-folder"]
    assert merged.volumes == ("01-生态文明建设规划.pdf",)
    assert not (tmp_path / "into" / "08-河长制.pdf").exists()


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
