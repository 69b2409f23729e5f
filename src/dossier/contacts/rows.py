"""The rows of a filled form, whatever it was written in: the header row of a workbook
found by its words (单 位, 联系 电话 as the notice sets them, full-width forms, the common
other words: 联系人, 手机 …), the title and note rows skipped; a YAML list of contacts or a
mapping of units to contacts, read from its nodes (so 0571… stays text, never an octal
number) with the line of each entry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from dossier.contacts.model import HEADERS
from dossier.contacts.xlsx import Sheet, cell_text, is_number
from dossier.units import key
from dossier.yamlfile import Problem, problem

# Header words -> field (compared after folding widths and dropping spaces and brackets).
_WORDS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "填报单位", "部门", "部门名称", "单位部门"),
    "name": ("姓名", "联络人", "联络员", "联系人", "联络人员", "联络人姓名", "联系人姓名"),
    "title": ("职务", "职务职称", "职务/职称", "职位", "职称"),
    "phone": ("联系电话", "电话", "联系方式", "手机", "手机号", "手机号码", "电话号码",
              "办公电话", "固定电话", "座机"),
    "note": ("备注",),
}
_FIELD_OF = {key(w): f for f, words in _WORDS.items() for w in words}
_BRACKETS = re.compile(r"[（(【\[].*?[)）】\]]")
_NOTE_ROW = re.compile(r"^(注|说明|填表说明|填报说明)")
HEADER_SEARCH = 30  # the header row is among the first rows of a sheet


@dataclass(frozen=True)
class RawRow:
    row: int  # spreadsheet row, or YAML line
    values: dict[str, str]  # field -> text ("" when absent)
    numeric_phone: bool = False  # the phone cell held a number (a lost leading 0?)
    sheet: str = ""
    broken: frozenset[str] = frozenset()  # fields whose value was reported as unusable


def field_of(word: Any) -> str | None:
    """The form field a header word or YAML key stands for (单 位, 联系电话（手机）…)."""
    text = _BRACKETS.sub("", key(cell_text(word))).strip(":：*＊")
    return _FIELD_OF.get(text)


def header_columns(values: Sequence[Any]) -> dict[int, str] | None:
    """Column -> field when this row is the form's header row: 单位 and at least two
    more of its words (several phone columns are allowed: 办公电话 and 手机)."""
    columns = {n: f for n, v in enumerate(values) if (f := field_of(v)) is not None}
    found = set(columns.values())
    if "unit" in found and len(found) >= 3:
        return columns
    return None


def sheet_rows(sheet: Sheet) -> list[RawRow] | None:
    """The rows under the header row; None when the sheet has no header row."""
    columns: dict[int, str] | None = None
    out: list[RawRow] = []
    for number, values in sheet.rows:
        again = header_columns(values)
        if columns is None:
            if again is not None:
                columns = again
            elif number > HEADER_SEARCH:
                return None
            continue
        if again is not None or _is_note(values):
            continue  # the header repeated (a second page pasted in), a note, a signature
        out.append(_row(number, values, columns, sheet.name))
    return out if columns is not None else None


def _is_note(values: Sequence[Any]) -> bool:
    """A note or signature row: one cell of text, starting 注/说明 or holding a colon
    (填报人：…, 填报单位（盖章）：…); no unit name does either."""
    texts = [t for v in values if (t := cell_text(v))]
    return len(texts) == 1 and (bool(_NOTE_ROW.match(texts[0]))
                                or any(c in texts[0] for c in ":："))


def _row(number: int, values: Sequence[Any], columns: dict[int, str], sheet: str) -> RawRow:
    parts: dict[str, list[str]] = {f: [] for f in HEADERS}
    numeric = False
    for col, field in columns.items():
        value = values[col] if col < len(values) else None
        text = cell_text(value)
        if text:
            parts[field].append(text)
            numeric = numeric or (field == "phone" and is_number(value))
    return RawRow(number, {f: "、".join(p) for f, p in parts.items()}, numeric, sheet)


# -- YAML ------------------------------------------------------------------------------

def yaml_rows(node: yaml.Node) -> tuple[list[RawRow], list[Problem]]:
    """A list of contacts, a mapping unit -> contact, or one contact (a unit's own file)."""
    rows: list[RawRow] = []
    problems: list[Problem] = []
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                rows.append(_entry(item, None, problems))
            elif not _blank(item):
                problems.append(problem(_line(item), "", _colon(item, "contacts.yaml-entry")))
    elif isinstance(node, yaml.MappingNode):
        if any(field_of(_scalar(k)) for k, _ in node.value):
            rows.append(_entry(node, None, problems))
        else:
            for k, v in node.value:
                if isinstance(v, yaml.MappingNode):
                    rows.append(_entry(v, k, problems))
                elif not _blank(v):
                    problems.append(problem(_line(k), _scalar(k), "contacts.yaml-entry"))
    else:
        problems.append(problem(_line(node), "", _colon(node, "contacts.yaml-shape")))
    return rows, problems


def _colon(node: yaml.Node, otherwise: str) -> str:
    """A text where a mapping was meant: a Chinese colon (单位：…) made it one, often."""
    return "yaml.fullwidth-colon/line" if "：" in _scalar(node) else otherwise


def _entry(item: yaml.MappingNode, unit: yaml.Node | None,
           problems: list[Problem]) -> RawRow:
    values = {f: "" for f in HEADERS}
    if unit is not None:
        values["unit"] = _scalar(unit)
    field_name = _scalar(unit) if unit is not None else ""
    broken: set[str] = set()
    for k, v in item.value:
        word = _scalar(k)
        field = field_of(word)
        where = f"{field_name}.{word}" if field_name else word
        if field is None:
            problems.append(problem(_line(k), where, "contacts.yaml-key", key=word))
        elif not isinstance(v, yaml.ScalarNode):
            problems.append(problem(_line(v), where, "contacts.yaml-text", key=word))
            broken.add(field)
        elif not (unit is not None and field == "unit"):
            values[field] = _scalar(v)
    start = unit if unit is not None else item
    return RawRow(_line(start), values, broken=frozenset(broken))


def _scalar(node: yaml.Node) -> str:
    """A scalar as written (a phone 0571… is never read as a number), "" for null."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        return ""
    return str(node.value).strip()


def _blank(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not _scalar(node)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1

