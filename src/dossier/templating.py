"""The one jinja2 environment: sandboxed (templates may come from users) and strict
(a misspelt variable is an error, not an empty string). HTML templates (`*.html`,
`*.html.j2`) are autoescaped: names in them come from users' files.

A user's template is bounded (dossier.templatelimits): its file's size and encoding, the
time it may render, the text it may give and how deep it may nest; whatever it does
wrong becomes a TemplateError naming it, never a traceback or a hang."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
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
from dossier.templatelimits import (
    MAX_CHARS,
    MAX_DEPTH,
    BoundedEnvironment,
    Limit,
    TextLoader,
    Unreadable,
    guarded,
)


def make_environment(user_dirs: Sequence[Path] = ()) -> SandboxedEnvironment:
    """User template folders first, then the packaged templates."""
    search = [str(p) for p in (*user_dirs, default_templates_dir())]
    env = BoundedEnvironment(
        loader=TextLoader(search),
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
    spent = env.exhausted.get(name) if isinstance(env, BoundedEnvironment) else None
    try:
        if spent is not None:  # out of time once: not given the time again for each volume
            raise spent
        template = env.get_template(name)
        with guarded(env) as guard:
            return guard.joined(template.generate(**context))
    except Limit as exc:
        if exc.what == "time" and isinstance(env, BoundedEnvironment):
            # a fresh one: the raised one's traceback holds the template's frames
            env.exhausted[name] = Limit(exc.what, exc.limit, exc.where)
        raise TemplateError(f"template-limit/{exc.what}", template=exc.where or name,
                            limit=exc.limit) from None
    except JinjaError as exc:
        raise template_error(exc, name) from None
    except RecursionError:
        raise TemplateError("template-limit/depth", template=name, limit=MAX_DEPTH) from None
    except MemoryError:
        raise TemplateError("template-limit/size", template=name, limit=MAX_CHARS) from None
    except Exception as exc:  # range(10**9), 1/0 …: the user's template, not a bug of ours
        raise TemplateError("template-failed", template=name,
                            detail=f"{type(exc).__name__}: {exc}"[:300]) from None


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$|has no attribute '([^']+)'$")


def template_error(exc: JinjaError, name: str) -> TemplateError:
    """What went wrong in a template, classified; jinja's own text is kept as `detail`."""
    where = getattr(exc, "filename", None) or name
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, Unreadable):
        return TemplateError(exc.key, template=exc.where, detail=detail, **exc.params)
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
