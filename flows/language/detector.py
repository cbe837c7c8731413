"""Which supported language a patient's reply is in, even when it is one word.

Order of evidence, cheapest and surest first: the script (Gurmukhi is Panjabi,
Cyrillic is Bulgarian...); letters only some languages use (ł, ș, ے, ژ...);
frequent words from words.txt; then character n-grams for everything else.
Replies that stay ambiguous ("ok", "no", "taxi") return code=None unless the
conversation's current language (`prior`) is one of the close candidates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.language import ngrams
from flows.language.text import normalise, script_counts, script_of, strip_marks, words

SUPPORTED_LANGUAGES = ("en", "cy", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "it",
                       "lt", "zh", "ta", "fr", "tr", "bg", "so", "fa", "sk", "cs")
BY_SCRIPT = {"gurmukhi": "pa", "gujarati": "gu", "bengali": "bn", "tamil": "ta", "han": "zh",
             "cyrillic": "bg"}
LATIN = ("en", "cy", "pl", "ro", "pt", "es", "it", "lt", "fr", "tr", "so", "sk", "cs")
ROMANISED = ("ur", "pa")  # Urdu and Panjabi typed in Latin letters: no n-gram profile
ARABIC = ("ar", "fa", "ur")  # langdetect profiles; Shahmukhi Panjabi is scored off Urdu
# Non-ASCII letters each Latin-script language writes; any other costs a penalty.
ALPHABETS = {
    "en": "éï", "cy": "âêîôûŵŷäëïöüáéíóúàèìòùẁẃỳý", "pl": "ąćęłńóśźż", "ro": "ăâîşţ",
    "pt": "áâãàçéêíóôõúü", "es": "áéíóúñü", "it": "àèéìíòóùú", "lt": "ąčęėįšųūž",
    "fr": "àâæçéèêëîïôœùûüÿ", "tr": "çğıöşüâîû", "so": "", "sk": "áäčďéíĺľňóôŕšťúýž",
    "cs": "áčďéěíňóřšťúůýž", "ur": "", "pa": "",
}
# Arabic-script letters that argue against a language: {language: {letters: cost}}.
ARABIC_COSTS = {
    "ar": {"پچژگڈٹڑںےۓہھ": 6.0, "یک": 3.0},
    "fa": {"ٹڈڑںےۓہ": 6.0, "ةى": 4.0, "يكھ": 2.0},
    "ur": {"ةىژ": 4.0, "يكه": 2.0},
    "pa": {"ةىژ": 4.0, "يكه": 2.0},
}
UNIVERSAL = frozenset({"ok", "okay", "okey", "okk", "k", "kk", "taxi", "gp", "nhs", "covid",
                       "sms", "app", "online", "hi", "hello", "hey", "bye", "lol", "xx", "x"})
WORD_WEIGHT = 5.0        # a frequent word of the language, in nats
UNMARKED_WEIGHT = 4.0    # the same word typed without its diacritics
NGRAM_SCALE = 0.35       # 1-, 2- and 3-grams overlap: about a third of their naive evidence
ROMANISED_GAP = 0.15     # per n-gram: romanised Urdu/Panjabi must earn their score in words
SHAHMUKHI_GAP = 0.05     # per n-gram: Panjabi in Arabic script needs Panjabi words
AMBIGUOUS_MARGIN = 0.5   # closer than this (nats) between the best two: unsure
PRIOR_MARGIN = 4.0       # the conversation's language wins when this close to the best


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None  # ISO 639-1 from SUPPORTED_LANGUAGES, or None when unsure
    confidence: float  # 0..1


UNSURE = LanguageGuess(None, 0.0)


@cache
def _lexicon() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """word -> languages, as written and with diacritics removed."""
    exact: dict[str, set[str]] = {}
    unmarked: dict[str, set[str]] = {}
    path = Path(__file__).with_name("words.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, listed = line.partition(":")
        for word in words(normalise(listed)):
            exact.setdefault(word, set()).add(code.strip())
            unmarked.setdefault(strip_marks(word), set()).add(code.strip())
    freeze = lambda table: {w: frozenset(c) for w, c in table.items()}  # noqa: E731
    return freeze(exact), freeze(unmarked)


def _word_scores(tokens: list[str], languages: tuple[str, ...]) -> dict[str, float]:
    exact, unmarked = _lexicon()
    scores = dict.fromkeys(languages, 0.0)
    for token in tokens:
        found, weight = exact.get(token), WORD_WEIGHT
        if found is None:
            found, weight = unmarked.get(strip_marks(token)), UNMARKED_WEIGHT
        for code in found or ():
            if code in scores:
                scores[code] += weight
    return scores


def _latin_scores(tokens: list[str]) -> dict[str, float]:
    likelihoods, found = ngrams.log_likelihoods(tokens, LATIN)
    scores = {code: NGRAM_SCALE * ll for code, ll in zip(LATIN, likelihoods, strict=True)}
    best = max(scores.values())
    for code in ROMANISED:
        scores[code] = best - ROMANISED_GAP * max(found, 1)
    for code, value in _word_scores(tokens, LATIN + ROMANISED).items():
        scores[code] += value
    marked = {c for token in tokens for c in token if not c.isascii()}
    for code in scores:
        scores[code] -= 8.0 * len(marked - set(ALPHABETS[code]))
    return scores


def _arabic_scores(tokens: list[str]) -> dict[str, float]:
    tokens = [strip_marks(t) for t in tokens]  # harakat are optional
    likelihoods, found = ngrams.log_likelihoods([ngrams.langdetect_form(t) for t in tokens],
                                                ARABIC)
    scores = {code: NGRAM_SCALE * ll for code, ll in zip(ARABIC, likelihoods, strict=True)}
    scores["pa"] = scores["ur"] - SHAHMUKHI_GAP * max(found, 1)
    for code, value in _word_scores(tokens, ("ar", "fa", "ur", "pa")).items():
        scores[code] += value
    letters = {c for token in tokens for c in token}
    for code, costs in ARABIC_COSTS.items():
        for group, cost in costs.items():
            scores[code] -= cost * len(letters & set(group))
    return scores


def _decide(scores: dict[str, float], prior: str | None) -> LanguageGuess:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    confidence = 1.0 / sum(math.exp(value - top) for value in scores.values())
    if prior in scores and top - scores[prior] <= PRIOR_MARGIN:
        return LanguageGuess(prior, max(confidence, 0.5))
    if top - runner_up < AMBIGUOUS_MARGIN:
        return LanguageGuess(None, confidence)
    return LanguageGuess(best, confidence)


def detect(text: str, *, prior: str | None = None) -> LanguageGuess:
    """The language of a reply; code=None when it could be several (see module doc)."""
    if prior not in SUPPORTED_LANGUAGES:
        prior = None
    folded = normalise(text or "")
    tokens = [t for t in words(folded) if t not in UNIVERSAL]
    counts = script_counts(" ".join(tokens))
    if not counts:  # numbers, emoji, "ok": consistent with any language
        return LanguageGuess(prior, 0.5) if prior else UNSURE
    script = max(counts, key=lambda name: (counts[name], name))
    if script in BY_SCRIPT:
        if script == "han" and counts.get("kana"):
            return UNSURE  # Japanese
        return LanguageGuess(BY_SCRIPT[script], 0.99)
    in_script = [t for t in tokens if script_of(t[0]) == script]
    if script == "latin":
        return _decide(_latin_scores(in_script), prior)
    if script == "arabic":
        return _decide(_arabic_scores(in_script), prior)
    return UNSURE
