"""Templates of dossier tidy: the fixes it proposes and makes, and their undoing.

Every action's template names the file acted on ({file}, undecodable bytes shown as
\\xNN) and where it goes ({target}). The same templates say what a preview will do and
what a run did. No template names a command or flag of the CLI."""

from __future__ import annotations

from dossier.i18n import N_, Plural, Template

TEMPLATES: dict[str, Template] = {
    # the actions (dossier.tidy.Kind): "tidy/<kind>"
    "tidy/repair-name": N_("rename {file} to {target}: its name was saved in GBK by Chinese "
                           "Windows and cannot be read here"),
    "tidy/repair-name/mojibake": N_("rename {file} to {target}: its name is GBK shown as "
                                    "Western characters (garbled)"),
    "tidy/rename-yaml-txt": N_("rename {file} to {target}: Windows hides the extension, so "
                               "the file was saved as text"),
    "tidy/rename-doubled-extension": N_("rename {file} to {target}: its extension is "
                                        "written twice"),
    "tidy/convert-yaml": N_("convert {file} from {encoding} to UTF-8 (common when saved with "
                            "WPS or Notepad); the original is kept as {backup}"),
    "tidy/unpack": Plural("unpack the archive {file} into {target} ({count} file)",
                          "unpack the archive {file} into {target} ({count} files)", "count"),
    "tidy/keep-archive": N_("move the unpacked archive {file} to {target}"),
    "tidy/move-year": N_("move {file} to {target}: its name says {year}, but it lies in the "
                         "folder of {folder_year}"),
    "tidy/move-duplicate": N_("move {file} to {target}: it is the same file as {other}"),
    "tidy-nothing": N_("nothing to tidy in {folder}"),
    # what is left alone
    "tidy-skipped/yaml-txt": N_("{file} is left as it is: {target} is there too; keep the "
                                "right one and delete the other"),
    "tidy-skipped/archive": N_("the archive {file} is not unpacked (see why below)"),
    # an action that could not be carried out (the others went on)
    "tidy-failed": N_("{file} could not be tidied ({cause})"),
    "tidy-failed/exists": N_("{file} was not moved: {target} is there now"),
    "tidy-failed/missing": N_("{file} was not tidied: it is no longer there"),
    "tidy-failed/changed": N_("{file} was not converted: it changed since the preview"),
    "tidy-failed/outside": N_("{file} was not tidied: its path leads out of the materials "
                              "folder"),
    "tidy-failed/link": N_("{file} was not tidied: a link is on its way, and links are "
                           "never followed"),
    "tidy-log-unreadable": N_("the tidy record {file} is damaged and cannot be read; nothing "
                              "was changed"),
    # undoing
    "tidy-undo/nothing": N_("there is no tidy record in {folder}: nothing to undo"),
    "tidy-undo/moved-back": N_("{file} put back as {target}"),
    "tidy-undo/converted-back": N_("{file} restored to its original {encoding} bytes"),
    "tidy-undo/unpacked-removed": Plural("removed {count} unpacked file from {folder}",
                                         "removed {count} unpacked files from {folder}",
                                         "count"),
    "tidy-undo/changed": N_("{file} changed after it was tidied, so it is left as it is"),
    "tidy-undo/missing": N_("{file} is no longer there, so {target} cannot be put back"),
    "tidy-undo/occupied": N_("{file} is left where it is: {target} is taken by another file"),
    "tidy-undo/failed": N_("{file} could not be put back ({cause})"),
    "tidy-undo/folder-kept": N_("the folder {folder} is kept: something else was put into it"),
    "tidy-undo/incomplete": N_("unpacking {file} into {folder} was interrupted; look into "
                               "{folder} and delete what you do not need"),
}
