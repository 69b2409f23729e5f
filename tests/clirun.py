"""Run the command line in-process, as a console would see it: `cli.run` with stdout and
stderr replaced by text streams of a chosen encoding (GBK for a Chinese Windows console
or a redirected file), and the environment's language settings controlled."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from dossier import cli

LANGUAGE_VARS = ("DOSSIER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout_bytes: bytes
    stderr_bytes: bytes
    encoding: str

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode(self.encoding)

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode(self.encoding)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (*LANGUAGE_VARS, *env)}
    for k in LANGUAGE_VARS:
        os.environ.pop(k, None)
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def invoke(args: Sequence[str], *, env: Mapping[str, str] | None = None,
           encoding: str = "utf-8") -> Result:
    """No language variable is set unless `env` sets one (as on a Chinese Windows)."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding=encoding, write_through=True)
    stderr = io.TextIOWrapper(err, encoding=encoding, write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout, stderr
    try:
        with _environment(env or {"COLUMNS": "100"}):
            code = cli.run(list(args))
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdout, sys.stderr = saved
    return Result(code, out.getvalue(), err.getvalue(), encoding)
