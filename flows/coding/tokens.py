"""Words out of a patient's text, the same way for every script.

Python's `\\b` splits Bengali or Urdu words at their vowel signs, so we split
on whitespace and punctuation instead, and match keywords as token sequences.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def _is_separator(char: str) -> bool:
    if char == "&":                     # keep "A&E" one word
        return False
    return unicodedata.category(char)[0] in {"P", "Z", "S", "C"} and char != "'"


def tokens(text: str) -> list[str]:
    """Lower-cased words; "didn't" becomes "did not" so negation is one word."""
    text = unicodedata.normalize("NFC", text.translate(_APOSTROPHES)).casefold()
    text = text.replace("n't", " not").replace("can not", "cannot")
    words, current = [], []
    for char in text:
        if _is_separator(char):
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return [w.strip("'") for w in words if w.strip("'")]


@lru_cache(maxsize=8192)
def pattern(keyword: str) -> tuple[str, ...]:
    """A keyword as tokens; a trailing `*` on a word matches any ending (cached:
    every answer is matched against every keyword of the codebook)."""
    parts = []
    for word in keyword.casefold().split():
        star = word.endswith("*")
        core = tokens(word.rstrip("*"))
        if not core:
            continue
        if star:
            core[-1] += "*"
        parts.extend(core)
    return tuple(parts)


def _word_matches(word: str, want: str) -> bool:
    return word.startswith(want[:-1]) if want.endswith("*") else word == want


def find(words: list[str], keyword: tuple[str, ...]) -> list[int]:
    """Every position where the keyword's tokens start in `words`."""
    size = len(keyword)
    if not size:
        return []
    return [i for i in range(len(words) - size + 1)
            if all(_word_matches(words[i + k], keyword[k]) for k in range(size))]
