"""The 联络人员名单 (附件2): the blank form written and read back, filled forms of every
kind a clerk may send (the form itself, a hand-made one, numbers as floats, YAML), and
the files that cannot be read (a renamed Word document, zero bytes, GBK, bad YAML, a
password, a zip bomb). Assertions are on codes, variants and params."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dossier.catalogue import Catalogue
from dossier.contacts import (
    HEADERS,
    PhoneKind,
    check_phone,
    contacts_deadline,
    form_title,
    form_units,
    read_contacts,
    template_bytes,
    write_template,
)
from dossier.contacts import xlsx as xlsx_module
from dossier.findings import Severity
from dossier.i18n import translator
from dossier.scan import scan

from clirun import invoke

EPOCH = 1614556800  # 2021-03-01
FORM = "联络人员名单.xlsx"


def codes(found: Any) -> list[str]:
    return [f.key for f in found.findings]


def fill_template(path: Path, catalogue: Catalogue, rows: dict[str, Sequence[Any]]) -> Path:
    """The blank form, filled in with openpyxl as a clerk would in Excel: unit -> (姓名,
    职务, 联系电话, 备注)."""
    write_template(path, catalogue, EPOCH)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for number in range(4, sheet.max_row + 1):
        unit = sheet.cell(number, 1).value
        for col, value in enumerate(rows.get(unit, ()), 2):
            sheet.cell(number, col, value)
    book.save(path)
    return path


def hand_made(path: Path, rows: Sequence[Sequence[Any]], *,
              headers: Sequence[str] = ("单 位", "姓 名", "职 务", "联系 电 话", "备 注"),
              sheets_before: int = 0) -> Path:
    """A workbook a clerk made by hand after the notice: a title row, the headers as the
    notice sets them (with spaces), a note row at the bottom."""
    book = openpyxl.Workbook()
    first = book.active
    for n in range(sheets_before):
        book.create_sheet(f"Sheet{n + 2}")
    sheet = book.worksheets[sheets_before] if sheets_before else first
    sheet.append(["巴中市国家生态文明建设示范市创建工作联络人员名单"])
    sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    sheet.append(["注：请于2月25日前报送。"])
    sheet.append(["填报人：王五"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# -- the blank form -----------------------------------------------------------------------

def test_template_is_byte_identical_for_the_same_inputs(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b" / "b.xlsx"
    write_template(a, catalogue, EPOCH)
    write_template(b, catalogue, EPOCH)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    assert template_bytes(catalogue, EPOCH + 86400) != a.read_bytes()  # the creation date
    assert list(tmp_path.rglob("*part")) == []


def test_template_read_back(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / FORM
    write_template(path, catalogue, EPOCH)
    book = openpyxl.load_workbook(path)
    assert book.properties.created.year == 2021 and book.properties.created.month == 3
    sheet = book.active
    assert sheet["A1"].value == form_title(catalogue.settings) == \
        "巴中市国家生态文明建设示范市创建工作联络人员名单"
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value  # when and to whom to send it
    assert [c.value for c in sheet[3]] == list(HEADERS.values()) == \
        ["单位", "姓名", "职务", "联系电话", "备注"]
    units = [u.name for u in form_units(catalogue)]
    assert [sheet.cell(n, 1).value for n in range(4, sheet.max_row + 1)] == units
    assert "市住房和城乡建设局" in units and "巴州区" in units
    assert "各区县党委和人民政府" not in units  # a group entry sends nothing itself
    # print setup: A4 portrait, one page wide, header repeated, frozen below it
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "portrait")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    # borders, wrapped text, 联系电话 as text (leading zeros kept)
    phone = sheet.cell(4, 4)
    assert phone.number_format == "@"
    assert phone.border.left.style == "thin" and phone.alignment.wrap_text
    assert sheet.column_dimensions["A"].width >= 24


def test_template_note_names_the_deadline(catalogue: Catalogue) -> None:
    deadline = contacts_deadline(catalogue.settings)
    assert deadline is not None
    assert deadline.date.isoformat() == "2021-02-25"
    assert "领导小组办公室" in deadline.to


def test_template_of_a_catalogue_without_deadlines_or_office(tmp_path: Path,
                                                            catalogue: Catalogue) -> None:
    bare = dataclasses.replace(catalogue, settings=catalogue.settings.model_copy(
        update={"deadlines": (), "office": "", "issuer": ""}))
    assert contacts_deadline(bare.settings) is None
    path = tmp_path / FORM
    write_template(path, bare, EPOCH)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value and sheet.max_row == 3 + len(form_units(catalogue))


def test_the_blank_form_read_back_lists_no_contact(tmp_path: Path,
                                                   catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    write_template(root / FORM, catalogue, EPOCH)
    found = read_contacts(root, catalogue)
    assert found.files == (FORM,)
    assert found.contacts == ()
    assert codes(found) == ["contacts-empty"]
    assert found.findings[0].severity is Severity.WARNING


# -- filled forms -------------------------------------------------------------------------

def test_filled_template_is_read_with_canonical_units(tmp_path: Path,
                                                      catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    fill_template(root / FORM, catalogue, {
        "市住房和城乡建设局": ("张三", "科长", 13812345678.0, ""),
        "市水利局": ("李四", "副局长", "0827-5261234", "分管"),
        "巴州区": ("王五", "主任", "０８２７—５２６１２３４转８０１", None),
    })
    found = read_contacts(root, catalogue)
    assert found.findings == ()
    c = found.of("市住房和城乡建设局")
    assert c is not None
    assert (c.name, c.title, c.phone, c.file, c.row) == ("张三", "科长", "13812345678", FORM,
                                                         4 + [u.name for u in form_units(
                                                             catalogue)].index(c.unit))
    assert found.of("巴州区") is not None and found.of("巴州区").phone == "0827-5261234转801"  # type: ignore[union-attr]
    assert found.of("市林业局") is None
    missing = found.missing([u.name for u in form_units(catalogue)])
    assert "市林业局" in missing and "市水利局" not in missing


def test_hand_made_form_with_spaced_headers_floats_and_aliases(tmp_path: Path,
                                                              catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    hand_made(root / "附件2联络人员名单（市住建局）.xlsx", [
        ("住建局", "张三", "科长", 13812345678.0, None),
        ("市文广旅局", "赵六", "科员", 13900001111, "联络员"),
        (None, None, None, None, None),
    ], sheets_before=1)
    found = read_contacts(root, catalogue)
    assert found.findings == ()
    assert [(c.unit, c.phone, c.row) for c in found.contacts] == [
        ("市住房和城乡建设局", "13812345678", 4), ("市文化广播电视台和旅游局", "13900001111", 5)]


def test_other_header_words_and_two_phone_columns(tmp_path: Path,
                                                  catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    hand_made(root / "联络人员.xlsx", [("1", "市水利局", "李四", "科长", "0827-5261234",
                                      "13812345678")],
              headers=("序号", "单位名称", "联系人", "职务", "办公电话", "手机"))
    found = read_contacts(root, catalogue)
    assert found.findings == ()
    assert found.contacts[0].phone == "0827-5261234、13812345678"


def test_row_problems(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    hand_made(root / FORM, [
        ("市住建委", "张三", "科长", "13812345678", None),  # mistyped
        ("阳光物业有限公司", "甲", "科长", "13812345678", None),  # no such unit
        ("各区县", "乙", "科长", "13812345678", None),  # a group
        ("市水利局", "李四", "科长", None, None),  # no phone
        (None, "孤儿", "科长", "13812345678", None),  # no unit
        ("市林业局", "王五", "科长", "12345", None),  # not a phone
        ("市统计局", "赵六", None, "5261234", None),  # no area code, no 职务
        ("市审计局", "钱七", "科长", 8275261234, None),  # a landline stored as a number
        ("林业局", "孙八", "科长", "13900001111", None),  # 市林业局 again
    ])
    found = read_contacts(root, catalogue)
    got = {(f.key, f.params["row"]): f for f in found.findings}
    assert sorted(got) == sorted([
        ("contact-unknown-unit/suggest", 4), ("contact-unknown-unit", 5),
        ("contact-unknown-unit/group", 6), ("contact-incomplete", 7),
        ("contact-incomplete/unit", 8), ("contact-phone-invalid", 9),
        ("contact-incomplete/title", 10), ("contact-phone-invalid/local", 10),
        ("contact-phone-invalid/lost-zero", 11), ("contact-duplicate", 12)])
    assert "市住房和城乡建设局" in got["contact-unknown-unit/suggest", 4].params["names"]
    assert "巴州区" in got["contact-unknown-unit/group", 6].params["members"]
    assert got["contact-incomplete", 7].params["fields"] == ("联系电话",)
    assert got["contact-incomplete", 7].severity is Severity.ERROR
    assert got["contact-incomplete/title", 10].severity is Severity.WARNING
    assert got["contact-phone-invalid/local", 10].severity is Severity.WARNING
    assert got["contact-phone-invalid", 9].params["phone"] == "12345"
    lost = got["contact-phone-invalid/lost-zero", 11]
    assert (lost.params["phone"], lost.severity) == ("08275261234", Severity.WARNING)
    dup = got["contact-duplicate", 12]
    assert (dup.params["first_file"], dup.params["first_row"]) == (FORM, 9)
    for f in found.findings:
        assert f.indicator is None and f.path == FORM and f.params["file"] == FORM
        json.dumps(f.to_dict(translator("en")))  # JSON-serialisable params
    assert {c.unit for c in found.contacts} == {"市水利局", "市林业局", "市统计局", "市审计局"}
    audit = found.of("市审计局")
    assert audit is not None and audit.phone == "08275261234"


def test_a_unit_in_two_files(tmp_path: Path, catalogue: Catalogue) -> None:
    """The office's list and the form a unit sent itself (in the folder 联络人员名单)."""
    root = tmp_path / "materials"
    fill_template(root / FORM, catalogue, {"市水利局": ("李四", "科长", "0827-5261234")})
    hand_made(root / "联络人员名单" / "市水利局.xlsx",
              [("市水利局", "李四", "科长", "0827 5261234", None)])
    hand_made(root / "联络人员名单" / "市林业局.xlsx",
              [("市林业局", "王五", "科长", "13812345678", None),
               ("市水利局", "周九", "科员", "13900001111", None)])
    found = read_contacts(root, catalogue)
    assert found.files == (FORM, "联络人员名单/市林业局.xlsx", "联络人员名单/市水利局.xlsx")
    keys = {(f.path, f.key): f for f in found.findings}
    assert set(keys) == {("联络人员名单/市林业局.xlsx", "contact-duplicate"),
                         ("联络人员名单/市水利局.xlsx", "contact-duplicate/same")}
    assert keys["联络人员名单/市水利局.xlsx", "contact-duplicate/same"].severity is Severity.INFO
    assert found.of("市水利局").file == FORM  # type: ignore[union-attr]


