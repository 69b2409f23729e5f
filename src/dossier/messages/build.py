"""Templates of the build area: build errors and notes, the reasons a source cannot be
bound, `verify`, fonts, `init`, and the labels printed inside the bound PDFs.

Keys starting with `pdf-` are text inside the volumes: always rendered in Chinese
(`dossier.i18n.pdf_text()`), whatever the interface language. Some of them end up in
output file names (`pdf-volume/…`): their Chinese must never change."""

from __future__ import annotations

from dossier.i18n import N_, Plural, Template

TEMPLATES: dict[str, Template] = {
    # -- a source that cannot go into its volume (errors.SourceError) -------------------
    "source-unusable": N_("{file} cannot go into the volume: {reason}; check the file, then "
                          "fix or replace it"),
    # The reasons: short statements of fact, printed on the placeholder page too.
    "source-unreadable": N_("the file cannot be opened ({cause})"),
    "source-unreadable/plain": N_("the file cannot be opened"),
    "source-empty": N_("the file is empty (0 bytes)"),
    "source-not-pdf": N_("its name ends in .pdf but its content is not PDF"),
    "source-corrupt-pdf": N_("the file is damaged and cannot be read"),
    "source-encrypted": N_("the file needs a password to open"),
    "source-no-pages": N_("the file has no pages"),
    "source-broken-image": N_("the image is damaged or incomplete and cannot be read"),
    "source-wrong-content": N_("its content is not what its name ({suffix}) says"),
    "source-image-too-large": N_("the image is too large to be bound"),
    "source-timeout": N_("reading the file took too long; it may be damaged"),
    "source-unusable-file": N_("the file cannot be used"),
    "source-not-regular": N_("it is not an ordinary file (a pipe, a device or a socket): it "
                             "is not read"),
    "source-changed": N_("the file changed while the build was reading it (it was being "
                         "saved, copied or replaced): bind it again once it is finished"),
    "source-too-large": N_("the file is larger than {limit} GiB: split it into smaller "
                           "files"),
    "source-copy-failed": N_("its pages cannot be copied into the volume"),
    "source-page-count": N_("it gave {added} pages where {expected} were counted"),

    # -- building -----------------------------------------------------------------------
    "build-ocr-failed": Plural(
        "{file}: Tesseract could not read page {pages}; it is bound without a text layer",
        "{file}: Tesseract could not read pages {pages}; they are bound without a text layer",
        "count"),
    "output-inside-materials": N_("the output folder {out} is inside the materials folder "
                                  "{root}; choose an output folder outside it (the materials "
                                  "are never written to)"),
    "build-part-pages": N_("{file} was planned as a part of {planned} pages, but its "
                           "documents now have {found}: a file changed while building; build "
                           "again"),
    "output-not-folder": N_("{out} is not a folder (a file, a device or a broken link is "
                            "there); give with -o a folder for the volumes, new or existing"),
    "output-locked": N_("another build is writing to {out} (process {pid}); wait for it to "
                        "finish, or build into another folder"),
    "output-in-the-way": N_("{file} is a folder (or something else that is not a file) where "
                            "the volume must be written: move or rename it, then build "
                            "again"),
    "output-unwritable": N_("cannot write {file} ({cause}); check the free space and the "
                            "permissions of the output folder"),
    # Plural's strings are literals: Babel extracts them as one plural entry (N_ inside
    # would make them two singular entries, and ngettext would find no translation).
    "build-stamp-moved": Plural(
        "{count} page has content where its number goes; the number moved to a free "
        "corner (page {pages}; the manifest says where)",
        "{count} pages have content where their numbers go; the numbers moved to a free "
        "corner (pages {pages}; the manifest says where)",
        "count"),
    "build-stamp-covered": Plural(
        "{count} page has content in every corner; its number covers some of it, where "
        "asked (page {pages}): look at it before binding",
        "{count} pages have content in every corner; their numbers cover some of it, where "
        "asked (pages {pages}): look at them before binding",
        "count"),
    "build-placeholders": Plural(
        "{count} file cannot be read and has a placeholder page instead: {files}",
        "{count} files cannot be read and have placeholder pages instead: {files}",
        "count"),
    "build-font-lacks-glyphs": N_("the font {font} lacks the characters {chars}; they print "
                                  "blank in the volume"),
    "packaged-file-missing": N_("the file {name} that comes with dossier is missing; install "
                                "dossier again"),

    # -- templates (templating.render, render/cover.py) ---------------------------------
    "template-missing": N_("the template {template} cannot be found"),
    "template-syntax": N_("the template {template} has a syntax error on line {line}; fix "
                          "it, or remove your copy to use the packaged template"),
    "template-undefined": N_("the template {template} uses {name}, which is not defined; fix "
                             "it, or remove your copy to use the packaged template"),
    "template-undefined/unnamed": N_("the template {template} uses a value that is not "
                                     "defined; fix it, or remove your copy to use the "
                                     "packaged template"),
    "template-failed": N_("the template {template} cannot be rendered; fix it, or remove "
                          "your copy to use the packaged template"),
    "template-limit/time": N_("the template {template} took longer than {limit} seconds "
                              "to render (a loop too large?); fix it, or remove your copy "
                              "to use the packaged template"),
    "template-limit/size": N_("the template {template} would give more than {limit} "
                              "characters; fix it, or remove your copy to use the packaged "
                              "template"),
    "template-limit/depth": N_("the template {template} includes or calls itself more than "
                               "{limit} levels deep; fix it, or remove your copy to use the "
                               "packaged template"),
    "template-limit/file": N_("the template {template} is larger than {limit}; a template "
                              "is a short text file"),
    "template-not-utf8": N_("the template {template} is not UTF-8 text; save it as UTF-8 "
                            "(WPS/记事本: 另存为 → 编码 UTF-8)"),
    "template-not-utf8/gbk": N_("the template {template} is saved as GBK (as WPS and 记事本 "
                                "on Chinese Windows do); save it as UTF-8 (WPS/记事本: 另存为 "
                                "→ 编码 UTF-8)"),
    "template-not-regular": N_("the template {template} is not an ordinary file (a pipe or "
                               "a device): it is not read"),
    "template-unreadable": N_("the template {template} cannot be read; check its "
                              "permissions"),
    "cover-not-a-list": N_("the template {template} must give a list of text blocks"),
    "cover-bad-yaml": N_("the template {template} does not give valid YAML (line {line})"),
    "cover-bad-yaml/unplaced": N_("the template {template} does not give valid YAML"),
    "cover-bad-block": N_("text block {block} of the template {template} has an invalid "
                          "field {field}"),
    "cover-bad-block/not-a-mapping": N_("text block {block} of the template {template} is "
                                        "not a set of fields"),

    # -- verify (verify.Verdict.reasons and notes) ---------------------------------------
    "verify-source-removed": N_("{file} has been removed since the volume was built"),
    "verify-source-changed": N_("{file} has changed since the volume was built"),
    "verify-source-unreadable": N_("{file} cannot be read ({cause})"),
    "verify-output-missing": N_("the volume {file} is gone"),
    "verify-output-differs": N_("the volume {file} differs from what was built (changed or "
                                "damaged)"),
    "verify-manifest-unreadable": N_("the manifest {file} cannot be read"),
    "verify-manifest-incomplete": N_("the manifest {file} lacks the entry {field} or holds a "
                                     "wrong value in it"),
    "verify-manifest-path": N_("the manifest {file} names {path} in {field}, which is not a "
                               "path inside the materials folder; the manifest is damaged or "
                               "was edited"),
    "verify-manifest-pages": N_("the manifest of the volume {file} places {source} on pages "
                                "{first}–{last}, which do not follow on from the pages before "
                                "it within the {pages} pages of the volume; the manifest is "
                                "damaged or was edited"),
    "verify-source-not-a-file": N_("{file} is no longer an ordinary file (it is a folder or a "
                                   "device); it was not read"),
    "verify-output-not-a-file": N_("the volume {file} is not an ordinary file; it was not read"),
    "verify-output-unreadable": N_("the volume {file} cannot be read ({cause})"),
    "verify-output-unparseable": N_("the volume {file} is damaged: it cannot be read as a PDF"),
    "verify-output-pages": N_("the volume {file} has {pages} pages where its manifest records "
                              "{expected}; it is not the volume that was built"),
    "verify-output-front": N_("the volume {file} does not begin with the cover and the {count} "
                              "目录 pages its manifest records"),
    "verify-output-outline": N_("the bookmarks of the volume {file} do not lead to the "
                                "documents where its manifest places them"),
    "verify-output-toc-links": N_("the links of the 目录 of the volume {file} do not lead to the "
                                  "first pages of its documents as its manifest records them"),
    # A note, not a problem: the PDF itself was checked and agrees with its manifest.
    "verify-sources-not-checked": N_("the sources were not checked: the materials folder "
                                     "{folder} recorded in the manifest is not on this "
                                     "computer; only the PDF was checked against its manifest "
                                     "(hash, pages, 目录)"),

    # -- fonts (FontCandidate.reason, FontChoice.warning) -------------------------------
    "font-usable": N_("usable ({family})"),
    "font-missing": N_("the file does not exist"),
    "font-unreadable": N_("cannot be read as a TrueType font"),
    "font-cff": N_("has PostScript (CFF) outlines, which cannot be embedded"),
    "font-no-embedding": N_("its licence forbids embedding (OS/2 fsType {fs_type})"),
    "font-lacks-glyphs": N_("lacks the characters {chars}"),
    "font-fallback": N_("no embeddable Chinese TrueType font was found; the volumes use "
                        "STSong-Light, which is not embedded, so how they look depends on "
                        "the fonts of the computer that opens them"),
    "font-user-unusable": N_("the font {font} cannot be used ({reason}); {chosen} is used "
                             "instead"),
    "font-user-unusable/fallback": N_("the font {font} cannot be used ({reason}) and no other "
                                      "embeddable Chinese TrueType font was found; the "
                                      "volumes use STSong-Light, which is not embedded, so "
                                      "how they look depends on the fonts of the computer "
                                      "that opens them"),

    # -- init (scaffold.py) -------------------------------------------------------------
    "init-unwritable": N_("cannot create {path} ({cause}); choose a folder you may write to"),
    "init-not-a-folder": N_("{path} exists and is not a folder; choose another path"),

    # -- text inside the bound PDFs (always Chinese) ------------------------------------
    # Their English msgids are never shown; they are specific so that no UI string of the
    # same English (a catalogue entry is keyed by its msgid) takes their Chinese.
    "pdf-cover": N_("Cover page"),
    "pdf-toc": N_("Table of contents"),
    "pdf-toc-continued": N_("{title} (continued)"),
    "pdf-toc-number": N_("Item No."),
    "pdf-toc-title": N_("Document title"),
    "pdf-toc-pages": N_("Page numbers"),
    "pdf-toc-none": N_("no pages"),
    "pdf-toc-unreadable": N_("{title} (file cannot be read)"),
    "pdf-outline-empty": N_("{title} (none)"),
    "pdf-placeholder-heading": N_("File cannot be read"),
    "pdf-placeholder-file": N_("File that cannot be read: {name}"),
    "pdf-section/explanation": N_("{numeral}. How the indicator is met"),
    "pdf-section/direct": N_("{numeral}. Direct evidence that the indicator is met"),
    "pdf-section/year": N_("{numeral}. Evidence material of {year}"),
    "pdf-section/progress": N_("{numeral}. Progress material of {year}"),
    "pdf-section/long-term": N_("{numeral}. Long-term material"),
    "pdf-volume/main": N_("Main volume"),
    "pdf-volume/year": N_("Evidence material of {year}"),
    "pdf-volume/progress": N_("Progress material of {year}"),
    "pdf-volume/long-term": N_("Long-term material"),
    "pdf-title": N_("{title}: records of indicator {indicator} {name}"),
    "pdf-title/volume": N_("{title}: records of indicator {indicator} {name} ({volume})"),
    "pdf-date": N_("{month}/{year}"),
    "pdf-subject": N_("Indicator {indicator} {name}"),
}
