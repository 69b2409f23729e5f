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


@needs_posix
def test_off_and_the_version_cache(tmp_path: Path) -> None:
    from dossier.cache import Cache

    calls = tmp_path / "calls"
    own = fake(tmp_path / "own" / "demo-office", f'echo run >> "{calls}"; echo 7.5.1')
    environ = {"PATH": "", "DEMO_SOFFICE": str(own)}
    cache = Cache("tools", tmp_path / "cache")
    assert tools.find(PROGRAM, environ, cache=cache).version == "7.5.1"  # type: ignore[union-attr]
    assert tools.find(PROGRAM, environ, cache=cache).version == "7.5.1"  # type: ignore[union-attr]
    assert calls.read_text().count("run") == 1  # asked once; then read from the cache
    own.write_text(f'#!/bin/sh\necho run >> "{calls}"; echo 7.6.0\n', encoding="utf-8")
    os.utime(own, ns=(1, 1))  # upgraded (the same size, another time): asked again
    assert tools.find(PROGRAM, environ, cache=cache).version == "7.6.0"  # type: ignore[union-attr]
    # a name that leads elsewhere (snap's libreoffice is /usr/bin/snap): never cached
    snap = tmp_path / "snap"
    snap.symlink_to(fake(tmp_path / "usr" / "snap", "echo 7.4.0"))
    assert tools._version_key(PROGRAM, snap) is None
    for off in ("off", "OFF", "none", "0"):
        assert tools.find(PROGRAM, {**environ, "DEMO_SOFFICE": off}) is None


def test_wps_and_office_versions_come_from_their_paths(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    """Starting WPS to ask its version would open its window: the installer's folder says
    it (the COM conversion itself is untested: no Windows with WPS here)."""
    import re

    path = r"C:\Users\a\AppData\Local\Kingsoft\WPS Office\11.1.0.11294\office6\wps.exe"
    assert re.search(tools.WPS.version_pattern, path).group(1) == "11.1.0.11294"  # type: ignore[union-attr]
    word = r"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE"
    assert re.search(tools.MSOFFICE.version_pattern, word).group(1) == "16"  # type: ignore[union-attr]
    monkeypatch.setattr(tools, "platform_key", lambda: "win32")
    assert tools.place_patterns(tools.WPS, {"LOCALAPPDATA": r"C:\Users\a\AppData\Local"}) == [
        r"C:\Users\a\AppData\Local\Kingsoft\WPS Office\*\office6\wps.exe"]
    # the COM helper refuses what it does not know, before touching COM
    from dossier import comconvert

    assert comconvert.main(["excel", "word", "a", "b"]) == 2
    assert comconvert.main(["wps", "word", str(tmp_path / "a.docx")]) == 2
