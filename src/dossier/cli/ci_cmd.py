"""`dossier merge` (several runners' output folders made one) and `dossier ci-template`
(a ready-to-use pipeline): the commands of the CI job that produces every volume."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dossier import console as ui
from dossier.cli import CatalogueOpt, DebugOpt, LangOpt, _catalogue, app
from dossier.cli.typerwords import CliUsage as _Usage
from dossier.cli.typerwords import DossierCommand, _session
from dossier.errors import EXIT_FINDINGS, EXIT_OK
from dossier.i18n import N_


class CiKind(str, Enum):
    gitlab = "gitlab"
    github = "github"
    gitea = "gitea"
    gitattributes = "gitattributes"


@app.command("merge", cls=DossierCommand, help=N_(
    "Merge the output folders of several runners (the shards of build --shard, or their "
    "CI artifacts) into one folder, and write its 总目录. A volume found in two folders is "
    "taken once when both are the same build; built differently, it is a conflict and "
    "neither is taken. Exit status 1 on any conflict or damaged volume."))
def merge_cmd(
    ctx: typer.Context,
    folders: Annotated[list[Path], typer.Argument(help=N_(
        "Output folders to merge (e.g. dist/shard-*)."), metavar=N_("FOLDER"))],
    output: Annotated[Path, typer.Option("--output", "-o", help=N_(
        "The merged folder."), metavar=N_("FOLDER"))] = Path("dist"),
    catalogue: CatalogueOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Merge output folders."""
    tr = _session(ctx).tr
    target = output.resolve()
    if output.exists() and not output.is_dir():
        raise _Usage(tr("{folder} is not a folder; give the folder to merge into.",
                        folder=output))
    for folder in folders:
        if folder.resolve() == target:
            raise _Usage(tr("{folder} is both merged and merged into; give another folder "
                            "with -o.", folder=folder))
    from dossier.console_shard import merge_report
    from dossier.fonts import choose, register
    from dossier.merge import merge
    from dossier.options import build_date
    from dossier.register import write_register

    cat = _catalogue(catalogue)
    merged = merge(folders, output)
    console = ui.make_console()
    merge_report(console, tr, merged)
    if merged.volumes:
        chosen = choose()
        register(chosen)
        written = write_register(output, chosen.name, cat.settings.title, build_date()[0])
        console.print(ui.escape(tr("Register of all volumes (总目录): {files}",
                                   files=[str(w) for w in written])))
    raise typer.Exit(EXIT_FINDINGS if merged.failed else EXIT_OK)


@app.command("ci-template", cls=DossierCommand, help=N_(
    "Write a ready-to-use CI pipeline: gitlab (.gitlab-ci.yml), github or gitea (a "
    "workflow), each with the stages check, build (N shards side by side) and publish "
    "(merged, with the 总目录, the overview and verify); gitattributes: the Git LFS lines "
    "for scans. Without -o the file is printed."))
def ci_template_cmd(
    ctx: typer.Context,
    kind: Annotated[CiKind, typer.Argument(help=N_("gitlab, github, gitea or gitattributes."),
                                           metavar=N_("KIND"))],
    output: Annotated[Path | None, typer.Option("--output", "-o", help=N_(
        "Write the file here (e.g. .gitlab-ci.yml) instead of printing it."),
        metavar=N_("FILE"))] = None,
    shards: Annotated[int, typer.Option("--shards", min=1, max=200, help=N_(
        "Runners that build side by side."), metavar=N_("COUNT"))] = 3,
    materials: Annotated[str, typer.Option("--materials", help=N_(
        "The materials folder in the repository, or on the runner."),
        metavar=N_("FOLDER"))] = "materials",
    package: Annotated[str | None, typer.Option("--package", help=N_(
        "What pip installs on the runner: the address of this version's wheel on your "
        "server, or a git address with its tag (required for gitlab, github and gitea; "
        "the PyPI project named dossier is another one)."), metavar=N_("SPEC"))] = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write a CI pipeline."""
    tr = _session(ctx).tr
    from dossier.atomic import atomic_output
    from dossier.citemplate import CiSettings, render_ci

    if kind is not CiKind.gitattributes and not (package or "").strip():
        from dossier import __version__

        raise _Usage(tr(
            "--package: say what the runners install, e.g. --package https://你的服务器/"
            "dossier-{version}-py3-none-any.whl or --package git+https://你的服务器/dossier."
            "git@v{version}. The project named dossier on PyPI is another one: a bare "
            "“dossier” would install it.", version=__version__))
    text = render_ci(kind.value, CiSettings(shards=shards, materials=materials,
                                            package=(package or "").strip()), tr)
    if output is None:
        sys.stdout.write(text)
        raise typer.Exit(EXIT_OK)
    if output.is_dir():
        raise _Usage(tr("{path} is a folder; give the file to write, e.g. {example}.",
                        path=output, example=".gitlab-ci.yml"))
    try:
        with atomic_output(output) as fh:
            fh.write(text.encode("utf-8"))
    except OSError as exc:
        raise _Usage(tr("cannot write {path}: {reason}", path=output,
                        reason=exc.strerror or str(exc))) from None
    ui.make_console().print(ui.escape(tr("written: {path}", path=output)))
    raise typer.Exit(EXIT_OK)
