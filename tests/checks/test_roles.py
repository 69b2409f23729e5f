"""check --unit: the whole indicator where the unit collects, only its own files where it
contributes, with whom to send them to and by when."""

from __future__ import annotations

from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.findings import Severity

from makefiles import write_pdf, write_truncated_pdf


def _contributions(root: Path) -> None:
    """A 住建局 clerk's folder: its part of indicator 12 (led by 市生态环境局) and of 28
    (which it collects), each with one broken file."""
    ind12 = root / "12-水环境质量"
    write_pdf(ind12 / "2019" / "(1)2019年住建局黑臭水体整治情况.pdf")
    write_truncated_pdf(ind12 / "2019" / "(1)坏.pdf")
    write_pdf(ind12 / "2018" / "(1)2020年误放的文件.pdf")  # a year in the wrong folder
    ind28 = root / "28-城镇污水处理率"
    write_pdf(ind28 / "2019" / "(1)2019年污水处理统计.pdf")


def test_a_contributing_unit_answers_for_its_own_files(tmp_path: Path,
                                                       catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    _contributions(root)
    result = check(root, catalogue, indicators=[12, 28], unit="住建局")
    by = {(f.indicator, f.key) for f in result.report.findings}
    # 12: only its own files are judged, and it is told whom to send them to
    assert (12, "corrupt-pdf") in by and (12, "year-mismatch") in by
    assert not {k for i, k in by if i == 12} & {"requirement-missing", "requirement-missing-year",
                                                "missing-section", "missing-year-folder",
                                                "explanation-data-missing"}
    [send] = [f for f in result.report.findings if f.code == "contribution-send-to"]
    assert send.indicator == 12 and send.severity is Severity.INFO
    assert send.params["lead"] == "市生态环境局" and send.params["deadline"] == "2021-03-05"
    assert send.params["unit"] == "市住房和城乡建设局"
    # 28: it collects, so the whole indicator is checked
    assert (28, "missing-section") in by or (28, "missing-year-folder") in by
    assert result.roles[12].value == "responsible" and result.roles[28].value == "collects"


def test_a_contributing_unit_can_reach_a_clean_check(tmp_path: Path,
                                                     catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    write_pdf(root / "12-水环境质量" / "2019" / "(1)2019年住建局黑臭水体整治情况.pdf")
    result = check(root, catalogue, indicators=[12], unit="市住房和城乡建设局")
    assert not result.report.has_errors, [f.key for f in result.report.findings]
    whole = check(root, catalogue, indicators=[12])  # the same tree, checked as a whole
    assert whole.report.has_errors


def test_a_missing_folder_of_a_contribution_is_a_warning(tmp_path: Path,
                                                         catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    write_pdf(root / "28-城镇污水处理率" / "2019" / "(1)a.pdf")
    result = check(root, catalogue, indicators=[12, 28], unit="住建局")
    [missing12] = [f for f in result.report.findings
                   if f.code == "missing-indicator-folder" and f.indicator == 12]
    assert missing12.severity is Severity.WARNING and missing12.key.endswith("/contribution")


def test_three_units_contribute_to_one_indicator(tmp_path: Path, catalogue: Catalogue) -> None:
    """Indicator 12 in the collecting unit's tree holds the parts of three units; each
    contributing unit is told to send to 市生态环境局, the collector gets the full check."""
    root = tmp_path / "m"
    write_pdf(root / "12-水环境质量" / "2019" / "(1)a.pdf")
    for unit in ("住建局", "市水利局", "巴州区"):
        result = check(root, catalogue, indicators=[12], unit=unit)
        [send] = [f for f in result.report.findings if f.code == "contribution-send-to"]
        assert send.params["lead"] == "市生态环境局"
    collector = check(root, catalogue, indicators=[12], unit="市生态环境局")
    assert not any(f.code == "contribution-send-to" for f in collector.report.findings)
    assert any(f.code == "requirement-missing-year" for f in collector.report.findings)


def test_a_lead_that_is_not_listed_first_sends_to_the_first(tmp_path: Path,
                                                            catalogue: Catalogue) -> None:
    """正文 二: where an indicator has several 牵头单位, the first one listed collects."""
    ind = catalogue.get(33)
    assert ind.lead_units[0] == "市住房和城乡建设局"
    root = tmp_path / "m"
    write_pdf(root / "33-生活废弃物综合利用" / "2019" / "(1)a.pdf")
    result = check(root, catalogue, indicators=[33], unit="城管局")
    assert result.roles[33].value == "second-lead"
    [send] = [f for f in result.report.findings if f.code == "contribution-send-to"]
    assert send.key == "contribution-send-to/second-lead"
    assert send.params["lead"] == "市住房和城乡建设局"
    assert not any(f.code == "requirement-missing-year" for f in result.report.findings)
