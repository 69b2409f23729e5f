"""The 题名, 文号, 责任者, 日期 and 备注 of each file, as the 卷内目录 lists them.

Each field is taken from the first of these that gives it:

1. `目录.yaml` in the file's own folder (any folder of the materials tree may have one):
   the file's name, then its fields below it —

       01-规划.pdf:
         题名: 巴中市生态文明建设规划（2018—2022年）
         文号: 巴府发〔2018〕12号
         责任者: 巴中市人民政府
         日期: 2018-06-15
         备注: 复印件
       02-照片.jpg: 河道整治现场照片          # a text alone is the 题名
       03-统计表.pdf:
         印章: 无需                          # needs no seal (dossier.checks.seals)

   or a list of entries, each naming its file with `文件`. A file may be named without its
   extension. `无` (or '') leaves a field blank where the name would give one.
2. The file's name (dossier.naming): the order number and tags are dropped; a 文号 at its
   start or end (巴府发〔2018〕12号, [2018]12号, (2018)12号) goes to the 文号 column; a date
   (2019年3月, 2019年3月15日, 20190315, 2019.3.15, 2019-03-15) gives the 日期, and one in
   figures at the start or end of the name is dropped from the title; full-width letters
   and digits become ASCII.
3. 责任者: the unit that sent the file, when `dossier import` merged it (导入记录.json).

The folder's name is the context of its files. A file's own title that is short (four
characters or fewer) or general (第一季度, 附件2, 报告, IMG_…) gets the name of the folder it
sits in below its section folder in front of it, separated by a space: `第一季度.pdf` in
`2021/水质通报/` is `水质通报 第一季度`. When that folder's name is itself a general word
(一季度, 附件), the names of the folders above it come too: `水质通报/一季度/01.pdf` is
`水质通报 一季度 01`. Folder names that say nothing (新建文件夹, a year repeating the
section's) are left out; a title already containing the folder's name gets nothing. A 题名
set in 目录.yaml is used as it is written.

Reading 目录.yaml never raises: what is wrong is kept as located problems (`dossier check`
reports them, see dossier.checks.titles), and the build uses what can be used."""

from __future__ import annotations

import datetime
import difflib
import os
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from dossier.i18n import Message
from dossier.naming import (
    doc_date,
    doc_number,
    fold_width,
    is_general,
    is_generic,
    is_meaningless,
    parse_name,
    safe_display,
)
from dossier.provenance import read_provenance, supplier
from dossier.scan import MaterialFile
from dossier.sections import classify_section
from dossier.yamlfile import Invalid, Problem, YamlDoc, problem, read_yaml, validate

TITLES_FILE = "目录.yaml"
KEYS = ("题名", "文号", "责任者", "日期", "备注", "印章")
SEAL_NOT_NEEDED = frozenset({"无需", "无需盖章", "不需要", "不需盖章", "不用", "否", "无", "免",
                             "no", "false"})
SEAL_NEEDED = frozenset({"需要", "需盖章", "要", "是", "有", "yes", "true"})
BLANK = "无"  # written for a field: leave it blank


# -- 目录.yaml ------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    """A field as text: numbers and YAML dates (日期: 2019-03-15) as they read."""
    if isinstance(value, bool):
        return value  # not text: reported
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.date):
        return f"{value.year}-{value.month}-{value.day}"
    return value


Cell = Annotated[str | None, BeforeValidator(_cell)]


def _seal_word(value: Any) -> Any:
    """印章: 无需 (or 不需要, 否 …): the file needs no seal; 需要 (是 …): it needs one."""
    if value is None:
        return None
    text = fold_width(str(value)).strip().lower()
    if text in SEAL_NOT_NEEDED:
        return "no"
    if text in SEAL_NEEDED:
        return "yes"
    raise Invalid("titles.seal-word", value=value)


class EntryIn(BaseModel):
    """The fields of one file in 目录.yaml (a key left out: taken from the name)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False)

    title: Cell = Field(None, alias="题名")
    number: Cell = Field(None, alias="文号")
    author: Cell = Field(None, alias="责任者")
    date: Cell = Field(None, alias="日期")
    note: Cell = Field(None, alias="备注")
    seal: Annotated[str | None, BeforeValidator(_seal_word)] = Field(None, alias="印章")


class ListEntryIn(EntryIn):
    """An entry of the list form, naming its file."""

    file: Annotated[str, BeforeValidator(_cell)] = Field(alias="文件", min_length=1)


@dataclass(frozen=True)
class Entry:
    """What 目录.yaml sets for one file: None where it sets nothing, "" for blank."""

    name: str  # the file as 目录.yaml names it
    line: int
    title: str | None = None
    number: str | None = None
    author: str | None = None
    date: str | None = None
    note: str | None = None
    seal: str | None = None  # "no": needs no seal; "yes": needs one; None: as its kind says


@dataclass(frozen=True)
class Unknown:
    """An entry naming a file its folder does not have."""

    line: int
    name: str
    close: str  # the folder's file with the closest name, or ""


@dataclass(frozen=True)
class TitleList:
    """One folder's 目录.yaml: the entries of its files, and what is wrong with it."""

    rel: str  # of 目录.yaml, relative to the materials root ("" when there is none)
    by_file: Mapping[str, Entry] = field(default_factory=dict, hash=False)  # file name ->
    problems: tuple[Problem, ...] = ()
    unknown: tuple[Unknown, ...] = ()


