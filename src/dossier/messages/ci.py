"""Templates of the CI commands: `build --shard K/N` and `merge` (several runners'
outputs made one)."""

from __future__ import annotations

from dossier.i18n import N_, Plural, Template

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
    "merge-shard-mismatch": N_("{first} and {second} are shards of different splits (other "
                               "materials, another catalogue or another --shard total): "
                               "build every shard again from the same materials"),
    "merge-shard-missing": Plural(
        "shard {shards} of {total} is missing: its runner's folder was not given, or it "
        "failed",
        "shards {shards} of {total} are missing: their runners' folders were not given, or "
        "they failed", "count"),
    "merge-volume-missing": Plural(
        "{count} volume ({files}) belongs to a shard that was merged but is not in its "
        "folder: it failed to build; build it again",
        "{count} volumes belong to shards that were merged but are not in their folders "
        "({files}): they failed to build; build them again", "count"),
    "merge-unwritable": N_("cannot write {file} ({cause}): this volume is not merged; check "
                           "the free space and the permissions of the merged folder"),
    "merge-retired": N_("{file} was in the merged folder from before and no folder merged "
                        "holds it now: moved to {moved_to}"),
}
