"""SHA-256 of files, read in chunks (hashlib.file_digest needs Python 3.11)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO

CHUNK = 1 << 20


def sha256_stream(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    """Raises OSError when the file cannot be read."""
    with path.open("rb") as fh:
        return sha256_stream(fh)
