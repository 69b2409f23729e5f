from __future__ import annotations

from pathlib import Path

import pytest

from dossier.catalogue import Catalogue
from dossier.explain.load import load_explanation, load_shared
from dossier.explain.model import Place

from explainmaker import write

IND = "12-水环境质量"
M1 = "水质达到或优于III类比例提高幅度"


def load(root: Path, text: str, catalogue: Catalogue, indicator: int = 12):  # type: ignore[no-untyped-def]
    path = write(root / IND / "达标说明" / "达标说明.yaml", text)
    shared, _ = load_shared(root, catalogue.settings)
    return load_explanation(root, path, catalogue.get(indicator), catalogue.settings, shared)


def codes(loaded) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for f in loaded.findings]


def problems(findings) -> list[tuple[str, int, str, str]]:  # type: ignore[no-untyped-def]
    """(code, line, field, problem key) of findings about located problems."""
    return [(f.code, f.params["line"], f.params["field"], f.params["problem"].key)
            for f in findings]


def test_a_good_file_loads(tmp_path: Path, catalogue: Catalogue) -> None:
    loaded = load(tmp_path, f"""
考核标准: 标准
年度:
  2019:
    指标值:
      {M1}: {{数值: 100, 单位: '%', 来源: 公报}}
    相关数据:
      建成区面积: {{数值: 42.6, 单位: 平方公里}}
    上级考核: {{完成: 是, 文件: 川环函〔2020〕87号}}
    达标理由:
      - 第一条
      - 第二条
主要工作: 工作
重点项目:
  - {{名称: 工程, 年度: 2019, 投资: 100.5, 状态: 已完工}}
""", catalogue)
    assert loaded.findings == () and loaded.usable
    exp = loaded.explanation
    assert exp is not None and exp.rel == f"{IND}/达标说明/达标说明.yaml"
    y = exp.year(2019)
    assert y is not None and y.superior is not None and y.superior.done
    assert y.reasons == "第一条\n\n第二条"  # one paragraph per item
    m = y.metric(M1)
    assert m is not None and m.value == 100 and m.unit == "%"
    assert m.where == Place(f"{IND}/达标说明/达标说明.yaml", 6)
    assert y.figures[0].name == "建成区面积"
    assert exp.projects[0].investment == 100.5 and exp.projects[0].year == "2019"


def test_the_starter_from_init_is_valid_and_blank(tmp_path: Path, catalogue: Catalogue) -> None:
    from dossier.scaffold import starter
    from dossier.templating import make_environment

    for ind in catalogue.indicators:
        text = starter(make_environment(), ind, catalogue)
        path = write(tmp_path / f"{ind.id}" / "达标说明.yaml", text)
        loaded = load_explanation(tmp_path, path, ind, catalogue.settings, None)
        assert loaded.findings == (), (ind.id, loaded.findings)
        assert loaded.explanation is not None and loaded.explanation.blank


def test_syntax_error_names_the_line(tmp_path: Path, catalogue: Catalogue) -> None:
    loaded = load(tmp_path, "年度:\n  2019:\n    指标值: [unclosed\n", catalogue)
    assert not loaded.usable and loaded.explanation is None
    (found,) = loaded.findings
    assert (found.code, found.variant, found.path) == (
        "explanation-invalid", "line", f"{IND}/达标说明/达标说明.yaml")
    assert found.params["file"] == found.path and found.params["line"] == 4
    problem = found.params["problem"]
    assert problem.key == "yaml.syntax" and problem.params["detail"]  # pyyaml's, not shown


