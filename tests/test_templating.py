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


def test_html_templates_are_autoescaped_and_others_are_not(tmp_path: Path) -> None:
    for name in ("page.html.j2", "page.html", "page.md.j2", "page.yaml.j2"):
        (tmp_path / name).write_text("{{ text }}", encoding="utf-8")
    env = make_environment([tmp_path])
    evil = "<script>alert('x')</script>&.pdf"
    for name in ("page.html.j2", "page.html"):
        shown = render(env, name, text=evil)
        assert "<script>" not in shown
        assert shown == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;.pdf"
    for name in ("page.md.j2", "page.yaml.j2"):
        assert render(env, name, text=evil) == evil
    assert env.from_string("{{ text }}").render(text=evil) == evil
