from __future__ import annotations

import pytest

from dossier.naming import (
    folder_name,
    indicator_number,
    is_odd_name,
    natural_key,
    parse_name,
    safe_display,
    years_in,
)


@pytest.mark.parametrize("stem, order, tags, title", [
    ("01(2)巴中市河长名单", 1, (2,), "巴中市河长名单"),
    ("（3）名单", None, (3,), "名单"),
    ("01-(2)名单", 1, (2,), "名单"),
    ("2-（1）（3）通知", 2, (1, 3), "通知"),
    ("05、关于印发规划的通知", 5, (), "关于印发规划的通知"),
    ("2018年工作总结", None, (), "2018年工作总结"),
    ("现场照片", None, (), "现场照片"),
    ("12", None, (), "12"),
])
def test_parse_name(stem: str, order: int | None, tags: tuple[int, ...], title: str) -> None:
    info = parse_name(stem)
    assert (info.order, info.tags, info.title) == (order, tags, title)


@pytest.mark.parametrize("name, number", [
    ("12", 12), ("12-水环境质量", 12), ("12 水环境质量", 12), ("12_x", 12),
    ("012水环境", 12), ("３-全角", 3), ("2018", None), ("水环境", None), ("", None),
])
def test_indicator_number(name: str, number: int | None) -> None:
    assert indicator_number(name) == number


@pytest.mark.parametrize("name, years", [
    ("2019年水环境质量考核结果", ["2019"]),
    ("巴环发〔2019〕12号", ["2019"]),
    ("IMG_20210502_1234", ["2021"]),
    ("关于印发规划(2018—2022年)的通知", ["2018—2022"]),
    ("2018-2020年工作总结", ["2018—2020"]),
    ("编号123456201912", []),
    ("第3页", []),
])
def test_years_in(name: str, years: list[str]) -> None:
    assert [str(y) for y in years_in(name)] == years


def test_natural_key() -> None:
    names = ["10-b", "2-a", "1-c", "B", "a"]
    assert sorted(names, key=natural_key) == ["1-c", "2-a", "10-b", "a", "B"]


def test_odd_names() -> None:
    bad = "bad\udcff.pdf"
    assert is_odd_name(bad) and safe_display(bad) == "bad\\xff.pdf"
    assert is_odd_name("tab\there") and not is_odd_name("正常 名字.pdf")


def test_folder_name_is_portable() -> None:
    assert folder_name(21, "单位地区生产总值能耗(吨标准煤/万元)") == \
        "21-单位地区生产总值能耗(吨标准煤／万元)"
