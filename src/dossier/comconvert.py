"""Convert one office document to PDF through WPS Office or Microsoft Office on Windows,
by COM automation (pywin32). Run in a process of its own by dossier.office, which gives it
a timeout and kills it (and what it started) when it hangs:

    python -m dossier.comconvert wps|word word|spreadsheet|presentation IN OUT

UNTESTED: no Windows with WPS or Office was available where this was written. It is used
only when asked for (DOSSIER_CONVERTER=wps or word, on Windows with pywin32 installed);
LibreOffice is the default and the tested path. The COM calls follow the documented object
models (Documents.Open / ExportAsFixedFormat; WPS implements the same ones under its own
ProgIDs). Exit status 0 with OUT written, else 1 with the reason on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

PROGIDS = {  # application -> document kind -> ProgID
    "wps": {"word": "KWps.Application", "spreadsheet": "KET.Application",
            "presentation": "KWPP.Application"},
    "word": {"word": "Word.Application", "spreadsheet": "Excel.Application",
             "presentation": "PowerPoint.Application"},
}
_PDF = 17  # wdExportFormatPDF; xlTypePDF is 0, ppSaveAsPDF 32


def convert(app: str, kind: str, source: Path, target: Path) -> None:
    import pythoncom  # type: ignore[import-untyped,import-not-found,unused-ignore]
    import win32com.client  # type: ignore[import-untyped,import-not-found,unused-ignore]

    pythoncom.CoInitialize()
    office = win32com.client.DispatchEx(PROGIDS[app][kind])
    try:
        office.Visible = False
        office.DisplayAlerts = False
        if kind == "word":
            doc = office.Documents.Open(str(source), ReadOnly=True, AddToRecentFiles=False,
                                        PasswordDocument="")
            try:
                doc.ExportAsFixedFormat(str(target), _PDF)
            finally:
                doc.Close(False)
        elif kind == "spreadsheet":
            book = office.Workbooks.Open(str(source), ReadOnly=True, Password="")
            try:
                for sheet in book.Worksheets:  # each sheet one page wide, as LibreOffice does
                    sheet.PageSetup.Zoom = False
                    sheet.PageSetup.FitToPagesWide = 1
                    sheet.PageSetup.FitToPagesTall = False
                book.ExportAsFixedFormat(0, str(target))
            finally:
                book.Close(False)
        else:
            deck = office.Presentations.Open(str(source), ReadOnly=True, WithWindow=False)
            try:
                deck.SaveAs(str(target), 32)
            finally:
                deck.Close()
    finally:
        office.Quit()
        pythoncom.CoUninitialize()


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[0] not in PROGIDS or argv[1] not in PROGIDS[argv[0]]:
        print("usage: python -m dossier.comconvert wps|word KIND IN OUT", file=sys.stderr)
        return 2
    try:
        convert(argv[0], argv[1], Path(argv[2]).resolve(), Path(argv[3]).resolve())
    except Exception as exc:  # the reason, for the finding's detail
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0 if Path(argv[3]).is_file() else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
