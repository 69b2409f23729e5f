"""Templates of office documents converted to PDF (dossier.office) and of the components
`dossier doctor` reports (dossier.doctor)."""

from __future__ import annotations

from dossier.i18n import N_, Plural, Template

TEMPLATES: dict[str, Template] = {
    "convert-unreadable": N_("the document cannot be read ({cause})"),
    "convert-cannot-start": N_("{program} cannot be started ({cause})"),
    "convert-timeout": N_("{program} did not finish converting it within {seconds} s and was "
                          "stopped; open it in WPS or Word and save it as PDF"),
    "convert-failed": N_("{program} could not convert it (exit status {code}); the document "
                         "may be damaged or protected by a password: open it in WPS or Word "
                         "and save it as PDF"),
    "convert-encrypted": N_("the document is protected by a password; ask the sender for a "
                            "copy without one, or open it in WPS or Word and save it as PDF"),
    "convert-unreadable-pdf": N_("the PDF LibreOffice made of it cannot be read"),
    "source-no-converter": N_("it is an office document, and LibreOffice, which turns it "
                              "into pages, is not installed: {hint}"),
    "build-office-fonts": Plural(
        "{count} office document is set in fonts this machine lacks ({fonts}); it may look "
        "different from the original (dossier check names it)",
        "{count} office documents are set in fonts this machine lacks ({fonts}); they may "
        "look different from the original (dossier check names them)",
        "count"),
    # dossier doctor
    "doctor/name/soffice": N_("LibreOffice"),
    "doctor/name/pdfium": N_("PDFium (pypdfium2)"),
    "doctor/name/font": N_("CJK font"),
    "doctor/name/cache": N_("Cache folder"),
    "doctor/found": N_("{version} ({path})"),
    "doctor/found-unversioned": N_("found ({path}), version unknown"),
    "doctor/missing": N_("not found"),
    "doctor/soffice-use": N_("turns Word, WPS and Excel files into pages"),
    "doctor/soffice-hint/win32": N_("install LibreOffice from https://zh-cn.libreoffice.org "
                                    "(or set DOSSIER_SOFFICE to its soffice.exe)"),
    "doctor/soffice-hint/linux": N_("install it: sudo apt install libreoffice-writer "
                                    "libreoffice-calc (UOS and Kylin: from the app store), or "
                                    "set DOSSIER_SOFFICE to its soffice"),
    "doctor/soffice-hint/darwin": N_("install LibreOffice from https://www.libreoffice.org "
                                     "(or set DOSSIER_SOFFICE to its soffice)"),
    "doctor/pdfium-use": N_("looks where page numbers go, so they do not cover content"),
    "doctor/font-use": N_("the font of covers, 目录 and page numbers"),
    "doctor/font-builtin": N_("{name} (built in, not embedded)"),
    "doctor/path": N_("{path}"),
    "doctor/cache-off": N_("off"),
    "doctor/cache-use": N_("converted documents and looked-at pages, kept between builds"),
}
