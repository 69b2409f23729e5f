"""Every word a person reads is Chinese by default and English with --lang en; no output
crashes on a GBK console or file. Run over the bundled example and over a tree of hostile
files, for every command and its --help."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clirun import invoke
from makefiles import (
    write_encrypted_pdf,
    write_html_as_pdf,
    write_jpeg,
    write_pdf,
    write_truncated_pdf,
    write_zero_page_pdf,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "materials"
COMMANDS = ["init", "list", "show", "check", "build", "pack", "import", "tidy", "verify",
            "fonts", "status", "contacts"]

# What may stay Latin inside Chinese text: paths and file names, option names, finding
# codes, the program's name, units and format names.
_ALLOWED = [
    r"\S*[/\\]\S*",  # paths (and units such as mg/L)
    r"[^\s：:，,（）()“”]+\.[A-Za-z0-9]{2,5}\b",  # file names
    r"<[\w|-]+>",  # choice lists of options: <single|by-year>
    r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b",  # codes: requirement-missing-year, by-year, top-right
    r"--?[A-Za-z][\w-]*",  # options
    r"\bdossier\b",
    r"\b(?:PDF|JPEG|JPG|PNG|TIFF|HEIC|WebP|GIF|BMP|OFD|WPS|Word|Excel|PowerPoint|YAML|JSON|"
    r"UTF-8|GBK|CJK|TrueType|HTML|XML|ZIP|RAR|RTF|OLE|PostScript|LibreOffice)\b",
]
_WORD = r"[A-Za-z]{2,}"
_RUN = re.compile(rf"{_WORD}(?:[\s\d,.;:!?'\"()\[\]<>|=*+#…-]+{_WORD}){{2,}}")
WIDE = {"COLUMNS": "250"}  # help tables unwrapped: a choice list is not split into words


def english_sentences(text: str) -> list[str]:
    """Runs of three or more Latin-letter words outside paths, file names, options and
    codes: what a clerk who reads no English could not understand."""
    cleaned = text
    for pattern in _ALLOWED:
        cleaned = re.sub(pattern, " ", cleaned)
    return _RUN.findall(cleaned)


def test_the_detector_itself() -> None:
    assert english_sentences("审核要点 (1) has no material for 2020")
    assert english_sentences("Summary: 0 errors, 1 warnings")
    assert not english_sentences("12-水环境质量/2019/01(1)2019 Annual Report.pdf 缺少材料")
    assert not english_sentences("×错误 requirement-missing-year 审核要点（1）缺少 2020 年材料")
    assert not english_sentences("用法：dossier check [选项] [材料文件夹] --allow-broken")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Corrupt, encrypted, empty, zero-page, mislabelled and wrongly typed files, bad
    names, a link out of the tree, broken explanation data."""
    root = tmp_path_factory.mktemp("hostile") / "materials"
    ind = root / "12-水环境质量"
    for s in ("达标说明", "直接证明材料", "2018", "2019", "2020", "2021", "长期有效"):
        (ind / s).mkdir(parents=True)
    write_pdf(ind / "直接证明材料" / "(1)2018-2020年考核结果.pdf", 2)
    write_truncated_pdf(ind / "2018" / "(1)截断的考核结果.pdf")
    write_encrypted_pdf(ind / "2019" / "(1)加密.pdf", "secret")
    write_zero_page_pdf(ind / "2019" / "(2)零页.pdf")
    (ind / "2020" / "(1)空文件.pdf").write_bytes(b"")
    write_html_as_pdf(ind / "2020" / "(2)网页.pdf")
    (ind / "2020" / "工作方案.docx").write_bytes(b"PK\x03\x04not really a docx")
    (ind / "2020" / "资料.zip").write_bytes(b"PK\x03\x04")
    write_jpeg(ind / "2021" / "照片.png")  # a JPEG named .png
    (ind / "2021" / "坏图.jpg").write_bytes(b"\xff\xd8\xff\xe0garbage")
    write_pdf(ind / "2019" / "控制\x01字符.pdf")
    if sys.platform != "win32":
        os.close(os.open(os.path.join(os.fsencode(ind / "2019"), b"\xb9\xfa\xbc\xd2.pdf"),
                         os.O_CREAT | os.O_WRONLY))
        (ind / "长期有效" / "外链.pdf").symlink_to("/etc/hostname")
    write_pdf(ind / "2018" / "(1)2016年旧文件.pdf")
    write_pdf(ind / "2019" / "😀表情.pdf")  # not in GBK
    (ind / "2019" / "😀表情.docx").write_bytes(b"PK\x03\x04")
    (ind / "达标说明" / "达标说明.yaml").write_text("年度:\n  2019:\n    指标值: [\n",
                                                   encoding="utf-8")
    (root / "共享数据.yaml").write_bytes("城区人口:\n  单位: 万人\n".encode("gbk"))
    (root / "99-不存在的指标").mkdir()
    (root / "杂项").mkdir()
    (root / "说明.txt").write_text("x", encoding="utf-8")
    return root


