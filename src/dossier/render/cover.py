"""The cover (封面), laid out from templates/cover.yaml.j2."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dossier.errors import TemplateError
from dossier.i18n import msg, pdf_text
from dossier.plan import VolumePlan
from dossier.templating import render

if TYPE_CHECKING:  # the planner renders covers without loading reportlab
    from jinja2.sandbox import SandboxedEnvironment
    from reportlab.pdfgen.canvas import Canvas

TEMPLATE = "cover.yaml.j2"
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster


class CoverBlock(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    size: float = Field(gt=0, le=96)
    y: float = Field(ge=0, le=297)
    spacing: float = 0.0
    bold: bool = False


def cover_text(plan: VolumePlan, env: SandboxedEnvironment) -> str:
    """The template rendered for one volume (at plan time: the plan carries the text, so
    workers need no template engine and the text is part of the volume's fingerprint).
    Raises TemplateError, also when the result is not a valid list of blocks."""
    label = (pdf_text().render(msg("pdf-volume-number", number=plan.number,
                                   count=plan.count)) if plan.count else "")
    text = render(env, TEMPLATE, city=plan.city, title=plan.settings_title,
                  indicator_id=plan.indicator, indicator_name=plan.indicator_name,
                  volume_title=plan.volume_title, lead_unit=plan.lead_unit,
                  date=plan.options.date, holds=plan.holds, number=plan.number,
                  count=plan.count, volume_label=label)
    cover_blocks(text)
    return text


def cover_blocks(text: str) -> list[CoverBlock]:
    """The blocks of a rendered cover. Raises TemplateError when it is not a list of valid
    blocks (YAML's and pydantic's own text only as `detail`)."""
    try:
        data: Any = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            raise TemplateError("cover-bad-yaml", template=TEMPLATE, line=mark.line + 1,
                                detail=str(exc)) from None
        raise TemplateError("cover-bad-yaml/unplaced", template=TEMPLATE,
                            detail=str(exc)) from None
    if not isinstance(data, list):
        raise TemplateError("cover-not-a-list", template=TEMPLATE)
    blocks = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise TemplateError("cover-bad-block/not-a-mapping", template=TEMPLATE,
                                block=number)
        try:
            blocks.append(CoverBlock.model_validate(item))
        except ValidationError as exc:
            errors = exc.errors()
            field = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
            raise TemplateError("cover-bad-block", template=TEMPLATE, block=number,
                                field=field or "?", detail=str(exc)) from None
    return blocks


def draw_cover(c: Canvas, text: str, font: str) -> None:
    """The cover as the next page of `c` (the front matter shares one canvas, so one font
    subset serves cover, 目录 and page numbers). A block that wraps pushes the blocks
    below it down rather than running into them."""
    from reportlab.lib.units import mm

    from dossier.render.typography import PAGE_H, TEXT_W, draw_centered, title_lines

    free = 0.0  # pt from the top edge: below the lowest line drawn so far
    for block in cover_blocks(text):
        leading = block.size * 1.45
        top = max(block.y * mm, free + block.size * 1.5)  # baseline of the first line
        for n, line in enumerate(title_lines(block.text, font, block.size, TEXT_W)):
            draw_centered(c, line, font, block.size, PAGE_H - top - n * leading,
                          block.spacing, block.bold)
            free = top + n * leading + block.size * 0.3  # below its descenders
    c.showPage()
