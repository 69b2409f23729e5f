"""check and the 联络人员名单 (附件2): a filled form at the materials root has its problems
reported with the rest; a root without one gives none, and the form is never material."""

from __future__ import annotations

from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.contacts import read_contacts

FORM = "- {单位: 市水利局, 姓名: 李四, 职务: 科长, 联系电话: '12345'}\n" \
       "- {单位: 市住建委, 姓名: 张三, 职务: 科长, 联系电话: '13812345678'}\n"


def test_the_problems_of_a_form(tree: Path, catalogue: Catalogue) -> None:
    (tree / "联络人员名单.yaml").write_text(FORM, encoding="utf-8")
    result = check(tree, catalogue, indicators=[12])
    found = [f for f in result.report.findings if f.code.startswith("contact")]
    assert sorted(f.key for f in found) == ["contact-phone-invalid",
                                            "contact-unknown-unit/suggest"]
    assert result.contacts is not None
    assert set(found) == set(read_contacts(tree, catalogue).findings)
    assert all(f.indicator is None and f.path == "联络人员名单.yaml" for f in found)


def test_no_form_no_finding(tree: Path, catalogue: Catalogue) -> None:
    result = check(tree, catalogue, indicators=[12])
    assert not [f for f in result.report.findings if f.code.startswith("contact")]
    assert result.contacts is not None and result.contacts.files == ()


def test_check_does_not_take_the_form_for_material(tree: Path, catalogue: Catalogue) -> None:
    (tree / "联络人员名单.yaml").write_text(FORM, encoding="utf-8")
    (tree / "联络人员名单").mkdir()
    (tree / "联络人员名单" / "市水利局.xlsx").write_bytes(b"")
    result = check(tree, catalogue, indicators=[12])
    assert not [f for f in result.report.findings
                if f.code in ("misplaced-file", "unknown-folder")]
