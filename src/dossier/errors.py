"""Every exception the library raises on purpose. Each carries its process exit code and
a `Message` (a registry key and its values); the CLI renders it in the chosen language and
adds hints that name its own flags and commands."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from typing import Any

from dossier.i18n import Message, translator
from dossier.messages import template

_CAUSES = {"EACCES": "denied", "EPERM": "denied", "ENOENT": "not-found", "ENOSPC": "no-space",
           "EDQUOT": "no-space", "EROFS": "read-only", "EBUSY": "busy", "ETXTBSY": "busy",
           "ENAMETOOLONG": "name-too-long", "EISDIR": "is-directory",
           "ENOTDIR": "not-directory", "EIO": "io", "EMFILE": "too-many-open",
           "ENFILE": "too-many-open"}


def os_cause(exc: OSError) -> dict[str, Any]:
    """Params describing an OS error: `cause`, a message in plain words (没有访问权限,
    磁盘空间已满 …); `errno`, the bare name (EACCES); `detail`, the OS's own text (shown by
    no template)."""
    name = errno.errorcode.get(exc.errno, "") if exc.errno is not None else ""
    kind = _CAUSES.get(name)
    cause = Message(f"os/{kind}") if kind else Message("os/other",
                                                       {"errno": name or type(exc).__name__})
    return {"errno": name or type(exc).__name__, "cause": cause,
            "detail": exc.strerror or str(exc)}


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # an unexpected error: a bug, reported with a log of its traceback
EXIT_INTERRUPTED = 130


class DossierError(Exception):
    """Base class. `exit_code` is what the CLI returns when this reaches it."""

    exit_code = EXIT_USAGE

    def __init__(self, key: str, **params: Any) -> None:
        template(key)  # a key without a template fails where it is raised
        self.message = Message(key, params)
        super().__init__(key)

    @property
    def key(self) -> str:
        return self.message.key

    def __str__(self) -> str:  # logs and tracebacks: English, never the catalogue's absence
        return translator("en").render(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        """Exceptions cross process boundaries (build workers) with their fields intact."""
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[DossierError], args: tuple[Any, ...],
             state: dict[str, Any]) -> DossierError:
    made = cls.__new__(cls)
    made.args = args
    made.__dict__.update(state)
    return made


class UsageError(DossierError):
    """The command line asks for something impossible (unknown indicator, missing folder…)."""


class CatalogueError(DossierError):
    """The catalogue (indicators.yaml or another file) cannot be used. `problems` lists every
    located problem as a message."""

    def __init__(self, path: str, problems: Sequence[Message]) -> None:
        super().__init__("catalogue-invalid", file=path, count=len(problems))
        self.path = path
        self.problems = tuple(problems)

    def __str__(self) -> str:
        en = translator("en")
        return "\n".join([super().__str__(), *(f"  {en.render(p)}" for p in self.problems)])


class TemplateError(DossierError):
    """A jinja2 template is missing or failed to render."""


class SourceError(DossierError):
    """One source document cannot go into a volume. The volume fails; others go on.
    `reason` says why (a message of its own, rendered in the placeholder page too)."""

    exit_code = 1

    def __init__(self, rel: str, reason: Message) -> None:
        super().__init__("source-unusable", file=rel, reason=reason)
        self.rel = rel
        self.reason = reason


class BuildError(DossierError):
    """A volume could not be written (disk full, permissions …)."""

    exit_code = 1
