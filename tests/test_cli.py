"""The command line: exit codes, JSON shapes, --help for every command, the exception
boundary. Assertions are on codes, params and exit statuses; the words are tested by
tests/test_language.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clirun import invoke
from makefiles import make_volume_tree, write_pdf, write_truncated_pdf

COMMANDS = ["init", "list", "show", "check", "build", "pack", "import", "tidy", "verify",
            "fonts", "status", "contacts"]
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "materials"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_exists_and_documents_options(command: str) -> None:
    result = invoke([command, "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--lang", "--debug"):
        assert option in result.stdout
    if command not in ("verify", "fonts"):  # these read no catalogue
        assert "--catalogue" in result.stdout


def test_python_dash_m_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "dossier", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("dossier ")


def test_list_json_shape() -> None:
    result = invoke(["list", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data) == 37 and [d["id"] for d in data][16] == 18
    for key in ("id", "name", "domain", "task", "metrics", "target", "attribute",
                "lead_units", "responsible_units", "requirements"):
        assert key in data[0]
    assert set(data[0]["requirements"][0]) >= {"id", "text", "per_year", "alternative_to"}


def test_list_unit_filter() -> None:
    data = json.loads(invoke(["list", "--unit", "市水利局", "-f", "json"]).stdout)
    ids = {d["id"] for d in data}
    assert {8, 20, 22} <= ids and 1 not in ids
    table = invoke(["list", "--unit", "市水利局"])
    assert table.exit_code == 0 and "河长制" in table.stdout


def test_show() -> None:
    text = invoke(["show", "12"])
    assert text.exit_code == 0 and "水环境质量" in text.stdout and "(2)" in text.stdout
    data = json.loads(invoke(["show", "28", "-f", "json"]).stdout)
    assert data["requirements"][1]["alternative_to"] == 1
    missing = invoke(["show", "17"])
    assert missing.exit_code == 2 and "17" in missing.stderr


def test_init_then_check(tmp_path: Path) -> None:
    root = tmp_path / "materials"
    result = invoke(["init", str(root), "-i", "12", "-i", "8"])
    assert result.exit_code == 0, result.output
    req = root / "12-水环境质量" / "要求.md"
    assert req.exists() and "(2)" in req.read_text(encoding="utf-8")
    req.write_text("mine", encoding="utf-8")
    again = invoke(["init", str(root), "-i", "12"])
    assert again.exit_code == 0 and req.read_text(encoding="utf-8") == "mine"

    check = invoke(["check", str(root), "-i", "12", "-f", "json"])
    assert check.exit_code == 1
    data = json.loads(check.stdout)
    assert set(data) == {"summary", "findings", "verdicts"}
    assert set(data["summary"]) == {"errors", "warnings", "infos"}
    assert [v["indicator"] for v in data["verdicts"]] == [12]
    assert data["verdicts"][0]["verdict"] == "no-data"  # the starter is still empty
    f = data["findings"][0]
    assert set(f) == {"severity", "code", "key", "indicator", "path", "message", "params"}
    assert all(x["indicator"] == 12 for x in data["findings"])
    assert all(isinstance(x["params"], dict) and x["message"] for x in data["findings"])


def _summary(result_json: str) -> dict[str, int]:
    return dict(json.loads(result_json)["summary"])


def test_check_exit_codes(tmp_path: Path) -> None:
    root = tmp_path / "m"
    ind = root / "12-水环境质量"
    for year in (2018, 2019, 2020):
        write_pdf(ind / str(year) / f"(1)(2){year}年考核结果.pdf", text=str(year))
    for s in ("达标说明", "直接证明材料"):
        write_pdf(ind / s / f"{s}.pdf", text=s)
    ok = invoke(["check", str(root), "-i", "12"])
    assert ok.exit_code == 0, ok.output  # only warnings (no 2021 folder) and notes
    summary = _summary(invoke(["check", str(root), "-i", "12", "-f", "json"]).stdout)
    assert summary["errors"] == 0 and summary["warnings"] >= 1
    assert invoke(["check", str(root), "-i", "12", "--strict"]).exit_code == 1
    write_truncated_pdf(ind / "2019" / "坏.pdf")
    bad = invoke(["check", str(root), "-i", "12"])
    assert bad.exit_code == 1 and "坏.pdf" in bad.stdout
    assert invoke(["check", str(tmp_path / "nope")]).exit_code == 2
    assert invoke(["check", str(root), "-i", "17"]).exit_code == 2
    assert invoke(["check", str(root), "--format", "xml"]).exit_code == 2


def test_bad_catalogue_is_exit_2_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("schema_version: 1\nsettings: {}\nindicators: []\n", encoding="utf-8")
    result = invoke(["list", "--catalogue", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    assert "c.yaml:2" in result.stderr and "settings.city" in result.stderr
    zh = invoke(["list", "--catalogue", str(bad)])
    assert zh.exit_code == 2 and "c.yaml" in zh.stderr and "settings.city" in zh.stderr


def _manifest(out: Path) -> dict[str, object]:
    [path] = out.glob("*.manifest.json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_build_verify_and_fonts(tmp_path: Path, test_font: Path) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    args = ["build", str(root), "-o", str(out), "--font", str(test_font), "--volumes", "single"]
    assert invoke(args).exit_code == 2  # neither --indicator nor --all
    dry = invoke([*args, "--all", "--dry-run"])
    assert dry.exit_code == 0 and "12-水环境质量.pdf" in dry.stdout and not out.exists()
    built = invoke([*args, "-i", "12", "--stamp-format", "第{n}页"])
    assert built.exit_code == 0, built.output
    assert (out / "12-水环境质量.pdf").exists() and _manifest(out)["indicator"] == 12
    pdf = out / "12-水环境质量.pdf"
    before = pdf.stat().st_mtime_ns
    again = invoke([*args, "-i", "12", "--stamp-format", "第{n}页"])
    assert again.exit_code == 0 and pdf.stat().st_mtime_ns == before  # up to date
    for bad in ("page", "{n}/{总页数}", "第{n}页{", "{0}{n}", "{n!x}"):
        result = invoke([*args, "-i", "12", "--stamp-format", bad])
        assert result.exit_code == 2 and "Traceback" not in result.output, bad
    assert invoke([*args, "-i", "12", "--stamp-format", "{n}/{total}", "--dry-run"]).exit_code == 0
    inside = invoke(["build", str(root), "-i", "12", "-o", str(root / "dist")])
    assert inside.exit_code == 2 and not (root / "dist").exists()
    assert invoke(["verify", str(out)]).exit_code == 0
    assert invoke(["verify", str(tmp_path / "none")]).exit_code == 2
    fonts = invoke(["fonts", "--font", str(test_font)])
    assert fonts.exit_code == 0 and "test-cjk.ttf" in fonts.stdout


def test_build_failure_exit_code(tmp_path: Path, test_font: Path) -> None:
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    write_truncated_pdf(ind / "2018" / "坏.pdf")
    args = ["build", str(root), "-i", "12", "-o", str(tmp_path / "o"), "--font", str(test_font)]
    result = invoke(args)
    assert result.exit_code == 1 and "坏.pdf" in result.stdout
    assert "--allow-broken" in result.stdout  # the CLI's hint for an unusable source
    assert invoke([*args, "--allow-broken"]).exit_code == 0


def test_check_on_the_bundled_example_gives_verdicts_and_every_rule() -> None:
    data = json.loads(invoke(["check", str(EXAMPLE), "-f", "json"]).stdout)
    codes = {f["code"] for f in data["findings"]}
    for code in ("target-unmet", "figure-mismatch", "shared-figure-mismatch",
                 "unexplained-change", "corrupt-pdf"):
        assert code in codes, code
    text = invoke(["check", str(EXAMPLE)])
    assert text.exit_code == 1  # the example holds deliberate faults
    for code in codes:
        assert code in text.stdout
    data = json.loads(invoke(["check", str(EXAMPLE), "-f", "json", "-i", "28"]).stdout)
    [v] = data["verdicts"]
    assert v["indicator"] == 28 and v["verdict"] == "unmet"
    assert [y["verdict"] for y in v["metrics"][0]["years"]] == ["unmet", "met", "met"]


def test_verify_of_an_incomplete_manifest_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "12-x.manifest.json").write_text('{"tool": "dossier"}', encoding="utf-8")
    result = invoke(["verify", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output


def test_internal_error_is_one_line_exit_3_and_a_log(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import dossier.checks

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(dossier.checks, "check", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = invoke(["check", str(EXAMPLE)])
    assert result.exit_code == 3
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    [log] = tmp_path.glob("dossier-error-*.log")
    assert "simulated bug" in log.read_text(encoding="utf-8")
    assert str(log) in result.stderr.replace("\n", "")
    debug = invoke(["check", str(EXAMPLE), "--debug"])
    assert debug.exit_code == 3 and "Traceback" in debug.stderr and "simulated bug" in debug.stderr


def test_usage_mistakes_are_usage_errors(tmp_path: Path) -> None:
    assert invoke([]).exit_code == 0  # `dossier` alone shows its help
    typo = invoke(["chek"])
    assert typo.exit_code == 2 and "check" in typo.stderr and "chek" in typo.stderr
    for args in (["check", "--bogus"], ["build", "-j", "0"], ["check", "-f", "xml"],
                 ["build", "x", "y", "z"], ["check", "-i"], ["check", "--strict=1"],
                 ["list", "--catalogue", str(tmp_path)],
                 ["build", str(EXAMPLE), "-i", "12", "--templates", str(tmp_path / "no")]):
        result = invoke(args)
        assert result.exit_code == 2 and "Traceback" not in result.output, args


def test_json_findings_carry_their_key_and_params() -> None:
    data = json.loads(invoke(["check", str(EXAMPLE), "-f", "json"]).stdout)
    for f in data["findings"]:
        assert f["key"] == f["code"] or f["key"].startswith(f["code"] + "/"), f
    assert any("/" in f["key"] for f in data["findings"])  # variants are told apart


def test_unwritable_places_are_reported_not_crashes(tmp_path: Path, test_font: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    init = invoke(["init", str(blocker / "m"), "-i", "12"])
    assert init.exit_code == 2 and "Traceback" not in init.output, init.output
    root = tmp_path / "m"
    make_volume_tree(root)
    build = invoke(["build", str(root), "-i", "12", "-o", str(blocker / "out"), "--font",
                    str(test_font)])
    assert build.exit_code == 2 and "Traceback" not in build.output, build.output


def test_no_console_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """pythonw or a scheduled task: sys.stdout and sys.stderr are None."""
    from dossier import cli

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert cli.run(["list", "-f", "json"]) == 0
    assert cli.run(["show", "17"]) == 2


def test_several_missing_folders_get_one_hint_for_all(tmp_path: Path) -> None:
    root = tmp_path / "m"
    write_pdf(root / "12-水环境质量" / "2019" / "a.pdf")
    result = invoke(["check", str(root), "--lang", "en"])
    assert "--unit" in result.stdout and "--indicator 1\n" not in result.stdout


def test_list_shows_the_role_of_a_unit() -> None:
    data = json.loads(invoke(["list", "--unit", "住建局", "-f", "json"]).stdout)
    roles = {d["id"]: d["role"] for d in data}
    assert [i for i, r in roles.items() if r == "collects"] == [28, 29, 30, 31, 33]
    assert set(roles.values()) == {"collects", "responsible"}
    table = invoke(["list", "--unit", "住建局"])
    assert table.exit_code == 0 and "市住房和城乡建设局" in table.stdout
    typo = invoke(["list", "--unit", "市主建局"])
    assert typo.exit_code == 2 and "市住房和城乡建设局" in typo.stderr  # did you mean


def test_tidy_previews_applies_and_undoes(tmp_path: Path) -> None:
    root = tmp_path / "m"
    wrong = write_pdf(root / "12-水环境质量" / "2018" / "(1)2019年度考核结果.pdf", text="a")
    write_pdf(root / "12-水环境质量" / "2019" / "(1)考核.pdf", text="b")
    write_pdf(root / "12-水环境质量" / "2019" / "(1)考核副本.pdf", text="b")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    hinted = invoke(["check", str(root), "-i", "12"])
    assert "dossier tidy" in hinted.stdout  # check says where tidy helps
    preview = invoke(["tidy", str(root)])
    assert preview.exit_code == 0 and wrong.exists()
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == before
    applied = invoke(["tidy", str(root), "--apply"])
    assert applied.exit_code == 0 and not wrong.exists()
    data = json.loads(invoke(["check", str(root), "-i", "12", "-f", "json"]).stdout)
    assert not {"year-mismatch", "duplicate-file"} & {f["code"] for f in data["findings"]}
    undone = invoke(["tidy", str(root), "--undo"])
    assert undone.exit_code == 0 and wrong.exists()
    after = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert after == before
    assert invoke(["tidy", str(root), "--apply", "--undo"]).exit_code == 2


def test_plain_list_has_no_role_column() -> None:
    plain = invoke(["list"])
    assert plain.exit_code == 0
    assert "本单位职责" not in plain.stdout and "负责汇总" not in plain.stdout
    assert all("role" not in d for d in json.loads(invoke(["list", "-f", "json"]).stdout))
