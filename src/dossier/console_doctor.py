"""`dossier doctor` on the console: a row per component (dossier.doctor)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from dossier.console import escape, make_table
from dossier.doctor import Component
from dossier.i18n import Translator


def doctor_report(console: Console, tr: Translator, found: Sequence[Component]) -> None:
    """One row per component: found or not, what it is for, how to get it."""
    table = make_table(tr, tr("Component"), tr("State"), tr("Used for"))
    for item in found:
        mark = "[green]√[/] " if item.ok else "[red]×[/] "
        state = tr.render(item.state)
        if item.hint is not None:
            state += "\n" + tr.render(item.hint)
        table.add_row(mark + escape(tr.render(item.name)), escape(state),
                      escape(tr.render(item.use)))
    console.print(table)
    missing = sum(1 for item in found if not item.ok)
    console.print(escape(tr("{missing} of {count} components missing", missing=missing,
                            count=len(found)) if missing else tr("everything dossier uses is "
                                                                  "here")))
