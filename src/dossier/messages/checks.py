"""Templates of the checks: the materials tree, review points, files, years.

Every template of a finding may use `{indicator}` and `{path}`; findings about one file
also carry `{file}` (its shown path). No template names a command or flag of the CLI:
the CLI adds those hints per key."""

from __future__ import annotations

from dossier.i18n import N_, Plural, Template

TEMPLATES: dict[str, Template] = {
    # -- the tree (checks/structure.py) -------------------------------------------------
    "unknown-folder": N_("{path} is not a section; use {sections}"),
    "unknown-folder/top": N_("{path} is not an indicator folder; only indicator folders "
                             "such as 12-水环境质量 (the number first) and 共享数据.yaml "
                             "belong in the materials folder"),
    "unknown-folder/year": N_("{path}: year {year} is outside {first}–{last} (附件3 时效性); "
                              "move what is still valid to {long_term} or remove it"),
    "unknown-indicator-folder": N_("{path} starts with a number that is not an indicator of "
                                   "the catalogue; its files are not checked"),
    "misplaced-file": N_("{path} lies outside any section folder; move it into 达标说明, "
                         "直接证明材料, a year folder or 长期有效"),
    "ignored-file": N_("{path} is a system or temporary file and is skipped"),
    "path-outside-tree": N_("{path} is a link that points outside the materials folder "
                            "({target}); it is not followed — copy the file in instead"),
    "path-outside-tree/broken": N_("{path} is a broken link (its target {target} does not "
                                   "exist); copy the file in instead"),
    "bad-file-name": N_("{path} has control characters or undecodable bytes in its name; "
                        "rename it"),
    "unreadable-file/listing": N_("{path} cannot be listed ({cause}); check its permissions"),
    "missing-indicator-folder": N_("no folder for 指标 {indicator}"),
    "duplicate-indicator-folder": N_("several folders claim 指标 {indicator}: {folders}; "
                                     "merge them into one"),
    "missing-section": N_("{path}/ has no section folder {section}/ (required by 附件3)"),
    "missing-year-folder": N_("{path}/ has no year folder {section}/ (required by 附件3)"),
    "missing-year-folder/progress": N_("{path}/ has no year folder {section}/ for the "
                                       "progress material (进度材料)"),
    "duplicate-section": N_("several folders are section {section}: {folders}; merge them"),
    "empty-section": N_("{path}/ holds no PDF or image"),

    # -- scanning (scan.py): usage errors -----------------------------------------------
    "materials-folder-missing": N_("the materials folder {folder} does not exist"),
    "materials-not-a-folder": N_("{folder} is not a folder; give the materials folder"),

    # -- review points (checks/coverage.py) ---------------------------------------------
    "requirement-missing": N_("审核要点 {tag} has no material: {excerpt} — put files named "
                              "“{tag}…” into 直接证明材料 or a year folder"),
    "requirement-missing/per-year": N_("审核要点 {tag} has no material: {excerpt} — put files "
                                       "named “{tag}…” into each year folder"),
    "requirement-missing/alternative": N_(
        "审核要点 {tag} has no material: {excerpt} — put files named “{tag}…” into "
        "直接证明材料 or a year folder (or, 如无{tag}中数据, material tagged {alternative})"),
    "requirement-missing/per-year-alternative": N_(
        "审核要点 {tag} has no material: {excerpt} — put files named “{tag}…” into each "
        "year folder (or, 如无{tag}中数据, material tagged {alternative})"),
    "requirement-missing/annual": N_(
        "审核要点 {tag} has no material: {excerpt} — its text names no year, but “{asks}” is "
        "made for each year, so put files named “{tag}…” into each year folder"),
    "requirement-missing/annual-alternative": N_(
        "审核要点 {tag} has no material: {excerpt} — its text names no year, but “{asks}” is "
        "made for each year, so put files named “{tag}…” into each year folder (or, "
        "如无{tag}中数据, material tagged {alternative})"),
    "requirement-missing-year": N_("审核要点 {tag} has no material for {years} ({excerpt}); "
                                   "put it in the year folder, or name the year in a "
                                   "直接证明材料 file (material found for: {have})"),
    "requirement-missing-year/undated": N_("审核要点 {tag} has no material for {years} "
                                           "({excerpt}); put it in the year folder, or name "
                                           "the year in a 直接证明材料 file (none of its files "
                                           "is dated)"),
    "requirement-missing-year/annual": N_(
        "审核要点 {tag} has no material for {years} ({excerpt}); its text names no year, but "
        "“{asks}” is made for each year, so every year needs its own: put it in the year "
        "folder, or name the year in a 直接证明材料 file (material found for: {have})"),
    "requirement-missing-year/annual-undated": N_(
        "审核要点 {tag} has no material for {years} ({excerpt}); its text names no year, but "
        "“{asks}” is made for each year, so every year needs its own: put it in the year "
        "folder, or name the year in a 直接证明材料 file (none of its files is dated)"),
    "requirement-by-alternative": N_("审核要点 {tag} has no material; its alternative "
                                     "{alternative} is provided instead (如无{tag}中数据)"),
    "unknown-tag": N_("{file} is tagged {tag} but 指标 {indicator} has the review points "
                      "{tags}; fix the tag (see 要求.md)"),

    # -- the catalogue's annual review points (schema.py Requirement) -------------------
    "schema.annual-per-year": N_("review point {tag} already says per year (2018年—2020年 or "
                                 "各年度); remove annual"),
    "schema.annual-not-in-text": N_("annual of review point {tag} must quote words of its "
                                    "text, but “{words}” is not in it"),

    # -- years in names (checks/years.py) -----------------------------------------------
    "year-mismatch": N_("{file} names {named} but sits in the {folder_year} folder; move it "
                        "to the right year folder or fix the name"),
    "year-out-of-range": N_("{file} names {named}, outside {first}–{last} (附件3 时效性); "
                            "material from other years is not accepted unless it is still "
                            "valid (then move it to 长期有效)"),

    # -- files (checks/files.py, probe.py) ----------------------------------------------
    "unsupported-file-type/word": N_("{file} cannot be bound as it is; open it in WPS or Word "
                                     "and save it as PDF, and keep the original outside the "
                                     "materials folder"),
    "unsupported-file-type/excel": N_("{file} cannot be bound as it is; open it in WPS or "
                                      "Excel, check the print area and export it as PDF, and "
                                      "keep the original outside the materials folder"),
    "unsupported-file-type/ofd": N_("{file} is an OFD file (an e-invoice or electronic "
                                    "document), which cannot be bound as it is; open it in "
                                    "数科阅读器, 福昕 OFD or WPS and save or print it as PDF, "
                                    "and keep the original outside the materials folder"),
    "unsupported-file-type/archive": N_("{file} is an archive and cannot be bound; unpack it "
                                        "and put the PDFs in its place"),
    "unsupported-file-type/image": N_("{file} is an image type that cannot be bound; convert "
                                      "it to JPEG or PDF, and keep the original outside the "
                                      "materials folder"),
    "unsupported-file-type/hidden-extension": N_(
        "{file} is named {name}{suffix}: Windows hides the extension it added; rename it to "
        "{name} (in Explorer: 查看 → 文件扩展名, then rename)"),
    "unsupported-file-type/other": N_("{file} cannot be bound: only PDF, JPG, PNG, TIFF, "
                                      "HEIC, Word, WPS, Excel and PowerPoint files can; "
                                      "convert it to PDF, and keep the original outside the "
                                      "materials folder"),
    # scanned pages (checks/scans.py)
    "scan-low-resolution": Plural(
        "{file}: page {pages} is scanned at about {dpi} dpi, below 150 dpi, and its text may "
        "be hard to read; scan it again at 300 dpi",
        "{file}: pages {pages} are scanned at about {dpi} dpi or more, below 150 dpi, and "
        "their text may be hard to read; scan them again at 300 dpi",
        "count"),
    "scan-blank-page": Plural(
        "{file}: page {pages} is blank; remove it if it was scanned by mistake",
        "{file}: pages {pages} are blank; remove them if they were scanned by mistake",
        "count"),
    "scan-too-dark": Plural(
        "{file}: page {pages} is too dark to read; scan it again with more brightness",
        "{file}: pages {pages} are too dark to read; scan them again with more brightness",
        "count"),
    "scan-too-faint": Plural(
        "{file}: the writing on page {pages} is too faint to read; scan it again darker or "
        "from the original",
        "{file}: the writing on pages {pages} is too faint to read; scan them again darker "
        "or from the original",
        "count"),
    "scan-skewed": Plural(
        "{file}: page {pages} is scanned askew (its lines lean by about {angle}°); lay the "
        "sheet straight and scan it again",
        "{file}: pages {pages} are scanned askew (their lines lean by up to {angle}°); lay "
        "the sheets straight and scan them again",
        "count"),
    "photo-perspective": N_(
        "{file} shows the document at a slant (its corners are up to {angle}° off square) "
        "and may be hard to read; photograph it from straight above, or scan it"),
    # seals (checks/seals.py)
    "seal-missing/number": N_("{file} is a document issued under a number ({word}) and "
                              "should carry the issuing unit's seal, but no red seal was "
                              "found on any page; scan the sealed copy, or, if it needs no "
                              "seal, write 印章: 无需 for it in {list}"),
    "seal-missing/kind": N_("{file} is a {word} and should carry the issuing unit's seal, "
                            "but no red seal was found on any page; scan the sealed copy, "
                            "or, if it needs no seal, write 印章: 无需 for it in {list}"),
    "seal-missing/explanation": N_("{file} is the unit's own 达标说明 and should carry its "
                                   "seal, but no red seal was found on any page; scan the "
                                   "sealed copy, or, if it needs no seal, write 印章: 无需 for "
                                   "it in {list}"),
    "seal-missing/listed": N_("{file} should carry a seal ({list} says so), but no red seal "
                              "was found on any page; scan the sealed copy"),
    "seal-found": Plural("{file}: a seal on page {pages}", "{file}: seals on pages {pages}",
                         "count"),
    # figures against the evidence (checks/evidence.py)
    "figure-not-in-evidence": Plural(
        "{file}:{line}: {figure} of {year} is {value} {unit}, but this number is not in the "
        "document its 来源 ({source}) names: {documents}; check the figure, or cite the "
        "document that prints it",
        "{file}:{line}: {figure} of {year} is {value} {unit}, but this number is in none of "
        "the documents its 来源 ({source}) names: {documents}; check the figure, or cite the "
        "document that prints it",
        "count"),
    "figure-evidence-unreadable": Plural(
        "{file}:{line}: {figure} of {year} ({value} {unit}) could not be checked against "
        "{documents}: it is scanned and has no text; check again with --ocr",
        "{file}:{line}: {figure} of {year} ({value} {unit}) could not be checked against "
        "{documents}: they are scanned and have no text; check again with --ocr",
        "count"),
    # OCR (dossier.ocr)
    "ocr-unavailable/missing": N_("scanned pages cannot be read: Tesseract (OCR) is not "
                                  "installed. {hint}"),
    "ocr-unavailable/no-chinese": N_("scanned pages cannot be read: Tesseract {version} has "
                                     "no Simplified Chinese model (chi_sim). {hint}"),
    "ocr-hint/linux": N_("Install it: sudo apt install tesseract-ocr tesseract-ocr-chi-sim "
                         "(UOS and Kylin too), or set DOSSIER_TESSERACT to its tesseract"),
    "ocr-hint/win32": N_("Install Tesseract from https://github.com/UB-Mannheim/tesseract/wiki, "
                         "ticking Chinese (Simplified) under Additional language data, or set "
                         "DOSSIER_TESSERACT to its tesseract.exe"),
    "ocr-hint/darwin": N_("Install it: brew install tesseract tesseract-lang, or set "
                          "DOSSIER_TESSERACT to its tesseract"),
    # office documents (dossier.kinds.office)
    "office-converted": N_("{file} was converted to PDF by {program} {version}: {pages} "
                           "pages"),
    "office-no-converter": N_("{file} is an office document, and LibreOffice, which turns "
                              "it into pages, is not installed; {hint}. Or open it in WPS "
                              "or Word and save it as PDF"),
    "office-convert-failed": N_("{file} could not be converted to PDF: {reason}"),
    "office-font-missing": N_("{file} is set in {fonts}, which this machine lacks; it was "
                              "converted in {used}, so its look, line breaks and pages may "
                              "differ from the original: install these fonts (see the README: "
                              "Word, Excel and WPS files) and check again"),
    "office-font-missing/replaced": N_("{file} is set in {fonts}, which this machine lacks; "
                                       "fonts of the same style stand in ({used}), and line "
                                       "breaks and pages may differ from the original: "
                                       "install these fonts for the original look"),
    "office-sheet-too-wide": N_("{file}: the sheets {sheets} are so wide that, fitted to "
                                "the page width, they print at {percent}% and are hard to "
                                "read; set a print area, split them or narrow the columns in "
                                "Excel or WPS"),
    "office-pages-changed": N_("{file} now converts to {pages} pages, {before} at the last "
                               "build; check its fonts and layout (run dossier doctor)"),
    "mislabelled-document/office": N_("{file} is named {suffix} but is an office document; "
                                      "it is converted as what it is. Give it its right "
                                      "extension (.docx, .xlsx …)"),
    "mislabelled-document/pdf": N_("{file} is named {suffix} but is a PDF; it is bound as "
                                   "a PDF. Rename it to .pdf"),
    "empty-file": N_("{file} is empty (0 bytes); copy it again"),
    "unreadable-file": N_("{file} cannot be opened ({cause}); check that you may read it and "
                          "that no other program holds it"),
    "not-a-pdf": N_("{file} is named .pdf but its content is {content}; open it in the "
                    "program that made it and save or print it as PDF"),
    "not-a-pdf/image": N_("{file} is named .pdf but is really {content}; rename it to "
                          ".{extension}"),
    "not-a-pdf/unknown": N_("{file} is named .pdf but is not a PDF; open it in the program "
                            "that made it and save or print it as PDF"),
    "corrupt-pdf": N_("{file} cannot be read as PDF; re-save or re-scan it"),
    "repaired-pdf": N_("{file} is damaged but could be read by repairing it; re-save it to "
                       "be safe"),
    "empty-pdf": N_("{file} is a PDF without pages; export or scan it again"),
    "encrypted-pdf": N_("{file} needs a password to open; ask the sender for a copy without "
                        "a password"),
    "owner-password-pdf": N_("{file} has only an owner password (it limits printing or "
                             "editing); it opens and binds fine"),
    "broken-image": N_("{file} cannot be read as an image; re-save or re-photograph it"),
    "broken-image/truncated": N_("{file} is cut off (the image is incomplete); copy it again "
                                 "from the original or re-photograph it"),
    "broken-image/too-large": N_("{file} is implausibly large for an image; re-save it at a "
                                 "normal size"),
    "broken-image/no-decoder": N_("{file} is a HEIC photo, and this installation cannot read "
                                  "HEIC (pillow-heif is missing): reinstall dossier, or save "
                                  "the photo as JPEG"),
    "broken-image/frames": N_("{file} is a damaged multi-page TIFF (its chain of pages loops "
                              "back or never ends); scan or export it again"),
    "broken-image/zero-size": N_("{file} is an image of zero width or height; re-save or "
                                 "re-photograph it"),
    "broken-image/pdf-content": N_("{file} is named {suffix} but is really a PDF; rename it "
                                   "to .pdf"),
    "broken-image/other-type": N_("{file} is named {suffix} but its content is {content}; "
                                  "convert it to JPEG or PDF"),
    "broken-image/unknown": N_("{file} is named {suffix} but its content is not a readable "
                               "image; convert it to JPEG or PDF"),
    "mislabelled-image": N_("{file} is named {suffix} but is {content}; rename it to "
                            ".{extension}"),
    "duplicate-file/same-indicator": N_("{file} has the same content as {other}; delete one "
                                        "of them"),
    "duplicate-file": N_("{file} has the same content as {other}; keep one (if both "
                         "indicators need it, that is fine — say so in 达标说明)"),
    "probe-timeout": N_("{file}: inspecting it took more than {seconds} s and was stopped; "
                        "the file may be damaged — re-save or re-scan it"),

    # -- what a file's content really is (probe.sniff): the `content` of the above ------
    "content-kind/pdf": N_("a PDF"),
    "content-kind/jpeg": N_("a JPEG image"),
    "content-kind/png": N_("a PNG image"),
    "content-kind/tiff": N_("a TIFF image"),
    "content-kind/gif": N_("a GIF image"),
    "content-kind/bmp": N_("a BMP image"),
    "content-kind/zip": N_("a ZIP container (a docx, xlsx or ofd file, or a zip archive)"),
    "content-kind/ole": N_("an old Office document (doc, xls or wps)"),
    "content-kind/rar": N_("a RAR archive"),
    "content-kind/ps": N_("a PostScript file"),
    "content-kind/rtf": N_("an RTF document"),
    "content-kind/html": N_("a web page (HTML or XML)"),
    "content-kind/heic": N_("a HEIC photo"),
    "content-kind/webp": N_("a WebP image"),
}
