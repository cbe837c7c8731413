"""Automatic coding of one answer: which themes it mentions and how it feels.

Deliberately simple and inspectable (keyword lists an analyst can read and
edit), so a PALS or inclusion team can see why an answer got a code; an
analyst's recode always wins over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flows.coding.codebook import Codebook, Lexicon, Theme
from flows.coding.tokens import WordIndex, find, pattern, tokens, word_index

NEGATION_WINDOW = 3


@dataclass(frozen=True)
class Coding:
    themes: tuple[str, ...]
    sentiment: str          # positive | mixed | negative | none


def code_answer(text: str, lang: str, codebook: Codebook,
                outcome: str | None = None) -> Coding:
    """Themes from the answer's language's keywords plus English ones."""
    words = tokens(text or "")
    if not words:
        return Coding((), "none")
    languages = ("en",) if lang == "en" else ("en", lang)
    index = word_index(words)
    found = tuple(t.slug for t in codebook.themes if _mentions(words, index, t, languages))
    return Coding(found, sentiment(words, languages, codebook, outcome, index))


def _mentions(words: list[str], index: WordIndex, theme: Theme,
              languages: tuple[str, ...]) -> bool:
    masked = _mask(words, index, [pattern(p) for p in theme.excluded])
    if masked is not words:                # an excluded phrase was blanked out
        index = word_index(masked)
    return any(find(masked, pattern(k), index) for lang in languages
               for k in theme.keywords.get(lang, ()))


def _mask(words: list[str], index: WordIndex, phrases: list[tuple[str, ...]]) -> list[str]:
    """`words` with the excluded phrases blanked out (`words` itself if none occur)."""
    masked = words
    for phrase in phrases:
        for start in find(words, phrase, index):
            if masked is words:
                masked = list(words)
            for i in range(start, start + len(phrase)):
                masked[i] = "\0"
    return masked


def sentiment(words: list[str], languages: tuple[str, ...], codebook: Codebook,
              outcome: str | None = None, index: WordIndex | None = None) -> str:
    lexicons = tuple(codebook.lexicons[lang] for lang in languages
                     if lang in codebook.lexicons)
    index = word_index(words) if index is None else index
    positive = negative = mixed = 0
    used = [False] * len(words)
    negators = {n for lex in lexicons for n in lex.negators}
    for polarity, phrase in _entries(lexicons):
        for start in find(words, phrase, index):
            span = range(start, start + len(phrase))
            if any(used[i] for i in span):
                continue
            for i in span:
                used[i] = True
            if polarity == "mixed":
                mixed += 1
                continue
            if _negated(words, used, start, negators):
                if polarity == "negative" and outcome == "1C":
                    continue           # "no harm": a denial, not praise
                polarity = "negative" if polarity == "positive" else "positive"
            positive += polarity == "positive"
            negative += polarity == "negative"
    if (positive and negative) or mixed:
        return "mixed"
    if positive or negative:
        return "positive" if positive else "negative"
    return _bare(words, lexicons, outcome)


@lru_cache(maxsize=64)
def _entries(lexicons: tuple[Lexicon, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Longest phrases first, so "not really" is read before "not" (cached: the
    same lexicons serve every answer in a language)."""
    entries = [(polarity, pattern(w)) for lex in lexicons
               for polarity in ("positive", "negative", "mixed")
               for w in getattr(lex, polarity)]
    return tuple(sorted((e for e in entries if e[1]), key=lambda e: -len(e[1])))


def _negated(words: list[str], used: list[bool], start: int, negators: set[str]) -> bool:
    return any(words[i] in negators and not used[i]
               for i in range(max(0, start - NEGATION_WINDOW), start))


def _bare(words: list[str], lexicons: tuple[Lexicon, ...], outcome: str | None) -> str:
    """A yes or no with no other view: a yes to 1C reports harm; a no to it states none."""
    first = words[0]
    if any(first in lex.yes for lex in lexicons):
        return "negative" if outcome == "1C" else "positive"
    if any(first in lex.no for lex in lexicons):
        return "none" if outcome == "1C" else "negative"
    return "none"
