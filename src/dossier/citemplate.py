"""`dossier ci-template gitlab|github|gitea|gitattributes`: a ready-to-use CI pipeline that
checks the materials, builds every volume in N shards side by side, and publishes them
merged, with the 总目录, the overview and `verify` (templates/ci/*.j2, rendered by the one
template environment). The comments in the files are in the interface language.

- GitLab CI (self-hosted GitLab is what offices run): stages check, build (a `parallel:`
  matrix of N shards) and publish.
- GitHub Actions and Gitea Actions: the same jobs with `strategy.matrix`; GitHub's also
  makes the one-file executables (Linux and Windows, dossier.onefile), Gitea's the Linux
  one (Gitea runners are Linux).
- gitattributes: the lines that put scans, photos and office files in Git LFS.

Materials come from the repository (Git LFS for scans) or from a folder mounted on the
runner (the MATERIALS variable). The tool is installed from a pinned version (or a wheel's
address), LibreOffice and a Chinese font are installed where the runner lacks them, and
the conversion and OCR caches are kept between runs by the CI's cache."""

from __future__ import annotations

from dataclasses import dataclass

from dossier import __version__
from dossier.i18n import N_, Translator
from dossier.templating import make_environment, render

KINDS = ("gitlab", "github", "gitea", "gitattributes")
FILES = {"gitlab": ".gitlab-ci.yml", "github": ".github/workflows/dossier.yml",
         "gitea": ".gitea/workflows/dossier.yml", "gitattributes": ".gitattributes"}
MAX_SHARDS = 200  # GitLab's limit for `parallel:`

# What the comments of the files say, translated at the edge like every text.
COMMENTS = {
    "header": N_("dossier: check the materials, build every volume in shards, publish them "
                 "merged. Written by `dossier ci-template {kind}` (dossier {version}); adjust "
                 "the variables below."),
    "package": N_("What pip installs: the address of a dossier wheel on your own server, or "
                  "a git address with its tag (the project named dossier on PyPI is another "
                  "one)."),
    "materials": N_("The materials folder: in this repository (scans in Git LFS, see "
                    "`dossier ci-template gitattributes`), or a folder mounted on the runner."),
    "gate": N_("When the check fails the pipeline: errors (the default), strict (warnings "
               "too) or none (report only)."),
    "options": N_("More options for every build, e.g. --allow-broken or --ocr."),
    "jobs": N_("Volumes built side by side on one runner."),
    "shards": N_("Runners that build side by side; every volume is built by exactly one."),
    "setup": N_("LibreOffice and a Chinese font where the runner lacks them (as root, on "
                "Debian, Ubuntu, UOS or Kylin), then dossier in its own virtual environment."),
    "cache": N_("Converted documents and OCR results, kept between runs."),
    "epoch": N_("Every runner prints the month of the last commit on the covers and in the "
                "PDFs' dates, so that the shards agree."),
    "image": N_("A shell runner needs Python 3.10 or newer with venv; a Docker runner can "
                "take this image (Debian: LibreOffice and the font are installed as root)."),
    "setup_actions": N_("LibreOffice and a Chinese font where the runner lacks them, then "
                        "dossier."),
    "glibc": N_("A Linux executable runs where the C library is as new as the builder's: "
                "for UOS or Kylin, run this job on such a runner (or in a container of the "
                "system)."),
    "check": N_("Check: the JSON report and the HTML overview are kept as artifacts."),
    "build": N_("Build: each runner builds its shard of the volumes."),
    "publish": N_("Publish: the shards merged into one folder with the 总目录, the overview "
                  "and the reminder list, then verified against the materials."),
    "onefile": N_("The one-file executables for clerks without Python, with WenQuanYi Micro "
                  "Hei inside as the last-resort font."),
    "lfs": N_("Scans, photos and office files in Git LFS, so that the repository stays "
              "small; run `git lfs install` once, then commit as usual."),
}


@dataclass(frozen=True)
class CiSettings:
    shards: int = 3
    materials: str = "materials"
    package: str = ""  # required: a wheel's or git address (PyPI's "dossier" is another project)
    python: str = "3.12"
    jobs: int = 2


def render_ci(kind: str, settings: CiSettings, tr: Translator) -> str:
    """The file for `kind` (one of KINDS)."""
    if kind not in KINDS:
        raise ValueError(kind)
    comments = {key: tr(text, kind=kind, version=__version__)
                for key, text in COMMENTS.items()}
    return render(make_environment(), f"ci/{kind}.j2", s=settings, c=comments,
                  version=__version__, kind=kind)
