"""YAML files people write by hand (the catalogue, 达标说明.yaml, 共享数据.yaml): read them
keeping line numbers, so every problem can name file, line and field."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based; 0 when the file could not be read at all
    field: str  # dotted path of the field ("年度.2019.指标值"), "" for the whole file
    message: str

    def located(self, shown: str) -> str:
        where = f"{shown}:{self.line}" if self.line else shown
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class YamlDoc:
    node: yaml.Node | None  # None for an empty file
    data: Any

    def line_of(self, loc: Iterable[Any]) -> int:
        return line_of(self.node, tuple(loc)) if self.node is not None else 1


def read_yaml(path: Path) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse `path`. On failure returns (None, problems); duplicate keys are problems too."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [Problem(0, "", "file not found")]
    except UnicodeDecodeError:
        return None, [Problem(0, "", "is not UTF-8 text; save it as UTF-8 (WPS/记事本: "
                                     "另存为 → 编码 UTF-8)")]
    except OSError as exc:
        return None, [Problem(0, "", f"cannot be read ({exc.strerror or exc})")]
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        hint = ("; check the indentation and that every “key: value” has a space after "
                "the colon (use spaces, not tabs)")
        return None, [Problem(mark.line + 1 if mark else 1, "", f"YAML syntax: {problem}{hint}")]
    if node is not None and expanded_size(node) > MAX_NODES:
        return None, [Problem(1, "", f"expands to more than {MAX_NODES:,} values through "
                                     "anchors (&) and aliases (*); write the values out")]
    problems = [Problem(line, "", msg) for line, msg in duplicate_keys(node)]
    return YamlDoc(node, data), problems


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
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not _type_tag(p))
            field = ".".join(str(p) for p in loc) or "(top level)"
            if err.get("type") == "missing" and len(loc) > 1:
                line = key_line(doc.node, loc[:-1])  # the key whose mapping lacks it
            else:
                line = doc.line_of(loc)
            problems.append(Problem(line, field, _message(err)))
        return None, problems


def _type_tag(part: Any) -> bool:
    """pydantic adds the tried type to locations of union errors ('int', 'str', …)."""
    return isinstance(part, str) and (part in {"int", "str", "float", "bool", "dict", "list",
                                               "tuple", "none"} or "[" in part)


_HINTS = {
    "extra_forbidden": "unknown key; check the spelling against the documented keys",
    "missing": "is required",
    "model_type": "must be a mapping of keys, e.g. {数值: 95.6, 单位: '%', 来源: 2019年公报}",
    "model_attributes_type": "must be a mapping of keys, e.g. {数值: 95.6, 单位: '%'}",
    "dict_type": "must be a mapping of keys (key: value on each line)",
    "float_parsing": "must be a number such as 95.6 (the unit goes into 单位)",
    "float_type": "must be a number such as 95.6 (the unit goes into 单位)",
    "int_parsing": "must be a whole number such as 2019 (a year without 年)",
    "int_type": "must be a whole number such as 2019 (a year without 年)",
    "string_type": "must be text",
    "finite_number": "must be a finite number",
    "tuple_type": "must be a list (lines starting with “- ”)",
    "list_type": "must be a list (lines starting with “- ”)",
}


def _message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return _HINTS.get(kind, str(err["msg"]))


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
    """Keys written twice in one mapping. Each node is looked at once, aliases or not."""
    visited = set() if visited is None else visited
    if node is None or id(node) in visited:
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield key.start_mark.line + 1, f"{key.value}: key appears twice in one mapping"
            seen.add(key.value)
            yield from duplicate_keys(value, visited)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from duplicate_keys(item, visited)
