"""Character n-gram likelihoods from langdetect's bundled profiles.

langdetect itself samples n-grams at random and is slow for one-line replies;
reading its profiles and summing log-probabilities ourselves is deterministic,
restricted to the languages we support, and takes microseconds.
"""

from __future__ import annotations

import json
import math
from functools import cache, lru_cache
from pathlib import Path

SMOOTHING = 0.5 / 10000  # langdetect's own alpha / BASE_FREQ
MAX_CHARS = 100          # a long reply is decided well before this


def _profiles_directory() -> Path:
    import langdetect  # only for the location of its data files

    return Path(langdetect.__file__).parent / "profiles"


@cache
def table(languages: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """n-gram -> log P(n-gram | language) for each of `languages`, in that order."""
    profiles = []
    for code in languages:
        data = json.loads((_profiles_directory() / code).read_text(encoding="utf-8"))
        profiles.append((data["freq"], data["n_words"]))
    grams = {g.lower() for freq, _ in profiles for g in freq if len(g.lower()) == len(g)}
    out = {}
    for gram in grams:
        row = []
        for freq, totals in profiles:
            count = freq.get(gram, 0)
            capital = _capitalised(gram)
            if capital != gram:  # fold "Tak" into "tak": replies are case-folded
                count += freq.get(capital, 0)
            row.append(math.log(count / totals[len(gram) - 1] + SMOOTHING))
        out[gram] = tuple(row)
    return out


def _capitalised(gram: str) -> str:
    if gram.startswith(" "):
        return " " + gram[1:2].upper() + gram[2:]
    return gram[:1].upper() + gram[1:]


def langdetect_form(text: str) -> str:
    """Characters as langdetect's profiles spell them (Farsi yeh as Arabic yeh, etc.)."""
    return text.replace("\u06cc", "\u064a")


def grams_of(word: str) -> list[str]:
    """1-, 2- and 3-grams of one word padded with spaces, as langdetect extracts them."""
    padded = f" {word} "
    grams = [padded[i:i + n] for n in (2, 3) for i in range(len(padded) - n + 1)]
    return [*word, *grams]


@lru_cache(maxsize=8192)  # replies reuse a few thousand words; each costs ~50 us cold
def word_row(word: str, languages: tuple[str, ...]) -> tuple[tuple[float, ...], int]:
    """Log-likelihood of one word per language relative to the best, and n-grams known."""
    rows = table(languages)
    known = [rows[g] for g in grams_of(word) if g in rows]
    if not known:
        return (0.0,) * len(languages), 0
    sums = [sum(column) for column in zip(*known, strict=True)]
    best = max(sums)
    return tuple(value - best for value in sums), len(known)


def log_likelihoods(words: list[str], languages: tuple[str, ...]) -> tuple[list[float], int]:
    """Log-likelihood per language relative to the best, and how many n-grams were known."""
    totals = [0.0] * len(languages)
    found = used = 0
    for word in words:
        row, known = word_row(word, languages)
        if known:
            for i, value in enumerate(row):
                totals[i] += value
            found += known
        used += len(word) + 1
        if used >= MAX_CHARS:
            break
    return totals, found
