"""`dossier ci-template`: the GitLab pipeline and the GitHub and Gitea workflows, read back
as YAML and validated against the published schemas (check-jsonschema's vendored copies
of SchemaStore's gitlab-ci and github-workflow schemas; no download). The GitLab pipeline
is also run for real by gitlab-ci-local in `.ci/run`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clirun import invoke

SCHEMAS = {"gitlab": "vendor.gitlab-ci", "github": "vendor.github-workflows",
           "gitea": "vendor.github-workflows"}


WHEEL = "https://files.example.gov.cn/dossier/dossier-0.1.0-py3-none-any.whl"


def rendered(tmp_path: Path, kind: str, *args: str, lang: str = "zh") -> tuple[Path, dict]:
    target = tmp_path / f"{kind}.yml"
    if "--package" not in args:
        args = (*args, "--package", WHEEL)
    result = invoke(["--lang", lang, "ci-template", kind, "-o", str(target), *args],
                    env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return target, yaml.safe_load(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["gitlab", "github", "gitea"])
@pytest.mark.parametrize("shards", ["1", "3", "8"])
def test_each_template_passes_its_published_schema(tmp_path: Path, kind: str,
                                                    shards: str) -> None:
    target, _ = rendered(tmp_path, kind, "--shards", shards)
    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                              SCHEMAS[kind], str(target)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_gitlab_pipeline_checks_builds_in_shards_and_publishes(tmp_path: Path) -> None:
    target, data = rendered(tmp_path, "gitlab", "--shards", "3", "--materials", "台账/材料",
                            "--package", "git+https://git.example.gov.cn/dossier.git@v0.1.0")
    assert data["stages"] == ["check", "build", "publish"]
    assert data["variables"]["MATERIALS"] == "台账/材料"
    assert data["variables"]["DOSSIER_PACKAGE"] == (
        "git+https://git.example.gov.cn/dossier.git@v0.1.0")
    assert data["build"]["parallel"] == 3
    [command] = data["build"]["script"]
    assert '--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"' in command and "--all" in command
    assert data["check"]["artifacts"]["when"] == "always"
    assert set(data["check"]["artifacts"]["paths"]) >= {"check.json", "overview.html"}
    publish = "\n".join(data["publish"]["script"])
    assert "dossier merge dist/shard-*" in publish and "dossier verify" in publish
    assert data[".dossier"]["cache"]["paths"] == [".dossier-cache/"]
    # each shard keeps its own cache: it converts the same documents every run
    assert data["build"]["cache"]["key"] == "dossier-shard-$CI_NODE_INDEX"
    text = target.read_text(encoding="utf-8")
    assert "# 材料文件夹" in text  # the comments speak the interface language
    # one runner: no parallel (GitLab wants 2 or more), no --shard
    _, single = rendered(tmp_path, "gitlab", "--shards", "1")
    assert "parallel" not in single["build"] and "--shard" not in single["build"]["script"][0]


def test_the_github_and_gitea_workflows_have_the_same_shape(tmp_path: Path) -> None:
    _, github = rendered(tmp_path, "github", "--shards", "4")
    _, gitea = rendered(tmp_path, "gitea", "--shards", "4")
    for flow in (github, gitea):
        jobs = flow["jobs"]
        assert jobs["build"]["needs"] == "check" and jobs["publish"]["needs"] == "build"
        assert jobs["build"]["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]
        runs = [s.get("run", "") for s in jobs["build"]["steps"]]
        assert any('--shard "${{ matrix.shard }}/4"' in r for r in runs)
        assert any(s.get("uses", "").startswith("actions/cache@") for s in jobs["build"]["steps"])
        assert jobs["check"]["steps"][0]["with"]["lfs"] is True
    assert "onefile-windows" in github["jobs"] and "onefile-windows" not in gitea["jobs"]
    uses = {s.get("uses", "") for job in gitea["jobs"].values() for s in job["steps"]}
    assert "actions/upload-artifact@v3" in uses  # what Gitea's runners support
    windows = "\n".join(s.get("run", "") for s in github["jobs"]["onefile-windows"]["steps"])
    assert "python -m dossier.onefile --font" in windows


def test_gitattributes_puts_scans_in_lfs_and_english_is_a_choice(tmp_path: Path) -> None:
    result = invoke(["ci-template", "gitattributes"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# ") and "Git LFS" in lines[0]
    assert "*.[pP][dD][fF] filter=lfs diff=lfs merge=lfs -text" in lines
    english = invoke(["--lang", "en", "ci-template", "gitattributes"], env={"COLUMNS": "200"})
    assert "so that the repository stays small" in english.stdout


def test_the_package_must_be_named_as_pypi_has_another_dossier(tmp_path: Path) -> None:
    for kind in ("gitlab", "github", "gitea"):
        result = invoke(["ci-template", kind], env={"COLUMNS": "200"})
        assert result.exit_code == 2 and "--package" in result.stderr
        assert "PyPI 上名为 dossier 的是另一个项目" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_folder_as_the_target_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["ci-template", "gitlab", "-o", str(tmp_path), "--package", WHEEL],
                    env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "是文件夹" in result.stderr
    unknown = invoke(["ci-template", "jenkins"], env={"COLUMNS": "200"})
    assert unknown.exit_code == 2
