"""The generated 达标说明 as a planned source: the Markdown is rendered at plan time, so
the plan (and its fingerprint) holds exactly what will be laid out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment

from dossier.errors import TemplateError
from dossier.explain import DataSet, gather
from dossier.explain.context import context, title
from dossier.explain.model import SHARED_FILE
from dossier.findings import Finding, Severity
from dossier.i18n import Message, msg, pdf_text
from dossier.plan import Source, file_source
from dossier.scan import MaterialsTree
from dossier.schema import Indicator, Settings
from dossier.templating import render

TEMPLATE = "达标说明.md.j2"


def unusable(errors: Sequence[Finding]) -> Message:
    """Why the explanation data cannot be used: its first error (a nested message) and how
    many more there are. Rendered in the build report and, always in Chinese, on the
    placeholder page."""
    if not errors:
        return msg("explanation.unusable-plain")
    if len(errors) == 1:
        return msg("explanation.unusable", problem=errors[0].message)
    return msg("explanation.unusable-more", problem=errors[0].message, count=len(errors) - 1)


def explanation_sources(root: Path, tree: MaterialsTree, indicators: Iterable[Indicator],
                        settings: Settings, env: SandboxedEnvironment, date: str = "",
                        ) -> tuple[dict[int, Source], tuple[Source, ...]]:
    """indicator id -> its generated explanation, and the data files read besides. A
    source whose explanation cannot be made carries `error`, a Message (see `unusable`;
    "explanation.template-failed" when the template fails on this indicator's data).
    `date` ("2021年3月") goes under the explanation with the collecting unit (落款).
    An indicator whose unit put its own stamped 达标说明 into the folder gets none: that
    one is bound in its place (explain.stamped), and `check` says so."""
    data: DataSet = gather(root, tree, indicators, settings)
    sources: dict[int, Source] = {}
    for item in data.indicators:
        if item.loaded is None or (item.explanation is not None and item.explanation.blank):
            continue  # no data yet: nothing to generate (check reports what is missing)
        if item.stamped:
            continue  # the unit's own, signed and stamped, is bound instead
        ind = item.indicator
        rel = item.loaded.rel
        name = pdf_text().render(title(ind.name))  # the outline and 目录 are Chinese
        if not item.loaded.usable or item.explanation is None:
            errors = [f for f in item.loaded.findings if f.severity is Severity.ERROR]
            sources[ind.id] = _failed(root, rel, name, unusable(errors))
            continue
        try:
            values = context(item, settings, ind.first_lead_unit or "", date)
            text = render(env, TEMPLATE, **values)
        except TemplateError as exc:  # may depend on this indicator's data: fail its volume
            sources[ind.id] = _failed(root, rel, name, msg(
                "explanation.template-failed", indicator=ind.id, error=exc.message))
            continue
        sources[ind.id] = file_source(root / rel, rel, name, "explanation", text=text)
    shared = root / SHARED_FILE
    inputs = (file_source(shared, SHARED_FILE, SHARED_FILE, "data"),) if shared.is_file() else ()
    return sources, inputs


def _failed(root: Path, rel: str, name: str, error: Message) -> Source:
    return file_source(root / rel, rel, name, "explanation", error=error)