def _every_command(materials: Path, out: Path, lang: list[str],
                   font: Path) -> list[tuple[list[str], str, int]]:
    """(args, output, exit status) of every command over `materials`."""
    runs = []
    for args in (
        ["--help"], *([c, "--help"] for c in COMMANDS),
        ["list"], ["list", "--unit", "市水利局"], ["list", "--unit", "不存在的单位"],
        ["show", "12"], ["show", "28"], ["show", "17"], ["show"], ["show", "abc"],
        ["check", str(materials)], ["check", str(materials), "-f", "json"],
        ["check", str(materials), "--strict", "-i", "12"],
        ["check", str(materials / "nope")], ["check", str(materials), "--format", "xml"],
        ["check", str(materials), "--bogus"],
        ["build", str(materials)],
        ["build", str(materials), "--all", "-o", str(out), "--font", str(font)],
        ["build", str(materials), "--all", "-o", str(out), "--font", str(font),
         "--allow-broken", "--volumes", "by-year"],
        ["build", str(materials), "--all", "-o", str(out), "--font", str(font), "--dry-run"],
        ["build", str(materials), "-i", "12", "-o", str(materials / "dist")],
        ["build", str(materials), "-i", "12", "-j", "0"],
        ["verify", str(out)], ["verify", str(out / "nope")],
        ["fonts"], ["fonts", "--font", str(font)],
        ["init", str(out / "new"), "-i", "12"], ["init", str(out / "new"), "--unit", "没有"],
        ["list", "--unit", "住建局"], ["check", str(materials), "--unit", "住建局"],
        ["pack", str(materials), "--unit", "住建局", "-o", str(out / "pack")],
        ["pack", str(materials), "--unit", "市主建局"], ["pack", str(materials)],
        ["import", str(materials), "--into", str(out / "lead"), "--from", "住建局"],
        ["import", str(out / "none.zip"), "--into", str(out / "lead")], ["import"],
        ["tidy", str(materials)], ["tidy", str(out / "nope")], ["tidy", str(materials),
                                                               "--apply", "--undo"],
        ["status", str(materials), "--as-of", "2021-03-06", "--out", str(out)],
        ["status", str(materials), "--as-of", "2021-03-06", "-f", "json"],
        ["status", str(materials), "--as-of", "明天"], ["status", str(materials / "nope")],
        ["status", str(materials), "--unit", "住建局", "--as-of", "2021-03-13"],
        ["contacts", str(materials)], ["contacts", "--template", str(out / "名单.xlsx")],
        ["contacts", "--template", str(out / "名单.txt")],
    ):
        result = invoke([*args, *lang] if args[-1] != "--help" else args[:1] + lang + args[1:],
                        env=WIDE)
        output = result.output
        if "json" in args and result.exit_code in (0, 1):
            output = _readable(json.loads(result.stdout)) + result.stderr  # keys are English
        runs.append((args, output, result.exit_code))
    return runs


def _readable(data: object) -> str:
    """The texts of a JSON report a person reads: messages and verdict reasons."""
    if isinstance(data, dict):
        own = [str(v) for k, v in data.items() if k in ("message", "reason")]
        return "\n".join(own + [_readable(v) for k, v in data.items() if k != "params"])
    if isinstance(data, list):
        return "\n".join(_readable(v) for v in data)
    return ""


@pytest.mark.parametrize("lang", [[], ["--lang", "zh"]], ids=["no-LANG", "lang-zh"])
@pytest.mark.parametrize("tree", ["example", "hostile"])
def test_every_command_speaks_chinese(tree: str, lang: list[str], hostile: Path,
                                      tmp_path: Path, test_font: Path) -> None:
    materials = EXAMPLE if tree == "example" else hostile
    for args, output, code in _every_command(materials, tmp_path / "out", lang, test_font):
        assert code != 3, (args, output)  # never an internal error
        assert "Traceback" not in output, (args, output)
        found = english_sentences(output)
        assert not found, (args, found, output[:3000])


def test_help_and_usage_errors_use_chinese_words() -> None:
    assert "用法" in invoke(["--help"]).stdout
    assert "用法" in invoke(["check", "--help"]).stdout
    missing = invoke(["show"])
    assert missing.exit_code == 2 and "缺少参数" in missing.stderr
    assert "Missing" not in missing.stderr
    for command in COMMANDS:  # Chinese has no spaces: help texts fold, never cut off with …
        shown = invoke([command, "--help"], env={"COLUMNS": "80"}).stdout
        assert "…" not in shown and "<bool>" not in shown, shown


