"""Office documents in a build: 100 Word and Excel files converted cold, bound warm from the
cache, and a no-op, against the same tree with every document already a PDF.

    python bench/office.py [--docs 100] [--repeat 3] [--jobs 2]

Made here (deterministic): a materials tree of 100 office documents (70 .docx of one to
three pages, 30 two-sheet .xlsx) spread over eight indicators and their years, and its
twin in which each document is the very PDF LibreOffice made of it (taken from the cache
after the cold build), so both trees bind the same pages. Each command runs in
`/usr/bin/time -v`, rounds interleaved, medians:
- cold: `build --all -j N --force` with an empty cache (LibreOffice converts everything);
- cold -j1: the same one document at a time (what -j buys);
- warm: `build --all -j N --force` with the cache filled: nothing is converted;
- pdf: the same on the twin tree: the baseline of this run;
- no-op: `build --all -j N` again, every volume up to date.
Printed, and written to bench/out/office.json. Target: warm ≤ 1.10 × pdf."""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import sys
from pathlib import Path

from run import EPOCH, HERE, MB, TIME, dossier_command, run_once, summarise

sys.path.insert(0, str(HERE.parent / "examples"))

from dossier.tools import LIBREOFFICE, find

from make_materials import word_docx

INDICATORS = ("01-生态文明建设规划", "08-河长制", "12-水环境质量", "13-生态环境状况指数",
              "14-林草覆盖率", "28-城镇污水处理率", "29-城镇生活垃圾无害化处理率",
              "30-城镇人均公园绿地面积(平方米／人)")
YEARS = ("2018", "2019", "2020", "2021")
TARGET = 1.10


def workbook(seed: int) -> bytes:
    from datetime import datetime, timezone

    import xlsxwriter

    rnd = random.Random(seed)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": datetime(2021, 3, 1, tzinfo=timezone.utc)})
    cell = book.add_format({"border": 1, "font_name": "宋体"})
    for sheet_no in range(2):
        sheet = book.add_worksheet(f"表{sheet_no + 1}")
        sheet.write_row(0, 0, ["序号", "单位", *[f"{m}月" for m in range(1, 13)]], cell)
        for row in range(1, 30 + rnd.randrange(20)):
            sheet.write_row(row, 0, [row, f"监测点{seed}-{row}",
                                     *[round(rnd.uniform(60, 99), 1) for _ in range(12)]], cell)
    book.close()
    return buf.getvalue()


def document(n: int) -> tuple[str, bytes]:
    """The n-th document: a name and its bytes."""
    if n % 10 < 7:
        paragraphs = [f"第{n}号材料：全市各级河长巡河{n}万人次，整治河湖问题{n * 7}个，"
                      "全面完成年度目标任务。"] * (6 + (n % 3) * 18)
        return (f"{n:03d}工作总结（{n}）.docx",
                word_docx(f"巴中市工作总结（第{n}号）", paragraphs,
                          [["项目", "目标", "完成"], ["巡河", str(n), str(n + 1)]]))
    return f"{n:03d}监测统计表（{n}）.xlsx", workbook(n)


