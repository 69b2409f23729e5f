"""Real office documents for tests: the example tree's own makers (examples/make_materials.py
writes a .docx by hand, an .xlsx through xlsxwriter and a HEIC photo through pillow-heif),
and a LibreOffice that records each conversion it is asked for."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from dossier import tools

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

from make_materials import monitoring_xlsx, photo_heic, word_docx

__all__ = ["FOUND", "monitoring_xlsx", "photo_heic", "spy_soffice", "word_docx", "write_docx"]

FOUND = tools.find(tools.LIBREOFFICE)


def write_docx(path: Path, title: str, *paragraphs: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(word_docx(title, list(paragraphs) or ["正文"], [["项目", "完成"],
                                                                     ["巡河", "12.6"]]))
    return path


def spy_soffice(folder: Path) -> tuple[Path, Path]:
    """A soffice that logs its arguments, one line per run, then runs the real one. Returns
    the program and its log."""
    assert FOUND is not None
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "runs.log"
    program = folder / "soffice"
    program.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{FOUND.path}" "$@"\n',
                       encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program, log


def conversions(log: Path) -> int:
    """How many conversions the spy ran (its --version runs are not counted)."""
    if not log.exists():
        return 0
    return sum("--convert-to" in line for line in log.read_text(encoding="utf-8").splitlines())


def no_soffice() -> dict[str, str]:
    """An environment in which dossier uses no LibreOffice."""
    return {**os.environ, "DOSSIER_SOFFICE": "off"}
