"""Libraries kept quiet: pypdf logs its complaints about damaged files ("EOF marker not
found"), and pypdf and Pillow issue warnings (DecompressionBombWarning). Python would print
that English on the console (its last-resort log handler, its warnings); why a file cannot
be read is told by our own messages instead."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def libraries_quiet() -> Iterator[None]:
    logger = logging.getLogger("pypdf")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
