"""The generated 达标说明 as a planned source: the Markdown is rendered at plan time, so
the plan (and its fingerprint) holds exactly what will be laid out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment

from dossier.errors import TemplateError
from dossier.explain import DataSet, gather
from dossier.explain.context import context
from dossier.explain.model import SHARED_FILE
from dossier.findings import Severity
from dossier.plan import Source, file_source
from dossier.scan import MaterialsTree
from dossier.schema import Indicator, Settings
from dossier.templating import render

TEMPLATE = "达标说明.md.j2"


def explanation_sources(root: Path, tree: MaterialsTree, indicators: Iterable[Indicator],
                        settings: Settings, env: SandboxedEnvironment,
                        ) -> tuple[dict[int, Source], tuple[Source, ...]]:
    """indicator id -> its generated explanation, and the data files read besides."""
    data: DataSet = gather(root, tree, indicators, settings)
    sources: dict[int, Source] = {}
    for item in data.indicators:
        if item.loaded is None or (item.explanation is not None and item.explanation.blank):
            continue  # no data yet: nothing to generate (check reports what is missing)
        ind = item.indicator
        rel = item.loaded.rel
        title = f"{ind.name}指标达标说明"
        errors = [f.message for f in item.loaded.findings if f.severity is Severity.ERROR]
        if not item.loaded.usable or item.explanation is None:
            shown = "; ".join(errors[:3]) + (f" (and {len(errors) - 3} more)"
                                              if len(errors) > 3 else "")
            sources[ind.id] = file_source(root / rel, rel, title, "explanation",
                                          error=f"the explanation data cannot be used: {shown}")
            continue
        try:
            text = render(env, TEMPLATE, **context(item, settings, ind.first_lead_unit or ""))
        except TemplateError as exc:  # may depend on this indicator's data: fail its volume
            sources[ind.id] = file_source(root / rel, rel, title, "explanation",
                                          error=f"指标 {ind.id}: {exc}")
            continue
        sources[ind.id] = file_source(root / rel, rel, title, "explanation", text=text)
    shared = root / SHARED_FILE
    inputs = (file_source(shared, SHARED_FILE, SHARED_FILE, "data"),) if shared.is_file() else ()
    return sources, inputs
