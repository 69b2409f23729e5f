from __future__ import annotations

import re
from pathlib import Path

import pytest

from dossier.catalogue import Catalogue, load_catalogue
from dossier.errors import CatalogueError, UsageError
from dossier.i18n import Message
from dossier.resources import default_catalogue_path

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_5be087f8ba09d3ae.txt"

# id: (attribute, first lead unit, number of review points), as read in 附件1.
PINNED = {
    1: ("约束性", "市生态环境局", 2), 2: ("约束性", "市委办公室", 2),
    3: ("约束性", "市委组织部", 2), 4: ("约束性", "市生态环境局", 1),
    5: ("约束性", "市审计局", 1), 6: ("约束性", "市统计局", 1),
    7: ("约束性", "市生态环境局", 1), 8: ("约束性", "市水利局", 2),
    9: ("约束性", "市生态环境局", 3), 10: ("约束性", "市生态环境局", 2),
    11: ("约束性", "市生态环境局", 2), 12: ("约束性", "市生态环境局", 2),
    13: ("约束性", "市生态环境局", 1), 14: ("参考性", "市林业局", 1),
    15: ("参考性", "市林业局", 5), 16: ("约束性", "市生态环境局", 3),
    18: ("约束性", None, 5), 19: ("约束性", None, 4),
    20: ("参考性", "市水利局", 2), 21: ("约束性", "市发展和改革委员会", 2),
    22: ("约束性", "市水利局", 2), 23: ("参考性", "市自然资源和规划局", 2),
    24: ("约束性", "市生态环境局", 2), 25: ("参考性", "市生态环境局", 3),
    26: ("参考性", "市经济和信息化局", 2), 27: ("约束性", "市生态环境局", 2),
    28: ("约束性", "市住房和城乡建设局", 2), 29: ("约束性", "市住房和城乡建设局", 2),
    30: ("参考性", "市住房和城乡建设局", 2), 31: ("参考性", "市住房和城乡建设局", 2),
    32: ("参考性", "市交通运输局", 2), 33: ("参考性", "市住房和城乡建设局", 4),
    34: ("参考性", "市发展和改革委员会", 3), 35: ("约束性", "市财政局", 3),
    36: ("参考性", "市委组织部", 5), 37: ("参考性", "市生态环境局", 1),
    38: ("参考性", "市生态环境局", 1),
}


def test_pinned_indicators(catalogue: Catalogue) -> None:
    assert catalogue.ids == tuple(PINNED)
    assert 17 not in catalogue.ids and len(catalogue.ids) == 37
    for ind in catalogue.indicators:
        attribute, lead, points = PINNED[ind.id]
        assert (ind.attribute, ind.first_lead_unit, len(ind.requirements)) == \
            (attribute, lead, points), ind.id


def test_domains_and_metrics(catalogue: Catalogue) -> None:
    domains = {i.id: i.domain for i in catalogue.indicators}
    assert {domains[i] for i in range(1, 11)} == {"生态制度"}
    assert {domains[i] for i in (11, 12, 13, 14, 15, 16, 18, 19, 20)} == {"生态安全"}
    assert {domains[i] for i in range(21, 27)} == {"生态经济"}
    assert {domains[i] for i in range(27, 36)} == {"生态生活"}
    assert {domains[i] for i in (36, 37, 38)} == {"生态文化"}
    multi = {i.id: len(i.metrics) for i in catalogue.indicators if len(i.metrics) > 1}
    assert multi == {11: 2, 12: 3, 15: 3, 19: 2, 33: 2, 34: 3}
    assert catalogue.get(11).metrics[1].name == "PM2.5浓度下降幅度"
    assert catalogue.get(13).target == "≥60%"
    assert catalogue.get(21).task == "(六)资源节约与利用"


def test_machine_readable_targets(catalogue: Catalogue) -> None:
    goal = catalogue.get(28).metrics[0].goals[0]
    assert (goal.kind, goal.op, goal.value, goal.unit) == ("threshold", ">=", 95, "%")
    goal = catalogue.get(30).metrics[0].goals[0]
    assert (goal.value, goal.unit) == (15, "平方米/人")
    kinds = [g.kind for g in catalogue.get(21).metrics[0].goals]
    assert kinds == ["superior_task", "trend"]
    trend = catalogue.get(34).metrics[2].goals[0]
    assert (trend.trend, trend.better) == ("decreasing", "lower")
    assert catalogue.get(1).metrics[0].goals[0].status == "制定实施"


