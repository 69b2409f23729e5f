"""dossier.tools: programs found where installers put them, their versions, and runs that
are killed with all they started when they hang."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from dossier import tools

needs_posix = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX shell scripts")


def fake(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


PROGRAM = tools.Program(key="demo", name="Demo", commands=("demo-office",),
                        places={"linux": ("{DEMO_HOME}/opt/demo*/program/soffice",),
                                "darwin": ("{DEMO_HOME}/opt/demo*/program/soffice",),
                                "win32": (r"{DEMO_HOME}\opt\demo*\program\soffice",)},
                        env="DEMO_SOFFICE")


@needs_posix
def test_found_on_path_with_its_version(tmp_path: Path) -> None:
    fake(tmp_path / "bin" / "demo-office", 'echo "LibreOffice 7.4.7.2 40(Build:2)"')
    found = tools.find(PROGRAM, {"PATH": str(tmp_path / "bin")})
    assert found is not None and found.path == tmp_path / "bin" / "demo-office"
    assert found.version == "7.4.7.2"


@needs_posix
def test_found_where_the_installer_puts_it(tmp_path: Path) -> None:
    place = fake(tmp_path / "opt" / "demo7.6" / "program" / "soffice", "echo 7.6.1")
    found = tools.find(PROGRAM, {"PATH": "", "DEMO_HOME": str(tmp_path)})
    assert found is not None and found.path == place and found.version == "7.6.1"
    # a place whose variable is not set is skipped, not an error
    assert tools.find(PROGRAM, {"PATH": ""}) is None


@needs_posix
def test_the_environment_variable_comes_first(tmp_path: Path) -> None:
    fake(tmp_path / "bin" / "demo-office", "echo 1.0")
    own = fake(tmp_path / "own" / "soffice", "echo 2.0")
    found = tools.find(PROGRAM, {"PATH": str(tmp_path / "bin"), "DEMO_SOFFICE": str(own)})
    assert found is not None and found.path == own and found.version == "2.0"


def test_not_found_is_none(tmp_path: Path) -> None:
    assert tools.find(PROGRAM, {"PATH": str(tmp_path)}) is None


def test_windows_places(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools, "platform_key", lambda: "win32")
    # as os.environ holds them on Windows: the names in capitals
    environ = {"PATH": "", "PROGRAMFILES": r"C:\Program Files",
               "PROGRAMFILES(X86)": r"C:\Program Files (x86)"}
    assert tools.place_patterns(tools.LIBREOFFICE, environ) == [
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"]  # no LOCALAPPDATA set


@needs_posix
def test_a_hung_program_is_killed_with_its_children(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = fake(tmp_path / "hang", f'sleep 60 & echo $! > "{pids}"; sleep 60')
    started = time.monotonic()
    ran = tools.run([str(script)], timeout=1.0)
    assert ran.timed_out and time.monotonic() - started < 10
    child = int(pids.read_text())
    for _ in range(50):  # the child was killed with its parent's group
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"child {child} still runs")


@needs_posix
def test_output_and_exit_status(tmp_path: Path) -> None:
    script = fake(tmp_path / "say", "printf '\\262\\342\\312\\324' ; echo oops >&2; exit 3")
    ran = tools.run([str(script)], timeout=10)
    assert not ran.timed_out and ran.returncode == 3
    assert ran.stdout == "测试" and ran.stderr.strip() == "oops"  # GBK output read as such


def test_a_missing_program_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        tools.run([str(tmp_path / "nothing")], timeout=5)
