"""The unit's own signed and stamped 达标说明 (附件3: 所有材料必须盖章有效).

A unit often prints the generated 达标说明, signs and stamps it and scans it back into
the 达标说明 folder. That scan is then the explanation of the volume, bound in place of
the generated one (the 目录 lists one explanation); the data in 达标说明.yaml is still
evaluated. It is recognised by name (a PDF whose title holds 达标说明 or 达标情况说明) or
declared in 达标说明.yaml (`盖章版: 文件名.pdf`, which then alone decides)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from dossier.explain.model import Explanation
from dossier.scan import IndicatorFolder, MaterialFile
from dossier.sections import EXPLANATION

NAME_WORDS = ("达标说明", "达标情况说明")


@dataclass(frozen=True)
class Stamped:
    files: tuple[MaterialFile, ...]  # bound in place of the generated 达标说明
    declared: bool  # named under 盖章版 (else recognised by name)
    missing: tuple[str, ...] = ()  # declared names that are not in the 达标说明 folder

    def __bool__(self) -> bool:
        return bool(self.files)


NOT_STAMPED = Stamped((), False)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _names(f: MaterialFile, section_dir: str) -> set[str]:
    """What a declaration may call the file: its name, with or without the extension,
    also with the subfolders inside the 达标说明 folder."""
    path = PurePosixPath(f.rel)
    inside = path.relative_to(section_dir) if path.is_relative_to(section_dir) else path
    return {_norm(str(p)) for p in (path.name, path.stem, inside, inside.with_suffix(""))}


def by_name(f: MaterialFile) -> bool:
    """A PDF whose title says it is a 达标说明 (水环境质量指标达标说明.pdf)."""
    title = _norm(f.name.title or f.path.stem)
    return f.kind == "pdf" and any(word in title for word in NAME_WORDS)


def find_stamped(folder: IndicatorFolder, explanation: Explanation | None) -> Stamped:
    files = [f for f in folder.in_section(EXPLANATION) if f.kind]
    declared = explanation.stamped if explanation is not None else ()
    if not declared:
        return Stamped(tuple(f for f in files if by_name(f)), False)
    dirs = folder.section_dirs(EXPLANATION)
    section_dir = dirs[0] if dirs else folder.rel
    found: list[MaterialFile] = []
    missing: list[str] = []
    for name in declared:
        match = [f for f in files if _norm(name) in _names(f, section_dir)]
        if not match:
            missing.append(name)
        found += [f for f in match if f not in found]
    ordered = tuple(f for f in files if f in found)  # in binding order
    return Stamped(ordered, True, tuple(missing))
