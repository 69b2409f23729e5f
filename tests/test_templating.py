from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import TemplateError
from dossier.templating import make_environment, render


def test_user_templates_override_and_are_strict(tmp_path: Path) -> None:
    (tmp_path / "要求.md.j2").write_text("{{ ind.id }} {{ nope }}", encoding="utf-8")
    env = make_environment([tmp_path])
    with pytest.raises(TemplateError, match="nope"):
        render(env, "要求.md.j2", ind={"id": 1})


def test_sandbox_blocks_unsafe_access(tmp_path: Path) -> None:
    (tmp_path / "evil.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(TemplateError):
        render(make_environment([tmp_path]), "evil.j2")


def test_missing_template() -> None:
    with pytest.raises(TemplateError, match=r"nothing\.j2"):
        render(make_environment(), "nothing.j2")
