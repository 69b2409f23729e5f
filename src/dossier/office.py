"""Office documents (Word, WPS, Excel, PowerPoint, OpenDocument, RTF) as PDF, through
LibreOffice (`soffice --headless --convert-to pdf`).

Every conversion:
- works on a copy of the document in a temporary folder of its own, under a plain ASCII
  name, and writes its PDF there: nothing is ever written beside the materials;
- runs LibreOffice with a profile of its own (`-env:UserInstallation`), so parallel
  conversions and a LibreOffice the user has open on the desktop do not collide;
- is killed, with every process it started, after `timeout` seconds (dossier.tools);
- turns every failure into a ConversionError carrying a message that names the file.

Converted PDFs are cached by the document's SHA-256 and LibreOffice's version
(dossier.cache): a rebuild converts nothing, and binds the same bytes, so the volume is
byte-identical. The first step of issue 12; binding them is the next."""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dossier.cache import Cache
from dossier.errors import os_cause
from dossier.hashing import sha256_file
from dossier.i18n import Message, msg
from dossier.tools import Found, run

# What LibreOffice converts, by suffix: Word, WPS 文字 and 表格 and 演示, Excel,
# PowerPoint, OpenDocument, RTF.
SUFFIXES = frozenset({".doc", ".docx", ".wps", ".wpt", ".rtf", ".odt", ".xls", ".xlsx", ".et",
                      ".ods", ".ppt", ".pptx", ".dps", ".odp"})
TIMEOUT_SECONDS = 180.0
FORMAT = 4  # of the conversion (its options): part of the cache key


# What a document is, by its content (a .docx renamed .pdf is still a Word document).
WORD, SPREADSHEET, PRESENTATION, OFD = "word", "spreadsheet", "presentation", "ofd"
_ZIPPED = (("word/document.xml", WORD), ("xl/workbook.xml", SPREADSHEET),
           ("ppt/presentation.xml", PRESENTATION), ("OFD.xml", OFD))
_ODF = {"application/vnd.oasis.opendocument.text": WORD,
        "application/vnd.oasis.opendocument.text-web": WORD,
        "application/vnd.oasis.opendocument.text-master": WORD,
        "application/vnd.oasis.opendocument.spreadsheet": SPREADSHEET,
        "application/vnd.oasis.opendocument.presentation": PRESENTATION}
