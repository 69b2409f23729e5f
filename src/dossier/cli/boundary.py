"""The one boundary of the command line: `run` builds the command tree in the chosen
language and maps every exception to an exit code: 0 ok, 1 findings or failed volumes,
2 usage or catalogue errors, 3 an internal error (a bug, with a log of its traceback),
130 interrupted."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

import typer
from typer._click import exceptions as click_errors

from dossier import __version__
from dossier import console as ui
from dossier.cli.typerwords import CliUsage, Session, localise, usage_error
from dossier.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CatalogueError,
    DossierError,
)
from dossier.hints import hints_for
from dossier.i18n import CatalogueMissing, choose_language, translator


def _scan(argv: Sequence[str], option: str) -> str | None:
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == option and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    return None


def _configure_streams() -> None:
    """A GBK console, a redirected file or a pipe never fails on a character it cannot
    hold (a file name, a symbol): it is replaced, the rest is printed."""
    if sys.stdout is None:  # pythonw, a service: no console at all
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _write_log(argv: Sequence[str]) -> Path | None:
    try:
        fd, name = tempfile.mkstemp(prefix="dossier-error-", suffix=".log")
        with open(fd, "w", encoding="utf-8", errors="replace") as fh:
            fh.write(f"dossier {__version__} {sys.platform} Python {sys.version.split()[0]}\n")
            fh.write(f"argv: {list(argv)!r}\n\n")
            fh.write(traceback.format_exc())
        return Path(name)
    except OSError:
        return None


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status; every exception ends here."""
    args = list(sys.argv[1:] if argv is None else argv)
    _configure_streams()
    err = ui.make_console(stderr=True)
    try:
        tr = translator(choose_language(_scan(args, "--lang")))
    except CatalogueMissing as exc:  # a broken install: say so in both languages
        sys.stderr.write(f"{exc}\n")
        return EXIT_INTERNAL
    session = Session(tr, "--debug" in args)
    from dossier.cli import app  # the commands, declared in the package
    try:
        command = typer.main.get_command(app)
        localise(command, tr)
        result = command.main(args=args, prog_name="dossier", standalone_mode=False,
                              obj=session)
        return result if isinstance(result, int) else EXIT_OK
    except CliUsage as exc:
        ui.error(err, tr, exc.text)
        return EXIT_USAGE
    except CatalogueError as exc:
        ui.error(err, tr, tr.render(exc.message), details=[tr.render(p) for p in exc.problems])
        return exc.exit_code
    except DossierError as exc:
        ui.error(err, tr, tr.render(exc.message), hints_for(tr)(exc.message))
        return exc.exit_code
    except click_errors.NoArgsIsHelpError:
        return EXIT_OK  # `dossier` alone: typer has shown the help, as for --help
    except click_errors.ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            err.print(ui.escape(ctx.get_usage()))
        ui.error(err, tr, usage_error(exc, tr))
        if ctx is not None:
            path = ctx.command_path + " --help"
            err.print("  [dim]" + ui.escape(tr("Run '{command}' for help.", command=path))
                      + "[/]")
        return EXIT_USAGE if exc.exit_code == 2 else exc.exit_code
    except typer.Abort:
        err.print(ui.escape(tr("Aborted.")))
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        err.print(ui.escape(tr("Aborted.")))
        return EXIT_INTERRUPTED
    except Exception:
        log = _write_log(args)
        names = {c.name for c in app.registered_commands}
        words = [a for a in args if not a.startswith("-") and a in names]
        ui.internal_error(err, tr, " ".join(["dossier", *words[:1]]), log)
        if session.debug:
            err.print(ui.escape(traceback.format_exc()))
        return EXIT_INTERNAL


def main() -> None:
    # pypdf reports recoverable damage through logging, which would print stray lines
    # ("EOF marker not found"); the checks turn damage into findings instead.
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.addHandler(logging.NullHandler())
    pypdf_log.propagate = False
    sys.exit(run())
