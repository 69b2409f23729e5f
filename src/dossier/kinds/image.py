"""Images (JPEG, PNG, TIFF, HEIC): a page each, or page-high slices of a tall screenshot
(dossier.images)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from dossier.errors import SourceError
from dossier.findings import CODES, Severity
from dossier.i18n import Message, msg
from dossier.images import image_pages
from dossier.kinds.base import KindContext, Opening, SourceKind
from dossier.naming import safe_display
from dossier.plan import Source
from dossier.probe import Probe, probe

# probe problem keys (code or code/variant) -> the reason an image cannot be bound
_PROBE_REASONS = {
    "empty-file": "source-empty",
    "probe-timeout": "source-timeout",
    "broken-image": "source-broken-image",
    "broken-image/truncated": "source-broken-image",
    "broken-image/zero-size": "source-broken-image",
    "broken-image/too-large": "source-image-too-large",
    "broken-image/unknown": "source-wrong-content",
    "broken-image/pdf-content": "source-wrong-content",
    "broken-image/other-type": "source-wrong-content",
    "corrupt-pdf": "source-corrupt-pdf",
    "empty-pdf": "source-no-pages",
    "encrypted-pdf": "source-encrypted",
}


def probe_reason(result: Probe, suffix: str) -> Message:
    """Why a probed file cannot be bound: its first error, as a reason of our own (the
    probe's key and raw text are kept as `problem` and `detail`)."""
    errors = [p for p in result.problems if CODES[p.code][0] is Severity.ERROR]
    if not errors:
        return msg("source-unusable-file")
    problem = errors[0]
    kept = {"problem": problem.key, "detail": str(problem.params.get("detail", ""))}
    if problem.code == "unreadable-file":
        cause = problem.params.get("cause")
        if isinstance(cause, Message):
            return msg("source-unreadable", errno=problem.params.get("errno", ""), cause=cause,
                       **kept)
        return msg("source-unreadable/plain", **kept)
    if problem.code == "not-a-pdf":
        return msg("source-not-pdf", **kept)
    key = _PROBE_REASONS.get(problem.key) or _PROBE_REASONS.get(problem.code)
    if key == "source-wrong-content":
        return msg(key, suffix=suffix, **kept)
    return msg(key or "source-unusable-file", **kept)


class ImageKind:
    def __init__(self, name: str) -> None:
        self.name = name

    def probe(self, path: Path, ctx: KindContext) -> Probe:
        return probe(path, self.name, ctx.timeout)

    def count(self, source: Source, ctx: KindContext) -> int:
        found = probe(Path(source.path), self.name)
        pages = image_pages(found, ctx.slicing)
        return pages if found.usable and pages else 1

    def screen(self, fh: IO[bytes], shown: str) -> None:
        """Nothing is refused before it is read."""

    def open(self, source: Source, ctx: KindContext, data: io.BytesIO | None = None) -> Opening:
        path = Path(source.path)
        result = probe(path, self.name)
        if not result.usable:
            raise SourceError(safe_display(source.rel), probe_reason(result,
                                                                      path.suffix.lower()))
        pages = image_pages(result, ctx.slicing)
        return Opening(pages, image=path, sliced=pages > result.pages)


def kind(name: str) -> SourceKind:
    return ImageKind(name)