# the stream that names an old (OLE compound) Office or WPS file, as UTF-16 in its directory
_OLE = ((b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00", WORD),
        (b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00", SPREADSHEET),
        (b"B\x00o\x00o\x00k\x00\x00\x00", SPREADSHEET),
        (b"P\x00o\x00w\x00e\x00r\x00P\x00o\x00i\x00n\x00t\x00", PRESENTATION))
_SNIFF_BYTES = 1 << 20  # an OLE directory sits near the start or the end; a look at both


def sniff(path: Path) -> str | None:
    """word, spreadsheet, presentation or ofd by the file's content; None for anything
    else (or a file that cannot be read). Never raises."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if head.startswith(b"{\\rtf"):
                return WORD
            if head.startswith(b"PK\x03\x04"):
                return _zipped(path)
            if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
                fh.seek(0)
                start = fh.read(_SNIFF_BYTES)
                fh.seek(0, 2)
                size = fh.tell()
                fh.seek(max(0, size - _SNIFF_BYTES))
                end = fh.read(_SNIFF_BYTES)
                return next((kind for name, kind in _OLE if name in start or name in end),
                            None)
    except OSError:
        return None
    return None


def _zipped(path: Path) -> str | None:
    """An OOXML, ODF or OFD package, by the names it holds (only its directory is read)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            found = next((kind for name, kind in _ZIPPED if name in names), None)
            if found is None and "[Content_Types].xml" in names:
                found = _main_part(zf)
            if found is None and "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    found = _ODF.get(zf.read("mimetype").decode("ascii", "replace").strip())
            return found
    except Exception:  # a damaged package (zlib.error, BadZipFile …): not an office file
        return None


# -- spreadsheets: each sheet fitted to the page width --------------------------------------

_ROOT = re.compile(rb"<(?P<p>[A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")
_AFTER_SETUP = (b"headerFooter", b"rowBreaks", b"colBreaks", b"customProperties",
                b"cellWatches", b"ignoredErrors", b"smartTags", b"drawing", b"drawingHF",
                b"legacyDrawing", b"legacyDrawingHF", b"picture", b"oleObjects",
                b"controls", b"webPublishItems", b"tableParts", b"extLst")
# children of a worksheet that hold elements of the same names as the ones edited here
# (a custom view's own pageSetup, a rule's extLst): hidden from the search
_NESTING = (b"customSheetViews", b"conditionalFormatting", b"dataValidations", b"extLst")


def fit_sheet(xml: bytes) -> bytes:
    """A worksheet's XML set to print one page wide and as many pages tall as it needs
    (sheetPr/pageSetUpPr fitToPage, pageSetup fitToWidth=1 fitToHeight=0), on A4, in
    landscape when it has more than _WIDE_COLUMNS columns. A sheet its author fitted
    already is left as it is. Only those attributes and elements are touched (and only
    the worksheet's own, not a custom view's); the rest stays byte for byte."""
    root = _ROOT.search(xml)
    if root is None:
        return xml
    ns = root.group("p") or b""
    flag = _search(xml, rb"<" + re.escape(ns) + rb"pageSetUpPr\b[^>]*?/?>", ns)
    if flag is not None and re.search(rb'fitToPage\s*=\s*["\'](1|true)["\']', flag.group()):
        return xml  # the author fitted it already, as they wanted it
    xml = _fit_flag(xml, ns, root.end())
    return _page_setup(xml, ns)


_WIDE_COLUMNS = 10  # a sheet with more columns than this is printed in landscape


def _wide(xml: bytes) -> bool:
    """More columns than fit a portrait page well, by the sheet's dimension (A1:X61)."""
    found = re.search(rb"<(?:[\w.-]+:)?dimension\b[^>]*\bref\s*=\s*[\"']"
                      rb"[A-Z]*\d*:?([A-Z]+)\d*[\"']", xml)
    if found is None:
        return True  # no dimension: a wide table is the likely reason to fit it
    column = 0
    for letter in found.group(1).decode("ascii"):
        column = column * 26 + ord(letter) - 64
    return column > _WIDE_COLUMNS


def _masked(xml: bytes, ns: bytes) -> bytes:
    """`xml` with the spans of _NESTING elements blanked out (same length), so a search
    finds only the worksheet's own children."""
    out = bytearray(xml)
    for name in _NESTING:
        tag = re.escape(ns + name)
        for m in re.finditer(rb"<" + tag + rb"\b[^>]*?(/>|>.*?</" + tag + rb">)", xml,
                             re.DOTALL):
            out[m.start():m.end()] = b" " * (m.end() - m.start())
    return bytes(out)


def _search(xml: bytes, pattern: bytes, ns: bytes) -> re.Match[bytes] | None:
    found = re.search(pattern, _masked(xml, ns))
    return re.compile(pattern).match(xml, found.start()) if found else None


def _attr(tag: bytes, name: bytes, value: bytes) -> bytes:
    """`tag` (an element's start tag) with the attribute set to `value`."""
    pattern = re.compile(rb"\s" + name + rb"\s*=\s*(\"[^\"]*\"|'[^']*')")
    if pattern.search(tag):
        return pattern.sub(b" " + name + b'="' + value + b'"', tag, count=1)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end] + b" " + name + b'="' + value + b'"' + tag[end:]


def _fit_flag(xml: bytes, ns: bytes, after_root: int) -> bytes:
    setup = _search(xml, rb"<" + re.escape(ns) + rb"pageSetUpPr\b[^>]*?/?>", ns)
    if setup is not None:
        return xml[:setup.start()] + _attr(setup.group(), b"fitToPage", b"1") + \
            xml[setup.end():]
    flag = b"<" + ns + b'pageSetUpPr fitToPage="1"/>'
    closed = _search(xml, rb"</" + re.escape(ns) + rb"sheetPr>", ns)
    if closed is not None:  # pageSetUpPr is the last child of sheetPr
        return xml[:closed.start()] + flag + xml[closed.start():]
    empty = _search(xml, rb"<" + re.escape(ns) + rb"sheetPr\b[^>]*/>", ns)
    if empty is not None:
        tag = empty.group()[:-2] + b">"
        return (xml[:empty.start()] + tag + flag + b"</" + ns + b"sheetPr>"
                + xml[empty.end():])
    return (xml[:after_root] + b"<" + ns + b"sheetPr>" + flag + b"</" + ns + b"sheetPr>"
            + xml[after_root:])


def _page_setup(xml: bytes, ns: bytes) -> bytes:
    found = _search(xml, rb"<" + re.escape(ns) + rb"pageSetup\b[^>]*?/?>", ns)
    if found is not None:
        tag = found.group()
        for name, value in ((b"fitToWidth", b"1"), (b"fitToHeight", b"0")):
            tag = _attr(tag, name, value)
        if _wide(xml):  # many columns: across the sheet; else the author's orientation
            tag = _attr(tag, b"orientation", b"landscape")
        return xml[:found.start()] + tag + xml[found.end():]
    turn = b'orientation="landscape" ' if _wide(xml) else b""
    tag = (b"<" + ns + b'pageSetup paperSize="9" ' + turn + b'fitToWidth="1" '
           b'fitToHeight="0"/>')  # 9: A4 (1, the default, is Letter)
    margins = _search(xml, rb"<" + re.escape(ns) + rb"pageMargins\b[^>]*?(/>|>\s*</"
                      + re.escape(ns) + rb"pageMargins>)", ns)
    if margins is not None:
        return xml[:margins.end()] + tag + xml[margins.end():]
    masked = _masked(xml, ns)
    later = [m.start() for name in _AFTER_SETUP
             if (m := re.search(rb"<" + re.escape(ns) + name + rb"\b", masked))]
    close = xml.rfind(b"</" + ns + b"worksheet>")
    at = min(later) if later else close
    return xml[:at] + tag + xml[at:] if at >= 0 else xml


_FIT_BUDGET = 512 << 20  # uncompressed bytes: a larger workbook is not read to be fitted


def fit_workbook(data: bytes) -> bytes:
    """An .xlsx with every worksheet fitted to the page width (fit_sheet); the other
    members are copied as they are. Deterministic: fixed times, the members' order kept."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        if sum(i.file_size for i in src.infolist()) > _FIT_BUDGET:
            raise ValueError("too large to fit: given to LibreOffice as it is")
        for info in src.infolist():
            blob = src.read(info)
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                blob = fit_sheet(blob)
            copy = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            copy.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(copy, blob)
    return out.getvalue()


_MAIN_TYPES = ((b"wordprocessingml.document.main+xml", WORD),
               (b"wordprocessingml.template.main+xml", WORD),
               (b"spreadsheetml.sheet.main+xml", SPREADSHEET),
               (b"spreadsheetml.template.main+xml", SPREADSHEET),
               (b"presentationml.presentation.main+xml", PRESENTATION),
               (b"presentationml.slideshow.main+xml", PRESENTATION))


def _main_part(zf: zipfile.ZipFile) -> str | None:
    """OOXML by the content type of its main part (Word Online names it document2.xml)."""
    info = zf.getinfo("[Content_Types].xml")
    if info.file_size > 1 << 20:
        return None
    types = zf.read(info)
    return next((kind for needle, kind in _MAIN_TYPES if needle in types), None)


class ConversionError(Exception):
    def __init__(self, reason: Message) -> None:
        super().__init__(reason.key)
        self.reason = reason


Pairs = tuple[tuple[str, str], ...]  # a font replacement table (dossier.officefonts)


def cache_key(digest: str, found: Found, suffix: str, fonts: Pairs = ()) -> str:
    """The document's content (its SHA-256 as it is, before any fitting), how it is given to
    LibreOffice (its suffix: an .xlsx is fitted to the page width first), the format of
    the conversion, LibreOffice's version and the font replacements."""
    table = ";".join(f"{a}={b}" for a, b in fonts)
    return hashlib.sha256(f"{FORMAT}:{found.program.key}:{found.version}:{suffix}:{digest}:"
                          f"{table}".encode()).hexdigest()


@dataclass(frozen=True)
class Converted:
    pdf: bytes
    cached: bool  # taken from the cache, not converted now


def to_pdf(source: Path, found: Found, cache: Cache | None = None,
           timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The document as PDF bytes: from the cache, or converted now (and cached)."""
    return converted(source, found, cache, timeout).pdf


def converted(source: Path, found: Found, cache: Cache | None = None,
              timeout: float = TIMEOUT_SECONDS, fonts: Pairs = ()) -> Converted:
    """The document as PDF: from the cache, or converted now (and cached). The key is the
    document's SHA-256: a cached one is found by hashing the document alone, without
    copying it. Converted, the copy that is converted is the one that is hashed, so a
    document saved again meanwhile cannot put its PDF under the old content's key. Without
    LibreOffice's version nothing is cached (an upgrade must convert again)."""
    usable = cache if found.version else None
    suffix = _suffix_for(source)
    early = ""
    if usable is not None:
        with contextlib.suppress(OSError):  # unreadable: the copy says why
            early = sha256_file(source)
        kept = _kept(usable, cache_key(early, found, suffix, fonts)) if early else None
        if kept is not None:
            return Converted(kept, True)
    with _workspace() as work:
        document, digest = _copy(source, work, suffix)
        key = cache_key(digest, found, suffix, fonts)
        if usable is not None and digest != early:  # it changed since: its own entry
            kept = _kept(usable, key)
            if kept is not None:
                return Converted(kept, True)
        pdf = normalised(_convert(_fitted(document, work, found, timeout), work, found,
                                  timeout, fonts), digest)
    if usable is not None:
        usable.put_bytes(key, ".pdf", pdf)
    return Converted(pdf, False)


def _kept(cache: Cache, key: str) -> bytes | None:
    kept = cache.get_bytes(key, ".pdf")
    if kept is not None and kept.startswith(b"%PDF-") and b"%%EOF" in kept[-1024:]:
        return kept
    return None


def convert(source: Path, found: Found, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The document as PDF bytes, converted now."""
    return converted(source, found, None, timeout).pdf


_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\((D:[^)]{14,40})\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{16,64})>\s*<([0-9A-Fa-f]{16,64})>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]{16,64})")
_FIXED_DATE = b"D:20000101000000"


def normalised(pdf: bytes, digest: str) -> bytes:
    """LibreOffice's PDF with its clock taken out: the dates in its document information
    become 2000-01-01, and its /ID and /DocChecksum come from the document's content, each
    of the same length, so no offset moves. The same document then converts to the same
    bytes on a machine with an empty cache too."""
    def date(match: re.Match[bytes]) -> bytes:
        text = match.group(1)
        if not text[2:16].isdigit():
            return match.group()
        fixed = _FIXED_DATE + re.sub(rb"\d", b"0", text[16:])
        start, end = match.span(1)
        return match.group()[: start - match.start()] + fixed + match.group()[end - match.start():]

    def ident(match: re.Match[bytes]) -> bytes:
        whole = match.group()
        for group in (1, 2):
            old = match.group(group)
            new = hashlib.sha256(digest.encode()).hexdigest()[: len(old)]
            whole = whole.replace(old, new.upper().encode(), 1)
        return whole

    def checksum(match: re.Match[bytes]) -> bytes:  # of the trailer, with the date in it
        old = match.group(1)
        new = hashlib.sha256(f"{digest}:checksum".encode()).hexdigest()[: len(old)]
        return match.group().replace(old, new.upper().encode())

    return _CHECKSUM.sub(checksum, _ID.sub(ident, _DATE.sub(date, pdf)))


def _workspace() -> tempfile.TemporaryDirectory[str]:
    # a LibreOffice that outlived its kill may still hold files there (Windows): never
    # let cleaning up hide the real error
    return tempfile.TemporaryDirectory(prefix="dossier-soffice-", ignore_cleanup_errors=True)


_KIND_SUFFIX = {WORD: ".docx", SPREADSHEET: ".xlsx", PRESENTATION: ".pptx"}
_SUFFIX_KIND = {".xls": SPREADSHEET, ".xlsx": SPREADSHEET, ".et": SPREADSHEET,
                ".ods": SPREADSHEET, ".ppt": PRESENTATION, ".pptx": PRESENTATION,
                ".dps": PRESENTATION, ".odp": PRESENTATION}


_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # Word, Excel, WPS: a password set


def encrypted(path: Path) -> bool:
    """A document saved with a password to open: an OLE file holding an EncryptedPackage
    stream (how Office and WPS store an encrypted .docx or .xlsx). LibreOffice cannot open
    it without the password."""
    try:
        with path.open("rb") as fh:
            if fh.read(8) != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
                return False
            fh.seek(0)
            start = fh.read(_SNIFF_BYTES)
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - _SNIFF_BYTES))
            return _ENCRYPTED in start or _ENCRYPTED in fh.read(_SNIFF_BYTES)
    except OSError:
        return False


_OLE_SUFFIX = {WORD: ".doc", SPREADSHEET: ".xls", PRESENTATION: ".ppt"}


def _suffix_for(source: Path) -> str:
    """The suffix a document goes to LibreOffice with: its own, or that of what it is (a
    .docx renamed .pdf goes in as .docx, an old .xls as .xls, RTF as .rtf)."""
    suffix = source.suffix.lower()
    if suffix in SUFFIXES:
        return suffix
    try:
        with source.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return suffix
    kind = sniff(source) or ""
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _OLE_SUFFIX.get(kind, suffix)
    return _KIND_SUFFIX.get(kind, suffix)


def _copy(source: Path, work: str, suffix: str) -> tuple[Path, str]:
    """The document copied into the workspace under a plain name and `suffix`, and the
    copy's SHA-256; an .xlsx is then fitted to the page width."""
    if encrypted(source):
        raise ConversionError(msg("convert-encrypted"))
    document = Path(work) / f"document{suffix}"
    try:
        shutil.copyfile(source, document)
        digest = sha256_file(document)
    except OSError as exc:
        raise ConversionError(msg("convert-unreadable", **os_cause(exc))) from None
    if suffix == ".xlsx":  # every sheet one page wide (fit_sheet)
        # a damaged or odd workbook goes to LibreOffice as it is, which says what it is
        with contextlib.suppress(Exception):
            document.write_bytes(fit_workbook(document.read_bytes()))
    return document, digest


# Workbooks that are not OOXML: LibreOffice makes an .xlsx of them first, which is fitted
# to the page width like any other (fit_workbook), then printed.
_REFIT = (".xls", ".et", ".ods", ".ett", ".xlt")


def _fitted(document: Path, work: str, found: Found, timeout: float) -> Path:
    """An .xls, .et or .ods workbook as a fitted .xlsx (one conversion more); the document
    itself when it is no such workbook, or when LibreOffice cannot make the .xlsx (it
    then prints the original as it is, and says so if it cannot)."""
    if document.suffix not in _REFIT or found.program.key != "soffice":
        return document  # WPS and Word fit each sheet themselves (dossier.comconvert)
    out = Path(work) / "xlsx"
    try:
        ran = run(_soffice(found, work, "xlsx", out, document), timeout=timeout,
                  cwd=Path(work))
        if ran.timed_out:
            raise ConversionError(_timed_out(found, timeout))
        made = out / f"{document.stem}.xlsx"
        if not made.is_file():
            return document
        fitted = Path(work) / "fitted.xlsx"
        fitted.write_bytes(fit_workbook(made.read_bytes()))
    except (OSError, ValueError, zipfile.BadZipFile):
        return document
    return fitted


def _soffice(found: Found, work: str, target: str, out: Path, document: Path) -> list[str]:
    """LibreOffice converting `document` to `target` into `out`, with the workspace's own
    profile (each step of a conversion starts with the same one)."""
    return [str(found.path), f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
            "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
            "--convert-to", target, "--outdir", str(out), str(document)]


def _timed_out(found: Found, timeout: float) -> Message:
    return msg("convert-timeout", program=found.program.name, seconds=f"{timeout:g}")


def _convert(document: Path, work: str, found: Found, timeout: float,
             fonts: Pairs = ()) -> bytes:
    out = Path(work) / "out"
    profile = Path(work) / "profile"
    if fonts:  # the replacement table, in the profile LibreOffice starts with
        from dossier.officefonts import registry

        (profile / "user").mkdir(parents=True, exist_ok=True)  # _fitted may have made it
        (profile / "user" / "registrymodifications.xcu").write_text(registry(fonts),
                                                                    encoding="utf-8")
    args = _soffice(found, work, "pdf", out, document)
    if found.program.key in ("wps", "word"):  # through COM, in a process of its own
        import sys

        out.mkdir()
        kind = sniff(document) or _SUFFIX_KIND.get(document.suffix, WORD)
        args = [sys.executable, "-m", "dossier.comconvert", found.program.key, kind,
                str(document), str(out / f"{document.stem}.pdf")]
    try:
        ran = run(args, timeout=timeout, cwd=Path(work))
    except OSError as exc:
        raise ConversionError(msg("convert-cannot-start", program=found.program.name,
                                  **os_cause(exc))) from None
    if ran.timed_out:
        raise ConversionError(_timed_out(found, timeout))
    pdf = out / f"{document.stem}.pdf"
    try:
        data = pdf.read_bytes()
    except OSError:
        detail = (ran.stderr or ran.stdout).strip()[-500:]
        raise ConversionError(msg("convert-failed", program=found.program.name,
                                  code=ran.returncode, detail=detail)) from None
    if not data.startswith(b"%PDF-"):
        raise ConversionError(msg("convert-failed", program=found.program.name,
                                  code=ran.returncode, detail="not a PDF"))
    return data
