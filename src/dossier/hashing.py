"""SHA-256 of files, read in chunks (hashlib.file_digest needs Python 3.11)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO, Any

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


class HashingWriter:
    """Passes writes through to `fh` and hashes them on the way, so an output's digest
    needs no second read. Offers what pypdf's writer uses: write, tell, flush."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: Any) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self._fh.write(data)

    def tell(self) -> int:
        return self._fh.tell()

    def flush(self) -> None:
        self._fh.flush()

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
