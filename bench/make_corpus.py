"""Generate a deterministic materials tree for the benchmark (bench/run.py).

    python bench/make_corpus.py                 # ~3000 pages, ~0.7 GB, bench/corpus/materials
    python bench/make_corpus.py --scale 0.05    # small tree for a smoke run

One folder per indicator of the packaged catalogue (37 folders, 1-38 without 17, named as
`dossier init` names them), each with 达标说明/, 直接证明材料/, 2018/ … 2021/ and 长期有效/.
Files are named like a clerk names them (`01(1)2019年度考核结果.pdf`) and tagged so every
review point is covered for every year. Content, by pages:
- scanned documents: PDFs of grey, noisy 150 dpi A4 JPEG pages (1240x1754, quality 75,
  ~250 KB a page), the JPEG bytes embedded unchanged as DCTDecode XObjects;
- text documents: several-page PDFs made with reportlab (Chinese text, tables);
- phone photos: raw JPEG files (1600x1200 RGB as stored) with EXIF orientation 6, 8, 3
  or 1, upright only once the orientation is applied;
- rotated pages: some scanned and text pages carry /Rotate 90, 180 or 270.
A handful of distinct images are encoded once; every page then gets its own bytes by a
COM segment spliced into the JPEG (so no two files or page images are identical).
A summary (pages, bytes, counts) is written beside the tree as `<tree>.corpus.json`."""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from jpegpdf import ImagePage, image_pdf, with_comment
from PIL import Image, ImageChops, ImageDraw
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from dossier.catalogue import load_catalogue
from dossier.naming import folder_name
from dossier.schema import Indicator

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "corpus" / "materials"
PAGES_PER_INDICATOR = 81  # x 37 indicators ~ 3000 pages at --scale 1
# As in the field, one indicator holds far more than the others (12 水环境质量: monthly
# water-quality reports of every section of river), so a volume is long enough for
# `build --max-pages 200` to split (bench/parts.py).
HEAVY = {12: 4.0}
YEARS = ("2018", "2019", "2020")
PROGRESS = "2021"
SECTIONS = ("达标说明", "直接证明材料", *YEARS, PROGRESS, "长期有效")
FONT = "STSong-Light"  # reportlab's built-in CID font: text PDFs as office software makes

SCAN_TITLES = ("考核结果通报", "监测报告", "工作方案", "实施意见", "验收意见", "批复文件",
               "会议纪要", "检查情况通报", "统计公报", "年度工作总结", "专项督查报告",
               "责任书", "整改方案", "评估报告")
TEXT_TITLES = ("工作情况说明", "数据统计表", "自查报告", "工作进展情况", "台账汇总表",
               "任务清单", "公开信息目录")
PHOTO_TITLES = ("现场照片", "宣传活动照片", "整改现场照片", "公示牌照片", "会议照片")
CHARS = ("生态文明建设示范市创建工作领导小组办公室关于各区县人民政府市级有关部门按照要求落实"
         "环境保护目标责任制度推进大气水土壤污染防治攻坚战年度考核结果通报监测数据统计分析"
         "河长制湖长制森林资源保护自然保护区管理绿色发展循环经济节能减排公众参与满意度调查")


@dataclass
class Stats:
    files: dict[str, int] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    rotated: int = 0  # pages with /Rotate 90, 180 or 270 (scanned and text PDFs)

    def add(self, kind: str, pages: int, size: int) -> None:
        self.files[kind] = self.files.get(kind, 0) + 1
        self.pages[kind] = self.pages.get(kind, 0) + pages
        self.bytes += size