def test_per_year_and_alternatives_follow_the_text(catalogue: Catalogue) -> None:
    for ind in catalogue.indicators:
        for r in ind.requirements:
            says_years = bool(re.search(r"2018年—2020年|各年度", r.text))
            assert r.per_year == says_years, (ind.id, r.id)
            alt = re.search(r"如无[(（](\d+)[)）]", r.text)
            assert r.alternative_to == (int(alt.group(1)) if alt else None), (ind.id, r.id)
    alternatives = {(i.id, r.id): r.alternative_to for i in catalogue.indicators
                    for r in i.requirements if r.alternative_to}
    assert alternatives == {(26, 2): 1, (27, 2): 1, (28, 2): 1, (29, 2): 1, (30, 2): 1,
                            (32, 2): 1}


# (indicator, review point): the words of the text that make it yearly by nature
ANNUAL = {
    (3, 2): "考核结果", (11, 1): "年度考核结果", (20, 1): "年度考核结果",
    (26, 2): "环境统计数据", (27, 1): "环境质量公报", (28, 1): "年度考核结果",
    (29, 1): "年度考核结果", (30, 1): "统计年鉴或城乡建设统计公报", (35, 2): "采购规模数量",
}


def test_annual_points_quote_their_text(catalogue: Catalogue) -> None:
    annual = {(i.id, r.id): r.annual for i in catalogue.indicators for r in i.requirements
              if r.annual is not None}
    assert annual == ANNUAL
    for ind in catalogue.indicators:
        for r in ind.requirements:
            assert r.yearly == (r.per_year or (ind.id, r.id) in ANNUAL), (ind.id, r.id)
            if r.annual:
                assert r.annual in r.text and not r.per_year, (ind.id, r.id)
    # every point that asks for a 年度考核结果 is checked per year
    assert all(r.yearly for i in catalogue.indicators for r in i.requirements
               if "年度考核结果" in r.text)


@pytest.mark.parametrize(("old", "new", "key"), [
    ("    per_year: false\n    annual: 考核结果\n", "    per_year: false\n    annual: 年度报告\n",
     "schema.annual-not-in-text"),
    ("    per_year: false\n    annual: 考核结果\n", "    per_year: true\n    annual: 考核结果\n",
     "schema.annual-per-year"),
    ("    annual: 考核结果\n", "    annual: ''\n", "schema.empty-text"),
    ("    annual: 考核结果\n", "    annual: [考核结果]\n", "schema.text"),
])
def test_annual_is_validated(tmp_path: Path, old: str, new: str, key: str) -> None:
    bad = _broken(tmp_path, old, new)
    [(found, params)] = _problem_keys(bad)
    assert found == key
    if key.startswith("schema.annual"):
        assert params["tag"] == "(2)"  # 3 (2), the first annual point
    if key == "schema.annual-not-in-text":
        assert params["words"] == "年度报告"


@pytest.mark.skipif(not SEED.exists(), reason="the seed is not beside the project")
def test_texts_are_faithful_to_the_seed(catalogue: Catalogue) -> None:
    seed = SEED.read_text(encoding="utf-8")
    seed = seed.replace("$PM_{2.5}$", "PM2.5").replace("$\\Delta EI < 1$", "ΔEI<1")
    seed = re.sub(r"\$\\geq ([\d.]+)\\%\$", r"≥\1%", seed)
    for ind in catalogue.indicators:
        assert ind.main_tasks in seed, ind.id
        for r in ind.requirements:
            assert r.text in seed, (ind.id, r.id)
        for unit in (*ind.lead_units, *ind.responsible_units):
            assert unit in seed, (ind.id, unit)


def test_settings(catalogue: Catalogue) -> None:
    s = catalogue.settings
    assert s.city == "巴中市" and s.evidence_years == (2018, 2019, 2020)
    assert s.progress_year == 2021
    assert [str(d.date) for d in s.deadlines] == ["2021-02-25", "2021-03-05", "2021-03-12"]
    assert (s.deadlines[1].from_, s.deadlines[1].to) == ("责任单位", "牵头单位")
    assert len(s.departments) == 29 and s.departments[0] == "市中级人民法院"


def test_missing_columns_are_warnings(catalogue: Catalogue) -> None:
    got = {(w.indicator, w.code) for w in catalogue.warnings}
    assert got == {
        (15, "catalogue-missing-responsible-unit"), (16, "catalogue-missing-responsible-unit"),
        (18, "catalogue-missing-lead-unit"), (19, "catalogue-missing-lead-unit"),
        (20, "catalogue-missing-responsible-unit"),
    }
    lines = catalogue.path.read_text(encoding="utf-8").splitlines()
    for w in catalogue.warnings:
        assert w.params["file"] == str(catalogue.path)
        assert lines[w.params["line"] - 1].strip().startswith(w.params["field"])
        assert w.params["field"] in ("lead_units", "responsible_units")
        assert w.variant == ("note" if w.params["note"] else "")
    assert {w.variant for w in catalogue.warnings} == {"note"}  # 附件1 explains each gap


