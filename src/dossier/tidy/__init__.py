"""`dossier tidy`: fix by itself what `check` can only diagnose, reversibly.

`plan_tidy` looks at the materials folder and lists the fixes (`Action`s), changing
nothing. `apply_tidy` carries them out in order and writes each one to the log
`整理记录.json` in the materials folder, before and after doing it (atomically), so that
`undo_tidy` can reverse a run even when it was interrupted. Nothing is ever deleted or
overwritten: duplicates, unpacked archives and the original bytes of converted YAML files
are moved into `重复文件/` at the materials root, at their own relative path.

Everything a person may read is a `Message` (templates in `dossier.messages.tidy`).

The package: `names` (pure helpers for names and encodings), `model` (what a plan and a
log are made of, path helpers), `plan` (`plan_tidy`), `log` (reading and writing
整理记录.json), `apply` (`apply_tidy`) and `undo` (`undo_tidy`)."""

from __future__ import annotations

from dossier.scan import SET_ASIDE
from dossier.tidy.apply import apply_tidy
from dossier.tidy.log import LOG_FILE, LOG_FORMAT, LOG_VERSION
from dossier.tidy.model import Action, Kind, Parts, TidyLog, TidyPlan
from dossier.tidy.names import doubled_extension, repaired_name, yaml_encoding, yaml_txt
from dossier.tidy.plan import plan_tidy
from dossier.tidy.undo import undo_tidy

__all__ = [
    "LOG_FILE",
    "LOG_FORMAT",
    "LOG_VERSION",
    "SET_ASIDE",
    "Action",
    "Kind",
    "Parts",
    "TidyLog",
    "TidyPlan",
    "apply_tidy",
    "doubled_extension",
    "plan_tidy",
    "repaired_name",
    "undo_tidy",
    "yaml_encoding",
    "yaml_txt",
]
