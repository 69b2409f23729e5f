"""dossier.textfile: text files decoded as clerks save them, the same way everywhere."""

from __future__ import annotations

import pytest

from dossier.textfile import GBK, NotUnicode, decode

TEXT = "年度:\n  2019: 达标\n"


@pytest.mark.parametrize("data", [
    TEXT.encode(),  # UTF-8
    "\ufeff".encode() + TEXT.encode(),  # UTF-8 with a BOM (记事本)
    TEXT.encode("utf-16"),  # UTF-16 with a BOM (记事本's "Unicode")
    b"\xfe\xff" + TEXT.encode("utf-16-be"),  # big-endian
])
def test_what_is_read(data: bytes) -> None:
    assert decode(data) == TEXT


def test_gbk_is_refused_and_named() -> None:
    with pytest.raises(NotUnicode) as info:
        decode(TEXT.encode("gbk"))
    assert info.value.guess == GBK


def test_bytes_of_no_encoding_are_refused_without_a_guess() -> None:
    with pytest.raises(NotUnicode) as info:
        decode(b"\x81\xff\x00")
    assert info.value.guess == ""