def test_select(catalogue: Catalogue) -> None:
    assert [i.id for i in catalogue.select((12, 3, 12))] == [3, 12]
    assert 8 in [i.id for i in catalogue.select(unit="市水利局")]
    with pytest.raises(UsageError) as info:
        catalogue.select((17,))
    assert info.value.key == "unknown-indicator"
    assert info.value.message.params["indicator"] == 17
    assert info.value.message.params["known"] == tuple(str(i) for i in catalogue.ids)
    with pytest.raises(UsageError) as info:
        catalogue.select(unit="不存在的局")
    assert info.value.message == Message("unknown-unit", {"unit": "不存在的局"})


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = default_catalogue_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def test_errors_name_file_line_and_field_all_at_once(tmp_path: Path) -> None:
    text = default_catalogue_path().read_text(encoding="utf-8")
    text = text.replace("attribute: 约束性", "attribute: 必须", 1)
    text = text.replace("per_year: false", "per_year: maybe", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(bad)
    problems = info.value.problems
    assert len(problems) == 2 and info.value.message.params == {"file": str(bad), "count": 2}
    lines = text.splitlines()
    for problem, needle, field, key in (
            (problems[0], "attribute: 必须", "indicators.0.attribute", "schema.one-of"),
            (problems[1], "per_year: maybe", "per_year", "schema.yes-no")):
        assert problem.key == "yaml-problem"  # located at line and field
        assert problem.params["file"] == str(bad)
        assert needle in lines[problem.params["line"] - 1]
        assert field in problem.params["field"]
        assert problem.params["problem"].key == key
    assert problems[0].params["problem"].params["allowed"] == ("约束性", "参考性")
    assert info.value.exit_code == 2


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    bad = _broken(tmp_path, "  city: 巴中市", "  city: [巴中市")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(bad)
    (problem,) = info.value.problems
    assert problem.key == "yaml-problem/line" and problem.params["line"] > 1
    assert problem.params["problem"].key == "yaml.syntax"


def test_duplicate_keys_and_ids(tmp_path: Path) -> None:
    bad = _broken(tmp_path, "\n- id: 2\n", "\n- id: 1\n")
    assert _problem_keys(bad) == [("schema.indicator-ids-repeat", {"ids": ("1",)})]
    bad = _broken(tmp_path, "  city: 巴中市\n", "  city: 巴中市\n  city: 成都市\n")
    assert _problem_keys(bad) == [("yaml.duplicate-key", {"key": "city"})]


def test_alternative_must_exist(tmp_path: Path) -> None:
    bad = _broken(tmp_path, "alternative_to: 1", "alternative_to: 9")
    [(key, params)] = _problem_keys(bad)
    assert key == "schema.alternative-unknown" and params["other"] == "(9)"


def test_settings_and_schema_limits(tmp_path: Path) -> None:
    bad = _broken(tmp_path, "progress_year: 2021", "progress_year: 2020")
    assert _problem_keys(bad) == [("schema.progress-year-in-evidence", {"year": 2020})]
    bad = _broken(tmp_path, "- id: 1\n", "- id: 0\n")
    [(key, params)] = _problem_keys(bad)
    assert key == "schema.greater-than-equal" and params["limit"] == "1"
    bad = _broken(tmp_path, "kind: threshold", "kind: thresold")
    [(key, params)] = _problem_keys(bad)
    assert key == "schema.kind-unknown" and params["kind"] == "thresold"
    assert "threshold" in params["allowed"]


def _problem_keys(path: Path) -> list[tuple[str, dict[str, object]]]:
    """The problems' own keys and params (pydantic's text, `detail`, left out)."""
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    found = [p.params["problem"] for p in info.value.problems]
    return [(m.key, {k: v for k, v in m.params.items() if k != "detail"}) for m in found]


@pytest.mark.parametrize(("content", "key"), [
    ("", "yaml-problem/file"), ("[1, 2]", "yaml-problem/line"),
    ("\xff\xfe\x00", "yaml-problem/file")])
def test_unusable_files(tmp_path: Path, content: str, key: str) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_bytes(content.encode("latin-1"))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(bad)
    (problem,) = info.value.problems
    assert problem.key == key
    assert problem.params["problem"].key == {
        "": "yaml.empty", "[1, 2]": "yaml.top-level-mapping", "\xff\xfe\x00": "yaml.not-utf8"}[
        content]


def test_missing_file(tmp_path: Path) -> None:
    assert _problem_keys(tmp_path / "nope.yaml") == [("yaml.not-found", {})]
