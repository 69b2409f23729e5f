"""Templates of the CI commands: `build --shard K/N` and `merge` (several runners'
outputs made one)."""

from __future__ import annotations

from dossier.i18n import N_, Template

TEMPLATES: dict[str, Template] = {
    "merge-no-folder": N_("{folder} is not a folder: nothing is taken from it"),
    "merge-bad-manifest": N_("{file} is not a manifest dossier can use (its output entry is "
                             "missing or damaged): its volume is not taken; build it again"),
    "merge-missing": N_("{file} is named by its manifest but is not there: it is not taken; "
                        "check that the runner's artifacts hold every PDF"),
    "merge-altered": N_("{file} is not the PDF its manifest describes (size or SHA-256 "
                        "differ): it is not taken; build it again"),
    "merge-conflict": N_("{file} was built differently in {first} and in {second}: neither "
                         "is taken. Every volume must be built by one shard only: give every "
                         "runner the same materials and the same --shard total, and build "
                         "again"),
}
