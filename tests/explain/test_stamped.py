"""The unit's own stamped 达标说明 (explain.stamped): recognised by name or declared."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from dossier.explain.stamped import find_stamped
from dossier.scan import scan

from explainmaker import explanation
from makefiles import write_jpeg, write_pdf

IND = "12-水环境质量"


def folder(root: Path):  # type: ignore[no-untyped-def]
    [found] = scan(root, frozenset({12}), frozenset({2018, 2019, 2020, 2021})).folders_for(12)
    return found


def names(stamped) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.path.name for f in stamped.files]


def test_recognised_by_name_only_as_pdf_in_the_explanation_folder(tmp_path: Path) -> None:
    section = tmp_path / IND / "达标说明"
    write_pdf(section / "01-水环境质量指标达标说明.pdf")
    write_pdf(section / "水环境质量达标情况说明（盖章）.pdf", text="b")
    write_pdf(section / "工作总结.pdf", text="c")
    write_jpeg(section / "达标说明照片.jpg")
    write_pdf(tmp_path / IND / "2019" / "2019年达标说明.pdf", text="d")
    found = find_stamped(folder(tmp_path), None)
    assert names(found) == ["01-水环境质量指标达标说明.pdf", "水环境质量达标情况说明（盖章）.pdf"]
    assert bool(found) and not found.declared and found.missing == ()


def test_declared_names_alone_decide(tmp_path: Path) -> None:
    section = tmp_path / IND / "达标说明"
    write_pdf(section / "水环境质量指标达标说明.pdf")
    write_jpeg(section / "扫描" / "盖章页.jpg")
    write_pdf(section / "扫描件 001.PDF", text="b")
    declared = replace(explanation(12), stamped=("扫描件001", "扫描/盖章页.jpg", "无.pdf"))
    found = find_stamped(folder(tmp_path), declared)
    assert found.declared and found.missing == ("无.pdf",)
    assert sorted(names(found)) == ["扫描件 001.PDF", "盖章页.jpg"]  # in binding order
    nothing = find_stamped(folder(tmp_path), replace(declared, stamped=("无.pdf",)))
    assert not nothing and nothing.missing == ("无.pdf",)
