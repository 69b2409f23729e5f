"""Text files as clerks save them: one decoding for every text file dossier reads (YAML
files, templates, titles), so that a file read in one place reads the same in another.

UTF-8 with or without a BOM (记事本 writes one), and UTF-16 with a BOM (记事本's
"Unicode"), are read. Anything else is refused with what it most likely is: GBK (WPS and
记事本 on Chinese Windows save it as "ANSI"), which dossier does not guess its way through,
since the same bytes can mean different characters."""

from __future__ import annotations

import codecs

GBK = "GBK"


class NotUnicode(ValueError):
    """The bytes are not UTF-8 or BOM-marked UTF-16. `guess`: GBK when they read as GBK
    (GB18030), "" when they read as neither."""

    def __init__(self, guess: str) -> None:
        super().__init__(f"not UTF-8 text ({guess or 'unknown encoding'})")
        self.guess = guess


def decode(data: bytes) -> str:
    """The text of a file's bytes. Raises NotUnicode."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        raise NotUnicode("") from None
    raise NotUnicode(GBK)
