"""Fault injection, end to end: each row of issue 15's table as its own test.

Every command runs as a subprocess with a timeout, so a hang fails its test instead of
stalling the suite; no output may hold a Python traceback. Faults are real where they can
be (kill -9, truncation, renames, FIFOs, sparse files, locks held by another process) and
injected where they cannot (a full disk: ENOSPC raised by the write)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from makefiles import write_pdf

IND = "12-水环境质量"
MARK = ".dossier-part"


def dossier(*args: str | Path, timeout: float = 90, script: str = "",
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`dossier ARGS` in Chinese; `script`: Python run first in the process (an injected
    fault), then the command line."""
    command = [sys.executable, "-c", script + "\nfrom dossier.cli import main\nmain()\n"] \
        if script else [sys.executable, "-m", "dossier"]
    done = subprocess.run([*command, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout,
                          env={**os.environ, "COLUMNS": "300", "DOSSIER_LANG": "zh",
                               **(env or {})})
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def said(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Indicator 12 with a year of two PDFs: one volume (--volumes single)."""
    base = tmp_path / "m"
    write_pdf(base / IND / "2019" / "01(1)2019年水质.pdf", 2)
    write_pdf(base / IND / "2019" / "02(1)2019年通报.pdf", 3)
    return base


def build(root: Path, out: Path, *more: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return dossier("build", root, "-i", "12", "--volumes", "single", "-o", out, *more,
                   **kw)  # type: ignore[arg-type]


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*" + MARK))


# -- OUT belongs to the user ----------------------------------------------------------


def test_look_alike_files_in_out_survive_every_command(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = {"x.part": b"1", ".y.pdf.part": b"2", ".my-download.part": b"3",
            ".notes.txt.part": b"4", "z.manifest.json": b'{"mine": true}',
            ".a.pdf.12345678.part": b"5", "b.dossier-part": b"6"}
    for name, data in mine.items():
        (out / name).write_bytes(data)
    for args in (("build",), ("build", "--force"), ("build",)):
        assert build(root, out, *args[1:]).returncode == 0
    dossier("status", out, "--materials", root)
    dossier("verify", out, "--materials", root)
    for name, data in mine.items():
        assert (out / name).read_bytes() == data, name


# -- no orphans, no litter ------------------------------------------------------------

SLOW_WORKERS = ("import time, dossier.build as b\n"
                "def slow(*a, **k):\n    time.sleep(600)\n"
                "slow.__module__, slow.__qualname__ = 'dossier.build', '_build_one'\n"
                "b._build_one = slow\n")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in
                Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("whole_group", [False, True])
def test_kill_9_of_a_parallel_build_leaves_no_worker_running(tmp_path: Path,
                                                            whole_group: bool) -> None:
    base = tmp_path / "m"
    for folder in ("01-生态文明建设规划", "08-河长制", IND):
        write_pdf(base / folder / "2019" / "01(1)2019年材料.pdf", 2)
    command = [sys.executable, "-c", SLOW_WORKERS + "from dossier.cli import main\nmain()\n",
               "build", str(base), "--all", "--volumes", "single", "-j", "2", "-o",
               str(tmp_path / "out")]
    main = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        until = time.monotonic() + 60
        while len(_children(main.pid)) < 2 and time.monotonic() < until:
            time.sleep(0.1)
        workers = _children(main.pid)
        assert len(workers) >= 2
        if whole_group:
            os.killpg(main.pid, signal.SIGKILL)
        else:
            os.kill(main.pid, signal.SIGKILL)
        main.wait(timeout=10)
        until = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < until:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(main.pid, signal.SIGKILL)


def test_kill_9_during_force_at_several_moments_then_an_up_to_date_build_cleans_up(
        tmp_path: Path) -> None:
    """A 600-page volume rebuilt with --force and killed at different moments: what is in
    OUT afterwards is the old volume or nothing, never half a file; the next build, even
    one that finds everything up to date, removes the killed one's temporary file."""
    base = tmp_path / "m"
    write_pdf(base / IND / "2019" / "01(1)2019年水质.pdf", 600)
    out = tmp_path / "out"
    assert build(base, out).returncode == 0
    [volume] = out.glob("*.pdf")
    good = volume.read_bytes()
    command = [sys.executable, "-m", "dossier", "build", str(base), "-i", "12", "--volumes",
               "single", "-o", str(out), "--force"]
    for delay in (0.3, 0.8, 1.5, 2.5):
        running = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(running.pid, signal.SIGKILL)
        running.wait(timeout=10)
        assert volume.read_bytes() == good  # the same document, old or rebuilt alike
    (out / f".{volume.name}.abcd1234{MARK}").write_bytes(b"%PDF-1.7 half")  # surely one
    again = build(base, out)
    assert again.returncode == 0 and "已是最新" in said(again)
    assert leftovers(out) == []
    assert dossier("verify", out, "--materials", base).returncode == 0


# -- one build per OUT ----------------------------------------------------------------


def test_a_second_build_into_the_same_out_waits_then_says_so(root: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(root, out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    holder = subprocess.Popen(  # another process holds OUT's lock, as a running build does
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from dossier.outlock import locked\n"
         "with locked(Path(sys.argv[1])):\n    print('held', flush=True)\n"
         "    time.sleep(60)\n", str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        second = build(root, out, "--force", env={"DOSSIER_LOCK_WAIT": "1"})
        assert second.returncode == 2
        assert "另一个" in said(second) and str(holder.pid) in said(second)
    finally:
        holder.kill()
        holder.wait()
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {k: v for k, v in after.items() if k != ".dossier-lock"} == {
        k: v for k, v in before.items() if k != ".dossier-lock"}


# -- sources that change during a build -----------------------------------------------

TRUNCATE_AFTER_READ = (
    "import os, dossier.snapshot as s\n"
    "real = s._read_bounded\n"
    "def read(fh, size, until, shown, *rest):\n"
    "    data = real(fh, size, until, shown, *rest)\n"
    "    if shown.endswith('水质.pdf'):\n"
    "        os.truncate(shown, size // 2)\n"
    "    return data\n"
    "s._read_bounded = read\n")


def test_a_source_truncated_while_it_is_read_fails_its_volume_or_is_a_placeholder(
        root: Path, tmp_path: Path) -> None:
    failed = build(root, tmp_path / "a", script=TRUNCATE_AFTER_READ)
    assert failed.returncode == 1
    assert "01(1)2019年水质.pdf" in said(failed) and "发生了变化" in said(failed)
    assert not list((tmp_path / "a").glob("*.pdf")) and leftovers(tmp_path / "a") == []


def test_a_1000_page_source_truncated_in_place_during_a_build_never_hangs(
        tmp_path: Path) -> None:
    """A real race: whatever moment the truncation hits, the build ends, and a volume it
    made is whole (its pages as the plan counted them)."""
    base = tmp_path / "m"
    big = write_pdf(base / IND / "2019" / "01(1)2019年水质.pdf", 1000)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "dossier", "build", str(base), "-i", "12", "--volumes",
               "single", "-o", str(out)]
    running = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "DOSSIER_LANG": "zh",
                                               "COLUMNS": "300"})
    time.sleep(0.5)
    os.truncate(big, big.stat().st_size // 3)
    text, _ = running.communicate(timeout=120)
    assert "Traceback" not in text
    assert running.returncode in (0, 1), text
    volumes = list(out.glob("*.pdf"))
    if running.returncode == 1:
        assert "水质.pdf" in text and volumes == []
    else:
        [volume] = volumes
        assert len(PdfReader(volume).pages) == 1 + 1 + 1000


def test_a_source_replaced_by_rename_after_the_scan_is_never_bound_as_planned(
        root: Path, tmp_path: Path) -> None:
    """The scan counted 2 pages; a 7-page file is renamed over it before it is read."""
    swap = ("import os, sys, dossier.assemble as a\n"
            f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "from makefiles import write_pdf\n"
            "from pathlib import Path\n"
            "real = a._Opened.__init__\n"
            "def opened(self, source, *rest):\n"
            "    if source.rel.endswith('水质.pdf'):\n"
            "        new = write_pdf(Path(source.path).with_name('新.tmp'), 7)\n"
            "        os.replace(new, source.path)\n"
            "    real(self, source, *rest)\n"
            "a._Opened.__init__ = opened\n")
    failed = build(root, tmp_path / "a", script=swap)
    assert failed.returncode == 1 and "发生了变化" in said(failed)
    write_pdf(root / IND / "2019" / "01(1)2019年水质.pdf", 2)  # as it was: a new scan
    placeholder = build(root, tmp_path / "b", "--allow-broken", script=swap)
    assert placeholder.returncode == 0, said(placeholder)
    [volume] = (tmp_path / "b").glob("*.pdf")
    assert len(PdfReader(volume).pages) == 1 + 1 + 1 + 3  # cover, 目录, placeholder, 3 pages


def test_a_source_deleted_during_a_build_fails_its_volume_naming_it(
        root: Path, tmp_path: Path) -> None:
    gone = ("import os, dossier.assemble as a\n"
            "real = a._Opened.__init__\n"
            "def opened(self, source, *rest):\n"
            "    if source.rel.endswith('通报.pdf'):\n"
            "        os.unlink(source.path)\n"
            "    real(self, source, *rest)\n"
            "a._Opened.__init__ = opened\n")
    failed = build(root, tmp_path / "a", script=gone)
    assert failed.returncode == 1 and "02(1)2019年通报.pdf" in said(failed)


# -- output paths ---------------------------------------------------------------------


@pytest.mark.parametrize("case", ["file", "devnull", "dangling", "read-only", "too-long"])
def test_every_output_path_problem_is_one_line_not_a_traceback(root: Path, tmp_path: Path,
                                                               case: str) -> None:
    if case == "file":
        out = tmp_path / "a-file"
        out.write_text("mine")
    elif case == "devnull":
        out = Path(os.devnull)
    elif case == "dangling":
        out = tmp_path / "link"
        out.symlink_to(tmp_path / "nowhere")
    elif case == "read-only":  # a place nobody can create a folder in, root included
        out = Path("/proc/dossier-out")
    else:
        out = tmp_path / ("长" * 200)
    done = build(root, out)
    assert done.returncode == 2, said(done)
    assert str(out)[:40] in said(done) or out.name[:20] in said(done)
    if case == "file":
        assert (tmp_path / "a-file").read_text() == "mine"


def test_a_full_disk_while_the_manifest_is_written_is_a_message(root: Path,
                                                                tmp_path: Path) -> None:
    full = ("import errno, dossier.manifest as m\n"
            "real = m.atomic_output\n"
            "import contextlib\n"
            "@contextlib.contextmanager\n"
            "def full(path):\n"
            "    with real(path) as fh:\n"
            "        raise OSError(errno.ENOSPC, 'No space left on device')\n"
            "        yield fh\n"
            "m.atomic_output = full\n")
    out = tmp_path / "out"
    done = build(root, out, script=full)
    assert done.returncode == 1
    assert "磁盘空间已满" in said(done) and ".manifest.json" in said(done)
    assert not list(out.glob("*.manifest.json")) and leftovers(out) == []
    again = build(root, out)  # room again: the volume without its manifest is rebuilt
    assert again.returncode == 0 and "装订 1 册" in said(again)


def test_a_folder_where_a_manifest_must_go_fails_that_volume_before_it_is_written(
        tmp_path: Path) -> None:
    base = tmp_path / "m"
    write_pdf(base / IND / "2019" / "01(1)2019年水质.pdf", 2)
    write_pdf(base / "08-河长制" / "2019" / "01(1)2019年河长.pdf", 2)
    out = tmp_path / "out"
    blocked = out / "12-水环境质量.manifest.json"
    blocked.mkdir(parents=True)
    done = dossier("build", base, "-i", "12", "-i", "8", "--volumes", "single", "-o", out)
    assert done.returncode == 1
    assert "12-水环境质量.manifest.json" in said(done) and "文件夹" in said(done)
    assert not (out / "12-水环境质量.pdf").exists()  # never a volume without its manifest
    assert (out / "08-河长制.pdf").is_file() and (out / "08-河长制.manifest.json").is_file()
    assert blocked.is_dir()


# -- verify survives any manifest -----------------------------------------------------


@pytest.mark.parametrize("edit", ["no-output", "sources-not-a-list", "source-is-dev-zero",
                                  "absolute", "dotdot", "not-json", "deep"])
def test_verify_turns_any_manifest_into_a_corrupt_manifest_line(root: Path, tmp_path: Path,
                                                                edit: str) -> None:
    out = tmp_path / "out"
    assert build(root, out).returncode == 0
    [manifest] = out.glob("*.manifest.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    if edit == "no-output":
        del data["output"]
    elif edit == "sources-not-a-list":
        data["sources"] = 5
    elif edit in ("source-is-dev-zero", "absolute", "dotdot"):
        data["sources"][0]["path"] = {"source-is-dev-zero": "/dev/zero", "absolute":
                                      "/etc/passwd", "dotdot": "../../etc/passwd"}[edit]
    text = json.dumps(data, ensure_ascii=False)
    if edit == "not-json":
        text = text[: len(text) // 2]
    elif edit == "deep":
        text = "[" * 100_000 + "]" * 100_000
    manifest.write_text(text, encoding="utf-8")
    done = dossier("verify", out, "--materials", root, timeout=60)
    assert done.returncode == 1, said(done)
    assert "清单" in said(done)


# -- user templates and YAML ----------------------------------------------------------


@pytest.mark.parametrize(("template", "expected"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "秒"),
    ("{{ range(10**9)|list }}", "cover.yaml.j2"),
    ("{{ 'x' * 10**10 }}", "个字符"),
    ("{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}", "层"),
    ("{% include 'cover.yaml.j2' %}", "层"),
    ("GBK", "GBK"),
])
def test_a_hostile_cover_template_fails_its_volume_with_a_message(
        root: Path, tmp_path: Path, template: str, expected: str) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    if template == "GBK":
        (folder / "cover.yaml.j2").write_bytes("- 封面\n".encode("gbk"))
    else:
        (folder / "cover.yaml.j2").write_text(template, encoding="utf-8")
    done = build(root, tmp_path / "out", "--templates", folder, timeout=120)
    assert done.returncode == 1, said(done)
    assert "cover.yaml.j2" in said(done) and expected in said(done)
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("where", ["达标说明", "共享数据", "catalogue"])
@pytest.mark.parametrize("depth", [600, 990])
def test_yaml_nested_too_deep_is_a_finding_in_check_build_and_list(
        root: Path, tmp_path: Path, where: str, depth: int) -> None:
    text = "a: " + "[" * depth + "]" * depth + "\n"
    if where == "catalogue":
        catalogue = tmp_path / "目录.yaml"
        catalogue.write_text(text, encoding="utf-8")
        for args in (("check", root), ("list",),
                     ("build", root, "-i", "12", "-o", tmp_path / "out")):
            done = dossier(*args, "--catalogue", catalogue)
            assert done.returncode == 2 and "层" in said(done), said(done)
        return
    path = (root / IND / "达标说明" / "达标说明.yaml" if where == "达标说明"
            else root / "共享数据.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    checked = dossier("check", root, "-i", "12")
    assert checked.returncode == 1 and "层" in said(checked), said(checked)
    assert build(root, tmp_path / "out").returncode in (0, 1)
    assert dossier("list", "--materials", root).returncode in (0, 1, 2)


def test_a_yaml_integer_of_100000_digits_is_a_finding(root: Path) -> None:
    path = root / "共享数据.yaml"
    path.write_text("常住人口:\n  单位: 万人\n  数值: {2019: " + "9" * 100_000 + "}\n",
                    encoding="utf-8")
    done = dossier("check", root, "-i", "12")
    assert done.returncode == 1 and "共享数据.yaml" in said(done)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero")
@pytest.mark.parametrize("target", ["devzero", "fifo"])
def test_a_catalogue_that_is_a_device_or_a_pipe_is_refused_at_once(
        root: Path, tmp_path: Path, target: str) -> None:
    if target == "fifo":
        path = tmp_path / "目录.yaml"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    done = dossier("check", root, "--catalogue", path, timeout=30)
    assert done.returncode == 2 and str(path) in said(done)


def test_data_files_linked_from_outside_the_tree_are_refused_not_used(
        root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "共享数据.yaml").write_text("常住人口:\n  单位: 万人\n  数值: {2019: 331.9}\n",
                                          encoding="utf-8")
    (root / "共享数据.yaml").symlink_to(elsewhere / "共享数据.yaml")
    done = dossier("check", root, "-i", "12", "--format", "json")
    found = json.loads(done.stdout)["findings"]
    shared = [f["params"]["problem"]["key"] for f in found
              if f["code"] == "shared-data-invalid"]
    assert shared == ["yaml.outside-tree"]
    assert [f["path"] for f in found if f["code"] == "path-outside-tree"] == ["共享数据.yaml"]
    assert "331.9" not in done.stdout  # its figures are nowhere in what check says


def test_shared_data_saved_with_a_bom_as_notepad_does_is_read(root: Path) -> None:
    (root / "共享数据.yaml").write_bytes(
        "\ufeff常住人口:\n  单位: 万人\n  数值: {2019: 331.9}\n".encode())
    done = dossier("check", root, "-i", "12", "--format", "json")
    codes = {f["code"] for f in json.loads(done.stdout)["findings"]}
    assert "shared-data-invalid" not in codes


# -- what check knows, build uses -----------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_a_fifo_named_pdf_fails_at_once_in_check_and_build(root: Path,
                                                            tmp_path: Path) -> None:
    os.mkfifo(root / IND / "2019" / "03(1)管道.pdf")
    assert "管道.pdf" in said(dossier("check", root, "-i", "12", timeout=30))
    failed = build(root, tmp_path / "a", timeout=30)
    assert failed.returncode == 1 and "不是普通文件" in said(failed)
    assert build(root, tmp_path / "b", "--allow-broken", timeout=30).returncode == 0


def test_a_1_gb_sparse_file_named_pdf_is_refused_without_being_read(
        root: Path, tmp_path: Path) -> None:
    for name, head in (("03(1)全零.pdf", b""), ("04(1)只有文件头.pdf", b"%PDF-1.4\n")):
        with (root / IND / "2019" / name).open("wb") as fh:
            fh.write(head)
            fh.truncate(1 << 30)
    assert dossier("check", root, "-i", "12", timeout=60).returncode == 1
    unread = ("import dossier.snapshot as s\n"  # a read of either would be a traceback
              "real = s._read_bounded\n"
              "def read(fh, size, until, shown, *rest):\n"
              "    assert not shown.endswith(('全零.pdf', '只有文件头.pdf')), shown\n"
              "    return real(fh, size, until, shown, *rest)\n"
              "s._read_bounded = read\n")
    done = build(root, tmp_path / "out", "--allow-broken", timeout=60, script=unread)
    assert done.returncode == 0, said(done)
    [volume] = (tmp_path / "out").glob("*.pdf")
    assert len(PdfReader(volume).pages) == 1 + 1 + 2 + 3 + 2  # two placeholders


def test_a_looping_tiff_is_a_broken_image_in_check(root: Path) -> None:
    import struct

    from PIL import Image

    path = root / IND / "2019" / "03(1)循环.tif"
    frames = [Image.new("L", (64, 64), 40 * n) for n in range(3)]
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:])
    data = bytearray(path.read_bytes())
    first = offset = struct.unpack_from("<I", data, 4)[0]
    while True:
        (entries,) = struct.unpack_from("<H", data, offset)
        link = offset + 2 + 12 * entries
        (offset,) = struct.unpack_from("<I", data, link)
        if not offset:
            break
    struct.pack_into("<I", data, link, first)
    path.write_bytes(bytes(data))
    done = dossier("check", root, "-i", "12", "--format", "json", timeout=30)
    found = [f for f in json.loads(done.stdout)["findings"] if f["path"].endswith("循环.tif")]
    assert [f["code"] for f in found] == ["broken-image"]


@pytest.mark.parametrize("count", [2_000_000_000, -1])
def test_a_page_tree_whose_count_lies_is_reported_and_bound_as_walked(
        root: Path, tmp_path: Path, count: int) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject

    path = root / IND / "2019" / "01(1)2019年水质.pdf"
    writer = PdfWriter(clone_from=PdfReader(path))
    writer._root_object["/Pages"][NameObject("/Count")] = NumberObject(count)
    with path.open("wb") as fh:
        writer.write(fh)
    done = dossier("check", root, "-i", "12", "--format", "json", timeout=30)
    codes = [f["code"] for f in json.loads(done.stdout)["findings"]
             if f["path"].endswith("水质.pdf")]
    assert codes == ["repaired-pdf"]
    built = build(root, tmp_path / "out", timeout=60)
    assert built.returncode == 0, said(built)
    [volume] = (tmp_path / "out").glob("*.pdf")
    assert len(PdfReader(volume).pages) == 1 + 1 + 2 + 3