def test_every_schema_error_is_reported_with_line_and_key(tmp_path: Path,
                                                          catalogue: Catalogue) -> None:
    loaded = load(tmp_path, f"""
考核标准: 标准
年度:
  2019:
    指标值:
      {M1}: {{数值: 100}}
    上级考核: {{完成: 也许}}
    达标理由: ok
  2020:
    指标值:
      {M1}: {{数值: 很多, 单位: '%'}}
    备忘: x
""", catalogue)
    assert loaded.explanation is None
    assert problems(loaded.findings) == [
        ("explanation-invalid", 6, f"年度.2019.指标值.{M1}", "schema.value-needs-unit"),
        ("explanation-invalid", 7, "年度.2019.上级考核.完成", "schema.yes-no-word"),
        ("explanation-invalid", 11, f"年度.2020.指标值.{M1}.数值", "schema.number"),
        ("explanation-invalid", 12, "年度.2020.备忘", "schema.unknown-key"),
    ]
    assert loaded.findings[1].params["problem"].params == {"value": "也许"}
    assert all(f.variant == "" for f in loaded.findings)  # line and field


def test_context_problems_keep_the_rest(tmp_path: Path, catalogue: Catalogue) -> None:
    loaded = load(tmp_path, f"""
年度:
  2016:
    指标值:
      {M1}: {{数值: 100, 单位: '%'}}
  2019:
    指标值:
      水质达标比例: {{数值: 100, 单位: '%'}}
      {M1}: {{数值: 99, 单位: '%'}}
      黑臭水体消除比例: {{引用: 黑臭}}
""", catalogue)
    by_code = {f.code: f for f in loaded.findings}
    assert sorted(by_code) == ["explanation-invalid", "explanation-year-out-of-range",
                               "shared-figure-unknown"]
    stray = by_code["explanation-year-out-of-range"]
    assert (stray.params["line"], stray.params["year"]) == (3, 2016)
    assert (stray.params["first"], stray.params["last"]) == (2018, 2021)
    wrong = by_code["explanation-invalid"].params["problem"]
    assert wrong.key == "explanation.unknown-metric-close"
    assert (wrong.params["name"], wrong.params["close"]) == ("水质达标比例", M1)
    assert M1 in wrong.params["metrics"]
    unknown = by_code["shared-figure-unknown"]
    assert unknown.variant == "no-file" and unknown.params["ref"] == "黑臭"
    exp = loaded.explanation
    assert exp is not None and [y.year for y in exp.years] == [2019]
    assert [m.name for m in exp.years[0].metrics] == [M1]
    assert not loaded.usable  # errors: the build refuses to print it


def test_references_resolve_from_shared_data(tmp_path: Path, catalogue: Catalogue) -> None:
    write(tmp_path / "共享数据.yaml", """
地区生产总值:
  单位: 亿元
  数值: {2018: 654.8, 2019: 754.4}
  来源: {2018: 2018年公报, 2019: 2019年公报}
""")
    loaded = load(tmp_path, """
年度:
  2019:
    相关数据:
      地区生产总值: {引用: 地区生产总值}
  2020:
    相关数据:
      GDP: {引用: 地区生产总值}
""", catalogue)
    exp = loaded.explanation
    assert exp is not None
    gdp = exp.years[0].figures[0]
    assert (gdp.value, gdp.unit, gdp.source, gdp.ref) == (754.4, "亿元", "2019年公报",
                                                          "地区生产总值")
    (found,) = loaded.findings
    assert (found.code, found.variant) == ("shared-figure-unknown", "no-year")
    assert (found.params["ref"], found.params["year"]) == ("地区生产总值", 2020)
    assert (found.params["shared_file"], found.params["shared_line"]) == ("共享数据.yaml", 2)


