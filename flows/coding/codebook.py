"""The codebook as plain data: themes with keywords per language, and the
sentiment lexicon. The default lives in YAML beside this file; the host may
hand in an edited one (the staff app keeps it in the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flows import yamlio

HERE = Path(__file__).parent
SENTIMENTS = ("positive", "mixed", "negative", "none")


@dataclass(frozen=True)
class Theme:
    slug: str
    label: str
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)   # language -> words
    excluded: tuple[str, ...] = ()                                      # phrases that never count


@dataclass(frozen=True)
class Lexicon:
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    mixed: tuple[str, ...] = ()
    negators: tuple[str, ...] = ()
    yes: tuple[str, ...] = ()
    no: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    themes: tuple[Theme, ...]
    lexicons: dict[str, Lexicon]

    def slugs(self) -> list[str]:
        return [t.slug for t in self.themes]


def theme_from_dict(data: dict) -> Theme:
    keywords = {lang: tuple(str(w) for w in words or ())
                for lang, words in (data.get("keywords") or {}).items()}
    return Theme(slug=data["slug"], label=data.get("label") or data["slug"],
                 keywords=keywords, excluded=tuple(data.get("except") or ()))


def _lexicon(data: dict) -> Lexicon:
    return Lexicon(**{key: tuple(str(w) for w in data.get(key) or ())
                      for key in Lexicon.__dataclass_fields__})


@cache
def default_theme_dicts() -> tuple[dict, ...]:
    """The shipped themes, as the dictionaries the YAML holds (for seeding a database)."""
    return tuple(yamlio.load_file(HERE / "codebook.yaml")["themes"])


@cache
def default_lexicons() -> dict[str, Lexicon]:
    data = yamlio.load_file(HERE / "sentiment.yaml")
    return {lang: _lexicon(words) for lang, words in data.items()}


def default_codebook() -> Codebook:
    return Codebook(themes=tuple(theme_from_dict(d) for d in default_theme_dicts()),
                    lexicons=default_lexicons())


def with_themes(themes: list[Theme]) -> Codebook:
    """An edited set of themes with the shipped sentiment lexicon."""
    return Codebook(themes=tuple(themes), lexicons=default_lexicons())
