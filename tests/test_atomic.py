from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dossier.atomic import atomic_output


def test_output_is_readable_by_others_as_the_umask_allows(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "out.pdf") as fh:
            fh.write(b"%PDF-1.7\n")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "out.pdf").stat().st_mode)
    assert mode == 0o644


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    final = tmp_path / "out.pdf"
    final.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(final) as fh:
        fh.write(b"half")
        raise RuntimeError("disk full")
    assert final.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]