def _noise(rng: random.Random, mode: str, size: tuple[int, int], spread: int) -> Image.Image:
    """Uniform sensor noise around 128, +-spread/2, from the seeded generator (Pillow's
    effect_noise uses the C library's rand(), which is not seeded)."""
    raw = Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))
    return raw.point([128 - spread // 2 + v * spread // 256 for v in range(256)] * len(mode))


class Images:
    """The few distinct images, encoded once."""

    def __init__(self, rng: random.Random) -> None:
        self.portrait = [self._scan(rng, 1240, 1754) for _ in range(6)]
        self.landscape = [self._scan(rng, 1754, 1240) for _ in range(2)]
        self.photos = {o: [self._photo(rng, o) for _ in range(2)] for o in (1, 3, 6, 8)}

    @staticmethod
    def _scan(rng: random.Random, width: int, height: int) -> bytes:
        """A grey scan of a typed page: dark bars for text lines, a red-stamp-like blot,
        sensor noise. ~250 KB at quality 75."""
        page = Image.new("L", (width, height), rng.randint(228, 240))
        draw = ImageDraw.Draw(page)
        y = 140
        while y < height - 160:
            x = 120 if rng.random() < 0.85 else 200
            right = width - 120 - (rng.randint(0, 500) if rng.random() < 0.15 else 0)
            while x < right:
                w = rng.randint(18, 64)
                draw.rectangle((x, y, min(x + w, right), y + 22), fill=rng.randint(35, 95))
                x += w + rng.randint(6, 22)
            y += rng.randint(38, 56)
        cx, cy = rng.randint(width // 2, width - 250), rng.randint(height // 2, height - 250)
        draw.ellipse((cx, cy, cx + 200, cy + 200), outline=110, width=9)
        img = ImageChops.add(page, _noise(rng, "L", (width, height), 14), 1.0, -128)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=75)
        return buf.getvalue()

    @staticmethod
    def _photo(rng: random.Random, orientation: int) -> bytes:
        """A scene drawn upright (sky on top, a white marker top left), then stored turned
        the way a phone sensor stores it, with the EXIF orientation that turns it back."""
        width, height = (1200, 1600) if orientation in (6, 8) else (1600, 1200)
        sky = Image.linear_gradient("L").resize((width, height))
        r = sky.point(lambda v: 60 + v // 3)
        g = sky.point(lambda v: 110 + v // 4)
        b = sky.point(lambda v: 200 - v // 3)
        img = Image.merge("RGB", (r, g, b))
        draw = ImageDraw.Draw(img)
        for _ in range(12):
            x, y = rng.randint(0, width), rng.randint(height // 3, height)
            s = rng.randint(80, 300)
            draw.ellipse((x, y, x + s, y + s // 2),
                         fill=(rng.randint(20, 90), rng.randint(90, 160), rng.randint(20, 70)))
        draw.rectangle((0, 0, 300, 120), fill=(240, 240, 240))  # "up" marker: top-left
        img = ImageChops.add(img, _noise(rng, "RGB", (width, height), 30), 1.0, -128)
        stored = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90,
                  8: Image.Transpose.ROTATE_270}.get(orientation)
        if stored is not None:
            img = img.transpose(stored)
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x010F] = "HUAWEI"
        exif[0x0110] = "bench phone"
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85, exif=exif.tobytes())
        return buf.getvalue()


class Writer:
    def __init__(self, root: Path, images: Images, scale: float) -> None:
        self.root = root
        self.images = images
        self.scale = scale
        self.stats = Stats()
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        rl_config.useA85 = 0

    def pages(self, rng: random.Random, low: int, high: int) -> int:
        return max(1, round(rng.randint(low, high) * min(1.0, self.scale)))

    @staticmethod
    def _rotation(rng: random.Random, share: float) -> int:
        return rng.choice((90, 180, 270, 90)) if rng.random() < share else 0

    def scan(self, rel: str, rng: random.Random, pages: int, rotated: float = 0.0) -> int:
        out = []
        for n in range(pages):
            landscape = rng.random() < 0.06
            base = rng.choice(self.images.landscape if landscape else self.images.portrait)
            rotate = self._rotation(rng, rotated)
            out.append(ImagePage(with_comment(base, f"bench {rel} page {n + 1}"), rotate))
        data = image_pdf(out)
        self._write(rel, data)
        self.stats.add("scanned pdf", pages, len(data))
        self.stats.rotated += sum(1 for p in out if p.rotate)
        return pages

    def text(self, rel: str, rng: random.Random, title: str, pages: int,
             rotated: float = 0.0) -> int:
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
        c.setTitle(title)
        width, height = A4
        rotations = 0
        for n in range(pages):
            c.setFont(FONT, 16)
            c.drawCentredString(width / 2, height - 90, title if n == 0 else f"{title}（续）")
            c.setFont(FONT, 11)
            y = height - 140
            if rng.random() < 0.4:  # a table
                rows, cols = rng.randint(8, 18), rng.randint(3, 6)
                cw = (width - 140) / cols
                for r in range(rows + 1):
                    c.line(70, y - r * 22, width - 70, y - r * 22)
                for k in range(cols + 1):
                    c.line(70 + k * cw, y, 70 + k * cw, y - rows * 22)
                for r in range(rows):
                    for k in range(cols):
                        cell = "".join(rng.choice(CHARS) for _ in range(4)) if k == 0 or r == 0 \
                            else f"{rng.uniform(0, 999):.2f}"
                        c.drawString(74 + k * cw, y - r * 22 - 15, cell)
                y -= rows * 22 + 30
            while y > 80:
                line = "".join(rng.choice(CHARS) for _ in range(rng.randint(20, 38)))
                c.drawString(80 if rng.random() < 0.8 else 102, y, line)
                y -= 20
            c.drawCentredString(width / 2, 40, f"— {n + 1} —")
            rotate = self._rotation(rng, rotated)
            if rotate:
                c.setPageRotation(rotate)
                rotations += 1
            c.showPage()
        c.save()
        data = buf.getvalue()
        self._write(rel, data)
        self.stats.add("text pdf", pages, len(data))
        self.stats.rotated += rotations
        return pages

    def photo(self, rel: str, rng: random.Random) -> int:
        orientation = rng.choices((6, 8, 3, 1), weights=(5, 2, 1, 2))[0]
        data = with_comment(rng.choice(self.images.photos[orientation]), f"bench {rel}")
        self._write(rel, data)
        self.stats.add(f"photo jpeg (EXIF orientation {orientation})", 1, len(data))
        return 1

    def _write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def make_indicator(w: Writer, ind: Indicator, seed: int) -> int:
    rng = random.Random(f"{seed}-{ind.id}")
    base = folder_name(ind.id, ind.name)
    order = dict.fromkeys(SECTIONS, 0)

    def name(section: str, title: str, tags: tuple[int, ...] = (), ext: str = ".pdf") -> str:
        order[section] += 1
        tag = "".join(f"({t})" for t in tags)
        sep = "" if tag else "-"
        return f"{base}/{section}/{order[section]:02d}{sep}{tag}{title}{ext}"

    per_year = [r.id for r in ind.requirements if r.per_year and r.alternative_to is None]
    once = [r.id for r in ind.requirements if not r.per_year and r.alternative_to is None]
    pages = 0
    # The skeleton: every section has material, every review point is covered.
    for section in SECTIONS:
        (w.root / base / section).mkdir(parents=True, exist_ok=True)
    pages += w.text(name("达标说明", f"{ind.name}指标达标说明"), rng, f"{ind.name}指标达标说明",
                    w.pages(rng, 2, 5))
    for req in once:
        year = rng.choice(YEARS)
        title = f"{year}年度{rng.choice(SCAN_TITLES)}"
        pages += w.scan(name("直接证明材料", title, (req,)), rng, w.pages(rng, 2, 6), 0.05)
    if not once:  # 直接证明材料 is never empty: an official statistic with its year
        title = f"{rng.choice(YEARS)}年度统计公报"
        pages += w.scan(name("直接证明材料", title), rng, w.pages(rng, 2, 6))
    for year in YEARS:
        for req in per_year:
            title = f"{year}年{rng.choice(SCAN_TITLES)}"
            pages += w.scan(name(year, title, (req,)), rng, w.pages(rng, 2, 8), 0.05)
        pages += w.photo(name(year, f"{year}年{rng.choice(PHOTO_TITLES)}", (),
                              rng.choice((".jpg", ".jpg", ".JPG", ".jpeg"))), rng)
    title = f"{PROGRESS}年{rng.choice(TEXT_TITLES)}"
    pages += w.text(name(PROGRESS, title), rng, title, w.pages(rng, 2, 4))
    title = f"{rng.choice(SCAN_TITLES)}（长期有效）"
    pages += w.scan(name("长期有效", title), rng, w.pages(rng, 2, 6))
    # Fill up to this indicator's page budget with a realistic mix.
    budget = round(PAGES_PER_INDICATOR * HEAVY.get(ind.id, 1.0) * w.scale
                   * rng.uniform(0.8, 1.2))
    while pages < budget:
        section = rng.choices((*YEARS, PROGRESS, "直接证明材料"), weights=(3, 3, 3, 2, 1))[0]
        year = section if section != "直接证明材料" else rng.choice(YEARS)
        tags = (rng.choice(per_year),) if per_year and section in YEARS and rng.random() < 0.3 \
            else ()
        kind = rng.choices(("scan", "text", "photo", "rotated"), weights=(55, 30, 10, 5))[0]
        if kind == "photo":
            ext = rng.choice((".jpg", ".jpg", ".JPG", ".jpeg"))
            pages += w.photo(name(section, f"{year}年{rng.choice(PHOTO_TITLES)}", tags, ext),
                             rng)
        elif kind == "text":
            title = f"{year}年{rng.choice(TEXT_TITLES)}"
            pages += w.text(name(section, title, tags), rng, title, w.pages(rng, 2, 8), 0.03)
        else:
            title = f"{year}年{rng.choice(SCAN_TITLES)}"
            pages += w.scan(name(section, title, tags), rng, w.pages(rng, 2, 12),
                            0.6 if kind == "rotated" else 0.02)
    return pages


def _clear(out: Path, summary: Path) -> None:
    if not out.exists():
        return
    if not summary.exists() and any(out.iterdir()):
        sys.exit(f"{out} exists and was not made by this script (no {summary.name}); "
                 "remove it or choose another --out")
    shutil.rmtree(out)
    summary.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="materials tree to (re)create (default: bench/corpus/materials)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size factor: 1 gives ~3000 pages, 0.05 a quick smoke corpus")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (default 2021)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")

    started = time.perf_counter()
    out: Path = args.out.resolve()
    summary = out.parent / f"{out.name}.corpus.json"
    _clear(out, summary)
    out.mkdir(parents=True)
    writer = Writer(out, Images(random.Random(args.seed)), args.scale)
    catalogue = load_catalogue()
    total = sum(make_indicator(writer, ind, args.seed) for ind in catalogue.indicators)
    stats = writer.stats
    data = {
        "materials": str(out), "seed": args.seed, "scale": args.scale,
        "indicators": len(catalogue.indicators), "pages": total, "bytes": stats.bytes,
        "files": sum(stats.files.values()), "files_by_kind": stats.files,
        "pages_by_kind": stats.pages, "rotated_pages": stats.rotated,
    }
    summary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{out}: {len(catalogue.indicators)} indicators, {data['files']} files, {total} pages, "
          f"{stats.bytes / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s")
    for kind in sorted(stats.pages):
        print(f"  {kind:34s} {stats.files[kind]:5d} files {stats.pages[kind]:6d} pages")
    print(f"  {'pages with /Rotate 90/180/270':34s} {'':11s} {stats.rotated:6d} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
