"""One runner against 2 and 4 shards (`dossier build --all --shard K/N`) on the bench corpus,
and what that means for a city and a province.

    python bench/make_corpus.py && python bench/shards.py [MATERIALS] [--jobs 2]

Measured in one run, every build `--force` into its own folder, SOURCE_DATE_EPOCH fixed:

- one runner: `build --all -j J` (the baseline of this run);
- N shards side by side: N processes started together on this machine, each
  `build --all --shard K/N -j J` (they share its cores, as runners on one host would);
- each shard alone, one after another: the longest is the wall time N runners with a
  machine each would take, the sum is the work all runners do together;
- the planning every runner repeats for all volumes: `build --all --shard 1/N --dry-run`.

The result is printed and written to bench/out/shards.json, with the expected wall time of
a city (30,000 pages) and a province (600,000 pages) for a given number of runners, from
the measured rate: planning (repeated on every runner) + binding / runners × imbalance."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EPOCH = "1614556800"
CITY, PROVINCE = 30_000, 600_000


def command(materials: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dossier", "build", str(materials), "--all", "-j",
            str(jobs), "--force", "-o", str(out), *extra]


def timed(commands: list[list[str]], env: dict[str, str], repeat: int = 1) -> float:
    """Median wall time of `commands` started together, over `repeat` runs."""
    return statistics.median(_timed(commands, env) for _ in range(repeat))


def _timed(commands: list[list[str]], env: dict[str, str]) -> float:
    """Wall time of `commands` started together; every one must succeed."""
    start = time.monotonic()
    running = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE) for c in commands]
    for process, cmd in zip(running, commands, strict=True):
        _, err = process.communicate()
        if process.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({process.returncode}):\n"
                             f"{err.decode(errors='replace')[-2000:]}")
    return time.monotonic() - start


def pages_in(out: Path) -> int:
    total = 0
    for path in out.glob("*.manifest.json"):
        total += json.loads(path.read_text(encoding="utf-8"))["output"]["material_pages"]
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("materials", nargs="?", type=Path, default=HERE / "corpus" / "materials")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "shards")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--shards", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, median")
    args = parser.parse_args(argv)
    materials, out = args.materials.resolve(), args.out.resolve()
    if not materials.is_dir():
        parser.error(f"{materials} is not a folder; run bench/make_corpus.py first")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, DOSSIER_CACHE=str(out / "cache"),
               PYTHONPYCACHEPREFIX=str(out / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    timed([command(materials, out / "warmup", args.jobs)], env)  # caches, bytecode, page cache
    rep = args.repeat
    one = timed([command(materials, out / "one", args.jobs)], env, rep)
    pages = pages_in(out / "one")
    rows = [{"runners": 1, "side_by_side_s": round(one, 2), "ratio": 1.0,
             "alone_max_s": round(one, 2), "alone_sum_s": round(one, 2), "plan_s": 0.0}]
    for n in args.shards:
        shard = [command(materials, out / f"n{n}-{k}", args.jobs, "--shard", f"{k}/{n}")
                 for k in range(1, n + 1)]
        together = timed(shard, env, rep)
        alone = [timed([command(materials, out / f"alone{n}-{k}", args.jobs, "--shard",
                                f"{k}/{n}")], env, rep) for k in range(1, n + 1)]
        plan = timed([command(materials, out / "plan", args.jobs, "--shard", f"1/{n}",
                              "--dry-run")], env, rep)
        built = sum(pages_in(out / f"n{n}-{k}") for k in range(1, n + 1))
        assert built == pages, (built, pages)  # every page in exactly one shard
        rows.append({"runners": n, "side_by_side_s": round(together, 2),
                     "ratio": round(together / one, 2), "alone_max_s": round(max(alone), 2),
                     "alone_sum_s": round(sum(alone), 2), "plan_s": round(plan, 2),
                     "imbalance": round(max(alone) / (sum(alone) / n), 2)})
    plan = max(r["plan_s"] for r in rows) / pages  # seconds per page, repeated per runner
    rate = (one - plan * pages) / pages  # seconds per page bound, one runner
    imbalance = max(r.get("imbalance", 1.0) for r in rows)

    def expected(total: int, runners: int) -> float:
        return plan * total + rate * total / runners * (imbalance if runners > 1 else 1.0)

    projections = [{"pages": total, "runners": r, "minutes": round(expected(total, r) / 60, 1)}
                   for total in (CITY, PROVINCE) for r in (1, 4, 10, 20, 40)]
    result = {"materials": str(materials), "pages": pages, "jobs_per_runner": args.jobs,
              "cpus": os.cpu_count(), "rows": rows,
              "seconds_per_page": round(rate, 5), "plan_seconds_per_page": round(plan, 5),
              "projections": projections}
    (out.parent / "shards.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"{pages} pages, -j {args.jobs} per runner, {os.cpu_count()} CPUs")
    print("runners | side by side (s) | ratio | each alone: longest (s) | sum (s) | plan (s)")
    for r in rows:
        print(f"{r['runners']:>7} | {r['side_by_side_s']:>16} | {r['ratio']:>5} | "
              f"{r['alone_max_s']:>23} | {r['alone_sum_s']:>7} | {r['plan_s']:>8}")
    for p in projections:
        print(f"{p['pages']:>7} pages, {p['runners']:>2} runners: {p['minutes']} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