def test_english_on_request(tmp_path: Path) -> None:
    for args in (["--lang", "en", "check", str(EXAMPLE)], ["check", str(EXAMPLE), "--lang", "en"]):
        result = invoke(args)
        assert result.exit_code == 1
        assert "Summary:" in result.stdout and "汇总：" not in result.stdout
    via_env = invoke(["check", str(EXAMPLE)], env={"DOSSIER_LANG": "en"})
    assert "Summary:" in via_env.stdout
    via_locale = invoke(["check", str(EXAMPLE)], env={"LANG": "en_US.UTF-8"})
    assert "Summary:" in via_locale.stdout
    assert "Usage" in invoke(["--lang", "en", "--help"]).stdout
    assert "Missing argument" in invoke(["show", "--lang", "en"]).stderr
    out = tmp_path / "out"
    shown = "".join(invoke(args).output for args in (
        ["check", str(EXAMPLE), "--lang", "en"], ["show", "12", "--lang", "en"],
        ["build", str(EXAMPLE), "--all", "--allow-broken", "-o", str(out), "--lang", "en"],
        ["verify", str(out), "--lang", "en"], ["check", "--help", "--lang", "en"],
        ["build", "--help", "--lang", "en"], ["fonts", "--lang", "en"], ["show", "--lang", "en"]))
    for word in ("汇总：", "用法", "选项", "已装订", "正常", "错误", "警告", "提示", "缺少参数"):
        assert word not in shown, word  # interface words; materials and catalogue are Chinese


def test_json_messages_follow_the_language_and_keys_do_not() -> None:
    zh = json.loads(invoke(["check", str(EXAMPLE), "-f", "json"]).stdout)
    en = json.loads(invoke(["check", str(EXAMPLE), "-f", "json", "--lang", "en"]).stdout)
    assert set(zh) == set(en) == {"summary", "findings", "verdicts"}
    assert [f["code"] for f in zh["findings"]] == [f["code"] for f in en["findings"]]
    assert [f["params"] for f in zh["findings"]] == [f["params"] for f in en["findings"]]
    assert all(not english_sentences(f["message"]) for f in zh["findings"])
    assert any(english_sentences(f["message"]) for f in en["findings"])
    assert [v["verdict"] for v in zh["verdicts"]] == [v["verdict"] for v in en["verdicts"]]


@pytest.mark.parametrize("encoding", ["gbk", "cp936"])
def test_gbk_console_and_redirection(encoding: str, hostile: Path, tmp_path: Path,
                                     test_font: Path) -> None:
    for args in (["check", str(hostile)], ["check", str(hostile), "-f", "json"],
                 ["check", str(EXAMPLE)], ["list"],
                 ["build", str(hostile), "-i", "12", "-o", str(tmp_path / "o"), "--font",
                  str(test_font), "--allow-broken"], ["verify", str(tmp_path / "o")]):
        result = invoke(args, encoding=encoding)
        assert result.exit_code in (0, 1), (args, result.output)
        result.stdout_bytes.decode(encoding)  # decodes
        result.stderr_bytes.decode(encoding)
    data = json.loads(invoke(["check", str(hostile), "-f", "json"], encoding=encoding).stdout)
    assert any((f["path"] or "").endswith("😀表情.docx") for f in data["findings"])  # lossless


def test_gbk_redirected_to_a_file_in_a_real_process(tmp_path: Path) -> None:
    """What `dossier check materials > 结果.txt` does on Chinese Windows."""
    target = tmp_path / "结果.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LANGUAGE")}
    env["PYTHONIOENCODING"] = "gbk"
    with target.open("wb") as fh:
        done = subprocess.run([sys.executable, "-m", "dossier", "check", str(EXAMPLE)],
                              stdout=fh, stderr=subprocess.PIPE, env=env, check=False)
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")
    text = target.read_bytes().decode("gbk")
    assert "审核要点" in text and not english_sentences(text)


def test_text_inside_the_pdfs_is_chinese_whatever_the_language(hostile: Path, tmp_path: Path,
                                                                test_font: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = invoke(["build", str(hostile), "-i", "12", "-o", str(out), "--font", str(test_font),
                     "--allow-broken", "--lang", "en", "--volumes", "single"])
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("*.pdf")
    reader = PdfReader(pdf)

    def titles(items: list[object]) -> list[str]:
        found: list[str] = []
        for item in items:
            found += titles(item) if isinstance(item, list) else [item.title]  # type: ignore[attr-defined]
        return found

    shown = titles(reader.outline)
    assert shown and all(not english_sentences(t) for t in shown), shown
    front = "\n".join(page.extract_text() for page in reader.pages[:3])
    assert "题名" in front and "无法读取" in front  # the 目录 marks placeholders in Chinese
    ours = [t for page in reader.pages if "文件无法读取" in (t := page.extract_text())]
    assert ours and not english_sentences(front + "\n".join(ours))  # the sources' own text aside
    meta = reader.metadata
    assert meta is not None and meta.title and not english_sentences(meta.title)
