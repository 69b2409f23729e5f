"""External programs (LibreOffice today; tesseract and others later), behind one module:
find a program, say its version, run it with a timeout, and kill it together with every
process it started when it hangs. Nothing else in dossier starts a process.

Modelled on OCRmyPDF's `_exec`: a program is described once (its names on PATH, where
installers put it on Windows, UOS, Kylin and macOS, how it tells its version, and the
hint for installing it), and `find` returns what was found or None; the caller turns None
into a finding with the install hint for the user's system."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dossier.cache import Cache

# After a kill, how long to wait for the process to be gone and its pipes closed (a
# process it started that escaped the group may hold them).
_REAP_SECONDS = 5.0
_OFF = ("off", "none", "no", "0")


@dataclass(frozen=True)
class Program:
    key: str  # how messages and the environment name it: "soffice"
    name: str  # how people know it: "LibreOffice"
    commands: tuple[str, ...]  # names looked up on PATH, in order
    places: Mapping[str, tuple[str, ...]]  # per platform (win32, darwin, linux): glob patterns
    version_args: tuple[str, ...] = ("--version",)
    version_pattern: str = r"(\d+(?:\.\d+)+)"
    env: str = ""  # an environment variable that names the program's path, if set
    version_in_path: bool = False  # read the version from the path; never start it to ask


LIBREOFFICE = Program(
    key="soffice", name="LibreOffice", commands=("soffice", "libreoffice"),
    places={
        "win32": (r"{ProgramFiles}\LibreOffice\program\soffice.exe",
                  r"{ProgramFiles(x86)}\LibreOffice\program\soffice.exe",
                  r"{LOCALAPPDATA}\Programs\LibreOffice\program\soffice.exe"),
        "darwin": ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                   "~/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        # Debian, UOS and Kylin packages; the Document Foundation's own .deb (/opt); UOS's
        # app store (/opt/apps); snap and flatpak exports
        "linux": ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                  "/opt/libreoffice*/program/soffice",
                  "/opt/apps/org.libreoffice*/files/program/soffice",
                  "/snap/bin/libreoffice",
                  "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice"),
    },
    env="DOSSIER_SOFFICE")

# fontconfig's font list: which fonts LibreOffice can use (dossier.officefonts)
FCLIST = Program(
    key="fc-list", name="fontconfig", commands=("fc-list",),
    places={"linux": ("/usr/bin/fc-list",),
            "darwin": ("/opt/homebrew/bin/fc-list", "/usr/local/bin/fc-list")})

# WPS Office and Microsoft Office on Windows, driven by COM (dossier.comconvert; untested).
# Their installers put the version in the path; starting them to ask would open a window.
WPS = Program(
    key="wps", name="WPS Office", commands=(),
    places={"win32": (r"{LOCALAPPDATA}\Kingsoft\WPS Office\*\office6\wps.exe",
                      r"{ProgramFiles}\Kingsoft\WPS Office\*\office6\wps.exe",
                      r"{ProgramFiles(x86)}\Kingsoft\WPS Office\*\office6\wps.exe")},
    version_pattern=r"WPS Office\\(\d+(?:\.\d+)+)", version_in_path=True)
MSOFFICE = Program(
    key="word", name="Microsoft Office", commands=(),
    places={"win32": (r"{ProgramFiles}\Microsoft Office\root\Office*\WINWORD.EXE",
                      r"{ProgramFiles(x86)}\Microsoft Office\root\Office*\WINWORD.EXE",
                      r"{ProgramFiles}\Microsoft Office\Office*\WINWORD.EXE")},
    version_pattern=r"Office(\d+)", version_in_path=True)

# OCR of scanned pages (dossier.ocr): Debian's tesseract-ocr, UB Mannheim's Windows installer
TESSERACT = Program(
    key="tesseract", name="Tesseract", commands=("tesseract",),
    places={"win32": (r"{ProgramFiles}\Tesseract-OCR\tesseract.exe",
                      r"{ProgramFiles(x86)}\Tesseract-OCR\tesseract.exe",
                      r"{LOCALAPPDATA}\Programs\Tesseract-OCR\tesseract.exe"),
            "linux": ("/usr/bin/tesseract", "/usr/local/bin/tesseract"),
            "darwin": ("/opt/homebrew/bin/tesseract", "/usr/local/bin/tesseract")},
    env="DOSSIER_TESSERACT")

PROGRAMS = {p.key: p for p in (LIBREOFFICE, FCLIST, WPS, MSOFFICE, TESSERACT)}


@dataclass(frozen=True)
class Found:
    program: Program
    path: Path
    version: str  # "7.4.7.2", or "" when it would not say


@dataclass(frozen=True)
class Ran:
    """How a run ended. `timed_out`: it was killed, with all it started, after the
    timeout. Output is decoded leniently (programs print in the locale's encoding)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    seconds: float


def platform_key() -> str:
    if sys.platform.startswith("win"):
        return "win32"
    return "darwin" if sys.platform == "darwin" else "linux"


def candidates(program: Program, environ: Mapping[str, str] | None = None) -> list[Path]:
    """Where the program may be, in the order looked at: the environment variable, PATH,
    then the platform's usual places."""
    environ = os.environ if environ is None else environ
    found: list[Path] = []
    if program.env and environ.get(program.env):
        found.append(Path(environ[program.env]).expanduser())
    for command in program.commands:
        where = shutil.which(command, path=environ.get("PATH"))
        if where:
            found.append(Path(where))
    for pattern in place_patterns(program, environ):
        found += [Path(p) for p in sorted(glob.glob(os.path.expanduser(pattern)))]
    return list(dict.fromkeys(found))


def place_patterns(program: Program, environ: Mapping[str, str]) -> list[str]:
    """The platform's usual places, with the environment filled in; a place whose
    variable is not set (no %ProgramFiles(x86)% on 32-bit Windows) is left out."""
    found = []
    for pattern in program.places.get(platform_key(), ()):
        try:
            found.append(pattern.format_map(_Missing(environ)))
        except (KeyError, ValueError):
            continue
    return found


class _Missing(dict[str, str]):
    """format_map over the environment; a variable that is not set drops the pattern.
    On Windows names are not case-sensitive (os.environ holds PROGRAMFILES)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.fold = platform_key() == "win32"
        super().__init__({(k.upper() if self.fold else k): v for k, v in environ.items()})

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.upper() if self.fold else key)

    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def find(program: Program, environ: Mapping[str, str] | None = None,
         timeout: float = 30.0, cache: Cache | None = None) -> Found | None:
    """The first candidate that is an executable file, with its version; None if none.
    With `cache`, a version read before from the same file (its path, size and time) is
    not asked for again: starting LibreOffice costs a third of a second. The program's
    environment variable set to "off" (or none, no, 0) says not to use it at all."""
    given = (os.environ if environ is None else environ).get(program.env, "") if program.env \
        else ""
    if given.strip().lower() in _OFF:
        return None
    for path in candidates(program, environ):
        if path.is_file() and os.access(path, os.X_OK):
            if program.version_in_path:
                named = re.search(program.version_pattern, str(path), re.IGNORECASE)
                return Found(program, path, named.group(1) if named else "")
            key = _version_key(program, path) if cache is not None else None
            kept = cache.get(key) if cache is not None and key else None
            if kept is not None and isinstance(kept.get("version"), str):
                return Found(program, path, kept["version"])
            try:
                found = Found(program, path, version(program, path, timeout))
            except OSError:  # not a program after all (no shebang, wrong machine): the next
                continue
            if cache is not None and key and found.version:
                cache.put(key, {"version": found.version, "path": str(path)})
            return found
    return None


def _version_key(program: Program, path: Path) -> str | None:
    """The program file's identity (its real path, size and time), which changes when it
    is upgraded; None when the path leads to something else (snap's /snap/bin/libreoffice
    leads to /usr/bin/snap, which stays the same through upgrades): never cached."""
    try:
        real = path.resolve()
        stat = real.stat()
    except (OSError, RuntimeError):
        return None
    names = {n for c in program.commands for n in (c, f"{c}.exe", f"{c}.bin")}
    if real.name.lower() not in names:
        return None
    blob = f"{real}:{stat.st_size}:{stat.st_mtime_ns}".encode("utf-8", "replace")
    return hashlib.sha256(blob).hexdigest()


def identity(program: Program, environ: Mapping[str, str] | None = None) -> str:
    """What says, without starting anything, whether the program that would be used has
    changed: its variable and the first candidate's identity (for the fast no-op check)."""
    environ = os.environ if environ is None else environ
    found = candidates(program, environ)
    first = found[0] if found else None
    key = _version_key(program, first) if first is not None else ""
    return f"{environ.get(program.env, '')}|{first}|{key if key is not None else 'unknown'}"


def version(program: Program, path: Path, timeout: float = 30.0) -> str:
    ran = run([str(path), *program.version_args], timeout=timeout)
    if ran.timed_out:
        return ""
    found = re.search(program.version_pattern, ran.stdout + "\n" + ran.stderr)
    return found.group(1) if found else ""


def run(args: Sequence[str], *, timeout: float, cwd: Path | None = None,
        env: Mapping[str, str] | None = None) -> Ran:
    """Run a program to its end, or for `timeout` seconds and then kill it with every
    process it started (its own process group or session, or its Windows process tree).
    Never raises for the program's failure; OSError when it cannot be started at all."""
    started = time.monotonic()
    options: dict[str, object] = {}
    if platform_key() == "win32":
        options["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    else:
        options["start_new_session"] = True  # its own group: killed as one
    proc = subprocess.Popen(
        list(args), cwd=cwd, env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        **options)  # type: ignore[call-overload]
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_tree(proc)
        try:
            out, err = proc.communicate(timeout=_REAP_SECONDS)
        except subprocess.TimeoutExpired:  # something it started holds the pipes
            out, err = b"", b""
            _close(proc)
    except BaseException:  # Ctrl+C, a signal: nothing it started outlives dossier
        _kill_tree(proc)
        _close(proc)
        raise
    return Ran(tuple(args), proc.returncode if proc.returncode is not None else -9,
               _text(out), _text(err), timed_out, time.monotonic() - started)


def _close(proc: subprocess.Popen[bytes]) -> None:
    """Close the pipes and reap the (killed) leader, so no zombie is left."""
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=_REAP_SECONDS)


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    if platform_key() == "win32":
        system = os.environ.get("SYSTEMROOT", r"C:\Windows")
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run([os.path.join(system, "System32", "taskkill.exe"), "/T", "/F",
                            "/PID", str(proc.pid)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False, timeout=_REAP_SECONDS,
                           creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        proc.kill()
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the session it leads: it and its children
    except (ProcessLookupError, PermissionError):
        proc.kill()


def _text(data: bytes | None) -> str:
    if not data:
        return ""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")
