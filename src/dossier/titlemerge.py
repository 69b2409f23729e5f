"""What `dossier import` does with the 目录.yaml a 责任单位 sends along (`dossier pack`
packs the 目录.yaml of every folder it sends files from): its entries follow their files.

An entry goes to the 目录.yaml of the folder its file was placed in, under the name the
file has there (a file kept beside an existing one as `名称(2).pdf` takes its entry with
it). Entries the destination already has for a file are kept as they are (the 牵头单位's
word stands), and said so. The destination's 目录.yaml is created, or the new entries are
added at its end in its own form (mapping or list), so what the 牵头单位 wrote, comments
included, stays as it was. A destination 目录.yaml that cannot be read (or is not UTF-8)
is not touched; nor is anything when the incoming one cannot be read. Each case is a
message naming the files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from dossier import textfile
from dossier.atomic import atomic_output
from dossier.errors import os_cause
from dossier.i18n import Message, msg
from dossier.naming import safe_display
from dossier.titles import TITLES_FILE, Entry, read_list

_FIELDS = (("title", "题名"), ("number", "文号"), ("author", "责任者"), ("date", "日期"),
           ("note", "备注"))
_MOVED = ("placed", "unsorted", "kept-beside", "identical")
NOTES = frozenset({"import-titles-merged", "import-titles-kept"})


def merge_titles(root: Path, into: Path, lists: Sequence[str],
                 placed: Sequence[tuple[str, str, str]], shown: str) -> tuple[Message, ...]:
    """`lists`: the 目录.yaml files of the source (relative to `root`); `placed`: (source
    file, where it went, outcome) of its files. Notes (merged, kept) have keys NOTES."""
    messages: list[Message] = []
    for rel in lists:
        folder = PurePosixPath(rel).parent.as_posix()
        folder = "" if folder == "." else folder
        incoming = read_list(root, folder)
        if incoming.problems:
            messages.append(msg("import-titles-unreadable", source=shown,
                                file=safe_display(rel)))
            continue
        by_target: dict[str, list[tuple[str, Entry]]] = {}
        for source, target, outcome in placed:
            path = PurePosixPath(source)
            parent = "" if path.parent.as_posix() == "." else path.parent.as_posix()
            entry = incoming.by_file.get(path.name)
            if parent != folder or entry is None or outcome not in _MOVED:
                continue
            goes = PurePosixPath(target)
            where = "" if goes.parent.as_posix() == "." else goes.parent.as_posix()
            by_target.setdefault(where, []).append((goes.name, entry))
        for where, entries in sorted(by_target.items()):
            messages += _merge_into(into, where, entries, shown)
    return tuple(messages)


def _merge_into(into: Path, folder: str, entries: list[tuple[str, Entry]],
                shown: str) -> list[Message]:
    path = into / folder / TITLES_FILE
    shown_path = safe_display((PurePosixPath(folder) / TITLES_FILE).as_posix())
    existing = read_list(into, folder)
    text = ""
    if path.exists():
        found_text = _utf8(path)
        if found_text is None:
            return [msg("import-titles-not-merged", source=shown, file=shown_path)]
        if existing.problems:
            return [msg("import-titles-invalid", source=shown, file=shown_path)]
        text = found_text
    differ = [name for name, entry in entries
              if name in existing.by_file and _fields(existing.by_file[name]) != _fields(entry)]
    new = [(name, entry) for name, entry in entries
           if name not in existing.by_file and _fields(entry)]
    found: list[Message] = []
    if differ:
        found.append(msg("import-titles-kept", source=shown, file=shown_path,
                         names=tuple(differ)))
    if not new:
        return found
    joined = _joined(text, new)
    if joined is None:  # a form we cannot add to without rewriting it (flow style, ---)
        return [*found, msg("import-titles-invalid", source=shown, file=shown_path)]
    try:
        with atomic_output(path) as fh:
            fh.write(joined.encode("utf-8"))
    except OSError as exc:
        return [*found, msg("import-unwritable", path=str(path), **os_cause(exc))]
    found.append(msg("import-titles-merged", source=shown, file=shown_path, count=len(new)))
    return found


def _fields(entry: Entry) -> dict[str, str]:
    return {label: value for attr, label in _FIELDS
            if (value := getattr(entry, attr)) is not None}


def _joined(text: str, new: list[tuple[str, Entry]]) -> str | None:
    """The file's text with the new entries at its end, in its own form; None when the
    result would not read as the old entries plus the new ones."""
    try:
        before = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        return None
    if before is not None and not isinstance(before, (dict, list)):
        return None
    listed = isinstance(before, list)
    block = _entries_text(new, listed)
    joined = (text if not text or text.endswith("\n") else text + "\n") + block
    try:
        after = yaml.safe_load(joined)
    except yaml.YAMLError:
        return None
    old = len(before) if before else 0
    if listed:
        ok = isinstance(after, list) and len(after) == old + len(new)
    else:
        ok = isinstance(after, dict) and len(after) == old + len(new) and all(
            name in after for name, _ in new)
    return joined if ok else None


def _utf8(path: Path) -> str | None:
    try:
        return textfile.decode(path.read_bytes())
    except (OSError, textfile.NotUnicode):
        return None


def _entries_text(entries: list[tuple[str, Entry]], listed: bool) -> str:
    """The entries in the file's form: a mapping of names, or a list naming each with 文件."""
    if listed:
        data: Any = [{"文件": name, **_fields(entry)} for name, entry in entries]
    else:
        data = {name: _fields(entry) for name, entry in entries}
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=1000))
