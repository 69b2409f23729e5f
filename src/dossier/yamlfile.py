"""YAML files people write by hand (the catalogue, 达标说明.yaml, 共享数据.yaml): read them
keeping line numbers, so every problem can name file, line and field.

A problem is a `Message` (its text comes from the catalogue, see dossier.messages.explain)
with a location. pydantic's error types map to our own keys; validators raise `Invalid`
(a ValueError carrying a key and params) so their wording comes from the catalogue too.
Raw text from pyyaml and pydantic is kept only in a `detail` param no template shows."""

from __future__ import annotations

import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from dossier import textfile
from dossier.errors import os_cause
from dossier.i18n import Message

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Invalid(ValueError):
    """Raised by schema validators: a message key and its params. pydantic wraps it as a
    "value_error" whose ctx["error"] is this object; `validate` takes the message back."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.message = Message(key, params)


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based; 0 when the file could not be read at all
    field: str  # dotted path of the field ("年度.2019.指标值"), "" for the whole file
    message: Message  # what is wrong there (a "yaml.*", "schema.*" … key)

    @property
    def variant(self) -> str:
        """How precisely it is located: "" (line and field), "line" or "file"."""
        if not self.line:
            return "file"
        return "" if self.field else "line"

    def params(self, file: str) -> dict[str, Any]:
        """The params a finding (or a catalogue problem) about it carries."""
        return {"file": file, "line": self.line, "field": self.field, "problem": self.message}

    def located(self, file: str) -> Message:
        """The problem with its location, as one message ("yaml-problem" and variants)."""
        key = f"yaml-problem/{self.variant}" if self.variant else "yaml-problem"
        return Message(key, self.params(file))


def problem(line: int, field: str, key: str, /, **params: Any) -> Problem:
    return Problem(line, field, Message(key, params))


@dataclass(frozen=True)
class YamlDoc:
    node: yaml.Node | None  # None for an empty file
    data: Any

    def line_of(self, loc: Iterable[Any]) -> int:
        return line_of(self.node, tuple(loc)) if self.node is not None else 1


MAX_BYTES = 8 << 20  # far beyond any hand-written file
MAX_DEPTH = 64  # levels of nesting (the catalogue needs 6)
MAX_SCALAR = 50_000  # characters of one value


def read_yaml(path: Path) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse `path`. On failure returns (None, problems); duplicate keys are problems too.
    Only a regular file is opened; its size, nesting depth and the length of its values
    are bounded before any Python object is built."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, [problem(0, "", "yaml.not-found")]
    except OSError as exc:
        return None, [problem(0, "", "yaml.unreadable", **os_cause(exc))]
    if stat.S_ISDIR(info.st_mode):
        return None, [problem(0, "", "yaml.not-a-file")]
    if not stat.S_ISREG(info.st_mode):
        return None, [problem(0, "", "yaml.not-regular")]
    if info.st_size > MAX_BYTES:
        return None, [problem(0, "", "yaml.too-large", limit=f"{MAX_BYTES:,}")]
    try:
        text = textfile.decode(path.read_bytes())
    except FileNotFoundError:
        return None, [problem(0, "", "yaml.not-found")]
    except IsADirectoryError:
        return None, [problem(0, "", "yaml.not-a-file")]
    except textfile.NotUnicode as exc:
        return None, [problem(0, "", "yaml.not-utf8/gbk" if exc.guess == textfile.GBK
                              else "yaml.not-utf8")]
    except OSError as exc:
        return None, [problem(0, "", "yaml.unreadable", **os_cause(exc))]
    try:
        bound = _beyond_bounds(text)
        if bound is not None:
            return None, [bound]
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = str(getattr(exc, "problem", None) or exc)
        habit = typing_habit(text)  # what clerks type that YAML does not take
        if habit is not None:
            return None, [problem(habit[0], "", habit[1], detail=detail)]
        return None, [problem(mark.line + 1 if mark else 1, "", "yaml.syntax", detail=detail)]
    except (ValueError, TypeError, OverflowError) as exc:  # 日期: 2021-13-45, a huge number
        return None, [problem(1, "", "yaml.bad-value", detail=f"{type(exc).__name__}: {exc}")]
    if node is not None and expanded_size(node) > MAX_NODES:
        return None, [problem(1, "", "yaml.alias-bomb", limit=f"{MAX_NODES:,}")]
    problems = [problem(line, "", "yaml.duplicate-key", key=key)
                for line, key in duplicate_keys(node)]
    problems += [problem(line, "", which, key=key) for line, which, key in habit_keys(node)]
    return YamlDoc(node, data), problems


def _beyond_bounds(text: str) -> Problem | None:
    """The first place the text nests too deep or holds too long a value, read as a stream
    of events (pyyaml's parser keeps its own stack; its composer and constructor recurse)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return problem(_line(event), "", "yaml.too-deep", limit=MAX_DEPTH)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR:
            return problem(_line(event), "", "yaml.too-long", limit=f"{MAX_SCALAR:,}")
    return None


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 1


# A key followed by a Chinese colon (城镇污水处理率：95.6), before any ASCII colon.
_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[^\s#\"'][^:#\"'\n]*：")


def typing_habit(text: str) -> tuple[int, str] | None:
    """(line, key) of the first line showing a habit that breaks YAML: a Chinese colon after
    a key, indentation with a tab or with a full-width space."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip(" ").startswith("\t"):
            return number, "yaml.tab"
        if line.lstrip(" ").startswith("\u3000"):
            return number, "yaml.fullwidth-space"
        if _FULLWIDTH_COLON.match(line):
            return number, "yaml.fullwidth-colon/line"
    return None


def habit_keys(node: yaml.Node | None) -> Iterator[tuple[int, str, str]]:
    """(line, message key, key) of keys YAML read as text although a clerk meant otherwise:
    one that swallowed a Chinese colon (“达标理由：已完成”), one indented with a full-width
    space."""
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                text = key.value if isinstance(key.value, str) else ""
                if text.startswith("\u3000"):
                    yield key.start_mark.line + 1, "yaml.fullwidth-space", text.strip()
                elif "：" in text:
                    yield key.start_mark.line + 1, "yaml.fullwidth-colon", text.split("：")[0]
                stack.append(value)
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)


MAX_NODES = 200_000  # far beyond any hand-written file; stops “billion laughs” files


def expanded_size(node: yaml.Node) -> int:
    """How many nodes the document has once aliases are expanded (memoised, so a file that
    nests aliases is measured without expanding it)."""
    memo: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        if id(n) in memo:
            return memo[id(n)]
        memo[id(n)] = 1  # a (malformed) cycle counts once
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(c) for c in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in n.value)
        memo[id(n)] = min(total, MAX_NODES + 1)
        return memo[id(n)]

    return size(node)


def validate(model: type[BaseModel], doc: YamlDoc) -> tuple[Any, list[Problem]]:
    """Validate `doc.data` against `model`; every error becomes a located problem."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        errors = exc.errors()
        for err in errors:
            if _follows_from_another(err, errors):
                continue
            loc = tuple(p for p in err["loc"] if not _type_tag(p))
            field = ".".join(str(p) for p in loc)
            if err.get("type") == "missing" and len(loc) > 1:
                line = key_line(doc.node, loc[:-1])  # the key whose mapping lacks it
            else:
                line = doc.line_of(loc)
            problems.append(Problem(line, field, schema_message(err)))
        return None, problems


def _follows_from_another(err: Any, errors: Iterable[Any]) -> bool:
    """pydantic reports a list whose only item is invalid as too short, too: that follows
    from the item's own error, reported deeper inside it."""
    if err.get("type") != "too_short":
        return False
    loc = tuple(err["loc"])
    return any(tuple(o["loc"])[:len(loc)] == loc and len(o["loc"]) > len(loc) for o in errors)


def _type_tag(part: Any) -> bool:
    """pydantic adds the tried type to locations of union errors ('int', 'str', …)."""
    return isinstance(part, str) and (part in {"int", "str", "float", "bool", "dict", "list",
                                               "tuple", "none"} or "[" in part)


# pydantic error type -> our key (templates in dossier.messages.explain)
_KEYS = {
    "extra_forbidden": "schema.unknown-key",
    "missing": "schema.missing",
    "model_type": "schema.mapping",
    "model_attributes_type": "schema.mapping",
    "dict_type": "schema.mapping",
    "float_parsing": "schema.number",
    "float_type": "schema.number",
    "int_parsing": "schema.whole-number",
    "int_type": "schema.whole-number",
    "int_from_float": "schema.whole-number",
    "string_type": "schema.text",
    "string_too_short": "schema.empty-text",
    "finite_number": "schema.finite-number",
    "tuple_type": "schema.list",
    "list_type": "schema.list",
    "bool_parsing": "schema.yes-no",
    "bool_type": "schema.yes-no",
    "date_parsing": "schema.date",
    "date_type": "schema.date",
    "date_from_datetime_parsing": "schema.date",
    "date_from_datetime_inexact": "schema.date",
    "union_tag_not_found": "schema.kind-missing",
}


def _quoted(text: Any) -> tuple[str, ...]:
    """The values pydantic lists as "'a', 'b' or 'c'"."""
    return tuple(re.findall(r"'([^']*)'", str(text)))


def schema_message(err: Mapping[str, Any]) -> Message:
    """Our message for one pydantic error; pydantic's own text only as `detail`."""
    kind = str(err.get("type", ""))
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    detail = str(err.get("msg", ""))
    error = ctx.get("error")
    if kind == "value_error" and isinstance(error, Invalid):
        return error.message
    if kind in ("model_type", "model_attributes_type") and ctx.get("class_name") == "FigureIn":
        return Message("schema.figure-mapping", {"detail": detail})  # 达标说明.yaml figures
    if kind == "literal_error":
        return Message("schema.one-of", {"allowed": _quoted(ctx.get("expected")),
                                         "detail": detail})
    if kind == "union_tag_invalid":
        return Message("schema.kind-unknown", {"kind": str(ctx.get("tag", "")),
                                               "allowed": _quoted(ctx.get("expected_tags")),
                                               "detail": detail})
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(str(v) for k, v in ctx.items() if k in ("ge", "gt", "le", "lt"))
        return Message(f"schema.{kind.replace('_', '-')}", {"limit": bound, "detail": detail})
    if kind == "too_short":
        return Message("schema.too-few", {"count": int(ctx.get("min_length", 1)),
                                          "detail": detail})
    return Message(_KEYS.get(kind, "schema.invalid"), {"detail": detail})


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """1-based line of the deepest YAML node that `loc` (a pydantic error location) reaches."""
    if node is None:
        return 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if _same_key(k.value, part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            continue  # discriminator tags and missing fields: stay on the parent
        node = child
    return int(node.start_mark.line) + 1


def _same_key(written: Any, part: Any) -> bool:
    """A key as written matches its normalised form (“２０１９年” is 2019, “（” is “(”)."""
    if written == str(part):
        return True
    text = unicodedata.normalize("NFKC", str(written)).strip()
    return text.removesuffix("年度").removesuffix("年").strip() == str(part) or text == str(part)


def key_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """Line of the *key* at the end of `loc` (for unknown keys and values)."""
    if node is None:
        return 1
    parent = loc[:-1]
    target: yaml.Node | None = node
    for part in parent:
        if isinstance(target, yaml.MappingNode):
            target = next((v for k, v in target.value if _same_key(k.value, part)), None)
        elif isinstance(target, yaml.SequenceNode) and isinstance(part, int):
            target = target.value[part] if 0 <= part < len(target.value) else None
        if target is None:
            return line_of(node, parent)
    if isinstance(target, yaml.MappingNode):
        for k, _ in target.value:
            if _same_key(k.value, loc[-1]):
                return int(k.start_mark.line) + 1
    return line_of(node, loc)


def duplicate_keys(node: yaml.Node | None,
                   visited: set[int] | None = None) -> Iterator[tuple[int, str]]:
    """Keys written twice in one mapping, as (line, key). Each node is looked at once,
    aliases or not."""
    visited = set() if visited is None else visited
    if node is None or id(node) in visited:
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield key.start_mark.line + 1, str(key.value)
            seen.add(key.value)
            yield from duplicate_keys(value, visited)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from duplicate_keys(item, visited)
