"""One build per output folder at a time: an OS file lock on OUT/.dossier-lock, held from
the first volume written to the last state recorded. Whoever takes the lock first removes
the temporary files a killed holder left (dossier.atomic.remove_leftovers). A second build
into the same OUT waits a bounded time for the first, then stops with `output-locked`
(naming the holder's process), leaving the first one's outputs alone. The lock is the
operating system's (flock; on Windows msvcrt.locking), so a holder that is killed releases
it at once; the file itself stays, as dossier's own, and names the last holder."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from dossier.atomic import remove_leftovers
from dossier.errors import UsageError

LOCK_NAME = ".dossier-lock"
WAIT = 30.0  # seconds a second build waits for the first
POLL = 0.2


@contextlib.contextmanager
def locked(out_dir: Path, wait: float = WAIT) -> Iterator[None]:
    """Hold OUT's lock for the block; UsageError("output-locked") when another process
    holds it longer than `wait` seconds; UsageError("output-not-folder") when something
    else is where OUT should be (a file, a device, a broken link). OSError when OUT cannot
    be made or opened."""
    if os.path.lexists(out_dir) and not out_dir.is_dir():
        raise UsageError("output-not-folder", out=str(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + max(0.0, wait)
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise UsageError("output-locked", out=str(out_dir), pid=_holder(fd))
            time.sleep(POLL)
        _note_holder(fd)
        remove_leftovers(out_dir)  # no other run is writing: what is there, a killed one left
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def tidy(out_dir: Path) -> None:
    """Remove what a killed build left in OUT, when no build holds OUT's lock now (a run
    that finds everything up to date takes the lock only for this, and never waits)."""
    if not out_dir.is_dir():
        return
    with contextlib.suppress(UsageError, OSError), locked(out_dir, 0):
        pass


def _note_holder(fd: int) -> None:
    """Write this process's pid into the lock file (not on Windows, where the locked byte
    cannot be written around); the lock holds without the note."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(fd: int) -> str:
    """The pid the holder wrote, or "?"."""
    if sys.platform == "win32":
        return "?"
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return text if text.isdigit() else "?"