def make_trees(root: Path, docs: int) -> tuple[Path, list[Path]]:
    """The office tree and its documents; each indicator gets its two main sections."""
    from reportlab.pdfgen import canvas

    if root.exists():
        shutil.rmtree(root)
    office = root / "office"
    made = []
    for ind in INDICATORS:
        for section in ("达标说明", "直接证明材料"):
            buf = io.BytesIO()
            page = canvas.Canvas(buf, invariant=1)
            page.drawString(72, 720, f"{ind} {section}")
            page.showPage()
            page.save()
            target = office / ind / section / f"01(1){section}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(buf.getvalue())
    for n in range(docs):
        name, data = document(n)
        target = office / INDICATORS[n % len(INDICATORS)] / YEARS[n // len(INDICATORS) % 4] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        made.append(target)
    return office, made


def pdf_twin(office: Path, twin: Path, out: Path) -> int:
    """The tree with each office document replaced by the PDF bound in its place (read
    from the manifests: the cached conversion, by its SHA-256). Returns the pages."""
    import hashlib

    if twin.exists():
        shutil.rmtree(twin)
    shutil.copytree(office, twin)
    cached: dict[str, bytes] = {}
    for pdf in (HERE / "out" / "office-cache" / "office").rglob("*.pdf"):
        data = pdf.read_bytes()
        cached[hashlib.sha256(data).hexdigest()] = data
    pages = 0
    for manifest in out.glob("*.manifest.json"):
        for source in json.loads(manifest.read_text(encoding="utf-8"))["sources"]:
            pages += source["pages"]
            if source["converted"] is None:
                continue
            original = twin / source["path"]
            original.unlink()
            original.with_suffix(".pdf").write_bytes(cached[source["converted"]["pdf_sha256"]])
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-cold", action="store_true",
                        help="reuse the cache and trees of the last run (warm rows only)")
    args = parser.parse_args(argv)
    found = find(LIBREOFFICE)
    if found is None or not shutil.which(TIME):
        parser.error("needs LibreOffice and /usr/bin/time")
    base = HERE / "out" / "office"
    if args.skip_cold:
        office = base / "trees" / "office"
        made = sorted(p for p in office.rglob("*") if p.suffix in (".docx", ".xlsx"))
    else:
        office, made = make_trees(base / "trees", args.docs)
    twin = base / "trees" / "pdf"
    logs = base / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    cache = HERE / "out" / "office-cache"
    env = {**__import__("os").environ, "SOURCE_DATE_EPOCH": EPOCH, "DOSSIER_CACHE": str(cache)}
    tool = dossier_command()

    def build(tree: Path, out: Path, *extra: str) -> list[str]:
        return [*tool, "build", str(tree), "--all", "-o", str(out), *extra]

    jobs = f"-j{args.jobs}"
    runs: dict[str, list[tuple[float, float, float, int, int, int]]] = {}
    commands: dict[str, list[str]] = {}

    def timed(label: str, command: list[str], fresh_cache: bool = False) -> None:
        if fresh_cache and cache.exists():
            shutil.rmtree(cache)
        commands[label] = command
        runs.setdefault(label, []).append(run_once(label, command, logs, env))

    out_office, out_pdf = base / "dist-office", base / "dist-pdf"
    if not args.skip_cold:
        timed("cold -j1", build(office, base / "dist-j1", "-j1", "--force"), fresh_cache=True)
        timed("cold", build(office, out_office, jobs, "--force"), fresh_cache=True)
    pages = pdf_twin(office, twin, out_office)
    for _ in range(args.repeat):  # interleaved: the two compared rows share the machine
        timed("warm", build(office, out_office, jobs, "--force"))
        timed("pdf", build(twin, out_pdf, jobs, "--force"))
        timed("no-op", build(office, out_office, jobs))
    results = {label: summarise(label, commands[label], r) for label, r in runs.items()}
    pdf_wall = results["pdf"].wall
    same = all((out_office / p.name).read_bytes() == p.read_bytes()
               for p in (base / "dist-j1").glob("*.pdf"))
    data = {
        "documents": len(made), "pages": pages,
        "libreoffice": found.version, "jobs": args.jobs,
        "rows": {label: {"wall": m.wall, "walls": m.walls, "vs_pdf": m.wall / pdf_wall,
                         "peak_rss_mb": m.max_rss_kb / 1024, "command": m.command}
                 for label, m in results.items()},
        "cold_seconds_per_document": (results["cold"].wall / len(made)
                                      if "cold" in results else None),
        "warm_vs_pdf": results["warm"].wall / pdf_wall,
        "noop_vs_warm": results["no-op"].wall / results["warm"].wall,
        "target_warm_vs_pdf": TARGET,
        "j1_and_jN_identical": same,
        "input_mb": sum(p.stat().st_size for p in made) / MB,
    }
    (HERE / "out" / "office.json").write_text(json.dumps(data, indent=2, ensure_ascii=False),
                                              encoding="utf-8")
    print(f"{len(made)} office documents, {pages} pages, LibreOffice {found.version}")
    print(f"{'row':10} {'wall s':>8} {'× pdf':>7} {'RSS MiB':>8}")
    for label, m in results.items():
        print(f"{label:10} {m.wall:8.2f} {m.wall / pdf_wall:7.2f} {m.max_rss_kb / 1024:8.0f}")
    print(f"warm / pdf = {data['warm_vs_pdf']:.3f} (target ≤ {TARGET}); "
          f"cold = {data['cold_seconds_per_document'] or 0:.2f} s per document; "
          f"no-op / warm = {data['noop_vs_warm']:.3f}; -j1 and {jobs} identical: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
