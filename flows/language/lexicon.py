"""Evidence from words.txt: how strongly one typed word points at each language.

A word counts fully as listed, a little less typed without its diacritics
("dziekuje"), less again with other diacritics or another ending of a listed
word ("maravillosa" for "maravilloso"), and romanised Urdu/Panjabi spellings are
folded ("achha", "accha" -> "acha") because nobody agrees how to write them.
Results are cached per word: replies reuse a few thousand words.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from flows.language.text import (
    arabic_key,
    normalise,
    romanised_key,
    script_of,
    stem,
    strip_marks,
    words,
)

ROMANISED = ("ur", "pa")  # the languages whose Latin spellings are folded
WORD_WEIGHT = 5.0        # a frequent word of the language, in nats
UNMARKED_WEIGHT = 4.0    # the same word typed without its diacritics
MISMARKED_WEIGHT = 1.5   # typed with other diacritics ("príjemní" for Czech "příjemní")
ROMANISED_WEIGHT = 3.5   # a looser romanised Urdu/Panjabi spelling ("achha" for "acha")
STEM_WEIGHT = 2.5        # another ending of a listed word ("maravillosa", "výborné")
WEAK = 0.5               # "code~:" lines: the word is less typical of that language
MAX_WORDS = 20           # a long reply is decided well before this

Table = dict[str, dict[str, float]]


@cache
def _tables() -> tuple[Table, Table, Table, Table]:
    """word -> {language: strength}: as written, unmarked, romanised key, stem."""
    listed: dict[tuple[str, str], float] = {}  # a "code~:" line overrides a plain one
    path = Path(__file__).with_name("words.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, entries = line.partition(":")
            code = code.strip()
            for word in words(normalise(entries)):
                if code.endswith("~"):
                    listed[code[:-1], word] = WEAK
                else:
                    listed.setdefault((code, word), 1.0)
    exact: Table = {}
    unmarked: Table = {}
    romanised: Table = {}
    stems: Table = {}

    def add(table: Table, key: str, code: str, strength: float) -> None:
        if key:
            entry = table.setdefault(key, {})
            entry[code] = max(entry.get(code, 0.0), strength)

    for (code, word), strength in listed.items():
        if script_of(word[0]) == "arabic":
            add(exact, arabic_key(word), code, strength)
            continue
        add(exact, word, code, strength)
        add(unmarked, strip_marks(word), code, strength)
        add(stems, stem(strip_marks(word)), code, strength)
        if code in ROMANISED:
            add(romanised, romanised_key(word), code, strength)
    return exact, unmarked, romanised, stems


@lru_cache(maxsize=8192)
def evidence(token: str) -> tuple[tuple[str, float], ...]:
    """(language, nats) for one normalised token (Arabic script: its arabic_key)."""
    exact, unmarked, romanised, stems = _tables()
    plain = token if script_of(token[0]) == "arabic" else strip_marks(token)
    found: dict[str, float] = {}  # later, surer matches overwrite earlier ones
    for code, strength in stems.get(stem(plain), {}).items():
        found[code] = strength * STEM_WEIGHT
    for code, strength in romanised.get(romanised_key(plain), {}).items():
        found[code] = strength * ROMANISED_WEIGHT
    weight = UNMARKED_WEIGHT if plain == token else MISMARKED_WEIGHT
    for code, strength in unmarked.get(plain, {}).items():
        found[code] = strength * weight
    for code, strength in exact.get(token, {}).items():
        found[code] = strength * WORD_WEIGHT
    return tuple(found.items())


def word_scores(tokens: list[str], languages: tuple[str, ...]) -> dict[str, float]:
    """Nats per language from the listed words among `tokens`."""
    scores = dict.fromkeys(languages, 0.0)
    for token in tokens[:MAX_WORDS]:
        for code, value in evidence(token):
            if code in scores:
                scores[code] += value
    return scores
