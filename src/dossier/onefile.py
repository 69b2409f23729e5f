"""A single-file executable of dossier for clerks without Python (dossier.exe on Windows,
`dossier` on Linux), made by PyInstaller: `python -m dossier.onefile [--font FILE]
[--out FOLDER]`, run where dossier and PyInstaller (`pip install 'dossier[onefile]'`) are
installed; the executable is for the system it is made on.

PyInstaller finds the code by its imports, but not the package's data: the catalogue,
the templates and the message catalogues (without `--collect-data dossier` the executable
stops with "packaged indicators.yaml is missing"). They are collected here, with every
submodule (the source kinds, checks and reporters are registries), and the font given
with --font is carried inside as the last-resort font (dossier.fonts.bundled_fonts): a
freely licensed CJK TrueType font such as WenQuanYi Micro Hei (Debian's
fonts-wqy-microhei: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc), never a Microsoft
font. This module is a packaging tool: the command line it parses is its own."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

# freeze_support: on Windows, workers of -j 2 start the executable again (spawn)
ENTRY = ("import multiprocessing\n\nfrom dossier.cli import main\n\n"
         "if __name__ == \"__main__\":\n    multiprocessing.freeze_support()\n    main()\n")
# freely licensed CJK TrueType fonts that reportlab embeds (glyf outlines, digits and
# Latin included); Noto CJK and Source Han are CFF, Droid Sans Fallback lacks digits
FREE_FONTS = ("wqy-microhei", "wqy-zenhei")


def pyinstaller_args(entry: Path, out: Path, work: Path, font: Path | None,
                     licence: Path | None = None) -> list[str]:
    """PyInstaller's command line for the executable."""
    args = [str(entry), "--onefile", "--name", "dossier", "--noconfirm", "--clean",
            "--distpath", str(out), "--workpath", str(work / "build"),
            "--specpath", str(work), "--collect-data", "dossier",
            "--collect-submodules", "dossier", "--collect-all", "pypdfium2",
            "--collect-all", "pypdfium2_raw", "--copy-metadata", "dossier"]
    if font is not None:
        # os.pathsep: ";" on Windows, where a drive letter has a colon of its own
        args += ["--add-data", f"{font.resolve()}{os.pathsep}dossier/_fonts"]
    if licence is not None:  # the font's licence travels with it
        args += ["--add-data", f"{licence.resolve()}{os.pathsep}dossier/_fonts"]
    return args


def free_font(path: Path) -> bool:
    """A font this tool may ship: a TrueType file of one of the freely licensed families
    it knows, by its name."""
    name = path.name.lower().replace("-", "").replace("_", "")
    return path.suffix.lower() in (".ttf", ".ttc") and any(
        f.replace("-", "") in name for f in FREE_FONTS)


def font_problem(path: Path) -> str:
    """Why dossier could not embed the font (its own check, as `dossier fonts` does), or ""."""
    from dossier.fonts import inspect

    found = inspect(path)
    if found.usable:
        return ""
    from dossier.i18n import translator

    return translator("en").render(found.reason)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dossier.onefile",
                                     description="Build the one-file dossier executable.")
    parser.add_argument("--font", type=Path, help="a freely licensed CJK .ttf/.ttc to carry")
    parser.add_argument("--font-licence", type=Path,
                        help="the font's licence or copyright file, carried beside it")
    parser.add_argument("--out", type=Path, default=Path("dist-onefile"),
                        help="folder for the executable (default: dist-onefile)")
    options = parser.parse_args(argv)
    font = options.font
    if font is not None and not font.is_file():
        parser.error(f"--font: {font} is not a file")
    if font is not None and not free_font(font):
        parser.error(f"--font: {font.name} is not a font known to be freely licensed "
                     f"({', '.join(FREE_FONTS)}, .ttf or .ttc)")
    if font is not None and (problem := font_problem(font)):
        parser.error(f"--font: {font.name} cannot be embedded: {problem}")
    licence = options.font_licence
    if licence is not None and not licence.is_file():
        parser.error(f"--font-licence: {licence} is not a file")
    try:
        import PyInstaller.__main__ as pyinstaller  # type: ignore[import-untyped]
    except ImportError:
        parser.error("PyInstaller is not installed: pip install 'dossier[onefile]'")
    with tempfile.TemporaryDirectory(prefix="dossier-onefile-") as work:
        entry = Path(work) / "dossier_entry.py"
        entry.write_text(ENTRY, encoding="utf-8")
        pyinstaller.run(pyinstaller_args(entry, options.out, Path(work), font, licence))
    return 0


if __name__ == "__main__":
    sys.exit(main())
