"""Character n-gram likelihoods from langdetect's bundled profiles.

langdetect itself samples n-grams at random and is slow for one-line replies;
reading its profiles and summing log-probabilities ourselves is deterministic,
restricted to the languages we support, and takes microseconds.
"""

from __future__ import annotations

import json
import math
from functools import cache
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


def grams_of(words: list[str]) -> list[str]:
    """1-, 2- and 3-grams of each word padded with spaces, as langdetect extracts them."""
    out = []
    used = 0
    for word in words:
        padded = f" {word} "
        for i in range(len(padded)):
            for n in (1, 2, 3):
                if i + n <= len(padded):
                    gram = padded[i:i + n]
                    if gram != " " and not (n == 1 and gram == " "):
                        out.append(gram)
        used += len(word) + 1
        if used >= MAX_CHARS:
            break
    return out


def log_likelihoods(words: list[str], languages: tuple[str, ...]) -> tuple[list[float], int]:
    """Summed log-likelihood per language, and how many known n-grams contributed."""
    rows = table(languages)
    found = [rows[g] for g in grams_of(words) if g in rows]
    if not found:
        return [0.0] * len(languages), 0
    return [sum(column) for column in zip(*found, strict=True)], len(found)
