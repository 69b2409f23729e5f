"""Bounds on templates, which users may write (--templates).

jinja2's sandbox stops a template from reaching Python's internals, not from running for
ever or filling the memory. So, here:

- TextLoader reads a template only from a regular file of at most MAX_FILE bytes, decoded
  as every text file is (dossier.textfile: UTF-8, with a BOM or not, or UTF-16 with a
  BOM; GBK is refused with a hint).
- BoundedEnvironment refuses, before Python computes them, operations whose result alone
  would pass MAX_CHARS (`'x' * 10**10`, `10 ** 10 ** 10`, `'x'.ljust(10**10)`, a format
  width of ten digits, `'x'|center(10**10)`).
- `guarded` watches the rendering: a trace function on the template's own frames checks
  the clock on every line (a loop that writes nothing still runs lines) and the depth of
  templates and macros calling themselves; `Guard.joined` bounds the text given.

A bound passed raises Limit, which dossier.templating turns into a TemplateError naming
the template and the limit."""

from __future__ import annotations

import contextlib
import functools
import operator
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from types import FrameType
from typing import Any

from jinja2 import FileSystemLoader, TemplateNotFound
from jinja2 import TemplateError as JinjaError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from dossier import textfile

MAX_FILE = 1 << 20  # bytes of one template file
MAX_CHARS = 4_000_000  # characters of text one rendering gives (a cover gives a few hundred)
MAX_SECONDS = 10.0  # of one rendering (the packaged templates take milliseconds)
MAX_DEPTH = 64  # templates and macros within one another (includes, recursive macros)


class Limit(Exception):
    """A bound passed: `what` is time, size or depth; `where`, the template's file."""

    def __init__(self, what: str, limit: object, where: str = "") -> None:
        super().__init__(f"template {what} limit ({limit}) passed")
        self.what, self.limit, self.where = what, limit, where


