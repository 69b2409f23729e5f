"""The shape of the tree (checks/structure.py): sections that are empty, and those that
only look empty."""

from __future__ import annotations

from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.checks import check

from explainmaker import write
from makefiles import write_pdf

DATA = "年度:\n  2018: {上级考核: {完成: 是}}\n"


def empty_sections(root: Path, catalogue: Catalogue) -> set[str]:
    result = check(root, catalogue, indicators=[12])
    return {f.path or "" for f in result.report.findings if f.code == "empty-section"}


def test_explanation_folder_with_only_its_yaml_is_not_empty(tree: Path,
                                                           catalogue: Catalogue) -> None:
    ind = tree / "12-水环境质量"
    write_pdf(ind / "直接证明材料" / "01-考核结果汇总.pdf")
    assert "12-水环境质量/达标说明" in empty_sections(tree, catalogue)
    write(ind / "达标说明" / "达标说明.yaml", DATA)
    assert "12-水环境质量/达标说明" not in empty_sections(tree, catalogue)


def test_yaml_beside_the_sections_also_fills_the_explanation(tree: Path,
                                                            catalogue: Catalogue) -> None:
    ind = tree / "12-水环境质量"
    write(ind / "达标说明.yaml", DATA)  # read from here too (explain.load.explanation_path)
    found = empty_sections(tree, catalogue)
    assert "12-水环境质量/达标说明" not in found
    assert "12-水环境质量/直接证明材料" in found  # other sections still count


def test_other_sections_are_not_filled_by_a_yaml(tree: Path, catalogue: Catalogue) -> None:
    ind = tree / "12-水环境质量"
    write(ind / "2019" / "达标说明.yaml", DATA)
    assert "12-水环境质量/2019" in empty_sections(tree, catalogue)
