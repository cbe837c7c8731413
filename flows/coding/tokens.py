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


WordIndex = dict[str, list[int]]


def word_index(words: list[str]) -> WordIndex:
    """Where each distinct word of an answer stands. An answer is matched against
    hundreds of keywords; with this, `find` goes straight to the places where a
    keyword's first word occurs instead of trying every position of the answer."""
    index: WordIndex = {}
    for position, word in enumerate(words):
        index.setdefault(word, []).append(position)
    return index


def _first_word_at(index: WordIndex, want: str) -> list[int]:
    """The positions (in order) of the words `want` matches (`want*`: any ending)."""
    if not want.endswith("*"):
        return index.get(want, [])
    stem = want[:-1]
    return sorted(p for word, at in index.items() if word.startswith(stem) for p in at)


def find(words: list[str], keyword: tuple[str, ...],
         index: WordIndex | None = None) -> list[int]:
    """Every position where the keyword's tokens start in `words` (`index`, from
    `word_index(words)`, saves rebuilding it when one answer meets many keywords)."""
    size = len(keyword)
    if not size:
        return []
    last = len(words) - size
    starts = _first_word_at(word_index(words) if index is None else index, keyword[0])
    return [i for i in starts if i <= last
            and all(_word_matches(words[i + k], keyword[k]) for k in range(1, size))]
