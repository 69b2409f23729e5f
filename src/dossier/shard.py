"""`dossier build --shard K/N`: the planned volumes split into N shards, so that N CI
runners each build one and the results combine (`dossier merge`, `status --out …`).

Every runner plans every volume of the selection and computes the same split from the
plan alone: the volumes' estimated cost, then their output names. Nothing that differs
between runners enters it (file times, what OUT already holds, the machine), so each volume
falls in exactly one shard on every runner.

The cost of a volume is estimated from its sources without converting or laying out
anything: a PDF's pages as its page tree says (bounded by its size, as a lying /Count
must not make a volume look endless), one page per image, one page per 40 KB of an
office document, two pages for a 达标说明; plus one page for each 256 KiB of bytes, as
hashing and copying scans costs by the byte. The split is largest-first onto the
least-loaded shard (ties: the lower shard number), which keeps the largest shard within
4/3 of the best possible."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.kinds import EXPLANATION, IMAGES, OFFICE, PDF
from dossier.plan import Source, VolumePlan

BYTES_PER_PAGE = 256 * 1024  # bytes that cost as much to bind as one page
OFFICE_BYTES_PER_PAGE = 40 * 1000
EXPLANATION_PAGES = 2
MIN_PAGE_BYTES = 64  # no real PDF page takes fewer bytes: bounds a lying /Count
_SHARD = re.compile(r"^\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$")
RECORD = ".dossier-shard.json"  # in a shard's OUT: which split it is a part of


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as GitLab's CI_NODE_INDEX
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


@dataclass(frozen=True)
class Cost:
    """What binding a volume is expected to take."""

    pages: int
    size: int  # bytes of its sources

    @property
    def units(self) -> int:
        return self.pages + self.size // BYTES_PER_PAGE

    @property
    def load(self) -> int:
        """What it adds to its shard's load: at least 1, so that empty volumes spread too."""
        return max(1, self.units)


@dataclass(frozen=True)
class Assigned:
    plan: VolumePlan
    cost: Cost
    shard: int  # 1-based


def parse_shard(text: str) -> Shard | None:
    """"2/3" -> Shard(2, 3); None unless 1 ≤ K ≤ N."""
    found = _SHARD.match(text)
    if found is None:
        return None
    index, total = int(found.group(1)), int(found.group(2))
    return Shard(index, total) if 1 <= index <= total else None


def split(plans: Sequence[VolumePlan], total: int,
          pages: Callable[[Source], int] | None = None) -> list[Assigned]:
    """Each plan with its cost and shard, in the plans' order. `pages`: a source's page
    estimate (default: `estimated_pages`)."""
    count = pages or estimated_pages
    costs = [volume_cost(p, count) for p in plans]
    load = [0] * total
    shard_of: dict[int, int] = {}
    order = sorted(range(len(plans)), key=lambda n: (-costs[n].units, -costs[n].size,
                                                     plans[n].output))
    for n in order:
        target = min(range(total), key=lambda k: (load[k], k))
        shard_of[n] = target + 1
        load[target] += costs[n].load
    return [Assigned(p, costs[n], shard_of[n]) for n, p in enumerate(plans)]


def volume_cost(plan: VolumePlan, pages: Callable[[Source], int]) -> Cost:
    sources = plan.sources
    return Cost(sum(pages(s) for s in sources), sum(max(0, s.size) for s in sources))


def estimated_pages(source: Source) -> int:
    """A source's pages, estimated cheaply (see the module's text); never raises."""
    if source.kind == EXPLANATION:
        return EXPLANATION_PAGES
    if source.kind == OFFICE:
        return 1 + max(0, source.size) // OFFICE_BYTES_PER_PAGE
    if source.kind in IMAGES:
        return 1
    if source.kind == PDF:
        return _pdf_pages(Path(source.path), source.size)
    return 1


def _pdf_pages(path: Path, size: int) -> int:
    from pypdf import PdfReader

    from dossier.hashing import open_regular
    from dossier.probe import hopeless_pdf
    from dossier.quiet import libraries_quiet

    bound = max(1, size // MIN_PAGE_BYTES)
    try:  # a pipe is never opened, nor a gigabyte of nothing searched, on every runner
        with libraries_quiet(), open_regular(path) as fh:
            if hopeless_pdf(fh) is not None:
                return 1
            reader = PdfReader(fh)
            if reader.is_encrypted:
                return 1
            root: Any = reader.trailer["/Root"]
            count = root["/Pages"]["/Count"]
            return min(bound, max(1, int(count)))
    except Exception:  # broken, odd or unreadable: its volume says so when built
        return 1


def split_digest(assigned: Sequence[Assigned]) -> str:
    """The split itself (each volume's output name and shard): the same on every runner
    that planned the same volumes."""
    pairs = sorted((a.plan.output, a.shard) for a in assigned)
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode("utf-8",
                                                                      "surrogateescape")
                          ).hexdigest()


def shard_record(assigned: Sequence[Assigned], shard: Shard) -> dict[str, object]:
    """What a shard's OUT/.dossier-shard.json says, for `dossier merge` to check that the
    shards it combines are parts of one split and that none is missing."""
    return {"tool": "dossier", "shard": shard.index, "total": shard.total,
            "split": split_digest(assigned),
            "volumes": sorted(a.plan.output for a in assigned),  # of every shard
            "mine": sorted(a.plan.output for a in assigned if a.shard == shard.index)}


def write_record(out_dir: Path, record: dict[str, object]) -> None:
    from dossier.atomic import atomic_output

    out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_output(out_dir / RECORD) as fh:
        fh.write((json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
                 .encode("utf-8", "surrogateescape"))
