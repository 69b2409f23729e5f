"""Seals (附件3 (五): 检查好印章). Which documents need a 公章, and a warning for each of them
that shows none on any page; for each document looked at, the pages that carry one.

A document needs a seal when
- it has a 文号 (a 通知, 批复 or other 文件 issued under a number), or
- its title names a kind that is issued under seal: 考核结果, 批复, 证明 (not 证明材料),
  报告, or
- it is the unit's own 达标说明 scanned or saved as PDF (in the 达标说明 folder);
unless its folder's 目录.yaml says `印章: 无需` for it (or `印章: 需要` for one the rules
pass by). Office documents are not looked at: a Word file is the draft, not the sealed copy."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from dossier.findings import Finding, finding
from dossier.kinds import IMAGES, PDF
from dossier.naming import safe_display
from dossier.scan import MaterialFile
from dossier.scanquality import PageLook, sealed_pages
from dossier.sections import EXPLANATION
from dossier.titles import Titled

SEAL_KINDS = ("考核结果", "批复", "证明", "报告")
_NOT_A_KIND = re.compile(r"证明材料|佐证材料|报告单|报告表")  # words that only contain one


@dataclass(frozen=True)
class Need:
    """Why a document needs a seal: its 文号, a word of its title, or its being the
    达标说明 (variant "number", "kind" or "explanation"; "listed": 目录.yaml says so)."""

    variant: str
    word: str = ""


def seal_need(f: MaterialFile, titled: Titled) -> Need | None:
    """Why `f` needs a seal, or None when it need not have one (or cannot be looked at)."""
    if f.kind not in (PDF, *IMAGES) or titled.seal == "no":
        return None
    if titled.seal == "yes":
        return Need("listed")
    if titled.number:
        return Need("number", titled.number)
    title = _NOT_A_KIND.sub("", titled.title)
    for word in SEAL_KINDS:
        if word in title:
            return Need("kind", word)
    if f.section == EXPLANATION:
        return Need("explanation")
    return None


def seal_findings(files: Iterable[MaterialFile], looks: Mapping[str, tuple[PageLook, ...]],
                  needs: Mapping[str, Need], lists: Mapping[str, str]) -> Iterator[Finding]:
    """seal-missing for each document that needs a seal and shows none; seal-found, with
    its pages, for each that shows one. `lists`: the 目录.yaml of each file's folder."""
    for f in files:
        need = needs.get(f.rel)
        pages = sealed_pages(looks.get(f.rel, ()))
        if need is None or pages is None:
            continue
        shown = safe_display(f.rel)
        if pages:
            numbers = tuple(str(i + 1) for i in pages)
            yield finding("seal-found", indicator=f.indicator, path=shown, file=shown,
                          count=len(numbers),
                          pages=(*numbers[:12], "…") if len(numbers) > 12 else numbers)
        else:
            yield finding("seal-missing", indicator=f.indicator, path=shown,
                          variant=need.variant, file=shown, word=need.word,
                          list=lists.get(f.rel, ""))
