"""Time `dossier build` and `dossier check` against `qpdf --empty --pages` on the same inputs.

    python bench/make_corpus.py && python bench/run.py

In one run, on the same materials tree (default bench/corpus/materials) and with a warm
page cache, each command wrapped in `/usr/bin/time -v`:
- baseline: `qpdf --empty --pages <inputs> -- out.pdf` once per indicator volume, serially,
  with exactly the inputs `dossier build` binds, in the same order. qpdf only takes PDFs, so
  every image input is wrapped once beforehand (untimed) into a one-page PDF holding the
  same JPEG bytes (bench/out/wrapped/);
- `dossier build --all -j1 --force` and `-j2 --force`;
- a no-op rebuild (the -j2 command again without --force: every volume is up to date, and
  the state of the last build says so without planning), and the same with that state
  removed first (the full plan decides);
- `dossier check`;
- for information, the baseline followed by `sync` (neither dossier nor qpdf fsyncs; the
  row shows what flushing the outputs to disk costs).
Rounds are interleaved (--repeat), and before each command `sync` runs (untimed) and its
old outputs are removed, so no command pays for another one's write-back.
It prints wall times, ratios to the baseline of this run, peak RSS and output/input size,
and writes them to bench/out/results.json. Only `--enforce` turns a missed target into
exit status 1; the figures depend on the machine."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jpegpdf import wrap_photo

from dossier.build import make_plan
from dossier.catalogue import load_catalogue
from dossier.options import BuildOptions
from dossier.plan import VolumePlan

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"
EPOCH = "1614556800"  # 2021-03-01: fixed SOURCE_DATE_EPOCH, so -j1 and -j2 must agree
MB = 1024 * 1024
TARGETS = {  # name: (limit, description)
    "j2_vs_qpdf": (1.25, "build -j2 / qpdf"),
    "j1_vs_qpdf": (2.5, "build -j1 / qpdf"),
    "peak_rss_mb": (250.0, "peak RSS of any build process (MiB)"),
    "output_vs_input": (1.01, "output bytes / input bytes"),
    "noop_vs_build": (0.05, "no-op rebuild / full build -j2"),
    "ink_growth": (0.10, "growth of build -j2 by looking at corners (warm cache)"),
}


@dataclass
class Measure:
    label: str
    command: list[str]
    wall: float  # seconds, median over repeats
    walls: list[float]
    user: float
    system: float
    max_rss_kb: int  # largest single process (GNU time: ru_maxrss of the waited tree)
    tree_rss_kb: int  # peak sum of RSS over the process tree, sampled every 50 ms
    exit_status: int


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    kids = [int(p) for p in text.split()]
    return kids + [g for k in kids for g in _children(k)]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _time_field(text: str, name: str) -> str:
    m = re.search(rf"^\s*{re.escape(name)}: (.+)$", text, re.MULTILINE)
    if not m:
        raise RuntimeError(f"no '{name}' in {TIME} -v output:\n{text}")
    return m.group(1).strip()


def run_once(label: str, command: list[str], logs: Path, env: dict[str, str],
             ok: tuple[int, ...] = (0,)) -> tuple[float, float, float, int, int, int]:
    report = logs / f"{label}.time"
    log, errors = logs / f"{label}.out", logs / f"{label}.err"
    peak = [0]
    with log.open("wb") as out, errors.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([TIME, "-v", "-o", str(report), *command], stdout=out,
                                stderr=err, env=env)

        def sample() -> None:
            while proc.poll() is None:
                pids = _children(proc.pid)
                peak[0] = max(peak[0], sum(_rss_kb(p) for p in pids))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        wall = time.perf_counter() - started
        sampler.join()
    text = report.read_text()
    status = int(_time_field(text, "Exit status"))
    if status not in ok:
        tail = (log.read_text(errors="replace") + errors.read_text(errors="replace"))[-3000:]
        raise RuntimeError(f"{label}: exit status {status}\n$ {shlex.join(command)}\n{tail}")
    return (wall, float(_time_field(text, "User time (seconds)")),
            float(_time_field(text, "System time (seconds)")),
            int(_time_field(text, "Maximum resident set size (kbytes)")), peak[0], status)


def summarise(label: str, command: list[str],
              runs: list[tuple[float, float, float, int, int, int]]) -> Measure:
    """Median wall time (and the user/sys of that run), highest RSS of all runs."""
    walls = [r[0] for r in runs]
    mid = sorted(runs, key=lambda r: r[0])[(len(runs) - 1) // 2]
    return Measure(label, command, statistics.median(walls), walls, mid[1], mid[2],
                   max(r[3] for r in runs), max(r[4] for r in runs), mid[5])


def clear(folder: Path) -> None:
    for f in folder.iterdir():
        if f.is_file():
            f.unlink()


def dossier_command() -> list[str]:
    script = Path(sys.executable).parent / "dossier"
    if script.exists():
        return [str(script)]
    found = shutil.which("dossier")
    return [found] if found else [sys.executable, "-m", "dossier"]


def plan(materials: Path, out: Path) -> tuple[VolumePlan, ...]:
    """The volumes `dossier build --all` makes, with their inputs in binding order."""
    plans, missing = make_plan(materials, out, load_catalogue(), (), None, BuildOptions())
    if missing:
        print(f"note: no folder for indicators {missing}; they are not built")
    return plans


def baseline_script(plans: tuple[VolumePlan, ...], wrapped: Path,
                    qpdf_out: Path) -> tuple[str, list[Path], int]:
    """A shell script running qpdf once per volume, images replaced by wrapped PDFs;
    the wrapped PDFs; how many of them had to be made now."""
    lines = ["set -e"]
    made = 0
    wrapped_pdfs = []
    for volume in plans:
        inputs = []
        for src in volume.sources:
            if src.kind == "pdf":
                inputs.append(src.path)
                continue
            if src.kind != "jpeg":
                raise SystemExit(f"{src.rel}: only PDF and JPEG inputs have a qpdf baseline "
                                 f"(this one is {src.kind}); benchmark a tree without them")
            target = wrapped / (src.rel + ".pdf")
            if not target.exists() or target.stat().st_mtime_ns < src.mtime_ns:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(wrap_photo(Path(src.path)))
                made += 1
            inputs.append(str(target))
            wrapped_pdfs.append(target)
        if inputs:
            lines.append(shlex.join(["qpdf", "--warning-exit-0", "--empty", "--pages", *inputs,
                                     "--", str(qpdf_out / volume.output)]))
    return "\n".join(lines) + "\n", wrapped_pdfs, made


def warm(paths: list[Path]) -> int:
    """Read every input once so all timed commands see the same (warm) page cache."""
    total = 0
    for path in paths:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                total += len(chunk)
    return total


def folder_stats(folder: Path) -> tuple[int, int]:
    files = sorted(folder.glob("*.pdf"))
    return len(files), sum(f.stat().st_size for f in files)


def digests(folder: Path) -> dict[str, str]:
    out = {}
    for f in sorted(folder.glob("*.pdf")):
        digest = hashlib.sha256()
        with f.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        out[f.name] = digest.hexdigest()
    return out


def manifests(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.manifest.json"))]


def qpdf_pages(folder: Path) -> int:
    return sum(int(subprocess.run(["qpdf", "--show-npages", str(f)], check=True,
                                  capture_output=True, text=True).stdout)
               for f in sorted(folder.glob("*.pdf")))


def code_version() -> dict[str, Any]:
    """The dossier code measured: commit and uncommitted changes (the tree may be dirty)."""
    repo = HERE.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else ""

    changed = git("status", "--porcelain", "--", "src", "templates", "indicators.yaml")
    return {"commit": git("rev-parse", "HEAD").strip(), "uncommitted": changed.splitlines()}


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    with contextlib.suppress(ValueError, OSError):
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MB
    qpdf = subprocess.run(["qpdf", "--version"], capture_output=True, text=True).stdout
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_mb": mem,
            "python": platform.python_version(), "platform": platform.platform(),
            "qpdf": qpdf.splitlines()[0] if qpdf else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("materials", nargs="?", type=Path, default=HERE / "corpus" / "materials",
                        help="materials tree (default: bench/corpus/materials)")
    parser.add_argument("--out", type=Path, default=HERE / "out",
                        help="work and result folder (default: bench/out)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds: every timed command runs N times, the median is "
                             "reported (default 3)")
    parser.add_argument("--enforce", action="store_true",
                        help="exit 1 when a target is missed (off by default: timings vary)")
    args = parser.parse_args(argv)
    materials: Path = args.materials.resolve()
    out: Path = args.out.resolve()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not materials.is_dir():
        parser.error(f"{materials} is not a folder; run bench/make_corpus.py first")
    for tool in (TIME, "qpdf"):
        if not shutil.which(tool):
            parser.error(f"{tool} is missing (apt-get install time qpdf)")

    dirs = {k: out / k for k in ("qpdf", "j1", "j2", "j2fixed", "j2cold", "wrapped", "logs")}
    for key in ("qpdf", "j1", "j2", "j2fixed", "j2cold", "logs"):
        shutil.rmtree(dirs[key], ignore_errors=True)
    dirs["warmup"] = out / "warmup"
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    # Bytecode caching on, as for any installed package (this sandbox sets
    # PYTHONDONTWRITEBYTECODE=1, which would recompile dossier's modules on every run).
    # The tool's cache (page corners looked at, dossier.ink) in OUT: warm after the warm-up,
    # emptied before each `-cold` row.
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH,
               PYTHONPYCACHEPREFIX=str(out / "pycache"), DOSSIER_CACHE=str(out / "cache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH

    plans = plan(materials, dirs["j1"])
    sources = [s for p in plans for s in p.sources]
    input_bytes = sum(s.size for s in sources)
    script, wrapped_pdfs, wrapped = baseline_script(plans, dirs["wrapped"], dirs["qpdf"])
    (out / "baseline.sh").write_text(script, encoding="utf-8")
    print(f"{materials}: {len(plans)} volumes, {len(sources)} inputs, "
          f"{input_bytes / MB:.0f} MiB ({wrapped} images wrapped for qpdf)")
    warm([Path(s.path) for s in sources] + wrapped_pdfs)

    dossier = dossier_command()
    build = [*dossier, "build", str(materials), "--all", "--volumes", "single"]
    commands = {
        "qpdf": ["sh", str(out / "baseline.sh")],
        # information only: what flushing the outputs to disk would add (neither fsyncs)
        "qpdf+sync": ["sh", "-c", f"sh {shlex.quote(str(out / 'baseline.sh'))} && sync"],
        "build-j1": [*build, "-j1", "-o", str(dirs["j1"]), "--force"],
        "build-j2": [*build, "-j2", "-o", str(dirs["j2"]), "--force"],
        # page numbers where asked, corners not looked at: what looking costs (issue 11)
        "build-j2-fixed": [*build, "-j2", "-o", str(dirs["j2fixed"]), "--force",
                           "--stamp-fixed"],
        # corners looked at with an empty cache: a first build of new material
        "build-j2-cold": [*build, "-j2", "-o", str(dirs["j2cold"]), "--force"],
        "noop": [*build, "-j2", "-o", str(dirs["j2"])],
        # the same without the state of the last build: the full plan decides (first run
        # after an upgrade, or a state file removed)
        "noop-plan": [*build, "-j2", "-o", str(dirs["j2"])],
        "check": [*dossier, "check", str(materials), "--format", "json"],
    }

    # Warm-up (untimed): fills the bytecode cache and the page cache for everything.
    first = str(plans[0].indicator)
    warmups = {
        # every volume once: the cache of page corners (dossier.ink) is then warm, as
        # after a clerk's first build; the -cold row measures that first build
        "warmup-build": [*dossier, "build", str(materials), "--all", "--volumes", "single",
                         "-j2", "-o", str(dirs["warmup"]), "--force"],
        "warmup-check": [*dossier, "check", str(materials), "-i", first],
    }
    for label, command in warmups.items():
        run_once(label, command, dirs["logs"], env, ok=(0, 1))

    # Interleaved rounds; before each command (untimed) its old outputs are removed and
    # `sync` flushes dirty pages, so no command pays for the write-back of another.
    runs: dict[str, list[tuple[float, float, float, int, int, int]]] = {k: [] for k in commands}
    noop_wrote: list[str] = []
    print(f"timing ({args.repeat} round{'s' if args.repeat > 1 else ''}):")
    for _ in range(args.repeat):
        for label, command in commands.items():
            target = {"qpdf": "qpdf", "qpdf+sync": "qpdf", "build-j1": "j1",
                      "build-j2": "j2", "build-j2-fixed": "j2fixed",
                      "build-j2-cold": "j2cold"}.get(label)
            if target:
                clear(dirs[target])
            if label == "build-j2-cold":
                shutil.rmtree(out / "cache", ignore_errors=True)
            if label == "noop-plan":
                (dirs["j2"] / ".dossier-state.json").unlink(missing_ok=True)
            before = {f.name: f.stat().st_mtime_ns for f in dirs["j2"].glob("*.pdf")}
            subprocess.run(["sync"], check=True)
            runs[label].append(run_once(label, command, dirs["logs"], env,
                                        ok=(0, 1) if label == "check" else (0,)))
            print(f"  {label:10s} {runs[label][-1][0]:7.2f} s", flush=True)
            if label in ("noop", "noop-plan"):
                after = {f.name: f.stat().st_mtime_ns for f in dirs["j2"].glob("*.pdf")}
                noop_wrote += sorted(n for n in after if after[n] != before.get(n))
    results = {label: summarise(label, commands[label], r) for label, r in runs.items()}

    # Same inputs? The manifests of the -j1 build list every bound source in order.
    built = manifests(dirs["j1"])
    bound = [(m["indicator"], s["path"]) for m in built for s in m["sources"]]
    planned = [(p.indicator, s.rel) for p in plans for s in p.sources]
    material_pages = sum(s["pages"] for m in built for s in m["sources"])
    front_pages = sum(m["output"]["front_pages"] for m in built)
    j1_files, j1_bytes = folder_stats(dirs["j1"])
    j2_files, j2_bytes = folder_stats(dirs["j2"])
    q_files, q_bytes = folder_stats(dirs["qpdf"])
    identical = digests(dirs["j1"]) == digests(dirs["j2"])
    check_report = json.loads((dirs["logs"] / "check.out").read_text(encoding="utf-8"))

    qpdf_wall = results["qpdf"].wall
    figures = {
        "j2_vs_qpdf": results["build-j2"].wall / qpdf_wall,
        "j1_vs_qpdf": results["build-j1"].wall / qpdf_wall,
        "peak_rss_mb": max(results[k].max_rss_kb for k in ("build-j1", "build-j2")) / 1024,
        "output_vs_input": j1_bytes / input_bytes,
        "noop_vs_build": results["noop"].wall / results["build-j2"].wall,
        "noop_vs_build_j1": results["noop"].wall / results["build-j1"].wall,
        "noop_plan_vs_build": results["noop-plan"].wall / results["build-j2"].wall,
        "check_vs_build_j1": results["check"].wall / results["build-j1"].wall,
        "qpdf_output_vs_input": q_bytes / input_bytes,
        "j2_vs_qpdf_sync": results["build-j2"].wall / results["qpdf+sync"].wall,
        "j1_vs_qpdf_sync": results["build-j1"].wall / results["qpdf+sync"].wall,
        # looking at the corners (warm cache, and a first build) against not looking
        "ink_growth": results["build-j2"].wall / results["build-j2-fixed"].wall - 1,
        "ink_growth_cold": results["build-j2-cold"].wall / results["build-j2-fixed"].wall - 1,
    }
    verdicts = {k: figures[k] <= limit for k, (limit, _) in TARGETS.items()}
    data = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code_version(),
        "materials": str(materials),
        "repeat": args.repeat,
        "corpus": {"volumes": len(plans), "inputs": len(sources),
                   "inputs_by_kind": {k: sum(1 for s in sources if s.kind == k)
                                      for k in sorted({s.kind for s in sources})},
                   "material_pages": material_pages, "input_bytes": input_bytes},
        "baseline": "qpdf --empty --pages, serial, one run per volume; JPEG inputs pre-wrapped "
                    "(untimed) into one-page PDFs with the same bytes",
        "measures": {k: asdict(v) for k, v in results.items()},
        "outputs": {
            "dossier_j1": {"files": j1_files, "bytes": j1_bytes,
                           "pages": material_pages + front_pages, "front_pages": front_pages},
            "dossier_j2": {"files": j2_files, "bytes": j2_bytes},
            "qpdf": {"files": q_files, "bytes": q_bytes, "pages": qpdf_pages(dirs["qpdf"])},
        },
        "consistency": {
            "same_inputs_as_baseline": bound == planned,
            "j1_equals_j2_bytes": identical,
            "noop_rewrote": noop_wrote,
            "check_summary": check_report.get("summary"),
        },
        "figures": figures,
        "targets": {k: {"limit": limit, "what": what, "value": figures[k], "met": verdicts[k]}
                    for k, (limit, what) in TARGETS.items()},
    }
    (out / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    print_table(data, results)
    print(f"results: {out / 'results.json'}")
    problems = [k for k, v in data["consistency"].items() if v is False] \
        + (["noop_rewrote"] if noop_wrote else [])
    if problems:
        print(f"CONSISTENCY PROBLEM: {', '.join(problems)}")
    if args.enforce and (problems or not all(verdicts.values())):
        return 1
    return 0


def print_table(data: dict[str, Any], results: dict[str, Measure]) -> None:
    qpdf = results["qpdf"].wall
    corpus = data["corpus"]
    print(f"\ncorpus: {corpus['volumes']} volumes, {corpus['inputs']} files, "
          f"{corpus['material_pages']} pages, {corpus['input_bytes'] / MB:.0f} MiB; "
          f"{data['machine']['cores']} cores")
    print(f"{'command':10s} {'wall s':>7s} {'min-max s':>11s} {'x qpdf':>6s} {'user s':>6s} "
          f"{'sys s':>5s} {'max RSS MiB':>11s} {'tree RSS MiB':>12s}")
    for label, m in results.items():
        spread = f"{min(m.walls):.2f}-{max(m.walls):.2f}"
        print(f"{label:10s} {m.wall:7.2f} {spread:>11s} {m.wall / qpdf:6.2f} {m.user:6.2f} "
              f"{m.system:5.2f} {m.max_rss_kb / 1024:11.0f} {m.tree_rss_kb / 1024:12.0f}")
    out = data["outputs"]
    print(f"output: dossier {out['dossier_j1']['bytes'] / MB:.1f} MiB "
          f"({out['dossier_j1']['pages']} pages), qpdf {out['qpdf']['bytes'] / MB:.1f} MiB "
          f"({out['qpdf']['pages']} pages), input {corpus['input_bytes'] / MB:.1f} MiB")
    fig = data["figures"]
    print(f"check / build -j1: {fig['check_vs_build_j1']:.3f}; against qpdf+sync: "
          f"-j1 {fig['j1_vs_qpdf_sync']:.2f}x, -j2 {fig['j2_vs_qpdf_sync']:.2f}x; no-op / "
          f"build -j1: {fig['noop_vs_build_j1']:.3f}; no-op without state / build -j2: "
          f"{fig['noop_plan_vs_build']:.3f}")
    print("\ntargets:")
    for t in data["targets"].values():
        mark = "met" if t["met"] else "MISSED"
        print(f"  {t['what']:38s} {t['value']:8.3f}  limit {t['limit']:<6g} {mark}")
    for key, value in data["consistency"].items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    raise SystemExit(main())
