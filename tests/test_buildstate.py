"""The fast no-op path: a re-run with nothing changed answers from OUT/.dossier-state.json;
any change anywhere, or any doubt, goes through the full plan."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier import buildstate
from dossier.buildstate import Invocation, Volume
from dossier.cli import app
from dossier.options import BuildOptions

from makefiles import make_volume_tree, write_pdf

runner = CliRunner()
OPTS = BuildOptions(date="2021年3月", epoch=1614556800)


def _inv(root: Path, out: Path, **kw: object) -> Invocation:
    fields: dict[str, object] = {"materials": root, "out_dir": out, "indicators": (12,),
                                 "everything": False, "unit": None, "options": OPTS,
                                 "catalogue": None, "templates": ()}
    fields.update(kw)
    return Invocation(**fields)  # type: ignore[arg-type]


def _record(inv: Invocation) -> str:
    """A fake finished build of indicator 12: one PDF and its manifest."""
    inv.out_dir.mkdir(parents=True, exist_ok=True)
    (inv.out_dir / "12.pdf").write_bytes(b"%PDF-1.7 fake")
    (inv.out_dir / "12.manifest.json").write_text("{}", encoding="utf-8")
    signature = buildstate.tree_signature(inv.materials)
    buildstate.record(inv, signature, [Volume(12, "—", "12.pdf", "12.manifest.json")], [3])
    return signature


def test_unchanged_tree_and_outputs_are_fresh(tmp_path: Path) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    inv = _inv(root, tmp_path / "out")
    _record(inv)
    fresh = buildstate.check(inv, buildstate.tree_signature(root))
    assert fresh is not None
    assert fresh.volumes == (Volume(12, "—", "12.pdf", "12.manifest.json"),)
    assert fresh.missing == (3,)


@pytest.mark.parametrize("change", ["add", "remove", "rewrite", "touch", "rename", "mkdir"])
def test_any_change_in_the_tree_changes_the_signature(tmp_path: Path, change: str) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    before = buildstate.tree_signature(root)
    some = sorted((root / "12-水环境质量" / "2019").iterdir())[0]
    if change == "add":
        write_pdf(root / "12-水环境质量" / "2020" / "09-新文件.pdf")
    elif change == "remove":
        some.unlink()
    elif change == "rewrite":  # same size, same mtime: the ctime still moves
        st = some.stat()
        data = bytearray(some.read_bytes())
        data[-1] ^= 1
        some.write_bytes(bytes(data))
        os.utime(some, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif change == "touch":
        os.utime(some, ns=(1, 1))
    elif change == "rename":
        some.rename(some.with_name("99-" + some.name))
    else:
        (root / "12-水环境质量" / "新文件夹").mkdir()
    assert buildstate.tree_signature(root) != before


def test_signature_follows_links_inside_and_survives_loops(tmp_path: Path) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    folder = root / "12-水环境质量"
    elsewhere = tmp_path / "elsewhere" / "sub"
    elsewhere.mkdir(parents=True)
    try:
        (folder / "loop").symlink_to(folder, target_is_directory=True)
        (folder / "outside").symlink_to(elsewhere.parent, target_is_directory=True)
    except OSError:
        pytest.skip("no symlinks here")
    before = buildstate.tree_signature(root)  # terminates
    write_pdf(elsewhere / "x.pdf")  # outside the tree: not walked
    assert buildstate.tree_signature(root) == before
    os.utime(sorted((folder / "2019").iterdir())[0], ns=(5, 5))
    assert buildstate.tree_signature(root) != before


def test_changed_invocation_or_outputs_are_not_fresh(tmp_path: Path) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    inv = _inv(root, tmp_path / "out")
    signature = _record(inv)
    other = BuildOptions(date="2021年3月", epoch=1614556800, allow_broken=True)
    assert buildstate.check(_inv(root, inv.out_dir, options=other), signature) is None
    assert buildstate.check(_inv(root, inv.out_dir, indicators=(12, 13)), signature) is None
    assert buildstate.check(inv, "another tree") is None
    (inv.out_dir / "12.pdf").write_bytes(b"%PDF-1.7 edited by hand")
    assert buildstate.check(inv, signature) is None


def test_template_override_content_is_part_of_the_key(tmp_path: Path) -> None:
    root, templates = tmp_path / "m", tmp_path / "tpl"
    make_volume_tree(root)
    templates.mkdir()
    (templates / "cover.yaml.j2").write_text("- text: a\n  size: 20\n  y: 50\n",
                                             encoding="utf-8")
    inv = _inv(root, tmp_path / "out", templates=(templates,))
    signature = _record(inv)
    assert buildstate.check(inv, signature) is not None
    (templates / "cover.yaml.j2").write_text("- text: b\n  size: 20\n  y: 50\n",
                                             encoding="utf-8")
    assert buildstate.check(inv, signature) is None


def test_forget_and_unreadable_state_fall_back_to_planning(tmp_path: Path) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    inv = _inv(root, tmp_path / "out")
    signature = _record(inv)
    buildstate.forget(inv)
    assert buildstate.check(inv, signature) is None
    _record(inv)
    (inv.out_dir / buildstate.STATE_FILE).write_text("{ not json", encoding="utf-8")
    assert buildstate.check(inv, signature) is None
    (inv.out_dir / buildstate.STATE_FILE).write_text(json.dumps(
        {"format": 1, "entries": {buildstate.invocation_key(inv): {"tree": signature,
                                                                   "volumes": "bad"}}}),
        encoding="utf-8")
    assert buildstate.check(inv, signature) is None


def test_state_keeps_a_bounded_number_of_invocations(tmp_path: Path) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    for n in range(buildstate.KEEP + 5):
        _record(_inv(root, tmp_path / "out", options=BuildOptions(date="x", epoch=n)))
    data = json.loads((tmp_path / "out" / buildstate.STATE_FILE).read_text(encoding="utf-8"))
    assert len(data["entries"]) == buildstate.KEEP


def test_cli_rerun_answers_without_planning(tmp_path: Path, test_font: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    args = ["build", str(root), "-o", str(out), "--font", str(test_font), "--all"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "1 built" in first.stdout and "skipped" in first.output
    pdf = out / "12-水环境质量.pdf"
    mtime = pdf.stat().st_mtime_ns

    import dossier.build

    def no_planning(*args: object, **kw: object) -> None:
        raise AssertionError("planned although nothing changed")

    monkeypatch.setattr(dossier.build, "make_plan", no_planning)
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "0 built, 1 up to date, 0 failed" in again.stdout
    assert "skipped" in again.output  # the same warning as a full run
    assert pdf.stat().st_mtime_ns == mtime
    monkeypatch.undo()

    os.utime(sorted((root / "12-水环境质量" / "2019").iterdir())[0], ns=(7, 7))
    changed = runner.invoke(app, args)  # mtime changed, content not: planned, rebuilt
    assert changed.exit_code == 0 and "1 built" in changed.stdout
    pdf.unlink()
    gone = runner.invoke(app, args)
    assert gone.exit_code == 0 and "1 built" in gone.stdout and pdf.exists()


def test_cli_failed_build_leaves_no_shortcut(tmp_path: Path, test_font: Path) -> None:
    from makefiles import write_truncated_pdf

    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    args = ["build", str(root), "-o", str(out), "--font", str(test_font), "-i", "12"]
    assert runner.invoke(app, args).exit_code == 0
    broken = root / "12-水环境质量" / "2020" / "09-坏文件.pdf"
    write_truncated_pdf(broken)
    assert runner.invoke(app, args).exit_code == 1
    state = json.loads((out / buildstate.STATE_FILE).read_text(encoding="utf-8"))
    assert state["entries"] == {}
    broken.unlink()
    assert runner.invoke(app, args).exit_code == 0
