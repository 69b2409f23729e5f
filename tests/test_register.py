"""总目录: build --all lists every volume of OUT with its page count and a link to its file,
as PDF and XLSX; neither is taken for a volume by verify, status or the next build."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pypdf import PdfReader

from clirun import invoke
from makefiles import make_volume_tree

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "materials"


def test_the_register_lists_every_volume(tmp_path: Path, test_font: Path) -> None:
    out = tmp_path / "dist"
    done = invoke(["build", str(EXAMPLE), "--all", "--allow-broken", "-o", str(out),
                   "--font", str(test_font)])
    assert done.exit_code == 0, done.output
    volumes = sorted(p.name for p in out.glob("*.pdf") if p.name != "总目录.pdf")
    reader = PdfReader(out / "总目录.pdf")
    targets = [a.get_object()["/A"]["/F"] for page in reader.pages
               for a in page.get("/Annots", [])]
    assert sorted(targets) == volumes  # one link per volume, by relative name
    text = "".join(page.extract_text() for page in reader.pages)
    for volume in volumes:
        pages = len(PdfReader(out / volume).page_labels) - sum(
            1 for label in PdfReader(out / volume).page_labels if not label.isdigit())
        assert f"{pages}页" in text
    book = openpyxl.load_workbook(out / "总目录.xlsx")
    sheet = book.worksheets[0]
    files = [row[5].value for row in sheet.iter_rows(min_row=3) if row[5].value]
    assert sorted(files) == volumes
    links = [row[5].hyperlink.target for row in sheet.iter_rows(min_row=3) if row[5].hyperlink]
    assert sorted(links) == volumes
    assert invoke(["verify", str(out)]).exit_code == 0
    before = {name: (out / name).stat().st_ino for name in ("总目录.pdf", "总目录.xlsx")}
    (out / ".dossier-state.json").unlink()  # the full plan, then the register again
    again = invoke(["build", str(EXAMPLE), "--all", "--allow-broken", "-o", str(out),
                    "--font", str(test_font)])
    assert again.exit_code == 0 and (out / "总目录.pdf").is_file()
    assert not (out / "已过期").exists()
    # nothing changed: the register is not rewritten (a no-op build writes nothing)
    assert {name: (out / name).stat().st_ino for name in before} == before


def test_no_register_without_all(tmp_path: Path, test_font: Path) -> None:
    root, out = make_volume_tree(tmp_path / "m"), tmp_path / "out"
    root = tmp_path / "m"
    assert invoke(["build", str(root), "-i", "12", "-o", str(out), "--font",
                   str(test_font)]).exit_code == 0
    assert not (out / "总目录.pdf").exists()
