"""OCR of pages that are pictures only (`--ocr`): Tesseract with its Simplified Chinese model
(chi_sim, with eng for Latin letters and digits), run as a program (dossier.tools) with
OMP_THREAD_LIMIT=1, so that its threads do not fight dossier's workers.

- `dossier build --ocr`: each bound page that shows no text but an image gets Tesseract's
  invisible text layer laid over it (its "textonly_pdf" page, scaled onto the page and
  turned with it), so that a reviewer can search the volume for a figure or a 文号. Nothing
  of the page is changed but the text added: the image's bytes stay as they are.
- `dossier check --ocr`: the text of scanned evidence that a figure cites (dossier.evidence).

A page is rendered by PDFium at 300 dpi (at most 4,200 pixels on its longer side). What
Tesseract read (the text and the layer) is cached by the page's hash: its content stream,
the bytes of its images, its boxes and turn, with the engine's version and languages
(dossier.cache, kind "ocr"); a second build or check costs nothing, and a rebuild binds the
very same layer."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.cache import Cache
from dossier.i18n import Message, msg
from dossier.tools import TESSERACT, find, platform_key, run

FORMAT = 1
LANGUAGES = ("chi_sim", "eng")
DPI = 300
MAX_SIDE = 4200
TIMEOUT = 180.0  # seconds for one page


@dataclass(frozen=True)
class Engine:
    path: str
    version: str
    languages: str  # "chi_sim+eng"
    cache_dir: Path | None = None
    models: str = ""  # the model files' sizes and times (`_models`)

    @property
    def label(self) -> str:
        return f"Tesseract {self.version} ({self.languages})"

    @property
    def key(self) -> str:
        """What a cached read depends on: the engine, its languages and their models."""
        return f"{self.label} {self.models}"


@dataclass(frozen=True)
class Missing:
    """Why OCR cannot run: "missing" (no Tesseract) or "no-chinese" (no chi_sim model)."""

    variant: str
    version: str = ""


@dataclass(frozen=True)
class Read:
    text: str
    layer: bytes  # a one-page PDF of invisible text, the size of the picture at its dpi


def find_engine(cache_dir: Path | None = None) -> Engine | Missing:
    found = find(TESSERACT, cache=Cache("tools", cache_dir))
    if found is None:
        return Missing("missing")
    try:
        listed = run([str(found.path), "--list-langs"], timeout=30.0, env=_environment())
    except OSError:  # found, yet it cannot be started
        return Missing("missing")
    output = listed.stdout + "\n" + listed.stderr
    have = set(output.split())
    if "chi_sim" not in have:
        return Missing("no-chinese", found.version)
    languages = "+".join(lang for lang in LANGUAGES if lang in have)
    return Engine(str(found.path), found.version, languages, cache_dir,
                  _models(output, languages))


def _models(listed: str, languages: str) -> str:
    """The size and time of the model files Tesseract named (`--list-langs` prints their
    folder): a model replaced by another makes the cached reads stale."""
    folder = re.search(r'"([^"]+)"', listed)
    if folder is None:
        return ""
    parts = []
    for lang in languages.split("+"):
        try:
            info = (Path(folder.group(1)) / f"{lang}.traineddata").stat()
        except OSError:
            continue
        parts.append(f"{lang}:{info.st_size}:{info.st_mtime_ns}")
    return ",".join(parts)


def install_hint() -> Message:
    return msg(f"ocr-hint/{platform_key()}")


def problem(missing: Missing) -> Message:
    """What to say when OCR cannot run, with how to install what is missing."""
    return msg(f"ocr-unavailable/{missing.variant}", version=missing.version,
               hint=install_hint())


def page_digest(page: Any) -> str:
    """The hash of what a pypdf page shows: content, images, boxes and turn."""
    digest = hashlib.sha256()
    contents = page.get_contents()
    digest.update(contents.get_data() if contents is not None else b"")
    for box in (page.mediabox, page.cropbox):
        digest.update(repr([float(v) for v in box]).encode())
    digest.update(str(page.get("/Rotate", 0)).encode())
    _hash_images(page.get("/Resources"), digest, depth=0)
    return digest.hexdigest()


def _hash_images(resources: Any, digest: Any, depth: int) -> None:
    try:
        xobjects = resources.get_object()["/XObject"].get_object()
        names = sorted(xobjects)
    except Exception:  # no XObjects, or not a dictionary of them
        return
    for name in names:
        obj = xobjects[name].get_object()
        digest.update(str(name).encode())
        _hash_object(obj, digest, depth=0)
        if obj.get("/Subtype") == "/Form" and depth < 4:
            _hash_images(obj.get("/Resources"), digest, depth + 1)


def _hash_object(obj: Any, digest: Any, depth: int) -> None:
    """A stream's bytes and its dictionary (its /Decode, /ColorSpace, /SMask, /Matrix …),
    the objects it refers to included, a few levels deep."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > 6:
        digest.update(b"...")
        return
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    data = getattr(obj, "_data", None)
    if isinstance(data, bytes):
        digest.update(hashlib.sha256(data).digest())
    if isinstance(obj, DictionaryObject):
        for key in sorted(k for k in obj if k not in ("/Length", "/Resources", "/Parent")):
            digest.update(str(key).encode())
            _hash_object(obj.raw_get(key), digest, depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            _hash_object(item, digest, depth + 1)
    else:
        digest.update(repr(obj).encode())


def image_only(page: Any) -> bool:
    """A page that shows no text and at least one image: a scan or a photo. False for a
    page too odd to tell."""
    from dossier.scanquality import has_text, largest_image

    try:
        return not has_text(page) and largest_image(page.get("/Resources") or {}) is not None
    except Exception:  # a hostile page: bound as it is
        return False


def read_page(engine: Engine, page: Any) -> Read | None:
    """What Tesseract reads on one pypdf page (cached); None when it failed."""
    cache = Cache("ocr", engine.cache_dir)
    key = hashlib.sha256(f"{FORMAT}:{engine.key}:{page_digest(page)}".encode()).hexdigest()
    kept, layer = cache.get(key), cache.get_bytes(key, ".pdf")
    if kept is not None and isinstance(kept.get("text"), str) and layer:
        return Read(kept["text"], layer)
    picture, dpi = _render(page)
    found = recognise(engine, picture, dpi)
    if found is not None:
        cache.put_bytes(key, ".pdf", found.layer)
        cache.put(key, {"text": found.text})
    return found


def recognise(engine: Engine, picture: Any, dpi: int) -> Read | None:
    """Tesseract on one picture (a PIL image shown at `dpi`)."""
    with tempfile.TemporaryDirectory(prefix="dossier-ocr-") as work:
        source = Path(work) / "page.png"
        picture.save(source, "PNG", dpi=(dpi, dpi), compress_level=1)  # read once: fast
        base = Path(work) / "out"
        try:
            ran = run([engine.path, str(source), str(base), "-l", engine.languages, "--dpi",
                       str(dpi), "--psm", "3", "-c", "textonly_pdf=1", "pdf", "txt"],
                      timeout=TIMEOUT, env=_environment())
        except OSError:  # it cannot be started (removed since it was found)
            return None
        pdf, txt = base.with_suffix(".pdf"), base.with_suffix(".txt")
        if ran.timed_out or ran.returncode != 0 or not pdf.is_file():
            return None
        text = txt.read_text(encoding="utf-8", errors="replace") if txt.is_file() else ""
        return Read(text, pdf.read_bytes())


def read_file(engine: Engine, path: Path, kind: str) -> dict[int, str]:
    """What Tesseract reads on the pages of one PDF that are pictures only, or on each
    frame of an image file, by 0-based page (cached); a page it could not read is left
    out. Never raises for a hostile file."""
    try:
        if kind == "pdf":
            return _pdf_texts(engine, path)
        return _image_texts(engine, path)
    except Exception:  # the probe reports a hostile file; nothing is read from it
        return {}


def _pdf_texts(engine: Engine, path: Path) -> dict[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    from dossier.evidence import MAX_PAGES

    found = {}
    for index, page in enumerate(reader.pages[:MAX_PAGES]):  # as much as the text is read
        if image_only(page) and (read := read_page(engine, page)) is not None:
            found[index] = read.text
    return found


def _image_texts(engine: Engine, path: Path) -> dict[int, str]:
    from PIL import Image, ImageOps

    from dossier.evidence import MAX_PAGES
    from dossier.hashing import sha256_file

    cache = Cache("ocr", engine.cache_dir)
    digest = sha256_file(path)
    found = {}
    with Image.open(path) as img:
        for index in range(min(int(getattr(img, "n_frames", 1) or 1), MAX_PAGES)):
            key = hashlib.sha256(f"{FORMAT}:{engine.key}:{digest}:{index}".encode()
                                 ).hexdigest()
            kept = cache.get(key)
            if kept is not None and isinstance(kept.get("text"), str):
                found[index] = kept["text"]
                continue
            img.seek(index)
            picture = ImageOps.exif_transpose(img.convert("L"))
            scale = min(1.0, MAX_SIDE / max(picture.size))
            if scale < 1.0:
                picture = picture.resize((round(picture.width * scale),
                                          round(picture.height * scale)))
            dpi = max(72, round(max(picture.size) / (297 / 25.4)))  # taken as A4
            read = recognise(engine, picture, dpi)
            if read is not None:
                cache.put(key, {"text": read.text})
                found[index] = read.text
    return found


LAYER_NAME = "/DossierOCR"


def add_text_layer(writer: Any, page: Any, read: Read) -> None:
    """Lay the invisible text over `page` (a page of `writer`), scaled to its crop box and
    turned with its /Rotate, as PDFium showed it to Tesseract. The layer is a form XObject
    drawn by a content stream of its own, added after the page's streams: no stream or
    resource dictionary the page may share with another page is changed."""
    from pypdf import PdfReader, Transformation
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
    )

    layer = PdfReader(io.BytesIO(read.layer)).pages[0]
    lw, lh = float(layer.mediabox.width), float(layer.mediabox.height)
    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    turn = int(page.get("/Rotate", 0) or 0) % 360
    shown_w, shown_h = (h, w) if turn in (90, 270) else (w, h)
    sx, sy = shown_w / lw if lw else 1.0, shown_h / lh if lh else 1.0
    # shown (u, v) -> page (x, y): the inverse of the turn PDFium applied
    matrix = {0: (1, 0, 0, 1, 0, 0), 90: (0, 1, -1, 0, w, 0), 180: (-1, 0, 0, -1, w, h),
              270: (0, -1, 1, 0, 0, h)}.get(turn, (1, 0, 0, 1, 0, 0))
    a, b, c, d, e, f = matrix
    ctm = Transformation().scale(sx, sy).transform(
        Transformation((a, b, c, d, e + x0, f + y0))).ctm

    content = layer.get_contents()
    form = DecodedStreamObject()
    form.set_data(content.get_data() if content is not None else b"")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (0, 0, lw, lh)),
        NameObject("/Resources"): layer.get("/Resources", DictionaryObject()).clone(writer),
    })
    encoded = form.flate_encode(level=9)

    resources = page.get("/Resources")
    own = DictionaryObject(resources.get_object() if resources is not None else {})
    xobjects = own.get("/XObject")
    own_x = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    name, n = LAYER_NAME, 1
    while name in own_x:
        n += 1
        name = f"{LAYER_NAME}{n}"
    own_x[NameObject(name)] = writer._add_object(encoded)
    own[NameObject("/XObject")] = own_x
    page[NameObject("/Resources")] = own

    numbers = " ".join(f"{float(v):.6f}".rstrip("0").rstrip(".") for v in ctm)
    push, draw = DecodedStreamObject(), DecodedStreamObject()
    push.set_data(b"q\n")
    draw.set_data(f"\nQ\nq {numbers} cm {name} Do Q\n".encode())
    contents = page.get("/Contents")
    old: list[Any] = []
    if contents is not None:
        resolved = contents.get_object()
        old = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(push), *old, writer._add_object(draw)])


def _render(page: Any) -> tuple[Any, int]:
    """The page as PDFium shows it (turned), at DPI or less for a very large page."""
    import pypdfium2  # type: ignore[import-untyped]
    from pypdf import PdfWriter

    from dossier.scanquality import PDFIUM

    single = PdfWriter()
    single.add_page(page)
    buf = io.BytesIO()
    single.write(buf)
    longest = max(float(page.cropbox.width), float(page.cropbox.height)) / 72 or 1.0
    dpi = min(DPI, int(MAX_SIDE / longest))
    with PDFIUM:
        doc = pypdfium2.PdfDocument(buf.getvalue())
        try:
            picture = doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        finally:
            doc.close()
    return picture, dpi


def _environment() -> dict[str, str]:
    """One thread per Tesseract (2–3 s a page, 12–15 s when its threads fight the workers)."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}
