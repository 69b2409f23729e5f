"""Peak memory and time of `dossier build --max-pages N` against the same volume unsplit.

    python bench/make_corpus.py && python bench/parts.py [MATERIALS] [--max-pages 200]

The largest indicator of the tree (by bytes bound) is built as one volume (`--volumes
single`), first whole (the baseline of this run), then with `--max-pages N`. Each command
runs in `/usr/bin/time -v` (--repeat rounds, interleaved, medians). Printed, and written to
bench/out/parts.json: wall time, peak RSS, the ratios split/whole, the parts made and their
numbered pages, and whether the page numbers run on from part to part."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
from pathlib import Path

from run import EPOCH, HERE, MB, TIME, dossier_command, run_once, summarise

from dossier.build import make_plan
from dossier.catalogue import load_catalogue
from dossier.options import BuildOptions


def largest(materials: Path) -> tuple[int, int]:
    """The indicator binding the most bytes, and its bytes."""
    plans, _ = make_plan(materials, HERE / "out" / "parts-plan", load_catalogue(), (), None,
                         BuildOptions())
    best = max(plans, key=lambda p: sum(s.size for s in p.sources))
    return best.indicator, sum(s.size for s in best.sources)


def parts_of(out: Path) -> list[dict[str, object]]:
    found = []
    for path in sorted(out.glob("*.manifest.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sources = data["sources"]
        found.append({"file": data["output"]["file"],
                      "material_pages": data["output"]["material_pages"],
                      "first": sources[0]["first_page"] if sources else 0,
                      "last": sources[-1]["last_page"] if sources else 0,
                      "largest_document": max((s["pages"] for s in sources), default=0)})
    return sorted(found, key=lambda p: int(p["first"]))  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("materials", nargs="?", type=Path, default=HERE / "corpus" / "materials")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--max-pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    materials, out = args.materials.resolve(), args.out.resolve()
    if not materials.is_dir():
        parser.error(f"{materials} is not a folder; run bench/make_corpus.py first")
    if not shutil.which(TIME):
        parser.error(f"{TIME} is missing (apt-get install time)")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPYCACHEPREFIX=str(out / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    indicator, size = largest(materials)
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    base = [*dossier_command(), "build", str(materials), "-i", str(indicator),
            "--volumes", "single", "--force"]
    commands = {"whole": [*base, "-o", str(out / "parts-whole")],
                "split": [*base, "-o", str(out / "parts-split"), "--max-pages",
                          str(args.max_pages)]}
    runs: dict[str, list[tuple[float, float, float, int, int, int]]] = {k: [] for k in commands}
    run_once("parts-warmup", commands["whole"], logs, env)
    for _ in range(args.repeat):
        for label, command in commands.items():
            shutil.rmtree(out / f"parts-{label}", ignore_errors=True)
            runs[label].append(run_once(f"parts-{label}", command, logs, env))
    measures = {k: summarise(k, commands[k], v) for k, v in runs.items()}
    parts = parts_of(out / "parts-split")
    runs_on = all(b["first"] == int(a["last"]) + 1  # type: ignore[call-overload]
                  for a, b in itertools.pairwise(parts))
    fits = all(int(p["material_pages"]) <= args.max_pages  # type: ignore[call-overload]
               or p["material_pages"] == p["largest_document"] for p in parts)
    whole, split = measures["whole"], measures["split"]
    result = {
        "indicator": indicator, "input_mib": round(size / MB, 1), "max_pages": args.max_pages,
        "whole": {"wall_s": round(whole.wall, 2), "max_rss_mib": round(whole.max_rss_kb / 1024)},
        "split": {"wall_s": round(split.wall, 2), "max_rss_mib": round(split.max_rss_kb / 1024)},
        "rss_split_vs_whole": round(split.max_rss_kb / whole.max_rss_kb, 2),
        "wall_split_vs_whole": round(split.wall / whole.wall, 2),
        "parts": parts, "numbers_run_on": runs_on, "parts_fit": fits,
    }
    (out / "parts.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")
    print(f"indicator {indicator}, {size / MB:.0f} MiB bound as one volume; "
          f"--max-pages {args.max_pages}: {len(parts)} parts")
    print("| build | wall s | max RSS MiB |\n|---|---:|---:|")
    for label, m in measures.items():
        print(f"| {label} | {m.wall:.2f} | {m.max_rss_kb / 1024:.0f} |")
    print(f"split / whole: RSS {result['rss_split_vs_whole']}, wall "
          f"{result['wall_split_vs_whole']}; numbers run on: {runs_on}; parts fit: {fits}")
    for p in parts:
        print(f"  {p['file']}: pages {p['first']}–{p['last']} ({p['material_pages']})")
    return 0 if runs_on and fits else 1


if __name__ == "__main__":
    sys.exit(main())
