"""Precision and recall of seal detection (dossier.seals) on a labelled set, against the
starting point issue 13 names, measured in the same run on the same pages.

    python bench/seals.py [--rounds 8] [--seed 13] [--json bench/out/seals.json]

The labelled set (tests/sealmaker.py) is `rounds` times each kind of page, each drawn and
aged afresh: seals round, oval, turned, without a star, faint, photocopied in colour, worn
on one side, thin-ringed, orange-red and crimson, half off the page (骑缝章), two overlapping,
over text; pages without a seal: red mastheads (also in large type), red tables, a red logo,
red notes and rules, a rectangular red stamp, a ring chart, photos with red things, plain
text. Every page is rendered at 150 dpi by PDFium and aged (faded ink, tinted paper, noise,
blur, up to 3° of rotation, JPEG 55–90).

A detection is right when its centre lies within 60 % of a drawn seal's radius of that
seal's centre (each seal matched once). Seals: precision = right / detections, recall =
right / drawn. Pages: a page is called sealed when anything is detected on it.

The baseline is the starting point of issue 13: an HSV red mask at a quarter of 300 dpi,
a morphological close, external contours whose bounding box has an aspect ratio of 0.8–1.25,
whose hull circularity exceeds 0.8 and whose radius is that of a 42 mm seal ± 30 %."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from dossier.seals import find_seals  # noqa: E402

from sealmaker import Sample, Truth, labelled_set  # noqa: E402

Point = tuple[float, float]


def ours(sample: Sample) -> list[Point]:
    return [(s.x_mm, s.y_mm) for s in find_seals(sample.picture, sample.dpi)]


def baseline(sample: Sample) -> list[Point]:
    """Issue 13's starting point (see the module's text)."""
    rgb = np.asarray(sample.picture.convert("RGB"))
    scale = 75 / sample.dpi  # a quarter of 300 dpi
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    low = cv2.inRange(hsv, (0, 70, 50), (10, 255, 255))
    high = cv2.inRange(hsv, (160, 70, 50), (180, 255, 255))
    mask = cv2.morphologyEx(low | high, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    radius = 21 / 25.4 * 75  # a 42 mm seal at 75 dpi
    px_per_mm = 75 / 25.4
    found = []
    for contour in contours:
        _, _, w, h = cv2.boundingRect(contour)
        if not h or not 0.8 <= w / h <= 1.25:
            continue
        hull = cv2.convexHull(contour)
        area, perimeter = cv2.contourArea(hull), cv2.arcLength(hull, True)
        if not perimeter or 4 * math.pi * area / perimeter ** 2 <= 0.8:
            continue
        (cx, cy), r = cv2.minEnclosingCircle(contour)
        if abs(r - radius) <= 0.3 * radius:
            found.append((cx / px_per_mm, cy / px_per_mm))
    return found


def score(samples: Sequence[Sample], detect: Callable[[Sample], list[Point]],
          ) -> dict[str, Any]:
    right = detections = drawn = 0
    pages = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    misses: list[str] = []
    start = time.perf_counter()
    for sample in samples:
        found = detect(sample)
        detections += len(found)
        drawn += len(sample.seals)
        hit = _matched(found, sample.seals)
        right += hit
        if hit < len(sample.seals) or len(found) > hit:
            misses.append(f"{sample.name}: {hit}/{len(sample.seals)} found, "
                          f"{len(found) - hit} wrong")
        key = ("tp" if sample.seals else "fp") if found else ("fn" if sample.seals else "tn")
        pages[key] += 1
    seconds = time.perf_counter() - start
    return {
        "seal_precision": right / detections if detections else 1.0,
        "seal_recall": right / drawn if drawn else 1.0,
        "page_precision": pages["tp"] / (pages["tp"] + pages["fp"] or 1),
        "page_recall": pages["tp"] / (pages["tp"] + pages["fn"] or 1),
        "seals_drawn": drawn, "detections": detections, "right": right, "pages": pages,
        "ms_per_page": 1000 * seconds / len(samples), "wrong": misses,
    }


def _matched(found: list[Point], truths: Sequence[Truth]) -> int:
    used: set[int] = set()
    for truth in truths:
        for i, (x, y) in enumerate(found):
            if i not in used and math.hypot(x - truth.x_mm, y - truth.y_mm) < 0.6 * truth.r_mm:
                used.add(i)
                break
    return len(used)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, default=HERE / "out" / "seals.json")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    print("| set | detector | pages | seals | seal precision | seal recall | page precision "
          "| page recall | ms/page |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, strength in (("aged", 1.0), ("aged ×1.6", 1.6)):
        samples = list(labelled_set(args.seed, args.rounds, strength))
        for name, detect in (("ours", ours), ("baseline", baseline)):
            r = results[f"{label}/{name}"] = score(samples, detect)
            print(f"| {label} | {name} | {len(samples)} | {r['seals_drawn']} | "
                  f"{r['seal_precision']:.1%} | {r['seal_recall']:.1%} | "
                  f"{r['page_precision']:.1%} | {r['page_recall']:.1%} | "
                  f"{r['ms_per_page']:.0f} |")
        ratio = results[f"{label}/ours"]["ms_per_page"] / results[f"{label}/baseline"][
            "ms_per_page"]
        print(f"|  | time per page, ours / baseline | | | | | | | {ratio:.2f} |")
    for name, r in results.items():
        if r["wrong"] and name.endswith("ours"):
            print(f"\n{name}, pages not right:", *r["wrong"][:40], sep="\n  ")
    print(f"\n(seed {args.seed}, {args.rounds} rounds of each kind of page)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
