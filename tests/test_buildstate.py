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
    pdf = inv.out_dir / "12.pdf"
    pdf.write_bytes(b"%PDF-1.7 fake")
    (inv.out_dir / "12.manifest.json").write_text("{}", encoding="utf-8")
    signature = buildstate.tree_signature(inv.materials)
    st = pdf.stat()
    buildstate.record(inv.out_dir, buildstate.invocation_key(inv), signature,
                      [Volume(12, "—", "12.pdf", "12.manifest.json", st.st_size,
                              st.st_mtime_ns)], [3])
    return signature


def _check(inv: Invocation, signature: str) -> buildstate.Fresh | None:
    return buildstate.check(inv.out_dir, buildstate.invocation_key(inv), signature)


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Invocation, str]:
    """Indicator 12's tree with a recorded build: the invocation and the tree signature."""
    root = tmp_path / "m"
    make_volume_tree(root)
    inv = _inv(root, tmp_path / "out")
    return inv, _record(inv)


def test_unchanged_tree_and_outputs_are_fresh(recorded: tuple[Invocation, str]) -> None:
    inv, _ = recorded
    fresh = _check(inv, buildstate.tree_signature(inv.materials))
    assert fresh is not None
    assert [(v.indicator, v.label, v.output, v.manifest) for v in fresh.volumes] == [
        (12, "—", "12.pdf", "12.manifest.json")]
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


def test_changed_invocation_or_outputs_are_not_fresh(recorded: tuple[Invocation, str]) -> None:
    inv, signature = recorded
    root = inv.materials
    other = BuildOptions(date="2021年3月", epoch=1614556800, allow_broken=True)
    assert _check(_inv(root, inv.out_dir, options=other), signature) is None
    assert _check(_inv(root, inv.out_dir, indicators=(12, 13)), signature) is None
    assert _check(inv, "another tree") is None
    (inv.out_dir / "12.pdf").write_bytes(b"%PDF-1.7 edited by hand")
    assert _check(inv, signature) is None


def test_unverified_volumes_are_not_recorded(recorded: tuple[Invocation, str]) -> None:
    """record() keeps a volume only with the size and mtime its manifest holds for the
    plan just built; without them (an output rewritten by an editor or by another build
    meanwhile) it records nothing."""
    inv, signature = recorded
    key = buildstate.invocation_key(inv)
    buildstate.record(inv.out_dir, key, signature,
                      [Volume(12, "—", "12.pdf", "12.manifest.json")], [])  # size unknown
    assert buildstate.check(inv.out_dir, key, signature) is None


def test_template_override_content_is_part_of_the_key(tmp_path: Path) -> None:
    root, templates = tmp_path / "m", tmp_path / "tpl"
    make_volume_tree(root)
    templates.mkdir()
    (templates / "cover.yaml.j2").write_text("- text: a\n  size: 20\n  y: 50\n",
                                             encoding="utf-8")
    inv = _inv(root, tmp_path / "out", templates=(templates,))
    signature = _record(inv)
    assert _check(inv, signature) is not None
    (templates / "cover.yaml.j2").write_text("- text: b\n  size: 20\n  y: 50\n",
                                             encoding="utf-8")
    assert _check(inv, signature) is None


def test_linked_template_folders_are_part_of_the_key(tmp_path: Path) -> None:
    """jinja's loader follows a linked folder for {% include %}; so does the key."""
    templates, shared = tmp_path / "tpl", tmp_path / "shared"
    templates.mkdir()
    shared.mkdir()
    (shared / "extra.j2").write_text("a", encoding="utf-8")
    try:
        (templates / "parts").symlink_to(shared, target_is_directory=True)
        (templates / "loop").symlink_to(templates, target_is_directory=True)
    except OSError:
        pytest.skip("no symlinks here")
    inv = _inv(tmp_path / "m", tmp_path / "out", templates=(templates,))
    before = buildstate.invocation_key(inv)
    (shared / "extra.j2").write_text("b", encoding="utf-8")
    assert buildstate.invocation_key(inv) != before


def test_forget_and_unreadable_state_fall_back_to_planning(
        recorded: tuple[Invocation, str]) -> None:
    inv, signature = recorded
    buildstate.forget(inv.out_dir, buildstate.invocation_key(inv))
    assert _check(inv, signature) is None
    _record(inv)
    (inv.out_dir / buildstate.STATE_FILE).write_text("{ not json", encoding="utf-8")
    assert _check(inv, signature) is None
    (inv.out_dir / buildstate.STATE_FILE).write_text(json.dumps(
        {"format": 1, "entries": {buildstate.invocation_key(inv): {"tree": signature,
                                                                   "volumes": "bad"}}}),
        encoding="utf-8")
    assert _check(inv, signature) is None


