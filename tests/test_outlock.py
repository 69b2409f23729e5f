"""dossier.outlock: one build per output folder. A second build waits, then stops with a
clear Chinese message and leaves the first one's outputs alone; a holder killed with -9
releases the lock at once (the operating system's lock, not a file's presence)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dossier.errors import UsageError
from dossier.outlock import LOCK_NAME, locked

from clirun import invoke
from makefiles import write_pdf

HOLD = ("import sys, time\nfrom pathlib import Path\nfrom dossier.outlock import locked\n"
        "with locked(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(600)\n")


def holder(out: Path) -> subprocess.Popen[str]:
    """Another process that holds OUT's lock (as a build writing there would)."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_second_holder_waits_then_is_told_who_holds_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = holder(out)
    try:
        start = time.monotonic()
        with pytest.raises(UsageError) as refused, locked(out, wait=0.5):
            pass
        assert 0.4 < time.monotonic() - start < 10
        assert refused.value.message.key == "output-locked"
        assert refused.value.message.params["pid"] == str(first.pid)
    finally:
        first.kill()
        first.wait()
    with locked(out, wait=5):  # killed: released at once
        assert (out / LOCK_NAME).is_file()


def test_a_build_into_a_folder_another_build_is_writing_stops_and_harms_nothing(
        tmp_path: Path) -> None:
    root, out = tmp_path / "m", tmp_path / "out"
    write_pdf(root / "12-水环境质量" / "2019" / "01(1)2019年水质.pdf", 2)
    env = {"COLUMNS": "200", "SOURCE_DATE_EPOCH": "1614556800", "DOSSIER_LOCK_WAIT": "0.5"}
    args = ["build", str(root), "-i", "12", "--volumes", "single", "-o", str(out)]
    assert invoke(args, env=env).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    first = holder(out)
    try:
        result = invoke([*args, "--force"], env=env)
        assert result.exit_code == 2
        assert "另一个构建正在写入" in result.stderr and f"进程 {first.pid}" in result.stderr
        after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        assert {k: v for k, v in after.items() if k != LOCK_NAME} == {
            k: v for k, v in before.items() if k != LOCK_NAME}
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert invoke([*args, "--force"], env=env).exit_code == 0  # free again


def test_something_else_where_the_output_folder_should_be_is_a_usage_error(
        tmp_path: Path) -> None:
    root = tmp_path / "m"
    write_pdf(root / "12-水环境质量" / "2019" / "01(1)2019年水质.pdf", 1)
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "x")
    for out in (afile, dangling, Path("/dev/null")):
        result = invoke(["build", str(root), "-i", "12", "-o", str(out)],
                        env={"COLUMNS": "300"})
        assert result.exit_code == 2, result.output
        assert "不是文件夹" in result.stderr and str(out) in result.stderr
        assert "Traceback" not in result.output + result.stderr
    assert afile.read_text(encoding="utf-8") == "mine" and dangling.is_symlink()