def test_shared_data_errors(tmp_path: Path, catalogue: Catalogue) -> None:
    write(tmp_path / "共享数据.yaml", """
地区生产总值:
  数值: {2015: 1, 2019: 2}
常住人口:
  单位: 万人
  数值: {2015: 300, 2019: 331.9}
""")
    shared, findings = load_shared(tmp_path, catalogue.settings)
    # 单位 missing: that figure is unusable, the others are kept
    assert shared is not None and shared.broken == ("地区生产总值",)
    assert [f.name for f in shared.figures] == ["常住人口"]
    assert problems(findings[:1]) == [("shared-data-invalid", 2, "地区生产总值.单位",
                                       "schema.missing")]
    assert findings[0].path == findings[0].params["file"] == "共享数据.yaml"
    stray = findings[1]
    assert (stray.code, stray.variant) == ("explanation-year-out-of-range", "shared")
    assert (stray.params["field"], stray.params["year"]) == ("常住人口.数值.2015", 2015)
    loaded = load(tmp_path, "年度:\n  2019:\n    相关数据:\n      GDP: {引用: 地区生产总值}\n",
                  catalogue)
    assert (loaded.findings[0].code, loaded.findings[0].variant) == ("shared-figure-unknown",
                                                                     "broken")
    write(tmp_path / "共享数据.yaml", "常住人口:\n  单位: 万人\n  数值: {2015: 300, 2019: 331.9}\n")
    shared, findings = load_shared(tmp_path, catalogue.settings)
    assert shared is not None and shared.get("常住人口") is not None
    assert [f.code for f in findings] == ["explanation-year-out-of-range"]


