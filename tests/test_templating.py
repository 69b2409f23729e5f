from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import TemplateError
from dossier.templating import make_environment, render


def test_user_templates_override_and_are_strict(tmp_path: Path) -> None:
    (tmp_path / "要求.md.j2").write_text("{{ ind.id }} {{ nope }}", encoding="utf-8")
    env = make_environment([tmp_path])
    with pytest.raises(TemplateError) as caught:
        render(env, "要求.md.j2", ind={"id": 1})
    assert caught.value.key == "template-undefined"
    assert caught.value.message.params["name"] == "nope"
    assert caught.value.message.params["template"].endswith("要求.md.j2")


def test_sandbox_blocks_unsafe_access(tmp_path: Path) -> None:
    (tmp_path / "evil.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render(make_environment([tmp_path]), "evil.j2")
    assert caught.value.key in ("template-failed", "template-undefined",
                                "template-undefined/unnamed")
    assert caught.value.message.params["detail"]  # jinja's words: kept, not shown


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render(make_environment([tmp_path]), "bad.j2")
    assert caught.value.key == "template-syntax" and caught.value.message.params["line"] == 2


def test_missing_template() -> None:
    with pytest.raises(TemplateError) as caught:
        render(make_environment(), "nothing.j2")
    assert caught.value.key == "template-missing"
    assert caught.value.message.params["template"] == "nothing.j2"
