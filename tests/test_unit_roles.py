"""Units and roles: every unit once with its aliases, districts and groups; the unit's
part in each indicator (正文 二、三: the first 牵头单位 collects)."""

from __future__ import annotations

import pytest

from dossier.catalogue import Catalogue
from dossier.errors import UsageError
from dossier.units import Role, Unit, Units, role


def _roles(catalogue: Catalogue, name: str) -> dict[int, Role]:
    unit = catalogue.unit(name)
    return {i.id: r for i in catalogue.select((), name) if (r := catalogue.role(i, unit))}


def test_the_housing_bureau_collects_five_and_contributes_to_the_rest(
        catalogue: Catalogue) -> None:
    roles = _roles(catalogue, "市住房和城乡建设局")
    assert sorted(i for i, r in roles.items() if r is Role.COLLECTS) == [28, 29, 30, 31, 33]
    assert len(roles) == 18 and Role.RESPONSIBLE in roles.values()
    assert _roles(catalogue, "住建局") == roles == _roles(catalogue, "市住建局")


def test_a_second_lead_does_not_collect(catalogue: Catalogue) -> None:
    # indicator 33: 市住房和城乡建设局、市城市管理行政执法局
    ind = catalogue.get(33)
    assert ind.lead_units[:2] == ("市住房和城乡建设局", "市城市管理行政执法局")
    assert catalogue.role(ind, catalogue.unit("城管局")) is Role.SECOND_LEAD


def test_three_spellings_of_the_culture_bureau_are_one_unit(catalogue: Catalogue) -> None:
    names = {n for i in catalogue.indicators for n in (*i.lead_units, *i.responsible_units)}
    assert "市文化广播电视台和旅游局" in names
    assert not names & {"市广播电视台和旅游局", "市文化广播电视台"}
    for alias in ("市广播电视台和旅游局", "市文化广播电视台", "文广旅局", "市文化广播电视和旅游局"):
        assert catalogue.unit(alias).name == "市文化广播电视台和旅游局"


def test_districts_count_as_their_group(catalogue: Catalogue) -> None:
    group = {i.id for i in catalogue.select((), "各区县党委和人民政府")}
    for district in ("巴州区", "恩阳区", "通江县", "南江县", "平昌县"):
        assert {i.id for i in catalogue.select((), district)} == group
        assert catalogue.unit(district).kind == "district"
    assert catalogue.unit("经开区").name == "巴中经开区"
    assert catalogue.select((), "市生态环境保护委员会成员单位")  # a group without members


def test_naming_a_unit_wrongly(catalogue: Catalogue) -> None:
    with pytest.raises(UsageError) as typo:
        catalogue.unit("市主建局")
    assert typo.value.key == "unknown-unit/suggest"
    assert "市住房和城乡建设局" in typo.value.message.params["names"]
    with pytest.raises(UsageError) as several:
        catalogue.unit("成员单位")
    assert several.value.key == "unknown-unit/ambiguous"
    with pytest.raises(UsageError) as none:
        catalogue.unit("qwerty")
    assert none.value.key == "unknown-unit"
    with pytest.raises(UsageError) as idle:
        catalogue.select((), "市司法局")  # a department of the notice without an indicator
    assert idle.value.key == "unit-without-indicators"


def test_role_of_a_unit_in_a_group() -> None:
    units = Units((Unit("甲局"), Unit("乙区", "district"), Unit("各区", "group", (), ("乙区",))))
    assert role(units.units[0], ("甲局",), ("各区",), units) is Role.COLLECTS
    assert role(units.units[1], ("甲局",), ("各区",), units) is Role.RESPONSIBLE
    assert role(units.units[1], ("甲局",), (), units) is None
    assert units.lookup("　甲局 ") == units.units[0]  # full-width and spaces folded
