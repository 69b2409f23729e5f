"""dossier tidy: preview, apply and undo on a real messy materials folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dossier.catalogue import Catalogue
from dossier.checks import check
from dossier.i18n import translator
from dossier.messages import REGISTRY
from dossier.tidy import (
    LOG_FILE,
    SET_ASIDE,
    Kind,
    apply_tidy,
    doubled_extension,
    plan_tidy,
    repaired_name,
    undo_tidy,
    yaml_encoding,
)
from zipmaker import windows_zip

from makefiles import pdf_bytes, write_pdf

IND = "12-水环境质量"
OTHER = "13-生态环境状况指数"
EXPLANATION = "考核标准: 要求完成上级规定的考核任务。\n主要工作:\n  - 全面落实河长制。\n"
SHARED = "城区人口:\n  单位: 万人\n  数值: {2018: 62.3}\n  来源: 年鉴\n"
RAW_NAME = "水质监测报告.pdf".encode("gbk")  # as a GBK zip unpacked on Linux leaves it
MOJIBAKE = "国家标准.pdf".encode("gbk").decode("latin-1")  # "¹ú¼Ò±ê×¼.pdf"
FIXED = ("达标说明", "2018", "2019", "2020", "2021", "长期有效", "直接证明材料")
WATCHED = {"year-mismatch", "duplicate-file", "explanation-invalid", "shared-data-invalid",
           "bad-file-name", "unsupported-file-type"}

Snapshot = dict[bytes, bytes | None]


def snapshot(root: Path) -> Snapshot:
    """Every name under root (as bytes) with its content (None for folders)."""
    out: Snapshot = {}
    base = os.fsencode(root)
    for dirpath, dirnames, filenames in os.walk(base):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), base)] = None
        for f in filenames:
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, base)] = fh.read()
    return out


def messy(root: Path) -> Path:
    ind = root / IND
    for section in FIXED:
        (ind / section).mkdir(parents=True, exist_ok=True)
    (ind / "达标说明" / "达标说明.yaml").write_bytes(EXPLANATION.encode("gbk"))
    (root / "共享数据.yaml").write_bytes(SHARED.encode("gbk"))
    (root / OTHER / "达标说明").mkdir(parents=True)
    (root / OTHER / "达标说明" / "达标说明.yaml.txt").write_bytes(EXPLANATION.encode("gbk"))
    write_pdf(ind / "2018" / "01巴中市2019年度水质通报.pdf", text="wrong year")
    raw = os.path.join(os.fsencode(ind / "2020"), RAW_NAME)
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    os.write(fd, pdf_bytes(text="raw gbk"))
    os.close(fd)
    write_pdf(ind / "长期有效" / MOJIBAKE, text="mojibake")
    write_pdf(ind / "2021" / "通报.pdf.pdf", text="doubled")
    windows_zip(ind / "直接证明材料" / "考核材料.zip",
                {"考核结果/2019年考核结果.pdf": pdf_bytes(text="zipped"),
                 "考核结果/说明.pdf": pdf_bytes(text="zipped 2")})
    write_pdf(ind / "2019" / "01监测月报.pdf", text="same")
    write_pdf(ind / "2019" / "02监测月报（副本）.pdf", text="same")
    return root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return messy(tmp_path / "materials")


def codes(root: Path, catalogue: Catalogue) -> set[str]:
    return {f.code for f in check(root, catalogue, indicators=[12, 13]).report.findings}


def test_names_encodings_and_extensions() -> None:
    assert repaired_name(MOJIBAKE) == ("国家标准.pdf", "mojibake")
    assert repaired_name(os.fsdecode(RAW_NAME)) == ("水质监测报告.pdf", "bytes")
    assert repaired_name("水质.pdf") is None and repaired_name("report.pdf") is None
    assert repaired_name("Müller.pdf") is None  # an ASCII byte would be swallowed
    assert repaired_name("Café Résumé.pdf") is None
    assert yaml_encoding("年度: 2019".encode("gbk")) == "gb18030"
    assert yaml_encoding("年度: 2019".encode("utf-16")) == "utf-16"
    assert yaml_encoding("年度: 2019".encode()) is None
    assert yaml_encoding(b"\xef\xbb\xbf" + "年度".encode()) is None
    assert doubled_extension("通报.pdf.PDF") == "通报.pdf"
    assert doubled_extension("2019.12.pdf") is None and doubled_extension("a.txt.txt") is None
    assert doubled_extension("方案.docx.docx") == "方案.docx"  # Word files are bound too


def test_preview_lists_everything_and_changes_nothing(root: Path,
                                                      catalogue: Catalogue) -> None:
    before = snapshot(root)
    plan = plan_tidy(root, catalogue)
    assert snapshot(root) == before
    by_kind = {(a.kind, a.source, a.target) for a in plan.actions}
    y2020, direct = f"{IND}/2020", f"{IND}/直接证明材料"
    assert by_kind == {
        (Kind.REPAIR_NAME, f"{y2020}/{os.fsdecode(RAW_NAME)}", f"{y2020}/水质监测报告.pdf"),
        (Kind.REPAIR_NAME, f"{IND}/长期有效/{MOJIBAKE}", f"{IND}/长期有效/国家标准.pdf"),
        (Kind.RENAME_YAML_TXT, f"{OTHER}/达标说明/达标说明.yaml.txt",
         f"{OTHER}/达标说明/达标说明.yaml"),
        (Kind.RENAME_DOUBLED, f"{IND}/2021/通报.pdf.pdf", f"{IND}/2021/通报.pdf"),
        (Kind.CONVERT_YAML, "共享数据.yaml", "共享数据.yaml"),
        (Kind.CONVERT_YAML, f"{IND}/达标说明/达标说明.yaml", f"{IND}/达标说明/达标说明.yaml"),
        (Kind.CONVERT_YAML, f"{OTHER}/达标说明/达标说明.yaml", f"{OTHER}/达标说明/达标说明.yaml"),
        (Kind.UNPACK, f"{direct}/考核材料.zip", f"{direct}/考核材料"),
        (Kind.KEEP_ARCHIVE, f"{direct}/考核材料.zip", f"{SET_ASIDE}/{direct}/考核材料.zip"),
        (Kind.MOVE_YEAR, f"{IND}/2018/01巴中市2019年度水质通报.pdf",
         f"{IND}/2019/01巴中市2019年度水质通报.pdf"),
        (Kind.MOVE_DUPLICATE, f"{IND}/2019/02监测月报（副本）.pdf",
         f"{SET_ASIDE}/{IND}/2019/02监测月报（副本）.pdf"),
    }
    kinds = [a.kind for a in plan.actions]
    # the .yaml.txt is renamed before it is converted, the zip unpacked before it is kept
    assert kinds.index(Kind.RENAME_YAML_TXT) < kinds.index(Kind.CONVERT_YAML)
    assert kinds.index(Kind.UNPACK) < kinds.index(Kind.KEEP_ARCHIVE)
    messages = {a.kind: a.message for a in plan.actions}
    assert messages[Kind.MOVE_YEAR].key == "tidy/move-year"
    assert messages[Kind.MOVE_YEAR].params["year"] == 2019
    assert messages[Kind.MOVE_YEAR].params["folder_year"] == 2018
    assert messages[Kind.UNPACK].params["count"] == 2
    assert messages[Kind.MOVE_DUPLICATE].params["other"] == f"{IND}/2019/01监测月报.pdf"
    converts = {a.source: a for a in plan.actions if a.kind is Kind.CONVERT_YAML}
    assert converts["共享数据.yaml"].message.params["encoding"] == "GBK"
    assert converts["共享数据.yaml"].backup == f"{SET_ASIDE}/共享数据.yaml"
    assert converts[f"{IND}/达标说明/达标说明.yaml"].message.params["encoding"] == "GBK"
    repair = next(a.message for a in plan.actions if a.kind is Kind.REPAIR_NAME
                  and "\\x" in a.message.params["file"])
    assert repair.key == "tidy/repair-name"
    for a in plan.actions:  # every message renders in both languages
        assert a.message.key in REGISTRY
        for lang in ("zh", "en"):
            assert translator(lang).render(a.message)
    assert plan.problems == ()


def test_apply_fixes_what_check_reports_and_undo_restores(root: Path,
                                                          catalogue: Catalogue) -> None:
    before = snapshot(root)
    assert codes(root, catalogue) >= WATCHED  # the mess is what check sees
    plan = plan_tidy(root, catalogue)
    log = apply_tidy(plan, root)
    assert log.problems == ()
    assert [a.kind for a in log.actions] == [a.kind for a in plan.actions]
    assert not codes(root, catalogue) & WATCHED
    ind = root / IND
    assert (ind / "2019" / "01巴中市2019年度水质通报.pdf").is_file()
    assert (ind / "2020" / "水质监测报告.pdf").is_file()
    assert (ind / "直接证明材料" / "考核材料" / "考核结果" / "2019年考核结果.pdf").is_file()
    assert (ind / "达标说明" / "达标说明.yaml").read_text(encoding="utf-8") == EXPLANATION
    assert (root / "共享数据.yaml").read_bytes() == SHARED.encode("utf-8")
    kept = root / SET_ASIDE
    assert (kept / "共享数据.yaml").read_bytes() == SHARED.encode("gbk")
    assert (kept / IND / "2019" / "02监测月报（副本）.pdf").is_file()
    assert (kept / IND / "直接证明材料" / "考核材料.zip").is_file()
    record = json.loads((root / LOG_FILE).read_text(encoding="utf-8"))
    assert [e["kind"] for e in record["actions"]] == [a.kind.value for a in plan.actions]
    assert all(e["done"] for e in record["actions"])
    raw = next(e for e in record["actions"] if "source_raw" in e)
    assert bytes.fromhex(raw["source_raw"]).endswith(RAW_NAME)
    # nothing more to do
    assert plan_tidy(root, catalogue).messages[0].key == "tidy-nothing"

    undone = undo_tidy(root)
    assert undone.problems == ()
    assert snapshot(root) == before
    assert {m.key for m in undone.done} == {"tidy-undo/moved-back", "tidy-undo/converted-back",
                                            "tidy-undo/unpacked-removed"}
    assert undo_tidy(root).problems[0].key == "tidy-undo/nothing"


def test_undo_leaves_a_changed_file_and_goes_on(root: Path, catalogue: Catalogue) -> None:
    before = snapshot(root)
    apply_tidy(plan_tidy(root, catalogue), root)
    moved = root / IND / "2019" / "01巴中市2019年度水质通报.pdf"
    write_pdf(moved, text="edited afterwards")
    converted = root / IND / "达标说明" / "达标说明.yaml"
    converted.write_text(EXPLANATION + "# 已修改\n", encoding="utf-8")
    undone = undo_tidy(root)
    changed = {m.params["file"] for m in undone.problems if m.key == "tidy-undo/changed"}
    assert changed == {f"{IND}/2019/01巴中市2019年度水质通报.pdf",
                       f"{IND}/达标说明/达标说明.yaml"}
    # the two that could not be reversed stay in the log, for a later --undo
    assert moved.is_file() and (root / LOG_FILE).exists()
    again = undo_tidy(root)
    assert {m.params["file"] for m in again.problems if m.key == "tidy-undo/changed"} == changed
    after = {k: v for k, v in snapshot(root).items() if not k.endswith(LOG_FILE.encode())}
    untouched = {k for k in before if b"2019\xe5\xb9\xb4\xe5\xba\xa6" not in k
                 and not k.endswith("达标说明/达标说明.yaml".encode())}
    assert {k: after.get(k) for k in untouched} == {k: before[k] for k in untouched}


def test_never_moves_onto_an_existing_file(tmp_path: Path, catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    write_pdf(root / IND / "2018" / "2019年通报.pdf", text="a")
    write_pdf(root / IND / "2019" / "2019年通报.pdf", text="b")
    write_pdf(root / IND / "2020" / "x.pdf.pdf", text="c")
    write_pdf(root / IND / "2020" / "x.pdf", text="d")
    plan = plan_tidy(root, catalogue)
    targets = {a.kind: a.target for a in plan.actions}
    assert targets[Kind.MOVE_YEAR] == f"{IND}/2019/2019年通报(2).pdf"
    assert targets[Kind.RENAME_DOUBLED] == f"{IND}/2020/x(2).pdf"
    before = snapshot(root)
    assert apply_tidy(plan, root).problems == ()
    assert undo_tidy(root).problems == ()
    assert snapshot(root) == before


def test_year_folder_created_and_links_left_alone(tmp_path: Path,
                                                  catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    write_pdf(root / IND / "2018" / "2020年度考核.pdf")
    outside = write_pdf(tmp_path / "outside" / "2019年通报.pdf")
    (root / IND / "2018" / "链接2019年.pdf").symlink_to(outside)
    plan = plan_tidy(root, catalogue)
    assert [(a.kind, a.target) for a in plan.actions] == [
        (Kind.MOVE_YEAR, f"{IND}/2020/2020年度考核.pdf")]
    before = snapshot(root)
    apply_tidy(plan, root)
    assert (root / IND / "2020" / "2020年度考核.pdf").is_file()
    undo_tidy(root)
    assert snapshot(root) == before and not (root / IND / "2020").exists()


def test_interrupted_run_is_undone(root: Path, catalogue: Catalogue) -> None:
    """A run stopped after some actions: the log holds them, undo reverses them."""
    before = snapshot(root)
    plan = plan_tidy(root, catalogue)
    half = type(plan)(plan.root, plan.actions[:5], ())
    apply_tidy(half, root)
    assert snapshot(root) != before
    assert undo_tidy(root).problems == ()
    assert snapshot(root) == before


def test_unreadable_log_changes_nothing(root: Path, catalogue: Catalogue) -> None:
    (root / LOG_FILE).write_text("{broken", encoding="utf-8")
    before = snapshot(root)
    log = apply_tidy(plan_tidy(root, catalogue), root)
    assert [m.key for m in log.problems] == ["tidy-log-unreadable"] and not log.done
    assert undo_tidy(root).problems[0].key == "tidy-log-unreadable"
    assert snapshot(root) == before


def test_move_logged_as_pending_is_still_undone(root: Path, catalogue: Catalogue) -> None:
    """Killed after a rename but before its entry was marked done."""
    before = snapshot(root)
    apply_tidy(plan_tidy(root, catalogue), root)
    record = json.loads((root / LOG_FILE).read_text(encoding="utf-8"))
    for entry in record["actions"]:
        if entry["kind"] != Kind.UNPACK.value:
            entry["done"] = False
    (root / LOG_FILE).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert undo_tidy(root).problems == ()
    assert snapshot(root) == before


def test_second_run_keeps_earlier_set_aside_files(tmp_path: Path,
                                                  catalogue: Catalogue) -> None:
    root = tmp_path / "m"
    for _ in range(2):
        write_pdf(root / IND / "2019" / "01月报.pdf", text="same")
        write_pdf(root / IND / "2019" / "02月报.pdf", text="same")
        plan = plan_tidy(root, catalogue)
        assert apply_tidy(plan, root).problems == ()
    kept = sorted(p.name for p in (root / SET_ASIDE / IND / "2019").iterdir())
    assert kept == ["02月报(2).pdf", "02月报.pdf"]
    record = json.loads((root / LOG_FILE).read_text(encoding="utf-8"))
    assert len(record["actions"]) == 2  # both runs in one log, undone together
    undone = undo_tidy(root)  # the second copy goes back; the first finds its place taken
    assert [m.key for m in undone.problems] == ["tidy-undo/occupied"]
    assert sorted(p.name for p in (root / IND / "2019").iterdir()) == ["01月报.pdf",
                                                                      "02月报.pdf"]
    assert (root / SET_ASIDE / IND / "2019" / "02月报.pdf").is_file()


def test_missing_folder_is_a_usage_error(tmp_path: Path, catalogue: Catalogue) -> None:
    from dossier.errors import UsageError

    with pytest.raises(UsageError) as caught:
        plan_tidy(tmp_path / "nope", catalogue)
    assert caught.value.message.key == "materials-folder-missing"


def test_duplicates_that_are_evidence_twice_stay(tmp_path: Path, catalogue: Catalogue) -> None:
    """The same file filed for two indicators, two years or two review points is evidence
    twice: only a copy in the same folder answering no other point is set aside."""
    root = tmp_path / "m"
    data = pdf_bytes(1, "same")
    for rel in ("12-水环境质量/2019/(1)考核.pdf", "13-生态环境状况指数/2019/(1)考核.pdf",
                "12-水环境质量/2020/(1)考核.pdf", "12-水环境质量/2019/(2)公报.pdf",
                "12-水环境质量/2019/(1)考核副本.pdf"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    plan = plan_tidy(root, catalogue)
    moved = [a.source for a in plan.actions if a.kind == Kind.MOVE_DUPLICATE]
    assert moved == ["12-水环境质量/2019/(1)考核副本.pdf"]
