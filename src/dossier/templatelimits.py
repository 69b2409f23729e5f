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

from jinja2 import FileSystemLoader, TemplateNotFound, pass_context
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


_BIG_BITS = 1 << 20  # an integer result of more bits (315,000 digits) is refused


def _int_power_too_large(base: Any, exponent: Any) -> bool:
    if not (_is_int(base) and _is_int(exponent)):
        return False
    return bool(exponent > 0 and max(abs(base), 2).bit_length() * exponent > _BIG_BITS)


def _int_product_too_large(left: Any, right: Any) -> bool:
    return (_is_int(left) and _is_int(right)
            and abs(left).bit_length() + abs(right).bit_length() > _BIG_BITS)


def _sum_too_long(left: Any, right: Any) -> bool:
    sequences = (str, bytes, list, tuple)
    return (isinstance(left, sequences) and isinstance(right, sequences)
            and len(left) + len(right) > MAX_CHARS)


# a width or precision of ten million or more, in a %-format or in a {}-format; a width
# given by an argument (%*s, {:>{}})
_WIDE_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\d{8,}|\d*\.\d{8,})")
_WIDE_BRACES = re.compile(r"\{[^{}]*:[^{}]*?\d{8,}")
_STAR_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d*\.\*)")
_NESTED_BRACES = re.compile(r"\{[^{}]*:[^{}]*\{")


def _wide_format(text: Any, pattern: re.Pattern[str]) -> bool:
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return isinstance(text, str) and pattern.search(text) is not None


def _huge_count(args: Iterable[Any]) -> bool:
    """An integer of ten million or more among `args` (only arguments that are widths or
    counts are given: a population or a sum in 元 is an ordinary value elsewhere)."""
    for arg in args:
        if _is_int(arg) and arg > MAX_CHARS:
            return True
        if isinstance(arg, tuple) and _huge_count(arg):  # '%*s' % (10**10, 'x')
            return True
    return False


def _format_too_wide(fmt: Any, args: Iterable[Any], wide: re.Pattern[str],
                     by_argument: re.Pattern[str]) -> bool:
    """A format whose width alone passes MAX_CHARS: written in it, or given as an
    argument where the format takes its width from one."""
    return _wide_format(fmt, wide) or (_wide_format(fmt, by_argument) and _huge_count(args))


_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})


def _check_method(obj: Any, args: tuple[Any, ...]) -> None:
    """A method of a text asked for a result beyond MAX_CHARS: 'x'.ljust(10**10),
    '{:>10000000000}'.format(1), '{:>{}}'.format('x', 10**10) (the sandbox wraps
    str.format; its original is kept as __wrapped__)."""
    method = getattr(obj, "__wrapped__", obj)
    subject = getattr(method, "__self__", None)
    if not isinstance(subject, (str, bytes)):
        return
    name = getattr(method, "__name__", "")
    if name in ("format", "format_map"):
        if _format_too_wide(subject, args, _WIDE_BRACES, _NESTED_BRACES):
            raise Limit("size", MAX_CHARS)
    elif name in _WIDTH_METHODS and _huge_count(args):
        raise Limit("size", MAX_CHARS)


# filters whose arguments after the value are widths or counts, and `format`
_WIDTH_FILTERS = frozenset({"center", "indent", "slice", "batch", "format"})


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` with its widths checked first ('x'|center(10**10), |indent(10**10),
    |slice(10**10)), or, for `format`, its format's width. Marked pass_context, so that
    jinja does not run it while compiling a template (constant folding would escape
    every bound)."""
    @pass_context
    @functools.wraps(func)
    def bounded(context: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        widths = (*args, *kwargs.values())
        if (_format_too_wide(value, widths, _WIDE_PRINTF, _STAR_PRINTF) if name == "format"
                else _huge_count(widths)):
            raise Limit("size", MAX_CHARS)
        return func(value, *args, **kwargs)

    return bounded


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, with the products, sums, powers, formats and widths that would exhaust
    the memory (or take hours in one C call, out of the clock's reach) refused before they
    are computed."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exhausted: dict[str, Limit] = {}  # templates that ran out of time, by name
        for name in _WIDTH_FILTERS:  # plain functions all (no pass_… mark of their own)
            if getattr(self.filters[name], "jinja_pass_arg", None) is None:
                self.filters[name] = _bounded_filter(name, self.filters[name])
        self.globals.pop("lipsum", None)  # text of any length, in frames not watched

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*" and (_too_long(left, right) or _too_long(right, left)
                                 or _int_product_too_large(left, right)):
            raise Limit("size", MAX_CHARS)
        if operator_ == "**" and _int_power_too_large(left, right):
            raise Limit("size", MAX_CHARS)
        if operator_ == "+" and _sum_too_long(left, right):
            raise Limit("size", MAX_CHARS)
        if operator_ == "%" and isinstance(left, (str, bytes)) and _format_too_wide(
                left, (right,), _WIDE_PRINTF, _STAR_PRINTF):
            raise Limit("size", MAX_CHARS)
        return _BINOPS[operator_](left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:
        _check_method(__obj, (*args, *kwargs.values()))
        return super().call(__context, __obj, *args, **kwargs)


_BINOPS = {"*": operator.mul, "**": operator.pow, "%": operator.mod, "+": operator.add}


def _resident() -> int:
    """This process's resident memory in bytes (Linux, UOS, Kylin; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


MAX_MEMORY = 1 << 30  # bytes a rendering may add to the process (where it can be seen)
_LOOK = 0.05  # seconds between looks at the memory


class Guard:
    """One rendering's clock, depth, memory and text. The memory is looked at where the
    system tells it (Linux): a text doubled by `~` in a loop grows between two lines."""

    def __init__(self, env: SandboxedEnvironment, seconds: float, depth: int) -> None:
        self.env = env
        self.until = time.monotonic() + seconds
        self.seconds = seconds
        self.max_depth = depth
        self.depth = 0
        self.base = _resident()
        self.next_look = 0.0

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
            return self._local
        now = time.monotonic()
        if now > self.until:
            raise Limit("time", f"{self.seconds:g}", frame.f_code.co_filename)
        if self.base and now > self.next_look:
            self.next_look = now + _LOOK
            if _resident() - self.base > MAX_MEMORY:
                raise Limit("size", MAX_CHARS, frame.f_code.co_filename)
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