def read_list(root: Path, folder: str) -> TitleList:
    """The 目录.yaml of `folder` (relative to `root`); an empty list when there is none,
    or when it is a link leading out of the materials folder."""
    path = root / folder / TITLES_FILE if folder else root / TITLES_FILE
    if not path.exists() or not _inside(path, root):
        return TitleList("")
    rel = safe_display(path.relative_to(root).as_posix())
    doc, problems = read_yaml(path)
    if doc is None or doc.node is None:
        return TitleList(rel, {}, tuple(problems))
    entries: list[Entry] = []
    if isinstance(doc.node, yaml.MappingNode) and isinstance(doc.data, dict):
        entries, more = _mapping_entries(doc.node, doc.data)
    elif isinstance(doc.node, yaml.SequenceNode) and isinstance(doc.data, list):
        entries, more = _list_entries(doc.node, doc.data)
    elif isinstance(doc.data, str) and "：" in doc.data:  # “01-规划.pdf：规划” reads as text
        more = [problem(1, "", "yaml.fullwidth-colon/line")]
    else:
        more = [problem(1, "", "titles.shape")]
    by_file, unknown, twice = _match_files(entries, _files(path.parent))
    return TitleList(rel, by_file, tuple(problems + more + twice), tuple(unknown))


def _inside(path: Path, root: Path) -> bool:
    real, real_root = Path(os.path.realpath(path)), root.resolve()
    return real_root in real.parents


def _mapping_entries(node: yaml.MappingNode, data: dict[Any, Any],
                     ) -> tuple[list[Entry], list[Problem]]:
    values = {str(k): v for k, v in data.items()}
    entries: list[Entry] = []
    problems: list[Problem] = []
    for key_node, value_node in node.value:
        name = str(key_node.value)
        line = key_node.start_mark.line + 1
        raw = values.get(name)
        if raw is None or (isinstance(raw, str | int | float) and not isinstance(raw, bool)):
            entries.append(Entry(name, line, title=None if raw is None else str(raw)))
            continue
        if not isinstance(raw, dict):
            problems.append(problem(line, name, "titles.entry-shape"))
            continue
        model, invalid = validate(EntryIn, YamlDoc(value_node, raw))
        problems += [_named(p, name) for p in invalid]
        if model is not None:
            entries.append(Entry(name, line, model.title, model.number, model.author,
                                 model.date, model.note, model.seal))
    return entries, problems


