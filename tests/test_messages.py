"""The message catalogue itself: every template the code can use has a Chinese and an
English text with the same placeholders, and the .po files hold everything the source
marks for translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dossier.findings import CODES
from dossier.hints import HINTS
from dossier.i18n import LOCALE_DIR, Plural, placeholders, translator
from dossier.messages import REGISTRY

ROOT = Path(__file__).resolve().parents[1]


def _catalogue(language: str) -> dict[str, object]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "dossier.po").open("rb") as fh:
        catalog = read_po(fh, locale=language)
    out: dict[str, object] = {}
    for message in catalog:
        if message.id:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            out[key] = message
    return out


def _templates() -> list[tuple[str, str]]:
    """(registry key or hint, English template) for every template."""
    items: list[tuple[str, str]] = []
    for key, template in REGISTRY.items():
        if isinstance(template, Plural):
            items += [(key, template.singular), (key, template.plural)]
        else:
            items.append((key, template))
    items += [(f"hint {key}", text) for key, text in HINTS.items()]
    return items


def test_every_finding_code_has_a_template() -> None:
    keys = set(REGISTRY)
    missing = [code for code in CODES if code not in keys
               and not any(k.startswith(code + "/") for k in keys)]
    assert not missing


@pytest.mark.parametrize("key,template", _templates(), ids=lambda v: str(v)[:40])
def test_template_in_both_languages_with_the_same_placeholders(key: str,
                                                               template: str) -> None:
    zh = _catalogue("zh_CN")
    en = _catalogue("en")
    singular = template
    if isinstance(REGISTRY.get(key), Plural):
        singular = REGISTRY[key].singular  # type: ignore[union-attr]
    assert singular in zh, f"{key}: no zh_CN entry (run scripts/catalogue)"
    assert singular in en, f"{key}: no en entry (run scripts/catalogue)"
    entry = zh[singular]
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)  # type: ignore[attr-defined]
    assert all(strings) and not entry.fuzzy, f"{key}: not translated"  # type: ignore[attr-defined]
    for text in strings:
        assert placeholders(text) == placeholders(template), (key, text)


def test_every_catalogue_entry_has_matching_placeholders() -> None:
    """UI strings of the console and CLI too, not only the registry."""
    for msgid, entry in _catalogue("zh_CN").items():
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)  # type: ignore[attr-defined]
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)  # type: ignore[attr-defined]
        for text in strings:
            assert text, f"not translated: {msgid!r}"
            assert placeholders(text) == placeholders(ids[0]), (msgid, text)


def test_po_files_hold_everything_the_source_marks() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogue"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_plural_forms() -> None:
    en, zh = translator("en"), translator("zh")
    assert en.plural("{n} indicator", "{n} indicators", 1) == "1 indicator"
    assert en.plural("{n} indicator", "{n} indicators", 3) == "3 indicators"
    assert "3" in zh.plural("{n} indicator", "{n} indicators", 3)
    assert "indicator" not in zh.plural("{n} indicator", "{n} indicators", 3)