@pytest.mark.parametrize("text,kind", [
    ("13812345678", PhoneKind.OK), ("138-1234-5678", PhoneKind.OK),
    ("138 1234 5678", PhoneKind.OK), ("+86 138 1234 5678", PhoneKind.OK),
    ("１３８１２３４５６７８", PhoneKind.OK), ("0827-5261234", PhoneKind.OK),
    ("0827—5187178", PhoneKind.OK), ("(0827)5261234", PhoneKind.OK),
    ("（0827）52612345", PhoneKind.OK), ("08275261234", PhoneKind.OK),
    ("028-86123456", PhoneKind.OK), ("0827-5261234转123", PhoneKind.OK),
    ("0827-5261234-123", PhoneKind.OK), ("0827-5261234、13812345678", PhoneKind.OK),
    ("13812345678，13900001111", PhoneKind.OK), ("0827-5261234/13812345678", PhoneKind.OK),
    ("13812345678；0827-5261234", PhoneKind.OK),
    ("5261234", PhoneKind.LOCAL), ("52612345", PhoneKind.LOCAL),
    ("0827-5261234、5261235", PhoneKind.LOCAL),
    ("12345", PhoneKind.INVALID), ("1381234567", PhoneKind.INVALID),
    ("12812345678", PhoneKind.INVALID), ("暂无", PhoneKind.INVALID),
    ("13812345678、abc", PhoneKind.INVALID), ("0827-526", PhoneKind.INVALID),
])
def test_phone_formats(text: str, kind: PhoneKind) -> None:
    assert check_phone(text).kind is kind