def test_state_keeps_a_bounded_number_of_invocations(tmp_path: Path) -> None:
    root = tmp_path / "m"
    make_volume_tree(root)
    for n in range(buildstate.KEEP + 5):
        _record(_inv(root, tmp_path / "out", options=BuildOptions(date="x", epoch=n)))
    data = json.loads((tmp_path / "out" / buildstate.STATE_FILE).read_text(encoding="utf-8"))
    assert len(data["entries"]) == buildstate.KEEP


def _identity(path: Path) -> tuple[int, int]:
    """A file written anew (atomically, under a new inode) has another identity."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_cli_rerun_answers_without_planning(tmp_path: Path, test_font: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import dossier.console

    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    args = ["build", str(root), "-o", str(out), "--font", str(test_font), "--all",
            "--volumes", "single"]
    skipped: list[tuple[int, ...]] = []
    real_skipped = dossier.console.skipped

    def record_skipped(*a: object, **kw: object) -> None:
        skipped.append(tuple(a[-1]))  # type: ignore[arg-type]  (the missing indicators)
        real_skipped(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(dossier.console, "skipped", record_skipped)
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    pdf = out / "12-水环境质量.pdf"
    built = _identity(pdf)
    assert skipped and 12 not in skipped[0] and 13 in skipped[0]

    import dossier.build

    def no_planning(*args: object, **kw: object) -> None:
        raise AssertionError("planned although nothing changed")

    monkeypatch.setattr(dossier.build, "make_plan", no_planning)
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert skipped[1] == skipped[0]  # the same warning as a full run
    assert _identity(pdf) == built
    monkeypatch.undo()

    os.utime(sorted((root / "12-水环境质量" / "2019").iterdir())[0], ns=(7, 7))
    changed = runner.invoke(app, args)  # mtime changed, content not: planned, rebuilt
    assert changed.exit_code == 0, changed.output
    assert _identity(pdf) != built
    pdf.unlink()
    gone = runner.invoke(app, args)
    assert gone.exit_code == 0 and pdf.exists()


def test_cli_failed_build_leaves_no_shortcut(tmp_path: Path, test_font: Path) -> None:
    from makefiles import write_truncated_pdf

    root, out = tmp_path / "m", tmp_path / "out"
    make_volume_tree(root)
    args = ["build", str(root), "-o", str(out), "--font", str(test_font), "-i", "12",
            "--volumes", "single"]
    assert runner.invoke(app, args).exit_code == 0
    broken = root / "12-水环境质量" / "2020" / "09-坏文件.pdf"
    write_truncated_pdf(broken)
    assert runner.invoke(app, args).exit_code == 1
    state = json.loads((out / buildstate.STATE_FILE).read_text(encoding="utf-8"))
    assert state["entries"] == {}
    broken.unlink()
    assert runner.invoke(app, args).exit_code == 0


def test_cli_state_describes_inputs_as_they_were_when_the_build_started(
        tmp_path: Path, test_font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template saved while volumes are being written, or a PDF rewritten by an editor
    before the build ends, must not be recorded as this build's result."""
    import dossier.build

    root, out, templates = tmp_path / "m", tmp_path / "out", tmp_path / "tpl"
    make_volume_tree(root)
    templates.mkdir()
    cover = templates / "cover.yaml.j2"
    cover.write_text('- text: "{{ city }}"\n  size: 30\n  y: 100\n', encoding="utf-8")
    args = ["build", str(root), "-o", str(out), "--font", str(test_font), "-i", "12",
            "--templates", str(templates), "--volumes", "single"]
    real_build = dossier.build.build

    def build_then_edit_template(*a: object, **kw: object) -> object:
        result = real_build(*a, **kw)  # type: ignore[arg-type]
        cover.write_text('- text: "新封面"\n  size: 30\n  y: 100\n', encoding="utf-8")
        return result

    monkeypatch.setattr(dossier.build, "build", build_then_edit_template)
    assert runner.invoke(app, args).exit_code == 0
    monkeypatch.undo()
    before = _identity(out / "12-水环境质量.pdf")
    again = runner.invoke(app, args)  # the edited template: planned and rebuilt
    assert again.exit_code == 0, again.output
    assert _identity(out / "12-水环境质量.pdf") != before

    def build_then_touch_output(*a: object, **kw: object) -> object:
        result = real_build(*a, **kw)  # type: ignore[arg-type]
        pdf = out / "12-水环境质量.pdf"
        pdf.write_bytes(pdf.read_bytes() + b"\n% annotated by an editor\n")
        return result

    monkeypatch.setattr(dossier.build, "build", build_then_touch_output)
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    monkeypatch.undo()
    before = _identity(out / "12-水环境质量.pdf")
    third = runner.invoke(app, args)
    assert third.exit_code == 0, third.output
    assert _identity(out / "12-水环境质量.pdf") != before  # rebuilt: not taken for this build's
