"""dossier.snapshot: a source read once, as it was scanned, or refused."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import IO, Any

import pytest

from dossier import snapshot
from dossier.hashing import NotRegularFile


def scanned(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def test_the_bytes_and_their_hash_as_scanned(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(3 << 20))
    snap = snapshot.read(path, *scanned(path))
    assert snap.data == path.read_bytes()
    assert snap.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert snapshot.still(path, *scanned(path))


def test_a_file_changed_since_the_scan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"old")
    size, mtime = scanned(path)
    path.write_bytes(b"newer")
    with pytest.raises(snapshot.Changed):
        snapshot.read(path, size, mtime)
    assert not snapshot.still(path, size, mtime)
    os.utime(path, ns=(mtime, mtime))  # the same time, another size
    with pytest.raises(snapshot.Changed):
        snapshot.read(path, size, mtime)


@pytest.mark.parametrize("fault", ["truncated", "appended", "replaced"])
def test_a_file_changed_while_it_is_read_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    fault: str) -> None:
    """The change happens between the read and the checks after it, the time kept as it
    was (a copy tool that keeps times); the size, the open file or the path tell."""
    path = tmp_path / "a.pdf"
    path.write_bytes(b"x" * 1000)
    size, mtime = scanned(path)
    real = snapshot._read_bounded

    def read(fh: IO[bytes], size: int, until: float, shown: str,
             *rest: Any) -> tuple[bytes, int]:
        data = real(fh, size, until, shown, *rest)
        if fault == "truncated":
            os.truncate(path, 10)
        elif fault == "appended":
            with path.open("ab") as more:
                more.write(b"y")
        else:
            other = tmp_path / "b.tmp"
            other.write_bytes(b"z" * 1000)
            os.replace(other, path)
        os.utime(path, ns=(mtime, mtime))
        return data

    monkeypatch.setattr(snapshot, "_read_bounded", read)
    with pytest.raises(snapshot.Changed):
        snapshot.read(path, size, mtime)


def test_bounds_on_bytes_and_time(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"x" * (3 << 20))
    with pytest.raises(snapshot.TooLarge):
        snapshot.read(path, *scanned(path), limit=1 << 20)
    with pytest.raises(snapshot.TooSlow):
        snapshot.read(path, *scanned(path), seconds=-1)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_a_pipe_is_refused_before_it_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFile):
        snapshot.read(fifo, 0, 0)


def test_the_screen_refuses_before_the_body_is_read(tmp_path: Path) -> None:
    path = tmp_path / "zeros.pdf"
    with path.open("wb") as fh:
        fh.truncate(64 << 20)
    seen: list[bytes] = []

    class Refused(Exception):
        pass

    def screen(fh: IO[bytes]) -> None:
        seen.append(fh.read(8))
        raise Refused

    with pytest.raises(Refused):
        snapshot.read(path, *scanned(path), screen=screen)
    assert seen == [bytes(8)]
    ok = snapshot.read(path, *scanned(path), screen=lambda fh: True)  # read from the start
    assert len(ok.data) == 64 << 20
    hashed = snapshot.read(path, *scanned(path), screen=lambda fh: False)  # hashed only
    assert hashed.data == b"" and hashed.sha256 == ok.sha256
