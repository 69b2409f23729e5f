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
FORMAT = 1  # of the conversion (its options): part of the cache key


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
            if found is None and "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    found = _ODF.get(zf.read("mimetype").decode("ascii", "replace").strip())
            return found
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, KeyError, NotImplementedError):
        return None


# -- spreadsheets: each sheet fitted to the page width --------------------------------------

_ROOT = re.compile(rb"<(?P<p>[A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")
_AFTER_SETUP = (b"headerFooter", b"rowBreaks", b"colBreaks", b"customProperties",
                b"cellWatches", b"ignoredErrors", b"smartTags", b"drawing", b"legacyDrawing",
                b"legacyDrawingHF", b"picture", b"oleObjects", b"controls",
                b"webPublishItems", b"tableParts", b"extLst")


def fit_sheet(xml: bytes) -> bytes:
    """A worksheet's XML set to print one page wide and as many pages tall as it needs
    (sheetPr/pageSetUpPr fitToPage, pageSetup fitToWidth=1 fitToHeight=0), in landscape.
    Only those attributes and elements are touched; the rest stays byte for byte."""
    root = _ROOT.search(xml)
    if root is None:
        return xml
    ns = root.group("p") or b""
    xml = _fit_flag(xml, ns, root.end())
    return _page_setup(xml, ns)


def _attr(tag: bytes, name: bytes, value: bytes) -> bytes:
    """`tag` (an element's start tag) with the attribute set to `value`."""
    pattern = re.compile(rb"\s" + name + rb"\s*=\s*(\"[^\"]*\"|'[^']*')")
    if pattern.search(tag):
        return pattern.sub(b" " + name + b'="' + value + b'"', tag, count=1)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end] + b" " + name + b'="' + value + b'"' + tag[end:]


def _fit_flag(xml: bytes, ns: bytes, after_root: int) -> bytes:
    setup = re.search(rb"<" + re.escape(ns) + rb"pageSetUpPr\b[^>]*?/?>", xml)
    if setup is not None:
        return xml[:setup.start()] + _attr(setup.group(), b"fitToPage", b"1") + \
            xml[setup.end():]
    flag = b"<" + ns + b'pageSetUpPr fitToPage="1"/>'
    closed = re.search(rb"</" + re.escape(ns) + rb"sheetPr>", xml)
    if closed is not None:  # pageSetUpPr is the last child of sheetPr
        return xml[:closed.start()] + flag + xml[closed.start():]
    empty = re.search(rb"<" + re.escape(ns) + rb"sheetPr\b[^>]*/>", xml)
    if empty is not None:
        tag = empty.group()[:-2] + b">"
        return (xml[:empty.start()] + tag + flag + b"</" + ns + b"sheetPr>"
                + xml[empty.end():])
    return (xml[:after_root] + b"<" + ns + b"sheetPr>" + flag + b"</" + ns + b"sheetPr>"
            + xml[after_root:])


def _page_setup(xml: bytes, ns: bytes) -> bytes:
    found = re.search(rb"<" + re.escape(ns) + rb"pageSetup\b[^>]*?/?>", xml)
    if found is not None:
        tag = found.group()
        for name, value in ((b"fitToWidth", b"1"), (b"fitToHeight", b"0"),
                            (b"orientation", b"landscape")):
            tag = _attr(tag, name, value)
        return xml[:found.start()] + tag + xml[found.end():]
    tag = (b"<" + ns + b'pageSetup orientation="landscape" fitToWidth="1" '
           b'fitToHeight="0"/>')
    margins = re.search(rb"<" + re.escape(ns) + rb"pageMargins\b[^>]*/>", xml)
    if margins is not None:
        return xml[:margins.end()] + tag + xml[margins.end():]
    later = [m.start() for name in _AFTER_SETUP
             if (m := re.search(rb"<" + re.escape(ns) + name + rb"\b", xml))]
    close = xml.rfind(b"</" + ns + b"worksheet>")
    at = min(later) if later else close
    return xml[:at] + tag + xml[at:] if at >= 0 else xml


def fit_workbook(data: bytes) -> bytes:
    """An .xlsx with every worksheet fitted to the page width (fit_sheet); the other
    members are copied as they are. Deterministic: fixed times, the members' order kept."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                blob = fit_sheet(blob)
            copy = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            copy.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(copy, blob)
    return out.getvalue()


class ConversionError(Exception):
    def __init__(self, reason: Message) -> None:
        super().__init__(reason.key)
        self.reason = reason


def cache_key(digest: str, found: Found) -> str:
    return hashlib.sha256(f"{FORMAT}:{found.version}:{digest}".encode()).hexdigest()


def to_pdf(source: Path, found: Found, cache: Cache | None = None,
           timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The document as PDF bytes: from the cache, or converted now (and cached)."""
    try:
        digest = sha256_file(source)
    except OSError as exc:
        raise ConversionError(msg("convert-unreadable", **os_cause(exc))) from None
    key = cache_key(digest, found)
    kept = cache.get_bytes(key, ".pdf") if cache else None
    if kept is not None and kept.startswith(b"%PDF-"):
        return kept
    pdf = convert(source, found, timeout)
    if cache is not None:
        cache.put_bytes(key, ".pdf", pdf)
    return pdf


def convert(source: Path, found: Found, timeout: float = TIMEOUT_SECONDS) -> bytes:
    with tempfile.TemporaryDirectory(prefix="dossier-soffice-") as tmp:
        work = Path(tmp)
        document = work / f"document{source.suffix.lower()}"
        try:
            shutil.copyfile(source, document)
        except OSError as exc:
            raise ConversionError(msg("convert-unreadable", **os_cause(exc))) from None
        if source.suffix.lower() == ".xlsx":  # every sheet one page wide (fit_sheet)
            # not a workbook after all: LibreOffice says what it is
            with contextlib.suppress(OSError, ValueError, zipfile.BadZipFile):
                document.write_bytes(fit_workbook(document.read_bytes()))
        out = work / "out"
        args = [str(found.path), f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
                "--convert-to", "pdf", "--outdir", str(out), str(document)]
        try:
            ran = run(args, timeout=timeout, cwd=work)
        except OSError as exc:
            raise ConversionError(msg("convert-cannot-start", program=found.program.name,
                                      **os_cause(exc))) from None
        if ran.timed_out:
            raise ConversionError(msg("convert-timeout", program=found.program.name,
                                      seconds=f"{timeout:g}"))
        pdf = out / "document.pdf"
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
