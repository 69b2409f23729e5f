"""Templates of titles and the 卷内目录: reading 目录.yaml (dossier.titles), the findings
about it and about names that say nothing (dossier.checks.titles), and the column heads of
the 目录 (always rendered in Chinese, like all text inside PDFs)."""

from __future__ import annotations

from dossier.i18n import N_, Template

_AT_FIELD = N_("{file}:{line}: {field}: {problem}")
_AT_LINE = N_("{file}:{line}: {problem}")
_AT_FILE = N_("{file}: {problem}")

TEMPLATES: dict[str, Template] = {
    # -- 目录.yaml (dossier.titles) ---------------------------------------------------
    "titles-invalid": _AT_FIELD,
    "titles-invalid/line": _AT_LINE,
    "titles-invalid/file": _AT_FILE,
    "titles.shape": N_("write one entry per file: the file's name followed by a colon, and "
                       "below it, indented, 题名, 文号, 责任者, 日期, 备注 or 印章"),
    "titles.entry-shape": N_("the entry of a file must be its 题名, or 题名, 文号, 责任者, "
                             "日期 and 备注 indented below the file's name"),
    "titles.entry-shape/list": N_("each entry of the list must name its file with 文件, with "
                                  "题名, 文号, 责任者, 日期 or 备注 beside it"),
    "titles.unknown-key": N_("unknown key “{key}”; the keys are {keys}"),
    "titles.unknown-key/close": N_("unknown key “{key}”: did you mean “{close}”? The keys "
                                   "are {keys}"),
    "titles.seal-word": N_("“{value}” is not a 印章 word: write 无需 (the file needs no "
                           "seal) or 需要"),
    "titles.duplicate-file": N_("{name} has two entries; keep one"),
    "titles-unknown-file": N_("{file}:{line}: there is no file {name} in {folder}; correct "
                              "the name (copy it from the file itself) or delete the entry"),
    "titles-unknown-file/close": N_("{file}:{line}: there is no file {name} in {folder}; did "
                                    "you mean {close}? Correct the name or delete the entry"),

    # -- names that say nothing (dossier.checks.titles) -------------------------------
    "meaningless-title": N_("{file}: the name “{title}” does not say what the document is "
                            "and would be its title in the 目录; rename the file after its "
                            "content (such as 01-2019年巴中市水质通报.pdf), or set its 题名 "
                            "in {list}"),

    # -- the 卷内目录's column heads (render/toc.py) -----------------------------------
    "pdf-toc-doc-number": N_("Document number"),
    "pdf-toc-author": N_("Issued by"),
    "pdf-toc-date": N_("Date"),
    "pdf-toc-note": N_("Remarks"),
}
