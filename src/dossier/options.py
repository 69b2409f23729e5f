"""Build options: plain, frozen data shared by the CLI, the plan and the fast no-op check.
Imports nothing heavy, so `dossier build` can decide "nothing to do" quickly."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class BuildOptions:
    volumes: str = "single"  # single | by-year
    allow_broken: bool = False
    font: str | None = None  # user font path
    stamp: StampOptions = field(default_factory=StampOptions)
    date: str = ""  # "2021年3月": the cover's month (from SOURCE_DATE_EPOCH or today)
    epoch: int = 0  # SOURCE_DATE_EPOCH used for metadata


def build_date(now: float | None = None) -> tuple[int, str]:
    """(epoch, "2021年3月"): SOURCE_DATE_EPOCH when set, else the first day of this month,
    so builds within a month are identical and stay up to date."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        epoch = int(env)
    else:
        today = datetime.fromtimestamp(now or time.time(), timezone.utc)
        epoch = int(datetime(today.year, today.month, 1, tzinfo=timezone.utc).timestamp())
    when = datetime.fromtimestamp(epoch, timezone.utc)
    from dossier.i18n import msg, pdf_text  # the cover's words: always Chinese

    return epoch, pdf_text().render(msg("pdf-date", year=str(when.year), month=str(when.month)))


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
