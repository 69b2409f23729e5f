"""The month on the covers and under the 达标说明 (落款): `build --date`, the catalogue's
cover_date, SOURCE_DATE_EPOCH for the PDF metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier.catalogue import load_catalogue
from dossier.errors import CatalogueError
from dossier.options import BuildOptions, build_date, parse_month, with_cover_date
from dossier.resources import default_catalogue_path

from clirun import invoke
from explainmaker import write
from makefiles import make_volume_tree

EPOCH = "1614556800"  # 2021-03-01


@pytest.mark.parametrize(("text", "month"), [
    ("2021-03", (2021, 3)), ("2021-3", (2021, 3)), ("2021年3月", (2021, 3)),
    ("2021年03月", (2021, 3)), ("２０２１年３月", (2021, 3)), (" 2020/12 ", (2020, 12)),
    ("2021.3", (2021, 3)),
    ("2021-13", None), ("2021-0", None), ("2021", None), ("21-3", None), ("", None),
    ("2021-03-05", None), ("三月", None), ("2021年3月5日", None),
])
def test_parse_month(text: str, month: tuple[int, int] | None) -> None:
    assert parse_month(text) == month


def test_the_given_month_is_printed_and_the_epoch_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert build_date(month=(2020, 12)) == (int(EPOCH), "2020年12月")
    assert build_date() == (int(EPOCH), "2021年3月")
    options = BuildOptions(date="2021年3月", epoch=int(EPOCH))
    assert with_cover_date(options, "2020-11").date == "2020年11月"
    assert with_cover_date(options, None) == options


def catalogue_with(tmp_path: Path, line: str) -> Path:
    text = default_catalogue_path().read_text(encoding="utf-8")
    path = tmp_path / "indicators.yaml"
    path.write_text(text.replace("settings:\n", f"settings:\n  {line}\n", 1), encoding="utf-8")
    return path


def test_catalogue_cover_date(tmp_path: Path) -> None:
    assert load_catalogue().settings.cover_date is None
    good = load_catalogue(catalogue_with(tmp_path, "cover_date: 2021年2月"))
    assert good.settings.cover_date == "2021-02"
    with pytest.raises(CatalogueError) as bad:
        load_catalogue(catalogue_with(tmp_path, "cover_date: 下个月"))
    [problem] = bad.value.problems
    assert problem.params["field"] == "settings.cover_date"
    assert problem.params["problem"].key == "schema.month"


def explanation_tree(tmp_path: Path) -> Path:
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    (ind / "达标说明" / "水环境质量达标说明.pdf").unlink()  # only the generated one
    write(ind / "达标说明" / "达标说明.yaml", "年度:\n  2018: {上级考核: {完成: 是}}\n")
    return root


def dates(pdf: Path) -> tuple[str, str]:
    """The cover's text and the text after the 目录 (the generated 达标说明 comes first)."""
    reader = PdfReader(pdf)
    cover = reader.pages[0].extract_text().replace(" ", "")
    rest = "".join(p.extract_text() for p in reader.pages[2:]).replace(" ", "")
    return cover, rest


def test_build_date_option(tmp_path: Path, test_font: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = explanation_tree(tmp_path)
    args = ["build", str(root), "-i", "12", "--volumes", "single", "--font", str(test_font),
            "--allow-broken"]
    out = tmp_path / "out"
    built = invoke([*args, "-o", str(out), "--date", "2020-12"])
    assert built.exit_code == 0, built.output
    pdf = out / "12-水环境质量.pdf"
    cover, explanation = dates(pdf)
    assert "2020年12月" in cover and "2020年12月" in explanation  # the cover and the 落款
    meta = PdfReader(pdf).metadata
    assert meta is not None and str(meta["/CreationDate"]).startswith("D:20210301")
    # the catalogue's default, and --date over it
    cat = catalogue_with(tmp_path, "cover_date: 2021-2")
    by_catalogue = invoke([*args, "-o", str(tmp_path / "c"), "--catalogue", str(cat)])
    assert by_catalogue.exit_code == 0, by_catalogue.output
    assert all("2021年2月" in t for t in dates(tmp_path / "c" / "12-水环境质量.pdf"))
    given = invoke([*args, "-o", str(tmp_path / "c"), "--catalogue", str(cat),
                    "--date", "2021年4月"])
    assert given.exit_code == 0, given.output
    assert all("2021年4月" in t for t in dates(tmp_path / "c" / "12-水环境质量.pdf"))
    # without either: the month of SOURCE_DATE_EPOCH, as before
    plain = invoke([*args, "-o", str(tmp_path / "p")])
    assert plain.exit_code == 0, plain.output
    assert all("2021年3月" in t for t in dates(tmp_path / "p" / "12-水环境质量.pdf"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("bad", ["2021-13", "明年", "2021-03-05", "03/2021", "1900-01", "2017-12"])
def test_a_bad_date_is_a_usage_error(tmp_path: Path, lang: str, bad: str) -> None:
    root = explanation_tree(tmp_path)
    result = invoke(["build", str(root), "-i", "12", "-o", str(tmp_path / "out"),
                     "--date", bad, "--lang", lang])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--date" in result.stderr and bad in result.stderr and "2021-03" in result.stderr
    assert not (tmp_path / "out").exists()