def test_not_utf8_and_empty(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / IND / "达标说明" / "达标说明.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes("年度: {}".encode("gb18030"))
    loaded = load_explanation(tmp_path, path, catalogue.get(12), catalogue.settings, None)
    assert problems(loaded.findings) == [("explanation-invalid", 0, "", "yaml.not-utf8/gbk")]
    assert loaded.findings[0].variant == "file"  # no line: the whole file
    loaded = load(tmp_path, "", catalogue)
    assert problems(loaded.findings) == [("explanation-invalid", 0, "", "explanation.empty")]


def test_shared_data_that_is_no_mapping_or_a_folder(tmp_path: Path,
                                                    catalogue: Catalogue) -> None:
    write(tmp_path / "共享数据.yaml", "- 1\n")
    shared, findings = load_shared(tmp_path, catalogue.settings)
    assert shared is not None and shared.broken == ("*",)
    assert problems(findings) == [("shared-data-invalid", 1, "", "shared.top-level")]
    (tmp_path / "共享数据.yaml").unlink()
    (tmp_path / "共享数据.yaml").mkdir()
    shared, findings = load_shared(tmp_path, catalogue.settings)
    assert problems(findings) == [("shared-data-invalid", 0, "", "yaml.not-a-file")]


def test_what_clerks_naturally_write_is_understood(tmp_path: Path, catalogue: Catalogue) -> None:
    loaded = load(tmp_path, """
年度:
  2019年:
    指标值:
      城镇人均公园绿地面积（平方米／人）: {数值: "1,015.2", 单位: 平方米/人}
  ２０２０:
    指标值:
      城镇人均公园绿地面积(平方米/人): {数值: "１５.６"}
""", catalogue, indicator=30)
    assert problems(loaded.findings) == [  # 2020: no unit
        ("explanation-invalid", 8, "年度.2020.指标值.城镇人均公园绿地面积(平方米/人)",
         "schema.value-needs-unit")]
    loaded = load(tmp_path, """
年度:
  2019年:
    指标值:
      城镇人均公园绿地面积（平方米／人）: {数值: "15.2", 单位: 平方米/人}
  ２０２０:
    指标值:
      城镇人均公园绿地面积(平方米/人): {数值: "１５.６", 单位: ㎡/人}
""", catalogue, indicator=30)
    assert loaded.findings == ()
    exp = loaded.explanation
    assert exp is not None and [y.year for y in exp.years] == [2019, 2020]
    assert exp.years[0].metrics[0].name == "城镇人均公园绿地面积(平方米/人)"
    assert exp.years[0].metrics[0].where.line == 5 and exp.years[1].metrics[0].value == 15.6
    pct = load(tmp_path, "年度:\n  2019:\n    指标值:\n      城镇污水处理率: {数值: 95.6%}\n",
               catalogue, indicator=28)
    assert pct.findings == ()
    fig = pct.explanation.years[0].metrics[0]  # type: ignore[union-attr]
    assert (fig.value, fig.unit) == (95.6, "%")


@pytest.mark.parametrize(("text", "key"), [
    ("年度:\n  2019:\n    指标值:\n      城镇污水处理率: 96\n", "schema.figure-mapping"),
    ("年度:\n  2019:\n    指标值:\n      城镇污水处理率: {数值: 很多, 单位: '%'}\n",
     "schema.number"),
    ("年度:\n  二〇一九: {}\n", "schema.whole-number"),
    ("- 1\n- 2\n", "schema.mapping"),
])
def test_type_errors_explain_the_expected_form(tmp_path: Path, catalogue: Catalogue,
                                               text: str, key: str) -> None:
    loaded = load(tmp_path, text, catalogue, indicator=28)
    problem = loaded.findings[0].params["problem"]
    assert problem.key == key and set(problem.params) == {"detail"}  # pydantic's text: detail


def test_unmet_note_and_stamped_version(tmp_path: Path, catalogue: Catalogue) -> None:
    loaded = load(tmp_path, """
盖章版: 水环境质量指标达标说明（盖章）.pdf
年度:
  2019:
    未达标说明:
      - 原因
      - 整改措施
""", catalogue)
    assert loaded.findings == () and loaded.explanation is not None
    exp = loaded.explanation
    assert exp.stamped == ("水环境质量指标达标说明（盖章）.pdf",)
    assert exp.stamped_where == Place(f"{IND}/达标说明/达标说明.yaml", 2)
    year = exp.year(2019)  # a year with only a 未达标说明 is not blank
    assert year is not None and year.unmet_note == "原因\n\n整改措施"
    several = load(tmp_path, "盖章版: [a.pdf, b.pdf]\n", catalogue)
    assert several.explanation is not None and several.explanation.stamped == ("a.pdf", "b.pdf")
    assert several.explanation.blank  # only the stamped version: nothing to generate
    wrong = load(tmp_path, "盖章版: {a: 1}\n", catalogue)
    assert codes(wrong) == ["explanation-invalid"]


def test_a_data_file_linked_from_outside_the_tree_is_refused_not_used(
        tmp_path: Path, catalogue: Catalogue) -> None:
    root, elsewhere = tmp_path / "m", tmp_path / "elsewhere"
    write(elsewhere / "共享数据.yaml", "常住人口:\n  单位: 万人\n  数值: {2019: 331.9}\n")
    write(elsewhere / "达标说明.yaml", "年度:\n  2019:\n    达标理由: 已完成\n")
    root.mkdir()
    (root / "共享数据.yaml").symlink_to(elsewhere / "共享数据.yaml")
    shared, findings = load_shared(root, catalogue.settings)
    assert shared is not None and shared.broken == ("*",) and shared.get("常住人口") is None
    assert problems(findings) == [("shared-data-invalid", 0, "", "yaml.outside-tree")]
    path = root / IND / "达标说明" / "达标说明.yaml"
    path.parent.mkdir(parents=True)
    path.symlink_to(elsewhere / "达标说明.yaml")
    loaded = load_explanation(root, path, catalogue.get(12), catalogue.settings, None)
    assert loaded.explanation is None
    assert problems(loaded.findings) == [("explanation-invalid", 0, "", "yaml.outside-tree")]
    # a link that stays inside the tree is read as the file
    write(root / "数据" / "共享数据.yaml", "常住人口:\n  单位: 万人\n  数值: {2019: 331.9}\n")
    (root / "共享数据.yaml").unlink()
    (root / "共享数据.yaml").symlink_to(root / "数据" / "共享数据.yaml")
    shared, _ = load_shared(root, catalogue.settings)
    assert shared is not None and shared.get("常住人口") is not None