def test_phone_stored_as_a_number() -> None:
    assert check_phone("8275261234", numeric=True).kind is PhoneKind.LOST_ZERO
    assert check_phone("8275261234", numeric=True).text == "08275261234"
    assert check_phone("13812345678", numeric=True).kind is PhoneKind.OK
    assert check_phone("8275261234").kind is PhoneKind.INVALID  # text: no guessing


# -- YAML ---------------------------------------------------------------------------------

def test_yaml_list_and_mapping(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    root.mkdir()
    (root / "联络人员名单.yaml").write_text(
        "- 单位: 市水利局\n  姓名: 李四\n  职务: 科长\n  联系电话: 05712345670\n"
        "- {单位: 巴州区, 姓名: 王五, 职务: 主任, 联系电话: 13812345678, 备注: 联络员}\n",
        encoding="utf-8")
    (root / "联络人员名单").mkdir()
    (root / "联络人员名单" / "林业局.yml").write_text(
        "市林业局:\n  姓名: 赵六\n  职 务: 科员\n  联系电话: '0827-5261234'\n市统计局:\n",
        encoding="utf-8-sig")
    (root / "联络人员名单" / "审计局.yaml").write_text(
        "单位: 审计局\n姓名: 钱七\n职务: 科长\n手机: 13900001111\n", encoding="utf-8")
    found = read_contacts(root, catalogue)
    assert found.findings == ()
    got = {c.unit: (c.phone, c.row, c.file) for c in found.contacts}
    assert got == {
        "市水利局": ("05712345670", 1, "联络人员名单.yaml"),  # text, not an octal number
        "巴州区": ("13812345678", 5, "联络人员名单.yaml"),
        "市林业局": ("0827-5261234", 1, "联络人员名单/林业局.yml"),
        "市审计局": ("13900001111", 1, "联络人员名单/审计局.yaml"),
    }


def test_yaml_problems_are_findings_with_lines(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    folder = root / "联络人员名单"
    folder.mkdir(parents=True)
    (folder / "gbk.yaml").write_bytes("- 单位: 市水利局\n  姓名: 李四\n".encode("gbk"))
    (folder / "broken.yaml").write_text("- 单位: 市水利局\n  姓名: [李四\n", encoding="utf-8")
    (folder / "colon.yaml").write_text("- 单位：市水利局\n", encoding="utf-8")
    (folder / "shape.yaml").write_text("just text\n", encoding="utf-8")
    (folder / "keys.yaml").write_text("- 单位: 市水利局\n  姓名: 李四\n  邮箱: a@b.cn\n"
                                      "  联系电话: [1, 2]\n  职务: 科长\n", encoding="utf-8")
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    found = read_contacts(root, catalogue)
    by_file: dict[str, list[tuple[str, str, int]]] = {}
    for f in found.findings:
        problem = f.params.get("problem")
        by_file.setdefault(f.path or "", []).append(
            (f.key, problem.key if problem else "", f.params["row"]))
    assert by_file["联络人员名单/gbk.yaml"] == [("contacts-invalid/file", "yaml.not-utf8/gbk", 0)]
    assert by_file["联络人员名单/broken.yaml"][0][:2] == ("contacts-invalid/line",
                                                        "yaml.syntax")
    assert by_file["联络人员名单/colon.yaml"][0][:2] == ("contacts-invalid/line",
                                                       "yaml.fullwidth-colon/line")
    assert by_file["联络人员名单/shape.yaml"] == [("contacts-invalid/line",
                                                  "contacts.yaml-shape", 1)]
    assert sorted(by_file["联络人员名单/keys.yaml"]) == [
        ("contacts-invalid", "contacts.yaml-key", 3),
        ("contacts-invalid", "contacts.yaml-text", 4)]
    assert by_file["联络人员名单/empty.yaml"] == [("contacts-invalid/file", "yaml.empty", 0)]
    assert found.of("市水利局") is not None  # keys.yaml's contact is still read


# -- files that cannot be read ------------------------------------------------------------

def test_unreadable_files_are_findings_and_the_run_goes_on(tmp_path: Path,
                                                           catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    folder = root / "联络人员名单"
    folder.mkdir(parents=True)
    good = fill_template(folder / "good.xlsx", catalogue,
                         {"市水利局": ("李四", "科长", "0827-5261234")})
    (folder / "word.xlsx").write_bytes(docx_bytes())
    (folder / "zero.xlsx").write_bytes(b"")
    (folder / "html.xlsx").write_bytes(b"<html><body><table></table></body></html>")
    (folder / "half.xlsx").write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512
    (folder / "locked.xlsx").write_bytes(ole + "EncryptedPackage".encode("utf-16-le"))
    (folder / "old.xlsx").write_bytes(ole)
    (folder / "old.xls").write_bytes(ole)
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "名单.docx").write_bytes(docx_bytes())
    (folder / "~$good.xlsx").write_bytes(b"lock")  # Excel's lock file: not a form
    nothing = openpyxl.Workbook()
    nothing.active.append(["随便", "写", "点"])
    nothing.save(folder / "noheader.xlsx")
    found = read_contacts(root, catalogue)
    got = {f.path.removeprefix("联络人员名单/"): f for f in found.findings if f.path}
    assert {k: f.key for k, f in got.items()} == {
        "word.xlsx": "contacts-unreadable/word",
        "zero.xlsx": "contacts-unreadable/empty",
        "html.xlsx": "contacts-unreadable/not-xlsx",
        "half.xlsx": "contacts-unreadable/corrupt",
        "locked.xlsx": "contacts-unreadable/encrypted",
        "old.xlsx": "contacts-unreadable/old-format",
        "old.xls": "contacts-unreadable/old-format",
        "扫描件.pdf": "contacts-unreadable/scan",
        "名单.docx": "contacts-unreadable/other-type",
        "noheader.xlsx": "contacts-no-header",
    }
    assert got["扫描件.pdf"].severity is Severity.INFO
    assert got["名单.docx"].severity is Severity.WARNING
    assert got["noheader.xlsx"].params["sheets"] == ("Sheet",)
    assert "~$good.xlsx" not in " ".join(found.files)
    assert found.of("市水利局") is not None


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path, catalogue: Catalogue,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "materials"
    root.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 << 20))
    (root / FORM).write_bytes(buffer.getvalue())
    monkeypatch.setattr(xlsx_module, "MAX_UNPACKED", 1 << 20)
    found = read_contacts(root, catalogue)
    assert codes(found) == ["contacts-unreadable/too-large"]
    assert found.findings[0].params["size_bytes"] > 3 << 20


