"""Templates of archives: reading zip files safely (dossier.archives).

Every template names the archive ({archive}: its file name; an archive inside another is
shown as "外层.zip/内层.zip") and, where one entry is at fault, the entry ({entry}: its
name inside the archive, undecodable bytes shown as \\xNN). Sizes ({size}, {compressed},
{limit} of sizes) arrive as text such as "4 GB"; the raw numbers are in params ending in
`_bytes`, which no template shows. No template names a command or flag of the CLI."""

from __future__ import annotations

from dossier.i18n import N_, Template

TEMPLATES: dict[str, Template] = {
    # dossier import (dossier.importing)
    "archive-bomb/total": N_("the archive {archive} would grow from {compressed} to {size} "
                             "(more than {limit} times): it may be a hostile archive; it is "
                             "refused and nothing is unpacked"),
    "import-unit-unknown": N_("the 报送清单 of {source} names the unit “{unit}”, which the "
                              "catalogue does not have; the supplier is recorded as not known"),
    "import-unit-differs": N_("the 报送清单 of {source} names {unit}, but {given} was given "
                              "as the supplier; {given} is recorded"),
    "bad-file-name/import": N_("{file} in {source} has a name no encoding reads; it is merged "
                               "under its bytes — rename it"),
    "import/placed": N_("{file} → {target}"),
    "import/identical": N_("{file} is already there as {target} (same content); skipped"),
    "import/kept-beside": N_("{file}: a different file of that name is there; kept beside it "
                             "as {target}"),
    "import/unsorted": N_("{file}: its indicator cannot be told from its folders; put in "
                          "{target} — move it into the right indicator folder"),
    "import-source-missing": N_("{source} does not exist"),
    # the 目录.yaml sent along (dossier.titlemerge)
    "import-titles-merged": N_("{file}: titles from the 目录.yaml in {source} added "
                               "(entries: {count})"),
    "import-titles-kept": N_("{file} already sets the titles of {names}; those of {source} "
                             "were not taken (edit {file} to change them)"),
    "import-titles-unreadable": N_("the 目录.yaml {file} in {source} cannot be read; its "
                                   "titles were not taken (ask the sender to correct it and "
                                   "send it again)"),
    "import-titles-invalid": N_("{file} has mistakes, or a form new entries cannot be added "
                                "to, so the titles from {source} were not added to it; "
                                "correct {file} and import again"),
    "import-titles-not-merged": N_("{file} cannot be read or is not UTF-8, so the titles "
                                   "from {source} were not added to it; fix {file} and import "
                                   "again"),
    "import-listed-missing": N_("{file} is listed in the 报送清单 of {source} but is not in it"),
    "import-listed-differs": N_("{file} in {source} differs from what its 报送清单 says "
                                "(sha256); ask the sender to pack it again"),
    "import-into-not-a-folder": N_("{folder} is not a folder; give the materials folder to "
                                   "merge into"),
    "import/outside": N_("{file} is not merged: {target} would be written through a link "
                         "that leads outside the materials folder"),
    "import-unwritable": N_("cannot write {path} ({cause})"),
    # -- the archive as a whole ---------------------------------------------------------
    "archive-unreadable": N_("the archive {archive} cannot be opened ({cause})"),
    "archive-not-zip": N_("{archive} is not a zip archive (its content is of another "
                          "kind); open it to see what it is, or ask the sender for the file "
                          "again"),
    "archive-corrupt": N_("the archive {archive} is damaged or incomplete (perhaps its "
                          "download or copy was interrupted); ask the sender to send it "
                          "again"),
    "archive-corrupt/entry": N_("{entry} in the archive {archive} is damaged (its content "
                                "does not match its checksum); ask the sender to send the "
                                "archive again"),
    "archive-unsupported/7z": N_("{archive} is a 7z archive, which this program cannot open; "
                                 "unpack it with 7-Zip or WinRAR first and use the unpacked "
                                 "files"),
    "archive-unsupported/rar": N_("{archive} is a RAR archive, which this program cannot "
                                  "open; unpack it with 7-Zip or WinRAR first and use the "
                                  "unpacked files"),
    "archive-too-many-entries": N_("the archive {archive} holds {count} entries, more than "
                                   "the limit of {limit}; nothing is unpacked — split it "
                                   "into smaller archives"),
    "archive-too-large": N_("the archive {archive} would unpack to {size}, more than the "
                            "limit of {limit}; nothing is unpacked — split it into smaller "
                            "archives"),
    # -- one entry refuses the archive ----------------------------------------------------
    "archive-traversal": N_("{entry} in the archive {archive} points outside the archive's "
                            "folder; the archive is refused and nothing is unpacked"),
    "archive-symlink": N_("{entry} in the archive {archive} is a link to another place, not "
                          "a file; the archive is refused and nothing is unpacked"),
    "archive-encrypted-entry": N_("{entry} in the archive {archive} is protected by a "
                                  "password; unpack the archive with its password in 7-Zip "
                                  "or WinRAR first, or ask the sender for an archive without "
                                  "a password"),
    "archive-unsupported-method": N_("{entry} in the archive {archive} is compressed with a "
                                     "method this program cannot read ({method}); unpack "
                                     "the archive with 7-Zip or WinRAR first"),
    "archive-bomb": N_("{entry} in the archive {archive} would grow from {compressed} to "
                       "{size} when unpacked (more than {limit} times); the archive may be "
                       "malicious and is refused"),
    "archive-bomb/written": N_("unpacking the archive {archive} wrote more than {limit} (at "
                               "{entry}); the archive may be malicious and is refused, "
                               "nothing is kept"),
    "archive-bomb/entry-size": N_("{entry} in the archive {archive} unpacks to more than its "
                                  "stated size of {size}; the archive may be malicious and is "
                                  "refused, nothing is kept"),
    "archive-too-deep": N_("{entry} in the archive {archive} is an archive nested more than "
                           "{limit} levels deep; the archive is refused and nothing is "
                           "unpacked"),
    "archive-more-problems": N_("{count} more entries of the archive {archive} have the same "
                                "problem"),
    "bad-file-name/archive": N_("an entry of the archive {archive} has a name that cannot be "
                                "read ({entry}); it is skipped — unpack the archive with "
                                "7-Zip or WinRAR and rename that file"),
    # -- the destination folder -----------------------------------------------------------
    "archive-target-blocked": N_("{entry} from the archive {archive} cannot be unpacked "
                                 "because {path} is a file where a folder is needed; nothing "
                                 "is unpacked — rename or move {path} and try again"),
    "archive-outside-target": N_("{entry} from the archive {archive} would be written through "
                                 "{path}, a link that leads outside the destination folder; "
                                 "the archive is refused and nothing is unpacked"),
    "archive-unwritable": N_("the archive {archive} could not be unpacked into {path} "
                             "({cause}); nothing is kept"),
    # -- what became of each entry (Placement.message) -----------------------------------
    "archive-entry-placed": N_("{entry} from the archive {archive} is unpacked to {path}"),
    "archive-entry-skipped-identical": N_("{entry} from the archive {archive} is already "
                                          "in {path} with the same content; skipped"),
    "archive-entry-kept-beside": N_("{entry} from the archive {archive} differs from the "
                                    "existing {existing}; both are kept, the new one as "
                                    "{path}"),
    "archive-entry-unpacked": N_("{entry} in the archive {archive} is itself an archive; "
                                 "its files are unpacked into {path}"),
}
