"""Every exception the library raises on purpose. Each carries its process exit code,
and its message tells the user how to fix the problem."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class DossierError(Exception):
    """Base class. `exit_code` is what the CLI returns when this reaches it."""

    exit_code = EXIT_USAGE


class UsageError(DossierError):
    """The command line asks for something impossible (unknown indicator, missing folder…)."""


class CatalogueError(DossierError):
    """The catalogue (indicators.yaml or --catalogue PATH) cannot be used.

    `problems` lists every located problem as "file:line: field: message"."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"目录文件 catalogue {path} has {len(problems)} problem(s):\n{lines}\n"
            "Fix the fields named above (see the header of indicators.yaml for the format)."
        )


class TemplateError(DossierError):
    """A jinja2 template is missing or failed to render."""


class SourceError(DossierError):
    """One source document cannot go into a volume. The volume fails; others go on."""

    exit_code = 1

    def __init__(self, rel: str, reason: str, fix: str = "") -> None:
        self.rel = rel
        self.reason = reason
        fix = fix or "Replace the file (run `dossier check` for details)"
        super().__init__(
            f"{rel}: {reason}. {fix}, or build with --allow-broken to put a marked "
            "placeholder page in its place"
        )


class BuildError(DossierError):
    """A volume could not be written (disk full, permissions …)."""

    exit_code = 1
