"""Volumes the plan no longer makes move to OUT/已过期 with their manifests, and are
reported; nothing else in OUT is touched, nothing is deleted."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import invoke
from makefiles import make_volume_tree, write_pdf


def _build(root: Path, out: Path, font: Path, *extra: str) -> str:
    done = invoke(["build", str(root), "-i", "12", "-o", str(out), "--font", str(font),
                   *extra])
    assert done.exit_code == 0, done.output
    return done.output


def test_single_then_by_year_moves_the_single_volume_aside(tmp_path: Path,
                                                            test_font: Path) -> None:
    root, out = make_volume_tree(tmp_path / "m"), tmp_path / "out"
    root = tmp_path / "m"
    _build(root, out, test_font, "--volumes", "single")
    mine = out / "我的笔记.pdf"
    write_pdf(mine)
    (out / ".my-download.part").write_bytes(b"x")
    shown = _build(root, out, test_font)  # by year, the default
    expired = out / "已过期"
    assert (expired / "12-水环境质量.pdf").is_file()
    assert (expired / "12-水环境质量.manifest.json").is_file()
    assert not (out / "12-水环境质量.pdf").exists()
    assert "已过期" in shown and "12-水环境质量.pdf" in shown
    assert mine.is_file() and (out / ".my-download.part").is_file()  # not ours: untouched
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names[0] == "12-水环境质量-2018年度佐证材料.pdf" or "主册" in " ".join(names)
    verified = invoke(["verify", str(out)])
    assert verified.exit_code == 0, verified.output  # 已过期 is not read as part of OUT


def test_an_emptied_year_goes_and_a_second_expiry_keeps_the_first(tmp_path: Path,
                                                                   test_font: Path) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    _build(root, out, test_font)
    year = out / "12-水环境质量-2021年度进度材料.pdf"
    assert year.is_file()
    for f in (root / "12-水环境质量" / "2021").iterdir():
        f.unlink()
    dry = invoke(["build", str(root), "-i", "12", "-o", str(out), "--font", str(test_font),
                  "--dry-run"])
    assert year.is_file() and "已过期" in dry.output  # a dry run moves nothing
    _build(root, out, test_font)
    assert not year.exists() and (out / "已过期" / year.name).is_file()
    main = json.loads(next(out.glob("*主册.manifest.json")).read_text(encoding="utf-8"))
    assert main["output"]["file"].endswith("主册.pdf")
    write_pdf(root / "12-水环境质量" / "2021" / "(1)2021年一季度.pdf")
    _build(root, out, test_font)
    for f in (root / "12-水环境质量" / "2021").iterdir():
        f.unlink()
    _build(root, out, test_font)
    assert (out / "已过期" / "12-水环境质量-2021年度进度材料 (2).pdf").is_file()


def test_only_our_own_leftovers_are_cleaned(tmp_path: Path, test_font: Path) -> None:
    """A killed build leaves .NAME.pdf.XXXXXXXX.dossier-part; a user's own .part files stay,
    look-alikes of dossier's own names included, and so does a manifest dossier did not
    write."""
    root, out = make_volume_tree(tmp_path / "m"), tmp_path / "out"
    root = tmp_path / "m"
    out.mkdir()
    ours = out / ".12-水环境质量-主册.pdf.k2x9_q7a.dossier-part"
    theirs = [out / ".my-download.part", out / ".notes.txt.part", out / ".报告.pdf.part",
              out / "x.part", out / ".y.pdf.part", out / ".z.pdf.k2x9_q7a.part",
              out / "z.manifest.json", out / ".dossier-part", out / "a.dossier-part"]
    for f in (ours, *theirs):
        f.write_bytes(b"partial")
    _build(root, out, test_font, "--force")
    assert not ours.exists()
    assert all(f.read_bytes() == b"partial" for f in theirs)
