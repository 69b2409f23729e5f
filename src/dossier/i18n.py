"""Messages and languages. Library code describes what it has to say as data (a `Message`:
a key and the values the text needs); the text comes from one gettext catalogue
(`locale/<lang>/LC_MESSAGES/dossier.po`, compiled to `.mo` when the package is built) and
is rendered at the edge: the console, JSON, and the bound PDFs (always Chinese).

Templates are English msgids with named `{placeholders}`; `N_` marks them for Babel's
extraction. The registry of keys lives in `dossier.messages`."""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

DOMAIN = "dossier"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")  # the choices of --lang and DOSSIER_LANG
DEFAULT_LANGUAGE = "zh"  # this tool's users are Chinese offices
_CATALOGUES = {"zh": "zh_CN", "en": "en"}


def N_(text: str) -> str:
    """Marks a template for extraction; translated later, where it is rendered."""
    return text


@dataclass(frozen=True)
class Plural:
    """A template whose wording depends on a count (ngettext)."""

    singular: str
    plural: str
    count: str  # the parameter holding the count


Template = str | Plural


@dataclass(frozen=True)
class Message:
    """Something to tell a person: a registry key and the values its template needs.
    Values are text, numbers, sequences (joined the language's way) or other messages."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "params": plain(self.params)}


def msg(key: str, **params: Any) -> Message:
    return Message(key, params)


def plain(params: Mapping[str, Any]) -> dict[str, Any]:
    """Params as JSON values (nested messages as {key, params})."""
    def one(value: Any) -> Any:
        if isinstance(value, Message):
            return value.to_dict()
        if isinstance(value, (list, tuple)):
            return [one(v) for v in value]
        return value

    return {k: one(v) for k, v in params.items()}


def placeholders(template: str) -> frozenset[str]:
    """The named fields of a `str.format` template."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


class Translator:
    """Renders messages in one language."""

    def __init__(self, language: str, translations: gettext.NullTranslations,
                 lookup: Callable[[str], Template]) -> None:
        self.language = language
        self._t = translations
        self._lookup = lookup

    def gettext(self, text: str) -> str:
        return self._t.gettext(text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def __call__(self, text: str, **params: Any) -> str:
        """A UI string: translated, then filled in."""
        return self._fill(self.gettext(text), params)

    def plural(self, singular: str, plural: str, n: int, **params: Any) -> str:
        return self._fill(self.ngettext(singular, plural, n), {"n": n, **params})

    def render(self, message: Message) -> str:
        template = self._lookup(message.key)
        if isinstance(template, Plural):
            count = int(message.params[template.count])
            text = self.ngettext(template.singular, template.plural, count)
        else:
            text = self.gettext(template)
        return self._fill(text, message.params)

    def join(self, items: Any) -> str:
        return self.gettext(", ").join(self.value(i) for i in items)

    def value(self, value: Any) -> str:
        if isinstance(value, Message):
            return self.render(value)
        if isinstance(value, (list, tuple, frozenset, set)):
            return self.join(value)
        if value is None:
            return ""
        return str(value)

    def _fill(self, text: str, params: Mapping[str, Any]) -> str:
        return text.format_map({k: self.value(v) for k, v in params.items()})


@cache
def _translations(language: str) -> gettext.NullTranslations:
    catalogue = _CATALOGUES[language]
    mo = LOCALE_DIR / catalogue / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if language == "en" and not mo.exists():
        return gettext.NullTranslations()  # the msgids are English
    try:
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:
        raise CatalogueMissing(mo) from None


class CatalogueMissing(RuntimeError):
    """The compiled catalogue is absent: the package was not built (pip install . builds it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"message catalogue {path} is missing: reinstall dossier "
                         "(pip install .) to compile it; 消息目录缺失，请重新安装 dossier")
        self.path = path


@cache
def translator(language: str = DEFAULT_LANGUAGE) -> Translator:
    from dossier.messages import template  # the registry imports this module

    return Translator(language, _translations(language), template)


def pdf_text() -> Translator:
    """Text inside bound PDFs is always Chinese, whatever the interface language."""
    return translator("zh")


# -- choosing the language -------------------------------------------------------------

def language_of(tag: str | None) -> str | None:
    """'zh', 'en' or None for a locale or --lang value: zh_CN.UTF-8, zh-Hans, en_US, C …"""
    if not tag:
        return None
    head = re.split(r"[_.@\-\s(]", tag.strip(), maxsplit=1)[0].lower()
    if head in ("zh", "chinese"):
        return "zh"
    if head in ("en", "english"):
        return "en"
    return None


def _windows_ui_language() -> str | None:
    """Windows has no LANG: ask for the user's UI language, as Mercurial's i18n does."""
    if os.name != "nt":
        return None
    try:
        import ctypes
        import locale

        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 (only on Windows)
        return str(locale.windows_locale.get(int(kernel32.GetUserDefaultUILanguage()), ""))
    except Exception:  # no ctypes, no kernel32: fall back to the default
        return None


def choose_language(requested: str | None = None,
                    environ: Mapping[str, str] | None = None) -> str:
    """--lang, else DOSSIER_LANG, else the system locale (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG; the UI language on Windows), else Chinese. A locale that names neither language
    (C, POSIX, de_DE …) means Chinese too."""
    env = os.environ if environ is None else environ
    for tag in (requested, env.get("DOSSIER_LANG")):
        chosen = language_of(tag)
        if chosen:
            return chosen
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            first = value.split(":")[0]
            return language_of(first) or DEFAULT_LANGUAGE
    return language_of(_windows_ui_language()) or DEFAULT_LANGUAGE
