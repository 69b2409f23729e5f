from __future__ import annotations

import time
from pathlib import Path

import pytest

from dossier.i18n import Message
from dossier.yamlfile import Invalid, Problem, read_yaml, schema_message


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x,x]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.monotonic()
    doc, problems = read_yaml(path)
    assert doc is None and problems[0].message.key == "yaml.alias-bomb"
    assert time.monotonic() - start < 10  # generous: it takes milliseconds


def test_ordinary_anchors_and_duplicate_keys(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {单位: '%'}\nx: *b\ny: *b\nx: 1\n", encoding="utf-8")
    doc, problems = read_yaml(path)
    assert doc is not None and doc.data["y"] == {"单位": "%"}
    assert [(p.line, p.message) for p in problems] == [
        (4, Message("yaml.duplicate-key", {"key": "x"}))]


def test_syntax_errors_keep_pyyamls_text_only_as_detail(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [1, 2\n", encoding="utf-8")
    doc, (problem,) = read_yaml(path)
    assert doc is None and problem.message.key == "yaml.syntax" and problem.line == 3
    assert set(problem.message.params) == {"detail"}


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    assert read_yaml(tmp_path / "nope.yaml")[1] == [Problem(0, "", Message("yaml.not-found"))]
    (tmp_path / "dir.yaml").mkdir()
    assert read_yaml(tmp_path / "dir.yaml")[1][0].message.key == "yaml.not-a-file"


def test_locations_and_our_validators() -> None:
    assert Problem(3, "a.b", Message("schema.text")).variant == ""
    assert Problem(3, "", Message("schema.text")).variant == "line"
    assert Problem(0, "", Message("yaml.empty")).variant == "file"
    located = Problem(3, "a.b", Message("schema.text")).located("f.yaml")
    assert located == Message("yaml-problem", {"file": "f.yaml", "line": 3, "field": "a.b",
                                               "problem": Message("schema.text")})
    mine = Invalid("schema.value-needs-unit")
    assert schema_message({"type": "value_error", "msg": "Value error, x",
                           "ctx": {"error": mine}}) == Message("schema.value-needs-unit")
    foreign = schema_message({"type": "value_error", "msg": "Value error, x",
                              "ctx": {"error": ValueError("x")}})
    assert foreign == Message("schema.invalid", {"detail": "Value error, x"})
    assert schema_message({"type": "too_short", "msg": "m", "ctx": {"min_length": 1}}) == \
        Message("schema.too-few", {"count": 1, "detail": "m"})


def test_typing_habits_are_named(tmp_path: Path) -> None:
    """A Chinese colon after a key, a tab or a full-width space in the indentation: the
    problem says what to type instead, on the line where it is."""
    cases = {
        "年度:\n  2019:\n    指标值:\n      城镇污水处理率：{数值: 95.6, 单位: '%'}\n":
            (4, "yaml.fullwidth-colon/line"),
        "年度:\n  2019:\n    指标值：\n      x: 1\n": (3, "yaml.fullwidth-colon/line"),
        "年度:\n\t2019:\n": (2, "yaml.tab"),
        "年度:\n  2019: [\n": (3, "yaml.syntax"),
    }
    for text, (line, key) in cases.items():
        path = tmp_path / "x.yaml"
        path.write_text(text, encoding="utf-8")
        doc, problems = read_yaml(path)
        assert doc is None and [(p.line, p.message.key) for p in problems] == [(line, key)], text


def test_a_key_that_swallowed_a_chinese_colon(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("达标理由：已完成: 是\n年度:\n\u30002019: 1\n", encoding="utf-8")
    doc, problems = read_yaml(path)
    assert doc is not None
    assert [(p.line, p.message.key, p.message.params["key"]) for p in problems] == [
        (1, "yaml.fullwidth-colon", "达标理由"), (3, "yaml.fullwidth-space", "2019")]


def test_an_impossible_date_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    for text in ("日期: 2021-13-45\n", "日期: 2021-02-30\n", "a: {日期: 2019-00-10}\n"):
        path = tmp_path / "目录.yaml"
        path.write_text(text, encoding="utf-8")
        doc, problems = read_yaml(path)
        assert doc is None and [p.message.key for p in problems] == ["yaml.bad-value"]


def test_a_bad_date_in_a_titles_file_does_not_stop_check(tmp_path: Path) -> None:
    from dossier.catalogue import load_catalogue
    from dossier.checks import check

    folder = tmp_path / "m" / "12-水环境质量" / "2019"
    folder.mkdir(parents=True)
    (folder / "目录.yaml").write_text("a.pdf: {日期: 2021-13-45}\n", encoding="utf-8")
    result = check(tmp_path / "m", load_catalogue(), indicators=[12])
    assert "titles-invalid" in {f.code for f in result.report.findings}


def test_only_a_regular_file_of_bounded_size_is_read(tmp_path: Path) -> None:
    """A FIFO or a device is never opened (it would hang or never end); a huge file is not
    read whole."""
    import os

    fifo = tmp_path / "达标说明.yaml"
    os.mkfifo(fifo)
    for path, key in ((fifo, "yaml.not-regular"), (Path("/dev/zero"), "yaml.not-regular"),
                      (tmp_path, "yaml.not-a-file")):
        doc, problems = read_yaml(path)
        assert doc is None and [p.message.key for p in problems] == [key]
    huge = tmp_path / "共享数据.yaml"
    with huge.open("wb") as fh:
        fh.truncate(1 << 30)  # sparse: a gigabyte of nothing
    doc, problems = read_yaml(huge)
    assert doc is None and [p.message.key for p in problems] == ["yaml.too-large"]


@pytest.mark.parametrize(("text", "key"), [
    ("年度: " + "[" * 990 + "]" * 990, "yaml.too-deep"),
    ("a:\n" + "".join("  " * n + f"k{n}:\n" for n in range(1, 600)) + "  " * 600 + "v: 1\n",
     "yaml.too-deep"),
    ("达标理由: " + "很" * 60_000, "yaml.too-long"),
])
def test_nesting_and_value_length_are_bounded_before_anything_is_built(
        tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "达标说明.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = read_yaml(path)
    assert doc is None and [p.message.key for p in problems] == [key]


def test_a_catalogue_that_is_a_device_or_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    import os

    from clirun import invoke

    fifo = tmp_path / "指标.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        result = invoke(["list", "--catalogue", str(path)], env={"COLUMNS": "200"})
        assert result.exit_code == 2 and "不是普通文件" in result.stderr
