from __future__ import annotations

from pathlib import Path

import pytest

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.errors import UsageError
from dossier.scaffold import init_tree
from dossier.templating import make_environment


def test_init_creates_the_tree(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    result = init_tree(root, catalogue, catalogue.select((12, 21)), make_environment())
    folder = root / "12-水环境质量"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["达标说明", "直接证明材料", "2018", "2019", "2020", "2021", "长期有效", "要求.md"])
    assert (folder / "达标说明" / "达标说明.yaml").is_file()
    assert (root / "21-单位地区生产总值能耗(吨标准煤／万元)").is_dir()
    text = (folder / "要求.md").read_text(encoding="utf-8")
    for needle in ("水环境质量", "约束性", "市生态环境局", "(1)", "(2)", "2018、2019、2020"):
        assert needle in text
    assert "12-水环境质量/要求.md" in result.created
    # a freshly initialised folder is recognised by check, and 要求.md is not material
    report = check(root, catalogue, indicators=[12]).report
    # and its empty 达标说明.yaml starter is valid: it only asks for the data
    assert {f.code for f in report.findings} <= {"requirement-missing", "empty-section",
                                                 "explanation-missing-year"}


def test_init_never_overwrites_and_reuses_folders(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    (root / "12 水环境" / "2018年度佐证材料").mkdir(parents=True)
    (root / "12 水环境" / "要求.md").write_text("clerk's notes", encoding="utf-8")
    result = init_tree(root, catalogue, catalogue.select((12,)), make_environment())
    assert not (root / "12-水环境质量").exists()
    assert not (root / "12 水环境" / "2018").exists()  # 2018年度佐证材料 is that section
    assert (root / "12 水环境" / "要求.md").read_text(encoding="utf-8") == "clerk's notes"
    assert "12 水环境/要求.md" in result.kept
    again = init_tree(root, catalogue, catalogue.select((12,)), make_environment())
    assert again.created == ()


def test_init_on_a_file(tmp_path: Path, catalogue: Catalogue) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(UsageError) as caught:
        init_tree(tmp_path / "f", catalogue, catalogue.select((1,)), make_environment())
    assert caught.value.key == "init-not-a-folder"
    assert caught.value.message.params == {"path": str(tmp_path / "f")}