def test_an_unreadable_file_gives_its_cause(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    path = fill_template(root / FORM, catalogue, {})
    path.chmod(0)
    try:
        if path.open("rb"):  # running as root: permissions do not stop reading
            pytest.skip("permissions are not enforced for this user")
    except PermissionError:
        pass
    try:
        found = read_contacts(root, catalogue)
    finally:
        path.chmod(0o644)
    assert codes(found) == ["contacts-unreadable"]
    assert found.findings[0].params["errno"] == "EACCES"


def test_no_form_and_no_folder(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    root.mkdir()
    (root / "名单.xlsx").write_bytes(b"")  # no 联络人员 in the name: not a form
    found = read_contacts(root, catalogue)
    assert (found.files, found.contacts, found.findings) == ((), (), ())


# -- the scan, and the command line ---------------------------------------------------------

def test_scan_does_not_take_the_form_for_material(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "materials"
    write_template(root / FORM, catalogue, EPOCH)
    (root / "附件2联络人员名单（市住建局）.xlsx").write_bytes(b"")
    (root / "联络人员.yaml").write_text("[]\n", encoding="utf-8")
    (root / "联络人员名单").mkdir()
    (root / "联络人员名单" / "市水利局.xlsx").write_bytes(b"")
    (root / "其他.xlsx").write_bytes(b"")
    (root / "~$联络人员名单.xlsx").write_bytes(b"")
    tree = scan(root, frozenset(catalogue.ids), frozenset(catalogue.settings.all_years))
    assert sorted((o.what, o.rel) for o in tree.oddities) == [
        ("ignored-file", "~$联络人员名单.xlsx"), ("misplaced-file", "其他.xlsx")]


def test_cli_template_then_read(tmp_path: Path) -> None:
    root = tmp_path / "materials"
    root.mkdir()
    form = root / FORM
    env = {"COLUMNS": "160", "SOURCE_DATE_EPOCH": str(EPOCH)}
    made = invoke(["contacts", "--template", str(form)], env=env)
    assert made.exit_code == 0, made.output
    first = form.read_bytes()
    again = invoke(["contacts", "--template", str(form)], env=env)
    assert again.exit_code == 2  # never overwrites without --force
    forced = invoke(["contacts", "--template", str(form), "--force"], env=env)
    assert forced.exit_code == 0 and form.read_bytes() == first
    assert invoke(["contacts", "--template", str(tmp_path / "x.docx")]).exit_code == 2

    blank = invoke(["contacts", str(root), "--format", "json"])
    assert blank.exit_code == 0, blank.output
    data = json.loads(blank.stdout)
    assert data["files"] == [FORM] and data["contacts"] == []
    assert "市水利局" in data["missing"] and data["deadline"]["date"] == "2021-02-25"
    assert [f["code"] for f in data["findings"]] == ["contacts-empty"]

    book = openpyxl.load_workbook(form)
    sheet = book.active
    sheet["B4"], sheet["C4"], sheet["D4"] = "张三", "科长", "12345"
    book.save(form)
    bad = invoke(["contacts", str(root), "--lang", "en"], env={"COLUMNS": "160"})
    assert bad.exit_code == 1, bad.output
    assert "contact-phone-invalid" in bad.stdout
    assert "市中级人民法院" in bad.stdout
    zh = invoke(["contacts", str(root)], encoding="gbk")
    assert zh.exit_code == 1
    assert "contact-phone-invalid" in zh.stdout


def test_cli_without_forms_and_without_folder(tmp_path: Path) -> None:
    root = tmp_path / "materials"
    root.mkdir()
    none = invoke(["contacts", str(root), "--lang", "en"])
    assert none.exit_code == 0
    assert "dossier contacts --template" in none.stdout  # the hint
    assert invoke(["contacts", str(tmp_path / "nowhere")]).exit_code == 2
