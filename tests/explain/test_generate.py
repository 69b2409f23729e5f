"""The generated 达标说明 inside a built volume, read back with pypdf."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.fonts import FontChoice, choose
from dossier.i18n import Message
from dossier.manifest import read_manifest
from dossier.options import BuildOptions
from dossier.verify import verify

from explainmaker import write
from makefiles import make_volume_tree

OPTS = BuildOptions(date="2021年3月", epoch=1614556800)
M1, M2, M3 = "水质达到或优于III类比例提高幅度", "劣V类水体比例下降幅度", "黑臭水体消除比例"
DATA = f"""
考核标准: 要求完成上级规定的考核任务。
年度:
  2018:
    指标值:
      {M1}: {{数值: 85.7, 单位: '%', 来源: 2018年公报}}
      {M2}: {{数值: 0, 单位: '%', 来源: 2018年公报}}
      {M3}: {{数值: 90, 单位: '%', 来源: 2018年考核结果}}
    相关数据:
      城区人口: {{引用: 城区人口}}
    上级考核: {{完成: 是, 文件: 川环函〔2019〕112号}}
    达标理由: 完成上级下达的年度目标任务。
  2019:
    指标值:
      {M1}: {{数值: 0, 单位: '%', 来源: 2019年公报}}
      {M3}: {{数值: 80, 单位: '%', 来源: 2019年考核结果}}
    上级考核: {{完成: 是}}
主要工作:
  - 全面落实河长制。
重点项目:
  - {{名称: 巴河流域水环境综合治理工程, 年度: 2019, 投资: 48600, 状态: 已完工}}
