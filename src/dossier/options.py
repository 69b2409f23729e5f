"""Build options: plain, frozen data shared by the CLI, the plan and the fast no-op check.
Imports nothing heavy, so `dossier build` can decide "nothing to do" quickly."""

from __future__ import annotations

import os
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

POSITIONS = ("top-right", "top-left", "top-center", "bottom-right", "bottom-center",
             "bottom-left", "outer")


@dataclass(frozen=True)
class StampOptions:
    position: str = "top-right"  # top-right | top-left | top-center | bottom-right |
    #                              bottom-center | bottom-left | outer (top, mirrored by parity)
    format: str = "{n}"  # "{n}", "— {n} —", "第{n}页", "{n}/{total}"
    size: float = 14.0  # 4号
    margin_mm: float = 10.0
    avoid_ink: bool = True  # move the number off content to the next free place (dossier.ink)


@dataclass(frozen=True)
class ClosingSheet:
    """卷内备考表 at the end of each volume: who compiled and who checked it ("" leaves a
    line to sign by hand)."""

    compiler: str = ""  # 立卷人
    checker: str = ""  # 检查人


@dataclass(frozen=True)
class BuildOptions:
    volumes: str = "single"  # single | by-year
    allow_broken: bool = False
    font: str | None = None  # user font path
    stamp: StampOptions = field(default_factory=StampOptions)
    date: str = ""  # "2021年3月": the month of the cover and of the 达标说明's 落款 (--date,
    #                 the catalogue's cover_date, else from SOURCE_DATE_EPOCH or today)
    epoch: int = 0  # SOURCE_DATE_EPOCH used for metadata
    max_pages: int = 0  # a volume with more material pages is split into parts (0: never)
    duplex: bool = False  # cover, 目录 and sections start on a right-hand page
    closing: ClosingSheet | None = None  # end each volume with a 卷内备考表
    slice_images: bool = True  # a tall screenshot is cut into page-high slices
    ocr: str = ""  # pages that are pictures get a text layer by this engine ("Tesseract
    #               5.3.0 (chi_sim+eng)", dossier.ocr.Engine.label); "": no OCR


# 2021-03, 2021-3, 2021/3, 2021.3, 2021年3月 (full-width digits too, after NFKC)
_MONTH = re.compile(r"^((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")


def parse_month(text: str) -> tuple[int, int] | None:
    """(2021, 3) from 2021-03, 2021-3, 2021年3月 or 2021/3; None for anything else."""
    found = _MONTH.match(unicodedata.normalize("NFKC", text).strip())
    if found is None:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    return (year, month) if 1 <= month <= 12 else None


def month_text(year: int, month: int) -> str:
    """"2021年3月": a month as the cover and the 落款 print it (always Chinese)."""
    from dossier.i18n import msg, pdf_text

    return pdf_text().render(msg("pdf-date", year=str(year), month=str(month)))


def with_cover_date(options: BuildOptions, cover_date: str | None) -> BuildOptions:
    """The catalogue's cover_date ("2021-03") as the printed month, for a build whose
    command line gave no --date."""
    found = parse_month(cover_date) if cover_date else None
    return replace(options, date=month_text(*found)) if found else options


def with_catalogue(options: BuildOptions, max_pages: int | None,
                   closing: ClosingSheet | None) -> BuildOptions:
    """The catalogue's defaults where the command line gave none: its max_pages, and the
    names on its 卷内备考表."""
    if max_pages is not None:
        options = replace(options, max_pages=max_pages)
    if options.closing is not None and closing is not None:
        options = replace(options, closing=ClosingSheet(
            options.closing.compiler or closing.compiler,
            options.closing.checker or closing.checker))
    return options


def build_date(now: float | None = None,
               month: tuple[int, int] | None = None) -> tuple[int, str]:
    """(epoch, "2021年3月"): SOURCE_DATE_EPOCH when set, else the first day of this month,
    so builds within a month are identical and stay up to date. `month` (from --date)
    sets the printed month; the epoch (PDF metadata) stays as it is."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        epoch = int(env)
    else:
        today = datetime.fromtimestamp(now or time.time(), timezone.utc)
        epoch = int(datetime(today.year, today.month, 1, tzinfo=timezone.utc).timestamp())
    when = datetime.fromtimestamp(epoch, timezone.utc)
    return epoch, month_text(*(month or (when.year, when.month)))


def today(now: float | None = None) -> tuple[int, str]:
    """(epoch, "2021-03-05"): SOURCE_DATE_EPOCH when set, else the start of today (UTC), for
    what is dated by the day (a 报送清单, an import record)."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        when = datetime.fromtimestamp(int(env), timezone.utc)
    else:
        moment = datetime.fromtimestamp(now or time.time(), timezone.utc)
        when = datetime(moment.year, moment.month, moment.day, tzinfo=timezone.utc)
    return int(when.timestamp()), when.date().isoformat()
