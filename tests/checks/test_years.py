from __future__ import annotations

from dossier.catalogue import Catalogue
from dossier.checks.years import year_findings

from makefiles import mf


def codes(catalogue: Catalogue, section: str, stem: str) -> list[str]:
    return [f.code for f in year_findings([mf(section, stem)], catalogue.settings)]


def test_year_rules(catalogue: Catalogue) -> None:
    assert codes(catalogue, "2019", "2019年总结") == []
    assert codes(catalogue, "2019", "2018年总结") == ["year-mismatch"]
    assert codes(catalogue, "2019", "规划(2018—2022年)") == []
    assert codes(catalogue, "直接证明材料", "2017年文件") == ["year-out-of-range"]
    assert codes(catalogue, "直接证明材料", "2022年文件") == ["year-out-of-range"]
    assert codes(catalogue, "直接证明材料", "2017年与2019年对比") == []
    assert codes(catalogue, "长期有效", "2015年管理办法") == []
    assert codes(catalogue, "达标说明", "2016年") == []
    assert codes(catalogue, "2021", "IMG_20210301") == []


def test_year_params(catalogue: Catalogue) -> None:
    s = catalogue.settings
    [mismatch] = year_findings([mf("2019", "2018年与2017年总结")], s)
    assert mismatch.params == {"file": "12/2019/2018年与2017年总结.pdf",
                               "named": ("2018", "2017"), "folder_year": 2019}
    [out] = year_findings([mf("直接证明材料", "巴中市规划(2010—2015年)")], s)
    assert out.code == "year-out-of-range"
    assert (out.params["named"], out.params["first"], out.params["last"]) == \
        (("2010—2015",), 2018, 2021)
