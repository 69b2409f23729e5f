"""What the CI commands show a person: `build --shard K/N` (the shard's volumes and the
load of every shard) and `merge` (the shards' outputs made one). The rest of the console
is in console.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from dossier.console import error, make_table, volume_label
from dossier.i18n import Translator

if TYPE_CHECKING:
    from dossier.merge import Merged
    from dossier.shard import Assigned, Shard


def _size(tr: Translator, size: int) -> str:
    megabytes = f"{size / 1e6:.1f}"
    return tr("{mb} MB", mb=megabytes)


def shard_report(console: Console, tr: Translator, assigned: Sequence[Assigned],
                 shard: Shard, listed: bool) -> None:
    """The shard's share; with `listed` (a dry run), each of its volumes and its cost."""
    mine = [a for a in assigned if a.shard == shard.index]
    if listed and mine:
        table = make_table(tr, tr("Indicator"), tr("Volume"), tr("Pages (estimated)"),
                           tr("Size"), tr("File"))
        for a in mine:
            table.add_row(str(a.plan.indicator), escape(volume_label(tr, a.plan)),
                          str(a.cost.pages), _size(tr, a.cost.size), escape(a.plan.output))
        console.print(table)
    loads = [sum(a.cost.load for a in assigned if a.shard == k)
             for k in range(1, shard.total + 1)]
    console.print(escape(tr(
        "shard {shard}: {count} of {all} volumes, about {pages} pages and {size}; the "
        "shards' estimated loads: {loads}", shard=str(shard), count=len(mine),
        all=len(assigned), pages=sum(a.cost.pages for a in mine),
        size=_size(tr, sum(a.cost.size for a in mine)),
        loads=" / ".join(str(n) for n in loads))))


def merge_report(console: Console, tr: Translator, merged: Merged) -> None:
    """What was taken from where, and every conflict."""
    for problem in merged.problems:
        error(console, tr, tr.render(problem))
    for note in merged.notes:
        console.print("[yellow]" + escape(tr.render(note)) + "[/]")
    console.print(escape(tr(
        "{into}: {volumes} volumes from {folders} folders ({same} built identically in "
        "more than one)", into=merged.into, volumes=len(merged.volumes),
        folders=len(merged.sources), same=merged.duplicates)))
