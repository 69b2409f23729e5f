"""Templates of the volumes of one indicator (附件3 一(一): 分年度整理分册): what each
volume holds, its number among them, and the 主册's list of the others. PDF text: always
rendered in Chinese."""

from __future__ import annotations

from dossier.i18n import N_, Template

TEMPLATES: dict[str, Template] = {
    "pdf-holds/main": N_("Main volume (explanation, direct evidence)"),
    "pdf-volume-number": N_("Volume {number} of {count}"),
    "pdf-toc-volumes": N_("{numeral}. The volumes of this indicator"),
    "pdf-toc-volume": N_("Volume {number}: {title}"),
    "pdf-toc-volume-pages": N_("{pages} pages"),
    "pdf-toc-volume-empty": N_("{title}: none"),
    "pdf-toc-volume-this": N_("{pages} pages (this volume)"),
    # a volume split by --max-pages (dossier.parts)
    "pdf-part": N_("{title} ({numeral})"),
    "pdf-part/single": N_("Part {numeral}"),
    "pdf-section-continued": N_("{title} (continued)"),
    # a slice of a tall image after the first (dossier.images), at the top of its page
    "pdf-slice": N_("continued ({part}/{parts})"),
    # --duplex: the label of an inserted blank page (not numbered)
    "pdf-blank": N_("Blank"),
    # --closing-sheet: 卷内备考表, the volume's last, unnumbered page
    "pdf-closing": N_("Closing sheet"),
    "pdf-closing-notes": N_("Notes on this volume"),
    "pdf-closing-summary": N_("This volume holds {items} documents on {pages} pages."),
    "pdf-closing-part": N_("It is part {part} of {parts} of this volume; its pages are "
                           "numbered {first} to {last}."),
    "pdf-closing-placeholders": N_("{count} of them could not be read and are replaced by a "
                                   "marked page: {titles}."),
    "pdf-closing-compiler": N_("Compiled by"),
    "pdf-closing-checker": N_("Checked by"),
    "pdf-closing-date": N_("Date"),
    # 总目录 (dossier.register)
    "register-title": N_("{title}: register of the ledger volumes"),
    "register-heading": N_("Register"),
    "register-indicator": N_("Indicator {indicator} {name}"),
    "register-single": N_("the whole indicator in one volume"),
    "register-sheet": N_("Register of volumes"),
    "register-col/indicator": N_("Indicator no."),
    "register-col/name": N_("Indicator name"),
    "register-col/volume": N_("Volume"),
    "register-col/holds": N_("Contents of the volume"),
    "register-col/pages": N_("Numbered pages"),
    "register-col/file": N_("File"),
    # volumes the plan no longer makes (dossier.retire)
    "retire-failed": N_("{file} is no longer made by this build but could not be moved aside "
                        "({cause}); move it out of the output folder yourself"),
}
