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

import hashlib
import shutil
import tempfile
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