def _list_entries(node: yaml.SequenceNode, data: list[Any],
                  ) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for item_node, raw in zip(node.value, data, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(raw, dict):
            problems.append(problem(line, "", "titles.entry-shape/list"))
            continue
        model, invalid = validate(ListEntryIn, YamlDoc(item_node, raw))
        problems += [_named(p, "") for p in invalid]
        if model is not None:
            entries.append(Entry(model.file, line, model.title, model.number, model.author,
                                 model.date, model.note, model.seal))
    return entries, problems


def _named(found: Problem, name: str) -> Problem:
    """A problem inside one file's entry: its field named from the file on, and an unknown
    key worded with the keys there are."""
    where = ".".join(p for p in (name, found.field) if p)
    message = found.message
    if message.key == "schema.unknown-key":
        key = found.field.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(key, (*KEYS, "文件"), n=1, cutoff=0.3)
        message = Message("titles.unknown-key/close" if close else "titles.unknown-key",
                          {"key": key, "keys": KEYS, "close": close[0] if close else "",
                           **{k: v for k, v in message.params.items() if k == "detail"}})
    return Problem(found.line, where, message)


def _files(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if not e.is_dir())
    except OSError:
        return []


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


def match_file(name: str, files: Sequence[str]) -> str | None:
    """The file an entry names: exactly, then ignoring case and width, then by its name
    without the extension when only one file has it."""
    if name in files:
        return name
    key = _key(name)
    for candidates in ([f for f in files if _key(f) == key],
                       [f for f in files if _key(os.path.splitext(f)[0]) == key]):
        if len(candidates) == 1:
            return candidates[0]
    return None


def _match_files(entries: Sequence[Entry], files: Sequence[str],
                 ) -> tuple[dict[str, Entry], list[Unknown], list[Problem]]:
    by_file: dict[str, Entry] = {}
    unknown: list[Unknown] = []
    twice: list[Problem] = []
    for entry in entries:
        found = match_file(entry.name, files)
        if found is None:
            close = difflib.get_close_matches(entry.name, files, n=1, cutoff=0.6)
            unknown.append(Unknown(entry.line, entry.name, close[0] if close else ""))
        elif found in by_file:
            twice.append(problem(entry.line, "", "titles.duplicate-file", name=found))
        else:
            by_file[found] = entry
    return by_file, unknown, twice


# -- one file's fields ----------------------------------------------------------------

@dataclass(frozen=True)
class Titled:
    """The 目录 fields of one file ("" where none is known)."""

    title: str
    number: str = ""  # 文号
    author: str = ""  # 责任者
    date: str = ""  # 日期: 20190315, 201903, or as 目录.yaml writes it
    note: str = ""  # 备注
    own: str = ""  # the file's own title: its name without order number, tags, 文号 …
    listed: bool = False  # 目录.yaml sets its 题名
    list_rel: str = ""  # its folder's 目录.yaml (where it is, or would be)
    seal: str = ""  # 目录.yaml's 印章: "no" (needs none), "yes" (needs one), "" (not said)


@dataclass(frozen=True)
class FromName:
    title: str  # order number, tags, 文号 and a date in figures at an edge taken out
    number: str
    date: str


def from_name(title: str) -> FromName:
    """What a file's title (its name without order number and tags) says."""
    text = fold_width(title)
    date = doc_date(text)
    edge = date is not None and date.rest != text  # in figures at the start or end: cut
    if date is not None and edge:
        text = date.rest or text  # “20180615巴府发〔2018〕12号…”: the 文号 is then at the start
    number = doc_number(text)
    if number is not None:
        text = number.rest  # "" when the name is the 文号 alone: then the 文号 is the title
    if not edge:
        date = doc_date(text)
        if date is not None and number is not None and not _at_edge(text, date.span):
            date = None  # “…〔2018〕12号关于印发2019年3月方案的通知”: the subject's period
    if not text.strip(" -_.") or text.isdigit():  # nothing but the number and the date
        text = number.text if number is not None else fold_width(title)
    return FromName(text, number.text if number else "", date.text if date else "")


def _at_edge(text: str, span: tuple[int, int]) -> bool:
    return not text[:span[0]].strip(" -_.、，,:：;；（(") or not text[span[1]:].strip(
        " -_.、，,:：;；）)")


def folder_context(folders: Sequence[str], section: str | None) -> str:
    """The context the folders between a file's section folder and the file give it: the
    nearest one's name, and the names above it while that name is a general word (一季度,
    附件): see the module's docstring."""
    names: list[str] = []
    for folder in reversed(folders):
        name = fold_width(safe_display(parse_name(unicodedata.normalize("NFC", folder)).title))
        if not name or is_meaningless(name) or classify_section(name).section == section:
            continue
        names.insert(0, name)
        if not is_general(name):
            break
    return " ".join(names)


def with_context(title: str, context: str) -> str:
    if not context or not is_generic(title) or context.replace(" ", "") in title.replace(" ",
                                                                                       ""):
        return title
    return f"{context} {title}"


def _given(value: str | None, default: str) -> str:
    if value is None:
        return default
    text = fold_width(value)
    return "" if text == BLANK else text


def _number(value: str) -> str:
    """A 文号 written in 目录.yaml, in the 目录's form when it is one: 巴府发〔2018〕12号."""
    found = doc_number(value)
    return found.text if found is not None and found.span == (0, len(value)) else value


def _date(value: str) -> str:
    """A 日期 written in 目录.yaml, in the 目录's form when it is one: 20190315."""
    found = doc_date(value)
    return found.text if found is not None and found.span == (0, len(value)) else value


class Titles:
    """Resolves the 目录 fields of the files of one materials tree, reading each folder's
    目录.yaml and the import record once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lists: dict[str, TitleList] = {}
        self._records: dict[str, dict[str, Any]] | None = None

    def list_in(self, folder: str) -> TitleList:
        if folder not in self._lists:
            self._lists[folder] = read_list(self.root, folder)
        return self._lists[folder]

    def supplier_of(self, rel: str) -> str:
        if self._records is None:
            self._records = read_provenance(self.root)
        record = supplier(self._records, rel)
        unit = record.get("unit") if record else None
        return unit if isinstance(unit, str) else ""

    def of(self, f: MaterialFile) -> Titled:
        parts = f.rel.split("/")
        folder = "/".join(parts[:-1])
        listing = self.list_in(folder)
        entry = listing.by_file.get(f.path.name)
        named = from_name(safe_display(f.name.title))
        title = with_context(named.title, folder_context(parts[2:-1], f.section))
        given = entry or Entry("", 0)
        listed = bool(given.title and given.title.strip())
        return Titled(
            title=fold_width(given.title) if listed and given.title else title,
            number=_number(_given(given.number, named.number)),
            author=_given(given.author, self.supplier_of(f.rel)),
            date=_date(_given(given.date, named.date)),
            note=_given(given.note, ""),
            own=named.title, listed=listed,
            list_rel=listing.rel or safe_display(f"{folder}/{TITLES_FILE}"),
            seal=given.seal or "")