"""
SHARED = "城区人口:\n  单位: 万人\n  数值: {2018: 62.3}\n  来源: 年鉴\n"


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def tree(tmp_path: Path, data: str = DATA, stamped: bool = False) -> Path:
    """Indicator 12 with data; `stamped`: its 达标说明 folder also holds the unit's own
    stamped explanation (recognised by its name), else another document."""
    root = tmp_path / "m"
    ind = make_volume_tree(root)
    if not stamped:
        pdf = ind / "达标说明" / "水环境质量达标说明.pdf"
        pdf.rename(pdf.with_name("水环境质量工作情况.pdf"))
    write(root / "12-水环境质量" / "达标说明" / "达标说明.yaml", data)
    write(root / "共享数据.yaml", SHARED)
    return root


def run(root: Path, out: Path, catalogue: Catalogue, font: FontChoice,
        options: BuildOptions = OPTS, template_dirs: tuple[Path, ...] = (),
        **kw: object):  # type: ignore[no-untyped-def]
    plans, _ = make_plan(root, out, catalogue, (12,), None, options, template_dirs)
    return build(plans, root, out, font=font, **kw)  # type: ignore[arg-type]


def text_of(reader: PdfReader, first: int, last: int) -> str:
    text = "".join(reader.pages[i].extract_text() for i in range(first, last))
    return text.replace(" ", "").replace("\n", "")


def test_explanation_is_the_first_document(tmp_path: Path, catalogue: Catalogue,
                                           font: FontChoice) -> None:
    root = tree(tmp_path)
    [outcome] = run(root, tmp_path / "out", catalogue, font)
    assert outcome.status == "built", outcome.messages
    reader = PdfReader(tmp_path / "out" / "12-水环境质量.pdf")
    outline = reader.outline
    section = outline[3]
    assert [item.title for item in section] == ["水环境质量指标达标说明", "水环境质量工作情况"]
    data = read_manifest(tmp_path / "out" / "12-水环境质量.manifest.json")
    assert data is not None
    first = data["sources"][0]
    assert first["path"] == "12-水环境质量/达标说明/达标说明.yaml" and first["first_page"] == 1
    assert data["inputs"][0]["path"] == "共享数据.yaml" and len(data["inputs"][0]["sha256"]) == 64
    toc = reader.pages[1].extract_text().replace(" ", "")
    assert "水环境质量指标达标说明" in toc
    start = data["output"]["front_pages"]
    text = text_of(reader, start, start + first["pages"])
    for needle in ("水环境质量指标达标说明", "一、考核标准", "要求完成上级规定的考核任务",
                   "二、达标情况", "（一）2018年度", "实际值", "85.7%", "2018年公报",
                   "川环函〔2019〕112号", "62.3万人", "达标理由", "（二）2019年度",
                   "巴河流域水环境综合治理工程", "48600", "结论", "未达标"):
        assert needle in text, needle
    # the page stamps continue across the explanation
    assert reader.page_labels[start:start + 2] == ["1", "2"][: min(2, first["pages"])]


def test_changed_shared_data_makes_the_volume_stale(tmp_path: Path, catalogue: Catalogue,
                                                    font: FontChoice) -> None:
    root = tree(tmp_path)
    out = tmp_path / "out"
    run(root, out, catalogue, font)
    assert [o.status for o in run(root, out, catalogue, font)] == ["up-to-date"]
    write(root / "共享数据.yaml", SHARED.replace("62.3", "62.4"))
    assert [v.status for v in verify(out)] == ["stale"]
    assert [o.status for o in run(root, out, catalogue, font)] == ["built"]
    yaml = root / "12-水环境质量" / "达标说明" / "达标说明.yaml"
    yaml.write_text(DATA.replace("85.7", "86.7"), encoding="utf-8")
    os.utime(yaml, ns=(1, 1))
    assert [o.status for o in run(root, out, catalogue, font)] == ["built"]


def test_bad_data_fails_the_volume_or_becomes_a_placeholder(tmp_path: Path,
                                                            catalogue: Catalogue,
                                                            font: FontChoice) -> None:
    root = tree(tmp_path, DATA.replace("数值: 85.7, 单位: '%'", "数值: 85.7"))
    [failed] = run(root, tmp_path / "out", catalogue, font)
    assert failed.status == "failed"
    reason = nested(failed.messages, "explanation.unusable")
    problem = reason.params["problem"]
    assert (problem.key, problem.params["file"], problem.params["line"]) == (
        "explanation-invalid", "12-水环境质量/达标说明/达标说明.yaml", 6)
    assert problem.params["problem"].key == "schema.value-needs-unit"
    assert not (tmp_path / "out" / "12-水环境质量.pdf").exists()
    allowed = BuildOptions(date="2021年3月", epoch=1614556800, allow_broken=True)
    [draft] = run(root, tmp_path / "draft", catalogue, font, options=allowed)
    assert draft.status == "built"
    reader = PdfReader(tmp_path / "draft" / "12-水环境质量.pdf")
    assert "文件无法读取" in reader.pages[2].extract_text().replace(" ", "")


def test_untouched_starter_generates_nothing(tmp_path: Path, catalogue: Catalogue,
                                             font: FontChoice) -> None:
    from dossier.scaffold import starter
    from dossier.templating import make_environment

    root = tree(tmp_path, starter(make_environment(), catalogue.get(12), catalogue))
    plans, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, OPTS)
    assert all(s.kind != "explanation" for s in plans[0].sources)
    assert plans[0].inputs == ()


def test_deterministic_with_explanation(tmp_path: Path, catalogue: Catalogue,
                                        font: FontChoice) -> None:
    root = tree(tmp_path)
    run(root, tmp_path / "a", catalogue, font)
    run(root, tmp_path / "b", catalogue, font)
    name = "12-水环境质量.pdf"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_user_template_override_and_strict_undefined(tmp_path: Path, catalogue: Catalogue,
                                                     font: FontChoice) -> None:
    root = tree(tmp_path)
    mine = tmp_path / "tpl"
    write(mine / "达标说明.md.j2", "# {{ indicator.name }}自定义说明\n\n结论：{{ verdict }}\n")
    [outcome] = run(root, tmp_path / "out", catalogue, font, template_dirs=(mine,))
    assert outcome.status == "built"
    reader = PdfReader(tmp_path / "out" / "12-水环境质量.pdf")
    data = read_manifest(tmp_path / "out" / "12-水环境质量.manifest.json")
    assert data is not None
    page = reader.pages[data["output"]["front_pages"]].extract_text().replace(" ", "")
    assert "水环境质量自定义说明" in page and "结论：未达标" in page
    # a template failing on one indicator's data fails that volume, naming it
    write(mine / "达标说明.md.j2", "{{ no_such_variable }}\n")
    [failed] = run(root, tmp_path / "out2", catalogue, font, template_dirs=(mine,))
    assert failed.status == "failed"
    reason = nested(failed.messages, "explanation.template-failed")
    assert reason.params["indicator"] == 12
    assert reason.params["error"].key == "template-undefined"
    assert reason.params["error"].params["name"] == "no_such_variable"
    write(mine / "达标说明.md.j2", "{{ ''.__class__.__mro__ }}\n")
    [failed] = run(root, tmp_path / "out3", catalogue, font, template_dirs=(mine,))
    error = nested(failed.messages, "explanation.template-failed").params["error"]
    assert failed.status == "failed" and "unsafe" in error.params["detail"]
    write(mine / "达标说明.md.j2", "{% if %}\n")
    [failed] = run(root, tmp_path / "out4", catalogue, font, template_dirs=(mine,))
    error = nested(failed.messages, "explanation.template-failed").params["error"]
    assert (error.key, error.params["line"]) == ("template-syntax", 1)
    assert error.params["template"].endswith("达标说明.md.j2")


def nested(messages: Iterable[Message], key: str) -> Message:
    """The message with `key`, looked for in `messages` and in their params."""
    todo = list(messages)
    while todo:
        m = todo.pop(0)
        if m.key == key:
            return m
        for value in m.params.values():
            todo += [v for v in (value if isinstance(value, (list, tuple)) else [value])
                     if isinstance(v, Message)]
    raise AssertionError(f"no {key} in {messages}")


def test_the_explanation_text_is_chinese(tmp_path: Path, catalogue: Catalogue) -> None:
    """The template context: labels, verdicts and reasons rendered in Chinese (PDF text),
    whatever the interface language."""
    from dossier.explain import IndicatorData
    from dossier.explain.context import context
    from dossier.explain.evaluate import evaluate
    from dossier.explain.load import load_explanation, load_shared

    ind = catalogue.get(12)
    path = write(tmp_path / "12-水环境质量" / "达标说明" / "达标说明.yaml", DATA)
    write(tmp_path / "共享数据.yaml", SHARED)
    shared, _ = load_shared(tmp_path, catalogue.settings)
    loaded = load_explanation(tmp_path, path, ind, catalogue.settings, shared)
    result = evaluate(ind, loaded.explanation, catalogue.settings, frozenset({2018, 2019}))
    got = context(IndicatorData(ind, loaded, result), catalogue.settings, "")
    assert got["period"] == "2018—2020年" and got["verdict"] == "未达标" and not got["met"]
    assert [y["label"] for y in got["years"]] == ["2018年度", "2019年度", "2020年度"]
    units = got["indicator"]["responsible_units"]
    assert units == "、".join(ind.responsible_units)
    row = got["years"][0]["rows"][0]
    assert (row["verdict"], row["value"]) == ("达标", "85.7%")
    assert got["unmet"] == [f"{M3}（2019年）"]
    assert got["missing"] == [f"{M1}（2020年）", f"{M2}（2019年）", f"{M2}（2020年）",
                              f"{M3}（2020年）"]
    worse = next(r for r in got["years"][1]["rows"] if r["metric"] == M3)
    assert worse["verdict"] == "未达标"
    assert worse["reason"] == "完成上级考核任务；较2018年（90%）下降10个百分点，变差"
    # no English word (the class III is no word)
    assert not [t for t in texts(got) if re.search(r"[a-z]{3,}", t)]


def texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in texts(v)]
    return []


SINGLE = BuildOptions(date="2021年3月", epoch=1614556800, volumes="single")


def test_the_units_stamped_explanation_replaces_the_generated_one(
        tmp_path: Path, catalogue: Catalogue, font: FontChoice) -> None:
    from dossier.checks import check

    root = tree(tmp_path, stamped=True)  # 达标说明/水环境质量达标说明.pdf beside the data
    [outcome] = run(root, tmp_path / "out", catalogue, font, options=SINGLE)
    assert outcome.status == "built", outcome.messages
    reader = PdfReader(tmp_path / "out" / "12-水环境质量.pdf")
    assert [item.title for item in reader.outline[3]] == ["水环境质量达标说明"]
    toc = reader.pages[1].extract_text().replace(" ", "")
    assert toc.count("达标说明") == 2  # the section (一、指标达标说明) and the one document
    assert "水环境质量指标达标说明" not in toc
    data = read_manifest(tmp_path / "out" / "12-水环境质量.manifest.json")
    assert data is not None
    paths = [s["path"] for s in data["sources"]]
    assert paths[0] == "12-水环境质量/达标说明/水环境质量达标说明.pdf"
    assert not [p for p in paths if p.endswith(".yaml")] and data["inputs"] == []
    # the data is still evaluated, and check says which explanation is bound
    found = check(root, catalogue, indicators=[12]).report.findings
    assert {f.code for f in found} >= {"target-unmet", "explanation-stamped"}


def test_unmet_note_and_the_signature_in_the_volume(tmp_path: Path, catalogue: Catalogue,
                                                    font: FontChoice) -> None:
    note = "2019年黑臭水体整治工程尚未完工，已列入2021年整改计划。"
    text = DATA.replace("    上级考核: {完成: 是}\n主要工作",
                        f"    上级考核: {{完成: 是}}\n    达标理由: 部分工程延期。\n"
                        f"    未达标说明: {note}\n主要工作")
    assert note in text
    root = tree(tmp_path, text)
    options = BuildOptions(date="2020年12月", epoch=1614556800, volumes="single")
    [outcome] = run(root, tmp_path / "out", catalogue, font, options=options)
    assert outcome.status == "built", outcome.messages
    pdf = tmp_path / "out" / "12-水环境质量.pdf"
    reader = PdfReader(pdf)
    data = read_manifest(tmp_path / "out" / "12-水环境质量.manifest.json")
    assert data is not None
    first, start = data["sources"][0], data["output"]["front_pages"]
    body = text_of(reader, start, start + first["pages"])
    assert "2019年度未达标说明" + note in body
    assert "未达标的原因及整改措施见各年度“未达标说明”" in body
    assert "情况说明：部分工程延期" in body  # an unmet year's reasons are not 达标理由
    # the 落款: the collecting unit and the --date month, right-aligned under the text
    lead = catalogue.get(12).first_lead_unit
    assert lead
    unit = "巴中" + lead  # the full name (GB/T 9704): 巴中市生态环境局
    last = start + first["pages"] - 1
    rows: dict[float, list[tuple[float, str]]] = {}  # baseline -> (x, text) of its runs

    def visit(t: str, cm: list[float], tm: list[float], *_: object) -> None:
        if t.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            rows.setdefault(round(y, 1), []).append((x, t.strip()))

    reader.pages[last].extract_text(visitor_text=visit)
    found = {"".join(t for _, t in sorted(runs, key=lambda r: r[0])): (min(runs)[0], y)
             for y, runs in rows.items()}  # runs of one line keep their order
    assert {unit, "2020年12月"} <= set(found)
    (_, uy), (dx, dy) = found[unit], found["2020年12月"]
    assert dx > 595 / 2 and uy > dy  # right half, the unit above the date
    assert "2020年12月" in reader.pages[0].extract_text()  # the cover's date too
    if shutil.which("pdftoppm"):  # and seen: blank around the 落款, ink in it
        subprocess.run(["pdftoppm", "-r", "60", "-gray", "-png", "-singlefile", "-f",
                        str(last + 1), "-l", str(last + 1), str(pdf), str(tmp_path / "p")],
                       check=True)
        img = Image.open(tmp_path / "p.png").convert("L")
        scale = 60 / 72

        def ink(x0: float, top: float, x1: float, bottom: float) -> int:  # PDF points
            box = (int(x0 * scale), int((842 - top) * scale), int(x1 * scale),
                   int((842 - bottom) * scale))
            return sum(img.crop(box).histogram()[:128])

        assert ink(dx, dy + 14, dx + 60, dy) > 0  # the date is drawn
        assert ink(dx - 40, uy + 50, dx + 100, uy + 20) == 0  # the seal's room above it
