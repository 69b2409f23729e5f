"""dossier status: the office's view of a tree merged from several units, as of a day —
contributions told apart by the import record, deadlines counted, volumes read from
manifests, figures compared city-wide; the terminal, JSON and library views agree."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.i18n import translator
from dossier.reports.data import status_data
from dossier.status import status
from dossier.status.model import ContactState, Progress, VolumeState
from dossier.units import Role
from statusmaker import AS_OF, office_tree

from clirun import invoke
from makefiles import write_pdf


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    return office_tree(tmp_path_factory.mktemp("office"), catalogue)


def test_contributions_are_told_apart_by_the_import_record(office: Path,
                                                           catalogue: Catalogue) -> None:
    st = status(office, catalogue, as_of=AS_OF)
    ind = st.indicator(12)
    assert ind is not None and ind.collecting == "市生态环境局"
    parts = {c.unit: c for c in ind.contributions}
    assert parts["市住房和城乡建设局"].files == 2
    assert parts["市住房和城乡建设局"].progress is Progress.DONE
    assert parts["巴州区"].progress is Progress.DONE  # a member of 各区县党委和人民政府
    assert "各区县党委和人民政府" not in parts  # the group opened into its members
    # 12 is complete: who sent nothing is not chased for it
    assert ind.progress is Progress.DONE
    assert parts["恩阳区"].progress is Progress.UNKNOWN
    assert {c.role for c in ind.contributions} == {Role.RESPONSIBLE}
    sewage = st.indicator(28)  # incomplete (errors): the late contributors are overdue
    assert sewage is not None and sewage.progress is Progress.OPEN
    late = {c.unit: c for c in sewage.contributions}
    assert late["市水利局"].progress is Progress.DONE and late["市水利局"].files == 1
    assert late["恩阳区"].progress is Progress.OVERDUE
    assert late["恩阳区"].due is not None and late["恩阳区"].due.days == -1
    assert late["恩阳区"].due.to == "市住房和城乡建设局"
    assert st.provenance


def test_a_group_without_members_is_never_chased(office: Path, catalogue: Catalogue) -> None:
    st = status(office, catalogue, as_of=AS_OF)
    group = "市生态环境保护委员会成员单位"
    parts = [c for i in st.indicators for c in i.contributions if c.unit == group]
    assert parts and all(c.progress is Progress.UNKNOWN for c in parts)
    entry = st.of_unit(group)
    assert entry is not None and not entry.overdue and not entry.missing


def test_indicators_answer_to_the_handover_deadline(office: Path, catalogue: Catalogue) -> None:
    st = status(office, catalogue, as_of=AS_OF)
    assert len(st.indicators) == len(catalogue.indicators)
    for ind in st.indicators:
        assert ind.due is not None and ind.due.kind == "handover"
        assert ind.due.date == dt.date(2021, 3, 12) and ind.due.days == 6
        assert ind.progress in (Progress.OPEN, Progress.DONE)
    missing = st.indicator(2)
    assert missing is not None and not missing.has_folder and missing.files == 0
    assert missing.complete == 0.0 and missing.required > 0
    later = status(office, catalogue, as_of=dt.date(2021, 3, 13))
    assert {i.progress for i in later.indicators} <= {Progress.OVERDUE, Progress.DONE}
    assert later.indicator(2).progress is Progress.OVERDUE  # type: ignore[union-attr]


def test_points_per_year(office: Path, catalogue: Catalogue) -> None:
    st = status(office, catalogue, as_of=AS_OF)
    ind = st.indicator(12)
    assert ind is not None
    first = ind.points[0]
    assert first.tag == "(1)" and first.per_year and first.required == (2018, 2019, 2020)
    assert ind.required == sum(len(p.required) for p in ind.points)
    assert 0 < ind.complete <= 1
    data = status_data(st, translator("zh"))
    row = next(r for r in data["indicators"] if r["indicator"] == 12)
    assert row["covered"] == ind.covered and row["percent"] == int(ind.complete * 100)


def test_an_annual_point_is_counted_per_year(tmp_path: Path, catalogue: Catalogue) -> None:
    """28 (1) asks for 年度考核结果: one file is one year of three, in status and check."""
    root = tmp_path / "materials"
    write_pdf(root / "28-城镇污水处理率" / "2018" / "01(1)2018年城镇污水处理考核结果.pdf")
    st = status(root, catalogue, as_of=AS_OF)
    ind = st.indicator(28)
    assert ind is not None
    first = ind.points[0]
    assert first.tag == "(1)" and first.per_year and first.required == (2018, 2019, 2020)
    assert first.covered == (2018,) and first.missing == (2019, 2020) and first.done == 1
    assert ind.progress is Progress.OPEN
    found = [f for f in check(root, catalogue, indicators=[28]).report.findings
             if f.code == "requirement-missing-year"]
    assert [(f.key, f.params["tag"], f.params["years"]) for f in found] == [
        ("requirement-missing-year/annual", "(1)", (2019, 2020))]


def test_units_owe_their_part_and_their_contact(office: Path, catalogue: Catalogue) -> None:
    st = status(office, catalogue, as_of=AS_OF)
    water = st.of_unit("市水利局")
    assert water is not None
    assert water.contact is None and water.contact_state is ContactState.OVERDUE
    assert water.contact_due is not None and water.contact_due.overdue == 9  # since 02-25
    parts = {m.indicator for m in water.missing if m.what == "part"}
    assert parts and 28 not in parts  # it sent its part of 28
    assert 12 not in parts  # 12 is complete without it
    assert water.overdue == 9
    env = st.of_unit("市生态环境局")
    assert env is not None and env.contact is not None and env.contact.name == "张明"
    assert env.contact_state is ContactState.RECEIVED
    assert {d.role for d in env.duties} >= {Role.COLLECTS}
    points = [m for m in env.missing if m.what == "point"]
    assert points and all(m.due and m.due.kind == "handover" for m in points)
    group = st.of_unit("各区县党委和人民政府")
    assert group is None or group.contact_state is ContactState.NOT_NEEDED


def test_figures_used_by_several_indicators(office: Path, catalogue: Catalogue) -> None:
    st = status(office, catalogue, as_of=AS_OF)
    assert st.figures
    assert any(f.disagree for f in st.figures)  # the example's deliberate mismatches
    for fig in st.figures:
        assert len(fig.indicators) > 1 or fig.shared


def test_volumes_from_manifests_wherever_the_tree_lives(tmp_path: Path, catalogue: Catalogue,
                                                       test_font: Path) -> None:
    root = office_tree(tmp_path / "o", catalogue)
    out = tmp_path / "dist"
    built = invoke(["build", str(root), "-i", "12", "-i", "28", "-o", str(out), "--volumes",
                    "single", "--font",
                    str(test_font), "--allow-broken"])
    assert built.exit_code == 0, built.output
    moved = tmp_path / "elsewhere" / "materials"
    shutil.move(str(root), moved)  # the office's copy lives somewhere else
    st = status(moved, catalogue, as_of=AS_OF, outs=[out])
    [v12] = st.indicator(12).volumes  # type: ignore[union-attr]
    assert v12.state is VolumeState.CURRENT and v12.pages > 0
    assert st.indicator(13).volumes == ()  # type: ignore[union-attr]
    new = write_pdf(moved / "12-水环境质量" / "2019" / "(2)补充材料.pdf")
    [v12] = status(moved, catalogue, as_of=AS_OF, outs=[out]).indicator(12).volumes  # type: ignore[union-attr]
    assert v12.state is VolumeState.STALE
    assert new.relative_to(moved).as_posix() in v12.changed
    pdf = out / v12.file
    pdf.write_bytes(pdf.read_bytes() + b"\n%tampered\n")
    [v12] = status(moved, catalogue, as_of=AS_OF, outs=[out]).indicator(12).volumes  # type: ignore[union-attr]
    assert v12.state is VolumeState.ALTERED
    pdf.unlink()
    [v12] = status(moved, catalogue, as_of=AS_OF, outs=[out]).indicator(12).volumes  # type: ignore[union-attr]
    assert v12.state is VolumeState.MISSING


def test_a_unit_sees_its_own_part(office: Path, catalogue: Catalogue) -> None:
    st = status(office, catalogue, as_of=AS_OF, unit="住建局")
    assert st.unit == "市住房和城乡建设局"
    assert [u.unit for u in st.units] == ["市住房和城乡建设局"]
    ids = {i.id for i in st.indicators}
    assert {12, 28} <= ids and all(catalogue.get(i).involves("市住房和城乡建设局") for i in ids)
    row12, row28 = st.indicator(12), st.indicator(28)
    assert row12 is not None and row28 is not None
    assert row12.due is not None and row12.due.kind == "contribution"
    assert row12.progress is Progress.DONE  # the import record has its files
    assert row28.due is not None and row28.due.kind == "handover"  # it collects 28


def test_cli_table_and_json_agree(office: Path, catalogue: Catalogue) -> None:
    shown = invoke(["status", str(office), "--as-of", "2021-03-06"])
    assert shown.exit_code == 0, shown.output
    assert "市水利局" in shown.output and "逾期" in shown.output
    listed = invoke(["status", str(office), "--as-of", "2021年3月6日", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    assert data["as_of"] == "2021-03-06" and data["schema"] == 1
    late = {u["unit"] for u in data["units"] if u["overdue"]}
    assert late == {u.unit for u in status(office, catalogue, as_of=AS_OF).units if u.overdue}
    assert "市水利局" in late
    for unit in late:
        assert unit in shown.output
    english = invoke(["status", str(office), "--as-of", "2021/3/6", "--lang", "en"])
    assert english.exit_code == 0 and "overdue" in english.output


@pytest.mark.parametrize("text", ["2021-13-01", "yesterday", "2021-02-30"])
def test_a_bad_date_is_a_usage_error(office: Path, text: str) -> None:
    done = invoke(["status", str(office), "--as-of", text])
    assert done.exit_code == 2 and text in done.output


def test_check_takes_the_offices_shared_data(tmp_path: Path, office: Path,
                                             catalogue: Catalogue) -> None:
    """A unit's own tree has no 共享数据.yaml; checked against the office's, it finds the
    mismatch the office would find."""
    unit_tree = tmp_path / "unit"
    shutil.copytree(office / "12-水环境质量", unit_tree / "12-水环境质量")
    folder = "29-城镇生活垃圾无害化处理率"
    shutil.copytree(office / folder, unit_tree / folder)
    alone = invoke(["check", str(unit_tree), "-i", "29", "--format", "json"])
    with_shared = invoke(["check", str(unit_tree), "-i", "29", "--format", "json", "--shared",
                          str(office / "共享数据.yaml")])
    codes_alone = {f["code"] for f in json.loads(alone.output)["findings"]}
    found = json.loads(with_shared.output)["findings"]
    assert "shared-figure-mismatch" not in codes_alone
    assert "shared-figure-mismatch" in {f["code"] for f in found}
    absent = invoke(["check", str(unit_tree), "--shared", str(tmp_path / "nope.yaml")])
    assert absent.exit_code == 2 and "nope.yaml" in absent.output


def test_several_output_folders_are_one_set(tmp_path: Path, catalogue: Catalogue,
                                           test_font: Path) -> None:
    """Volumes built on two runners (two artifact folders) are read together."""
    root = office_tree(tmp_path / "o", catalogue)
    for number, out in ((12, "runner-1"), (28, "runner-2")):
        built = invoke(["build", str(root), "-i", str(number), "--volumes", "single", "-o",
                        str(tmp_path / out),
                        "--font", str(test_font), "--allow-broken"])
        assert built.exit_code == 0, built.output
    st = status(root, catalogue, as_of=AS_OF, outs=[tmp_path / "runner-1", tmp_path / "runner-2"])
    assert [v.out for v in st.indicator(12).volumes] == [str(tmp_path / "runner-1")]  # type: ignore[union-attr]
    assert [v.out for v in st.indicator(28).volumes] == [str(tmp_path / "runner-2")]  # type: ignore[union-attr]
    assert all(v.state is VolumeState.CURRENT for i in (12, 28)
               for v in st.indicator(i).volumes)  # type: ignore[union-attr]


def test_reports_that_cannot_be_written_are_an_error_not_a_traceback(office: Path,
                                                                     tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    done = invoke(["status", str(office), "--as-of", "2021-03-06", "--xlsx",
                   str(blocker / "催办清单.xlsx")])
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "催办清单.xlsx" in done.output
    inside = invoke(["status", str(office), "--html", str(office / "总览.html")])
    assert inside.exit_code == 2 and not (office / "总览.html").exists()
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
def test_done_when_the_four_views_agree_on_who_is_late(office: Path, tmp_path: Path) -> None:
    """The issue's "done when": the terminal, JSON, XLSX and HTML of one tree merged from
    several units show the same overdue units, with the same days, as of 2021-03-06."""
    import html as html_lib

    import openpyxl

    xlsx, page = tmp_path / "催办清单.xlsx", tmp_path / "总览.html"
    listed = invoke(["status", str(office), "--as-of", "2021-03-06", "-f", "json",
                     "--xlsx", str(xlsx), "--html", str(page)])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    shown = invoke(["status", str(office), "--as-of", "2021-03-06"], env={"COLUMNS": "200"})
    book = openpyxl.load_workbook(xlsx, read_only=True)
    cells = "\n".join(str(c) for ws in book.worksheets
                      for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    text = html_lib.unescape(page.read_text(encoding="utf-8"))
    owed = shown.output.split("各单位尚欠事项", 1)[1]  # the terminal's section of units
    late = [u for u in data["units"] if u["overdue"]]
    assert {u["unit"] for u in late} >= {"市水利局", "恩阳区"}
    for unit in late:
        assert unit["unit"] in owed and unit["unit"] in cells and unit["unit"] in text
        heading = f"\n  {unit['unit']}  逾期最长 {unit['overdue']} 天"
        assert heading in owed, unit["unit"]
    water = next(u for u in late if u["unit"] == "市水利局")
    part = next(m for m in water["missing"] if m["what"] == "part")
    assert part["due"]["date"] == "2021-03-05" and part["due"]["overdue"] == 1
    on_time = [u["unit"] for u in data["units"] if not u["overdue"]]
    for unit in on_time:
        assert f"\n  {unit}  逾期最长" not in owed


def test_a_group_entry_is_its_members(office: Path, catalogue: Catalogue) -> None:
    """--unit 各区县党委和人民政府: each district's own duties, and the table and the units
    agree on who is late."""
    st = status(office, catalogue, as_of=AS_OF, unit="各区县党委和人民政府")
    assert {u.unit for u in st.units} == {"巴州区", "恩阳区", "通江县", "南江县", "平昌县"}
    late_rows = {i.id for i in st.indicators if i.progress is Progress.OVERDUE}
    late_parts = {m.indicator for u in st.units for m in u.missing if m.what == "part"}
    assert late_rows and late_rows == late_parts
    row12 = st.indicator(12)
    assert row12 is not None and row12.progress is not Progress.OVERDUE  # complete


def test_a_contact_with_errors_is_received_but_to_be_corrected(tmp_path: Path,
                                                               catalogue: Catalogue) -> None:
    root = office_tree(tmp_path, catalogue)
    (root / "联络人员名单.yaml").write_text(
        "- {单位: 市水利局, 姓名: 赵强, 职务: 干部, 联系电话: '1381234567'}\n"
        "- {单位: 市林业局, 姓名: 陈静, 职务: 科员, 联系电话: 0827-5337788}\n", encoding="utf-8")
    st = status(root, catalogue, as_of=AS_OF)
    water, forest = st.of_unit("市水利局"), st.of_unit("市林业局")
    assert water is not None and water.contact_state is ContactState.INVALID
    assert forest is not None and forest.contact_state is ContactState.RECEIVED
    assert any(f.code == "contact-phone-invalid" for f in st.findings)
    shown = invoke(["status", str(root), "--as-of", "2021-03-06"])
    assert "联络人员名单（附件2）有错误" in shown.output


def test_a_damaged_manifest_is_not_a_crash(tmp_path: Path, catalogue: Catalogue,
                                           test_font: Path) -> None:
    root = office_tree(tmp_path / "o", catalogue)
    out = tmp_path / "dist"
    assert invoke(["build", str(root), "-i", "12", "--volumes", "single", "-o", str(out),
                   "--font", str(test_font),
                   "--allow-broken"]).exit_code == 0
    [manifest] = out.glob("*.manifest.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["sources"][0]["path"] = "bad\u0000name.pdf"
    data["sources"][1]["path"] = "../../etc/passwd"
    data["output"]["file"] = "x\u0000.pdf"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (out / "other.manifest.json").write_text("{not json", encoding="utf-8")
    done = invoke(["status", str(root), "--as-of", "2021-03-06", "--out", str(out)])
    assert done.exit_code == 0, done.output
    [v12] = status(root, catalogue, as_of=AS_OF, outs=[out]).indicator(12).volumes  # type: ignore[union-attr]
    assert v12.state is VolumeState.MISSING


@pytest.mark.parametrize("args", [
    ["--as-of", ""], ["--out", "/nonexistent/dist"], ["--xlsx", "{t}/a.x", "--html", "{t}/a.x"],
    ["--xlsx", "{m}/催办清单.xlsx"], ["--shared", "{t}/none.yaml"], ["--unit", "不存在的局"]])
def test_usage_errors_are_said_in_chinese(office: Path, tmp_path: Path,
                                          args: list[str]) -> None:
    args = [a.format(t=tmp_path, m=office) for a in args]
    done = invoke(["status", str(office), *args])
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output and "错误" in done.output
    assert not (office / "催办清单.xlsx").exists() and not (tmp_path / "a.x").exists()
