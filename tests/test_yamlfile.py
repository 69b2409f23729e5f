from __future__ import annotations

import time
from pathlib import Path

from dossier.yamlfile import read_yaml


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x,x]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.monotonic()
    doc, problems = read_yaml(path)
    assert doc is None and "aliases" in problems[0].message
    assert time.monotonic() - start < 10  # generous: it takes milliseconds


def test_ordinary_anchors_and_duplicate_keys(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {单位: '%'}\nx: *b\ny: *b\nx: 1\n", encoding="utf-8")
    doc, problems = read_yaml(path)
    assert doc is not None and doc.data["y"] == {"单位": "%"}
    assert [(p.line, "twice" in p.message) for p in problems] == [(4, True)]
