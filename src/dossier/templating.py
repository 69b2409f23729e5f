"""The one jinja2 environment: sandboxed (templates may come from users) and strict
(a misspelt variable is an error, not an empty string). HTML templates (`*.html`,
`*.html.j2`) are autoescaped: names in them come from users' files."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

from dossier.errors import TemplateError
from dossier.resources import default_templates_dir


def make_environment(user_dirs: Sequence[Path] = ()) -> SandboxedEnvironment:
    """User template folders first, then the packaged templates."""
    search = [str(p) for p in (*user_dirs, default_templates_dir())]
    env = SandboxedEnvironment(
        loader=FileSystemLoader(search),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                     default_for_string=False, default=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["q"] = _yaml_quote
    env.filters["cell"] = _table_cell
    return env


def _yaml_quote(value: Any) -> str:
    """A YAML scalar that reads back as `value` (JSON strings are YAML), CJK kept readable."""
    return json.dumps(value, ensure_ascii=False)


def _table_cell(value: Any) -> str:
    """Text that can stand in one Markdown table cell."""
    text = "" if value is None else str(value)
    return " ".join(text.replace("|", "\\|").split()) or "—"


def render(env: SandboxedEnvironment, name: str, **context: Any) -> str:
    try:
        return env.get_template(name).render(**context)
    except JinjaError as exc:
        raise template_error(exc, name) from None


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$|has no attribute '([^']+)'$")


def template_error(exc: JinjaError, name: str) -> TemplateError:
    """What went wrong in a template, classified; jinja's own text is kept as `detail`."""
    where = getattr(exc, "filename", None) or name
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TemplateNotFound):
        return TemplateError("template-missing", template=exc.name or name, detail=detail)
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return TemplateError("template-syntax", template=where, line=exc.lineno, detail=detail)
    if isinstance(exc, UndefinedError):
        found = _UNDEFINED.search(str(exc))
        if found:
            return TemplateError("template-undefined", template=where,
                                 name=found.group(1) or found.group(2), detail=detail)
        return TemplateError("template-undefined/unnamed", template=where, detail=detail)
    return TemplateError("template-failed", template=where, detail=detail)
