from __future__ import annotations

import pytest

from dossier.sections import classify_section, section_order


@pytest.mark.parametrize("name, section", [
    ("达标说明", "达标说明"), ("01-达标说明", "达标说明"), ("直接证明材料", "直接证明材料"),
    ("2018", "2018"), ("2019年", "2019"), ("2020年度佐证材料", "2020"),
    ("2021年进度材料", "2021"), ("长期有效材料", "长期有效"), ("杂项", None),
])
def test_classify(name: str, section: str | None) -> None:
    assert classify_section(name).section == section


def test_out_of_window_year_is_still_a_year() -> None:
    assert classify_section("2017").year == 2017


def test_order() -> None:
    assert section_order((2018, 2019, 2020), 2021) == (
        "达标说明", "直接证明材料", "2018", "2019", "2020", "2021", "长期有效")