class Unreadable(JinjaError):
    """A template file that cannot be read as text: `key` is the message."""

    def __init__(self, key: str, where: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.where, self.params = key, where, params


class TextLoader(FileSystemLoader):
    """FileSystemLoader, reading as dossier reads every text file."""

    def get_source(self, environment: Any, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = os.path.normpath(os.path.join(folder, *pieces))
            if os.path.exists(filename) and not os.path.isdir(filename):
                break  # a pipe or a device is found, and refused when read
        else:
            raise TemplateNotFound(template)
        return _read(filename), filename, _unchanged(filename)


def _read(filename: str) -> str:
    from dossier.hashing import NotRegularFile, open_regular

    try:
        with open_regular(filename) as fh:  # type: ignore[arg-type]
            data = fh.read(MAX_FILE + 1)
    except NotRegularFile:
        raise Unreadable("template-not-regular", filename) from None
    except OSError as exc:
        raise Unreadable("template-unreadable", filename,
                         detail=exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE:
        raise Unreadable("template-limit/file", filename, limit=f"{MAX_FILE >> 10:,} KiB")
    try:
        return textfile.decode(data)
    except textfile.NotUnicode as exc:
        raise Unreadable("template-not-utf8/gbk" if exc.guess == textfile.GBK
                         else "template-not-utf8", filename) from None


def _unchanged(filename: str) -> Callable[[], bool]:
    try:
        mtime = os.stat(filename).st_mtime_ns
    except OSError:
        mtime = -1

    def unchanged() -> bool:
        try:
            info = os.stat(filename)
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and info.st_mtime_ns == mtime

    return unchanged


def _too_long(value: Any, times: Any) -> bool:
    """Whether `value * times` would be a sequence longer than MAX_CHARS."""
    if not _is_int(times):
        return False
    return isinstance(value, (str, bytes, list, tuple)) and len(value) * times > MAX_CHARS


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_power_too_large(base: Any, exponent: Any) -> bool:
    if not (_is_int(base) and _is_int(exponent)):
        return False
    return bool(exponent > 0 and max(abs(base), 2).bit_length() * exponent > 4 * MAX_CHARS)


# a width or precision of ten million or more, in a %-format or in a {}-format
_WIDE_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\d{8,}|\d*\.\d{8,})")
_WIDE_BRACES = re.compile(r"\{[^{}]*:[^{}]*?\d{8,}")


def _wide_format(text: Any, pattern: re.Pattern[str]) -> bool:
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return isinstance(text, str) and pattern.search(text) is not None


def _huge_count(args: Iterable[Any]) -> bool:
    """A width or count of ten million or more among a call's arguments."""
    for arg in args:
        if _is_int(arg) and arg > MAX_CHARS:
            return True
        if isinstance(arg, tuple) and _huge_count(arg):  # '%*s' % (10**10, 'x')
            return True
    return False


def _check_method(obj: Any, args: tuple[Any, ...]) -> None:
    """A method of a text or a list asked for a result beyond MAX_CHARS: 'x'.ljust(10**10),
    '{:>10000000000}'.format(1) (the sandbox wraps str.format; its original is kept as
    __wrapped__)."""
    method = getattr(obj, "__wrapped__", obj)
    subject = getattr(method, "__self__", None)
    if not isinstance(subject, (str, bytes, list)):
        return
    if getattr(method, "__name__", "") in ("format", "format_map"):
        if _wide_format(subject, _WIDE_BRACES):
            raise Limit("size", MAX_CHARS)
    elif _huge_count(args):
        raise Limit("size", MAX_CHARS)


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` with its arguments checked first: a width or count beyond MAX_CHARS
    ('x'|center(10**10), |indent(10**10), |slice(10**10)), or, for `format`, such a width
    in the format itself. functools.wraps keeps jinja's pass_context marks."""
    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name == "format":
            if any(_wide_format(a, _WIDE_PRINTF) for a in args[:2]):
                raise Limit("size", MAX_CHARS)
        elif _huge_count((*args, *kwargs.values())):
            raise Limit("size", MAX_CHARS)
        return func(*args, **kwargs)

    return bounded


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, with the products, powers, formats and widths that would exhaust the
    memory (or take hours in one C call, out of the clock's reach) refused before they
    are computed."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exhausted: dict[str, Limit] = {}  # templates that ran out of time, by name
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*" and (_too_long(left, right) or _too_long(right, left)):
            raise Limit("size", MAX_CHARS)
        if operator_ == "**" and _int_power_too_large(left, right):
            raise Limit("size", MAX_CHARS)
        if operator_ == "%" and isinstance(left, (str, bytes)) and (
                _wide_format(left, _WIDE_PRINTF) or _huge_count((right,))):
            raise Limit("size", MAX_CHARS)
        return _BINOPS[operator_](left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:
        _check_method(__obj, (*args, *kwargs.values()))
        return super().call(__context, __obj, *args, **kwargs)


_BINOPS = {"*": operator.mul, "**": operator.pow, "%": operator.mod}


class Guard:
    """One rendering's clock, depth and text."""

    def __init__(self, env: SandboxedEnvironment, seconds: float, depth: int) -> None:
        self.env = env
        self.until = time.monotonic() + seconds
        self.seconds = seconds
        self.max_depth = depth
        self.depth = 0

    def joined(self, pieces: Iterable[str]) -> str:
        kept: list[str] = []
        total = 0
        for piece in pieces:
            total += len(piece)
            if total > MAX_CHARS:
                raise Limit("size", MAX_CHARS)
            kept.append(piece)
        return "".join(kept)

    def _ours(self, frame: FrameType) -> bool:
        return frame.f_globals.get("environment") is self.env

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        """The global trace function: template frames get the local one."""
        if event != "call" or not self._ours(frame):
            return None
        self.depth += 1
        if self.depth > self.max_depth:
            raise Limit("depth", self.max_depth, frame.f_code.co_filename)
        return self._local

    def _local(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "return":
            self.depth -= 1
        elif time.monotonic() > self.until:
            raise Limit("time", f"{self.seconds:g}", frame.f_code.co_filename)
        return self._local


@contextlib.contextmanager
def guarded(env: SandboxedEnvironment, seconds: float | None = None,
            depth: int | None = None) -> Iterator[Guard]:
    """The block renders under a Guard (in this thread; a tracer already set, such as a
    coverage tool's, is set again afterwards). By default MAX_SECONDS and MAX_DEPTH."""
    guard = Guard(env, MAX_SECONDS if seconds is None else seconds,
                  MAX_DEPTH if depth is None else depth)
    before = sys.gettrace()
    sys.settrace(guard.trace)
    try:
        yield guard
    finally:
        sys.settrace(before)
