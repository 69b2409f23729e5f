"""The command line: exit codes, JSON shapes, --help for every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier.cli import app

from makefiles import write_pdf, write_truncated_pdf

runner = CliRunner()
COMMANDS = ["init", "list", "show", "check", "build", "verify", "fonts"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_exists_and_documents_options(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    if command not in ("verify", "fonts"):  # these read no catalogue
        assert "--catalogue" in result.output
    doc = app.registered_commands[COMMANDS.index(command)].callback.__doc__
    assert doc and doc.strip()


def test_python_dash_m_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "dossier", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("dossier ")


def test_list_json_shape() -> None:
    result = runner.invoke(app, ["list", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data) == 37 and [d["id"] for d in data][16] == 18
    for key in ("id", "name", "domain", "task", "metrics", "target", "attribute",
                "lead_units", "responsible_units", "requirements"):
        assert key in data[0]
    assert set(data[0]["requirements"][0]) >= {"id", "text", "per_year", "alternative_to"}


def test_list_unit_filter() -> None:
    data = json.loads(runner.invoke(app, ["list", "--unit", "市水利局", "-f", "json"]).stdout)
    ids = {d["id"] for d in data}
    assert {8, 20, 22} <= ids and 1 not in ids
    table = runner.invoke(app, ["list", "--unit", "市水利局"])
    assert table.exit_code == 0 and "河长制" in table.stdout


def test_show() -> None:
    text = runner.invoke(app, ["show", "12"])
    assert text.exit_code == 0 and "水环境质量" in text.stdout and "(2)" in text.stdout
    data = json.loads(runner.invoke(app, ["show", "28", "-f", "json"]).stdout)
    assert data["requirements"][1]["alternative_to"] == 1
    missing = runner.invoke(app, ["show", "17"])
    assert missing.exit_code == 2 and "17" in missing.output


def test_init_then_check(tmp_path: Path) -> None:
    root = tmp_path / "materials"
    result = runner.invoke(app, ["init", str(root), "-i", "12", "-i", "8"])
    assert result.exit_code == 0, result.output
    req = root / "12-水环境质量" / "要求.md"
    assert req.exists() and "(2)" in req.read_text(encoding="utf-8")
    req.write_text("mine", encoding="utf-8")
    again = runner.invoke(app, ["init", str(root), "-i", "12"])
    assert again.exit_code == 0 and req.read_text(encoding="utf-8") == "mine"

    check = runner.invoke(app, ["check", str(root), "-i", "12", "-f", "json"])
    assert check.exit_code == 1
    data = json.loads(check.stdout)
    assert set(data) == {"summary", "findings", "verdicts"}
    assert set(data["summary"]) == {"errors", "warnings", "infos"}
    assert [v["indicator"] for v in data["verdicts"]] == [12]
    assert data["verdicts"][0]["verdict"] == "no-data"  # the starter is still empty
    f = data["findings"][0]
    assert set(f) == {"severity", "code", "indicator", "path", "message"}
    assert all(x["indicator"] == 12 for x in data["findings"])


def test_check_exit_codes(tmp_path: Path) -> None:
    root = tmp_path / "m"
    ind = root / "12-水环境质量"
    for year in (2018, 2019, 2020):
        write_pdf(ind / str(year) / f"(1)(2){year}年考核结果.pdf", text=str(year))
    for s in ("达标说明", "直接证明材料"):
        write_pdf(ind / s / f"{s}.pdf", text=s)
    ok = runner.invoke(app, ["check", str(root), "-i", "12"])
    assert ok.exit_code == 0, ok.output  # only a warning: no 2021 folder
    assert "Summary: 0 errors, 1 warnings" in ok.stdout
    assert runner.invoke(app, ["check", str(root), "-i", "12", "--strict"]).exit_code == 1
    write_truncated_pdf(ind / "2019" / "坏.pdf")
    bad = runner.invoke(app, ["check", str(root), "-i", "12"])
    assert bad.exit_code == 1 and "坏.pdf" in bad.stdout
    assert runner.invoke(app, ["check", str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(app, ["check", str(root), "-i", "17"]).exit_code == 2
    assert runner.invoke(app, ["check", str(root), "--format", "xml"]).exit_code == 2


def test_bad_catalogue_is_exit_2_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("schema_version: 1\nsettings: {}\nindicators: []\n", encoding="utf-8")
    result = runner.invoke(app, ["list", "--catalogue", str(bad)])
    assert result.exit_code == 2
    assert "c.yaml:2" in result.output and "settings.city" in result.output


def test_build_verify_and_fonts(tmp_path: Path, test_font: Path) -> None:
    from makefiles import make_volume_tree

    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    args = ["build", str(root), "-o", str(out), "--font", str(test_font)]
    assert runner.invoke(app, args).exit_code == 2  # neither --indicator nor --all
    dry = runner.invoke(app, [*args, "--all", "--dry-run"])
    assert dry.exit_code == 0 and "would build" in dry.stdout and not out.exists()
    assert "skipped" in dry.output  # indicators without a folder
    built = runner.invoke(app, [*args, "-i", "12", "--stamp-format", "第{n}页"])
    assert built.exit_code == 0, built.output
    assert (out / "12-水环境质量.pdf").exists() and "1 built" in built.stdout
    again = runner.invoke(app, [*args, "-i", "12", "--stamp-format", "第{n}页"])
    assert "1 up to date" in again.stdout
    bad = runner.invoke(app, [*args, "-i", "12", "--stamp-format", "page"])
    assert bad.exit_code == 2
    inside = runner.invoke(app, ["build", str(root), "-i", "12", "-o", str(root / "dist")])
    assert inside.exit_code == 2
    verified = runner.invoke(app, ["verify", str(out)])
    assert verified.exit_code == 0 and "ok" in verified.stdout
    fonts = runner.invoke(app, ["fonts", "--font", str(test_font)])
    assert fonts.exit_code == 0 and "test-cjk.ttf" in fonts.stdout


def test_build_failure_exit_code(tmp_path: Path, test_font: Path) -> None:
    from makefiles import make_volume_tree

    root = tmp_path / "m"
    ind = make_volume_tree(root)
    write_truncated_pdf(ind / "2018" / "坏.pdf")
    args = ["build", str(root), "-i", "12", "-o", str(tmp_path / "o"), "--font", str(test_font)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "坏.pdf" in result.stdout
    assert runner.invoke(app, [*args, "--allow-broken"]).exit_code == 0


def test_check_on_the_bundled_example_shows_verdicts_and_every_rule() -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "materials"
    text = runner.invoke(app, ["check", str(example)])
    assert text.exit_code == 1  # the example holds deliberate faults
    out = text.output
    assert "达标判定" in out and "未达标" in out and "未评估" not in out.split("达标判定")[0]
    for code in ("target-unmet", "figure-mismatch", "shared-figure-mismatch",
                 "unexplained-change", "corrupt-pdf"):
        assert code in out, code
    data = json.loads(runner.invoke(app, ["check", str(example), "-f", "json", "-i", "28"]).stdout)
    [v] = data["verdicts"]
    assert v["indicator"] == 28 and v["verdict"] == "unmet"
    assert [y["verdict"] for y in v["metrics"][0]["years"]] == ["unmet", "met", "met"]
