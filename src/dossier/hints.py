"""The command line's hints: what it adds below a message, naming its own commands and
flags (library messages never do). Keyed by message key; a key `code/variant` without a
hint of its own takes the hint of `code`. Part of the CLI layer, without typer."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dossier.i18n import N_, Message, Translator

_TIDY_HINT = N_("dossier tidy can fix this (it shows the change first)")
HINTS: dict[str, str] = {
    "missing-indicator-folder": N_("Create it with: dossier init --indicator {indicator}"),
    "missing-indicator-folders": N_("Create them with: dossier init, or only your unit's "
                                    "with: dossier init --unit UNIT"),
    "missing-section": N_("Create the missing folders with: dossier init"),
    "missing-year-folder": N_("Create the missing folders with: dossier init"),
    "unknown-indicator-folder": N_("The indicator numbers are listed by: dossier list"),
    "explanation-data-missing": N_("dossier init writes a starter 达标说明.yaml into its "
                                   "达标说明 folder"),
    "materials-folder-missing": N_("Create it with: dossier init {folder}"),
    "unknown-indicator": N_("The indicators of the catalogue are listed by: dossier list"),
    "unknown-unit": N_("The units of each indicator are listed by: dossier list"),
    "catalogue-missing-lead-unit": N_("Fill it in a copy of indicators.yaml and pass it "
                                      "with --catalogue"),
    "catalogue-missing-responsible-unit": N_("Fill it in a copy of indicators.yaml and "
                                             "pass it with --catalogue"),
    "tidy-summary/preview": N_("These are only proposed. Make them with: dossier tidy --apply "
                               "(each change is logged; dossier tidy --undo reverses them)"),
    "tidy-summary/applied": N_("Done. dossier tidy --undo reverses these changes; what was set "
                               "aside is in 重复文件."),
    "year-mismatch": _TIDY_HINT,
    "duplicate-file": _TIDY_HINT,
    "bad-file-name": _TIDY_HINT,
    "unsupported-file-type/archive": _TIDY_HINT,
    "unsupported-file-type/hidden-extension": _TIDY_HINT,
    "source-unusable": N_("Or build with --allow-broken to put a marked placeholder page "
                          "in its place."),
}


_FONT_HINT = N_("Install a Chinese font (on Debian, UOS or Kylin: fonts-wqy-microhei), or "
                "pass one with --font, e.g. --font C:\\Windows\\Fonts\\simfang.ttf")
_REBUILD_HINT = N_("Build it again with: dossier build")
HINTS.update({
    "output-inside-materials": N_("Choose another output folder with -o."),
    "build-font-lacks-glyphs": N_("Pass a fuller font with --font (see: dossier fonts)."),
    "font-fallback": _FONT_HINT,
    "font-user-unusable/fallback": _FONT_HINT,
    "verify-source-removed": _REBUILD_HINT,
    "verify-source-changed": _REBUILD_HINT,
    "verify-output-missing": _REBUILD_HINT,
    "verify-output-differs": _REBUILD_HINT,
    "verify-source-not-a-file": _REBUILD_HINT,
    "verify-output-not-a-file": _REBUILD_HINT,
    "verify-output-unparseable": _REBUILD_HINT,
    "verify-output-pages": _REBUILD_HINT,
    "verify-output-front": _REBUILD_HINT,
    "verify-output-outline": _REBUILD_HINT,
    "verify-output-toc-links": _REBUILD_HINT,
    "verify-sources-not-checked": N_("To check the sources too, give the materials folder "
                                     "where it is now: dossier verify {out} --materials "
                                     "FOLDER"),
})
_FORM_HINT = N_("Write the blank form with: dossier contacts --template 联络人员名单.xlsx")
HINTS.update({  # the 联络人员名单 (附件2), dossier contacts
    "contacts-none": _FORM_HINT,
    "contacts-no-header": _FORM_HINT,
    "contacts-unreadable/word": _FORM_HINT,
})
# Hints that depend on the problem a finding carries (a YAML file's encoding …).
_NESTED = {(code, problem): _TIDY_HINT
           for code in ("explanation-invalid", "shared-data-invalid")
           for problem in ("yaml.not-utf8", "yaml.not-utf8/gbk")}
# An unusable source gets the --allow-broken hint unless no placeholder can stand in.
_NO_PLACEHOLDER = frozenset({"source-copy-failed", "source-page-count"})


def _quoted(value: Any) -> Any:
    """A path as it must be typed into this system's shell."""
    if not isinstance(value, (str, Path)):
        return value
    text = str(value)
    return subprocess.list2cmdline([text]) if os.name == "nt" else shlex.quote(text)


def hints_for(tr: Translator) -> Callable[[Message], list[str]]:
    def hints(message: Message) -> list[str]:
        problem = message.params.get("problem")
        nested = problem.key if isinstance(problem, Message) else ""
        text = (_NESTED.get((message.key.split("/")[0], nested)) or HINTS.get(message.key)
                or HINTS.get(message.key.split("/")[0]))
        reason = message.params.get("reason")
        if text is None or (isinstance(reason, Message) and reason.key in _NO_PLACEHOLDER):
            return []
        params = {k: _quoted(v) if k in ("folder", "path", "file", "out") else v
                  for k, v in message.params.items()}
        return [tr(text, **params)]

    return hints
