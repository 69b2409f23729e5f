"""Write a file so that it is either complete at its final path or not there at all.

The temporary file is `.NAME.XXXXXXXX.dossier-part` beside NAME: mkstemp's eight random
characters and dossier's marker, which no user file has. Only files of that very shape are
ever removed as leftovers of a killed run (remove_leftovers)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

MARKER = ".dossier-part"  # the suffix of dossier's temporary files, and only of those


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temporary_beside(final: Path) -> tuple[int, str]:
    """A new temporary file beside `final`, named with dossier's marker and readable as an
    output is (mkstemp makes 0600; outputs are shared documents): (fd, path)."""
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=MARKER)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return fd, tmp


@contextlib.contextmanager
def atomic_output(final: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside `final`, renamed over it only when writing succeeded."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temporary_beside(final)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            yield fh
        # No fsync: a killed build cannot leave a partial file at `final` (the rename happens
        # only after a complete write), and after a power loss a damaged output is caught by
        # its manifest (size and sha256: rebuilt by the next build, reported by `verify`).
        # fsync cost a quarter of the time of a large build.
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# What atomic_output leaves behind when killed: "." + the final name + "." + mkstemp's
# eight random characters + dossier's marker. A user's own ".x.part" or ".y.pdf.part" (a
# browser's unfinished download) does not have this shape and is never removed.
_OURS = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(MARKER) + "$")


def remove_leftovers(folder: Path) -> None:
    """The temporary files a killed run left in `folder` and its subfolders one level down
    (OUT/已过期): only regular files of that very shape. Called by the holder of OUT's lock
    (dossier.outlock), when no other run can be writing one."""
    for tmp in (*folder.glob(".*" + MARKER), *folder.glob("*/.*" + MARKER)):
        if tmp.parent != folder and tmp.parent.is_symlink():
            continue  # a linked folder may be another OUT, with a lock of its own
        if _OURS.match(tmp.name) and tmp.is_file() and not tmp.is_symlink():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
