"""Seconds per page of OCR (dossier.ocr), against plain Tesseract on the same pictures in the
same run.

    python bench/make_corpus.py && python bench/ocr.py [--pages 8] [--json bench/out/ocr.json]

Two sets of pages:
- corpus: the distinct scanned pages of the bench corpus (bench/corpus/materials: grey
  150 dpi A4 JPEG pages of bars for lines of text, noise and a ring; the corpus repeats
  eight page pictures, which the cache by page hash reads once);
- text: scans of a 公文 with Chinese text (tests/test_ocr.py's page, new seeds), at 200 dpi.

For each, in one run:
- baseline: `tesseract page.png out -l chi_sim+eng --psm 3 pdf txt` on the page rendered
  once (untimed) at 300 dpi, OMP_THREAD_LIMIT=1, one page at a time;
- dossier.ocr.read_page with an empty cache: render + Tesseract + cache write, one at a time,
  then two at a time (threads, as `build -j2` has two workers);
- the same two at a time without OMP_THREAD_LIMIT (Tesseract's own threads fight);
- dossier.ocr.read_page again: every page from the cache."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from pypdf import PdfReader  # noqa: E402

from dossier import ocr  # noqa: E402


def corpus_pages(materials: Path, count: int) -> list[Any]:
    """Distinct scanned pages (by page hash) of the corpus's PDFs."""
    seen: dict[str, Any] = {}
    for pdf in sorted(materials.rglob("*.pdf")):
        for page in PdfReader(pdf).pages:
            if ocr.image_only(page):
                seen.setdefault(ocr.page_digest(page), page)
            if len(seen) >= count:
                return list(seen.values())
    return list(seen.values())


def text_pages(count: int) -> list[Any]:
    from test_ocr import scan_page

    return [PdfReader(io.BytesIO(scan_page(seed))).pages[0] for seed in range(10, 10 + count)]


def timed(work: Callable[[Any], Any], pages: Sequence[Any], jobs: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(work, pages))
    return (time.perf_counter() - start) / len(pages)


def plain(engine: ocr.Engine, limit: bool) -> Callable[[Any], Any]:
    def run(picture: Path) -> None:
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"} if limit else {
            k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
        with tempfile.TemporaryDirectory() as work:
            subprocess.run([engine.path, str(picture), f"{work}/out", "-l", engine.languages,
                            "--psm", "3", "pdf", "txt"], env=env, check=True,
                           capture_output=True)
    return run


def measure(name: str, pages: list[Any], engine: ocr.Engine, scratch: Path) -> dict[str, Any]:
    pictures = []
    for n, page in enumerate(pages):  # rendered once for the baseline, untimed
        picture, dpi = ocr._render(page)
        path = scratch / f"{name}-{n}.png"
        picture.save(path, dpi=(dpi, dpi))
        pictures.append(path)

    def ours(cache: Path) -> Callable[[Any], Any]:
        shutil.rmtree(cache, ignore_errors=True)
        with_cache = ocr.Engine(engine.path, engine.version, engine.languages, cache)
        return lambda page: ocr.read_page(with_cache, page)

    row = {
        "pages": len(pages),
        "tesseract_j1": timed(plain(engine, True), pictures, 1),
        "dossier_j1": timed(ours(scratch / "c1"), pages, 1),
        "dossier_j2": timed(ours(scratch / "c2"), pages, 2),
    }
    saved = os.environ.pop("OMP_THREAD_LIMIT", None)
    row["tesseract_j2_unlimited"] = timed(plain(engine, False), pictures, 2)
    if saved is not None:
        os.environ["OMP_THREAD_LIMIT"] = saved
    cached = ocr.Engine(engine.path, engine.version, engine.languages, scratch / "c2")
    row["dossier_cached"] = timed(lambda page: ocr.read_page(cached, page), pages, 1)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("materials", nargs="?", type=Path,
                        default=HERE / "corpus" / "materials")
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--json", type=Path, default=HERE / "out" / "ocr.json")
    args = parser.parse_args()
    engine = ocr.find_engine()
    if isinstance(engine, ocr.Missing):
        sys.exit("Tesseract with chi_sim is needed: apt-get install tesseract-ocr "
                 "tesseract-ocr-chi-sim")
    sets = {"text": text_pages(args.pages)}
    if args.materials.is_dir():
        sets["corpus"] = corpus_pages(args.materials, args.pages)
    results: dict[str, Any] = {"engine": engine.label}
    with tempfile.TemporaryDirectory(prefix="dossier-bench-ocr-") as scratch:
        for name, pages in sets.items():
            results[name] = measure(name, pages, engine, Path(scratch))
    print(f"{engine.label}; seconds per page (wall time / pages)\n")
    print("| pages | n | tesseract, 1 at a time | dossier.ocr, 1 at a time | ratio | "
          "dossier.ocr, 2 at a time | tesseract, 2 at a time, threads unlimited | cached |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in sets:
        r = results[name]
        print(f"| {name} | {r['pages']} | {r['tesseract_j1']:.2f} | {r['dossier_j1']:.2f} | "
              f"{r['dossier_j1'] / r['tesseract_j1']:.2f} | {r['dossier_j2']:.2f} | "
              f"{r['tesseract_j2_unlimited']:.2f} | {r['dossier_cached']:.3f} |")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
