"""dossier.shard and `build --shard K/N`: every planned volume in exactly one shard, the
same on every runner, balanced by the pages and bytes of the sources (real PDFs made
here), and a dry run that lists a shard's volumes with their cost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier.build import make_plan
from dossier.catalogue import Catalogue
from dossier.options import BuildOptions
from dossier.shard import Shard, estimated_pages, parse_shard, split

from clirun import invoke
from makefiles import write_pdf

OPTS = BuildOptions(date="2021年3月", epoch=1614556800, volumes="single")
FOLDERS = {1: "01-生态文明建设规划", 8: "08-河长制", 12: "12-水环境质量", 28: "28-城镇污水处理率",
           29: "29-城镇生活垃圾无害化处理率", 30: "30-城镇人均公园绿地面积"}


def materials(root: Path, pages: dict[int, int]) -> Path:
    """One indicator folder per entry, with that many pages of PDF for 2019."""
    for number, count in pages.items():
        write_pdf(root / FOLDERS[number] / "2019" / f"01(1)2019年材料{number}.pdf", count)
    return root


@pytest.mark.parametrize(("text", "shard"), [
    ("1/3", Shard(1, 3)), (" 3 / 3 ", Shard(3, 3)), ("1/1", Shard(1, 1)),
    ("0/3", None), ("4/3", None), ("3", None), ("a/b", None), ("-1/3", None), ("", None),
])
def test_a_shard_is_k_of_n(text: str, shard: Shard | None) -> None:
    assert parse_shard(text) == shard


def test_every_volume_is_in_exactly_one_shard_and_the_load_is_balanced(
        tmp_path: Path, catalogue: Catalogue) -> None:
    root = materials(tmp_path / "m", {1: 40, 8: 30, 12: 20, 28: 10, 29: 10, 30: 10})
    plans, _ = make_plan(root, tmp_path / "out", catalogue, tuple(FOLDERS), None, OPTS)
    assert len(plans) == 6
    assigned = split(plans, 3)
    assert [a.plan for a in assigned] == list(plans)  # in the plans' order
    assert sorted(a.plan.output for a in assigned) == sorted(p.output for p in plans)
    assert {a.shard for a in assigned} == {1, 2, 3}
    by_output = {a.plan.output: a for a in assigned}
    assert by_output["01-生态文明建设规划.pdf"].cost.pages >= 40
    # largest first onto the least loaded: 40 | 30 | 20+10+10+10
    loads = sorted(sum(a.cost.units for a in assigned if a.shard == k) for k in (1, 2, 3))
    assert max(loads) - min(loads) <= 12  # a 达标说明 page or two aside
    # the same split whatever order the plans come in, and however many times
    again = split(tuple(reversed(plans)), 3)
    assert {a.plan.output: a.shard for a in again} == {o: a.shard for o, a in by_output.items()}


def test_the_split_ignores_what_differs_between_runners(tmp_path: Path,
                                                         catalogue: Catalogue) -> None:
    """File times and the output folder's content are not part of it."""
    import os

    root = materials(tmp_path / "m", {1: 5, 8: 3, 12: 8})
    first, _ = make_plan(root, tmp_path / "out", catalogue, (1, 8, 12), None, OPTS)
    for pdf in root.rglob("*.pdf"):
        os.utime(pdf, ns=(1, 1))  # a fresh checkout on another runner
    second, _ = make_plan(root, tmp_path / "elsewhere", catalogue, (1, 8, 12), None, OPTS)
    assert [(a.plan.output, a.shard) for a in split(first, 2)] == [
        (a.plan.output, a.shard) for a in split(second, 2)]


def test_a_lying_page_count_is_bounded_by_the_size(tmp_path: Path) -> None:
    from dossier.plan import Source

    real = write_pdf(tmp_path / "a.pdf", 3)
    liar = tmp_path / "liar.pdf"
    liar.write_bytes(real.read_bytes().replace(b"/Count 3", b"/Count 2000000000"))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot a pdf")

    def source(path: Path) -> Source:
        return Source(rel=path.name, path=str(path), title=path.stem, kind="pdf",
                      size=path.stat().st_size, mtime_ns=0)

    assert estimated_pages(source(real)) == 3
    assert 1 <= estimated_pages(source(liar)) <= liar.stat().st_size // 64
    assert estimated_pages(source(broken)) == 1
    # every runner estimates every volume: a pipe is not opened, nothing huge is searched
    import os

    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    assert estimated_pages(Source(rel="pipe.pdf", path=str(fifo), title="pipe", kind="pdf",
                                  size=0, mtime_ns=0)) == 1
    zeros = tmp_path / "zeros.pdf"
    with zeros.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(64 << 20)
    assert estimated_pages(source(zeros)) == 1


def test_build_shard_builds_its_share_and_the_shards_together_build_everything(
        tmp_path: Path) -> None:
    root = materials(tmp_path / "m", {1: 6, 8: 4, 12: 2, 28: 2})
    env = {"COLUMNS": "200", "SOURCE_DATE_EPOCH": "1614556800"}
    built: list[str] = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard-{k}"
        dry = invoke(["build", str(root), "--all", "--volumes", "single", "--shard",
                      f"{k}/3", "--dry-run", "-o", str(out)], env=env)
        assert dry.exit_code == 0, dry.output
        assert f"分片 {k}/3" in dry.output and "估计" in dry.output
        assert not out.exists()
        result = invoke(["build", str(root), "--all", "--volumes", "single", "--shard",
                         f"{k}/3", "-o", str(out)], env=env)
        assert result.exit_code == 0, result.output
        names = sorted(p.name for p in out.glob("*.pdf"))
        assert "总目录.pdf" not in names  # the merge writes the 总目录 of all shards
        built += names
        manifests = [json.loads(p.read_text(encoding="utf-8"))
                     for p in out.glob("*.manifest.json")]
        assert sorted(m["output"]["file"] for m in manifests) == names
    assert sorted(built) == sorted(f"{FOLDERS[n]}.pdf" for n in (1, 8, 12, 28))


def test_a_bad_shard_is_a_usage_error_in_chinese(tmp_path: Path) -> None:
    root = materials(tmp_path / "m", {12: 1})
    result = invoke(["build", str(root), "--all", "--shard", "4/3", "-o",
                     str(tmp_path / "o")], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "不是有效的分片" in result.stderr and "2/3" in result.stderr
