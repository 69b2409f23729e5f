"""Pages the tool makes: the 达标说明 laid out from 达标说明.yaml (its Markdown is
rendered at plan time, see dossier.explain.generate), and the placeholder page of a
source that cannot be bound."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from pypdf import PdfReader

from dossier.errors import SourceError
from dossier.i18n import Message
from dossier.kinds.base import KindContext, Opening, SourceKind
from dossier.naming import safe_display
from dossier.pagecount import release
from dossier.plan import Source
from dossier.probe import Probe
from dossier.quiet import libraries_quiet


class ExplanationKind:
    name = "explanation"

    def probe(self, path: Path, ctx: KindContext) -> Probe:
        raise TypeError("a generated 达标说明 is no file of the tree")

    def count(self, source: Source, ctx: KindContext) -> int:
        if source.error is not None:
            return 1  # the volume fails, or gets a placeholder page
        with libraries_quiet():
            reader = PdfReader(io.BytesIO(_render(source, ctx.font)))
            count = len(reader.pages)
        release(reader)
        return count

    def screen(self, fh: IO[bytes], shown: str) -> None:
        """Nothing is refused before it is read."""

    def open(self, source: Source, ctx: KindContext, data: io.BytesIO | None = None) -> Opening:
        if source.error is not None:
            raise SourceError(safe_display(source.rel), source.error)
        reader = PdfReader(io.BytesIO(_render(source, ctx.font)))
        return Opening(len(reader.pages), reader=reader)


def _render(source: Source, font: str) -> bytes:
    from dossier.render.explanation import render_explanation

    return render_explanation(source.text, font, source.title)


def placeholder(source: Source, reason: Message, font: str) -> Opening:
    """The one page that stands in for a source that cannot be bound: what it is and why."""
    from dossier.render.placeholder import render_placeholder

    data = render_placeholder(safe_display(Path(source.rel).name), reason, font)
    reader = PdfReader(io.BytesIO(data))
    return Opening(len(reader.pages), reader=reader)


def kind(name: str) -> SourceKind:
    return ExplanationKind()
