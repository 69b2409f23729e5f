"""SHA-256 of files and of outputs as they are written.

Hashing runs at ~1.8 GB/s, so a large build spends a noticeable part of its time in it.
hashlib releases the GIL while it digests large buffers, so both the source hashes and the
output's hash-and-write run in a background thread, beside pypdf's Python work."""

from __future__ import annotations

import errno
import hashlib
import os
import queue
import stat
import threading
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20
_DIRECT = 64 << 10  # writes at least this large skip the batch buffer (image streams)


def sha256_stream(fh: IO[bytes], limit: int | None = None) -> str:
    """The SHA-256 of what `fh` gives, up to `limit` bytes when given (a file that grows
    while it is read is not followed for ever)."""
    digest = hashlib.sha256()
    left = -1 if limit is None else limit
    while left and (chunk := fh.read(CHUNK if left < 0 else min(CHUNK, left))):
        digest.update(chunk)
        left = left - len(chunk) if left > 0 else left
    return digest.hexdigest()


class NotRegularFile(OSError):
    """A pipe, a device or a socket where a file was expected: never read (it could block
    for ever, or never end)."""


def open_regular(path: Path) -> IO[bytes]:
    """`path` opened for reading when it is a regular file; NotRegularFile otherwise. It is
    opened without blocking (a FIFO would wait for a writer) and checked on the open file,
    so that no swap between a check and the open can slip a device in."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_file(path: Path) -> str:
    """Raises OSError when the file cannot be read (NotRegularFile for a pipe or device)."""
    with open_regular(path) as fh:
        return sha256_stream(fh)


class HashingWriter:
    """A write-only stream for pypdf's writer (write, tell, flush) that passes the bytes
    to `fh` and hashes them on the way, so an output's digest needs no second read.

    pypdf writes many small pieces (tokens) and a few large ones (stream data). Small
    pieces are batched; batches and large pieces go, in order, through a bounded queue to
    one thread that hashes and writes them. Call `close()` (or use `with`) to wait for it:
    only then are `hexdigest()` and the file complete. An error in the thread (disk full)
    is raised by the next `write` or by `close`."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._digest = hashlib.sha256()
        self._batch = bytearray()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=32)
        self._error: BaseException | None = None
        self._closed = False
        self.size = 0
        self._thread = threading.Thread(target=self._drain, name="dossier-write", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is not None:
                continue  # keep draining so the producer never blocks on a full queue
            try:
                self._digest.update(chunk)
                self._fh.write(chunk)
            except BaseException as exc:
                self._error = exc

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def _send(self, chunk: bytes) -> None:
        self._check()
        self._queue.put(chunk)

    def write(self, data: Any) -> int:
        size = len(data)
        self.size += size
        if size >= _DIRECT:
            if self._batch:
                self._send(bytes(self._batch))
                self._batch.clear()
            self._send(data if isinstance(data, bytes) else bytes(data))
        else:
            self._batch += data
            if len(self._batch) >= CHUNK:
                self._send(bytes(self._batch))
                self._batch.clear()
        return size

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        """pypdf calls this at the end of `write`; the data is complete only after close()."""
        self._check()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._batch:
            self._queue.put(bytes(self._batch))
            self._batch.clear()
        self._queue.put(None)
        self._thread.join()
        self._check()

    def __enter__(self) -> HashingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def hexdigest(self) -> str:
        if not self._closed:
            raise RuntimeError("HashingWriter.hexdigest() before close()")
        return self._digest.hexdigest()
