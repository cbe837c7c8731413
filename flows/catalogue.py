"""The message catalogue: every patient-facing sentence, per language.

Texts live in gettext `.po` files (monolingual: msgid is the key) so that a
translator or Weblate can review them; nothing here knows any sentence.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from flows import yamlio

CATALOGUE_DIR = Path(__file__).parent / "catalogue"
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str
    english: str
    native: str
    dir: str
    review: str


class _Params(dict):
    """Leaves an unknown placeholder visible instead of failing a turn."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue:
    """Texts by language and key, with English as the fallback of last resort."""

    def __init__(self, texts: dict[str, dict[str, str]], languages: dict[str, Language],
                 keywords: dict[str, dict]):
        self.texts = texts
        self.languages = languages
        self.keywords = keywords

    def has(self, lang: str) -> bool:
        return lang in self.texts

    def defines(self, key: str) -> bool:
        """Whether the source language has this key (variants exist only where written)."""
        return key in self.texts[SOURCE_LANGUAGE]

    def raw(self, key: str, lang: str) -> str:
        text = self.texts.get(lang, {}).get(key) or self.texts[SOURCE_LANGUAGE].get(key)
        if text is None:
            raise KeyError(f"catalogue has no message {key!r}")
        return text

    def text(self, key: str, lang: str, params: dict[str, str] | None = None) -> str:
        values = _Params(params or {})
        if "pals" not in values and "pals_phone" in values:
            values["pals"] = string.Formatter().vformat(
                self.raw("pals.details", lang), (), values)
        return string.Formatter().vformat(self.raw(key, lang), (), values)

    def missing(self, lang: str) -> list[str]:
        """Keys English has that `lang` lacks (shown in English to its speakers)."""
        own = self.texts.get(lang, {})
        return [key for key in self.texts[SOURCE_LANGUAGE] if not own.get(key)]

    def words(self, lang: str, kind: str) -> list[str]:
        return list(self.keywords.get(lang, {}).get(kind, []))


def _read_texts(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


@cache
def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Read every `<lang>.po`, the language list and the keyword lists once."""
    texts = {p.stem: _read_texts(p) for p in sorted(directory.glob("*.po"))}
    meta = yamlio.load_file(directory / "languages.yaml") or {}
    languages = {code: Language(code=code, **info) for code, info in meta.items()}
    keywords = {path.stem: yamlio.load_file(path) or {}
                for path in sorted((directory / "keywords").glob("*.yaml"))}
    return Catalogue(texts, languages, keywords)
