"""Which supported language a patient's reply is in, even when it is one word.

Order of evidence, cheapest and surest first: the script (Gurmukhi is Panjabi,
Cyrillic is Bulgarian...); letters only some languages use (ł, ș, ے, ژ...);
everyday words from words.txt (see lexicon.py); then character n-grams.
Language-neutral replies ("ok", "10", "haha", emoji) return code=None, or the
conversation's language (`prior`), which also wins whenever it is close. A word
several languages share ("nie", "super") is still answered, with the confidence
of a near tie, so callers acting only on a confident guess leave it alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from flows.language import ngrams
from flows.language.lexicon import ROMANISED, word_scores
from flows.language.text import arabic_key, arabic_plain, normalise, script_counts, script_of, words

SUPPORTED_LANGUAGES = ("en", "cy", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "it",
                       "lt", "zh", "ta", "fr", "tr", "bg", "so", "fa", "sk", "cs")
BY_SCRIPT = {"gurmukhi": "pa", "gujarati": "gu", "bengali": "bn", "tamil": "ta", "han": "zh",
             "cyrillic": "bg"}
LATIN = ("en", "cy", "pl", "ro", "pt", "es", "it", "lt", "fr", "tr", "so", "sk", "cs")
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
UNIVERSAL = frozenset({"ok", "okay", "okey", "oki", "taxi", "gp", "nhs", "covid", "sms", "app",
                       "online", "hi", "hello", "hey", "bye", "lol", "omg", "xd", "wow", "yay",
                       "ah", "oh", "eh", "uh", "um", "lmao"})
# Laughter, "hmm" and stretched "okkk"/"xx": the same in every language.
NEUTRAL = re.compile(r"(?:ha|he|hi|ja|je|ka){2,}h?|ha+h|he+h|h+m+|m{2,}|o*k+|ok+a*y+|x+"
                     r"|a+hh+|aa+h+|o+h+|u+m+")
NGRAM_SCALE = 0.35       # 1-, 2- and 3-grams overlap: about a third of their naive evidence
# Per word: romanised Urdu/Panjabi must earn their score in listed words; a tie goes
# to Urdu, as Panjabi speakers who do not write Gurmukhi mostly text in Urdu.
ROMANISED_GAP = {"ur": 1.5, "pa": 1.6}
SHAHMUKHI_GAP = 0.05     # per n-gram: Panjabi in Arabic script needs Panjabi words
AMBIGUOUS_MARGIN = 0.25  # closer than this (nats) with no listed word behind it: unsure
MAX_CHARS = 400          # a long reply is decided well before this
MAX_WORD = 40            # letters; anything longer is not a word
PRIOR_MARGIN = 4.0       # the conversation's language wins when this close to the best
# A tie ("nie", "ano", "super") goes to the language more patients write, in the
# order of SUPPORTED_LANGUAGES; small enough never to outvote one n-gram.
BASE_RATE = {code: 0.2 * (len(SUPPORTED_LANGUAGES) - i) / len(SUPPORTED_LANGUAGES)
             for i, code in enumerate(SUPPORTED_LANGUAGES)}


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None  # ISO 639-1 from SUPPORTED_LANGUAGES, or None when unsure
    confidence: float  # 0..1


UNSURE = LanguageGuess(None, 0.0)


def _latin_scores(tokens: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    likelihoods, found = ngrams.log_likelihoods(tokens, LATIN)
    scores = {code: NGRAM_SCALE * ll for code, ll in zip(LATIN, likelihoods, strict=True)}
    best = max(scores.values())
    for code in ROMANISED:
        scores[code] = best - ROMANISED_GAP[code] * len(tokens)
    listed = word_scores(tokens, LATIN + ROMANISED)
    for code, value in listed.items():
        scores[code] += value
    marked = {c for token in tokens for c in token if not c.isascii()}
    for code in scores:
        scores[code] -= 8.0 * len(marked - set(ALPHABETS[code]))
    return scores, listed


def _arabic_scores(tokens: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    tokens = [arabic_plain(t) for t in tokens]  # harakat are optional
    likelihoods, found = ngrams.log_likelihoods([ngrams.langdetect_form(t) for t in tokens],
                                                ARABIC)
    scores = {code: NGRAM_SCALE * ll for code, ll in zip(ARABIC, likelihoods, strict=True)}
    scores["pa"] = scores["ur"] - SHAHMUKHI_GAP * max(found, 1)
    listed = word_scores([arabic_key(t) for t in tokens], ARABIC + ("pa",))
    for code, value in listed.items():
        scores[code] += value
    letters = {c for token in tokens for c in token}
    for code, costs in ARABIC_COSTS.items():
        for group, cost in costs.items():
            scores[code] -= cost * len(letters & set(group))
    return scores, listed


def _decide(scores: dict[str, float], listed: dict[str, float],
            prior: str | None) -> LanguageGuess:
    """The best language, or the conversation's when it is close or its words fit as well;
    None for a near tie that no listed word supports."""
    scores = {code: value + BASE_RATE[code] for code, value in scores.items()}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    confidence = 1.0 / sum(math.exp(value - top) for value in scores.values())
    if prior in scores and (top - scores[prior] <= PRIOR_MARGIN
                            or listed[prior] >= max(listed.values()) > 0):
        return LanguageGuess(prior, max(confidence, 0.5))
    if top - runner_up < AMBIGUOUS_MARGIN and not listed[best]:
        return LanguageGuess(None, confidence)
    return LanguageGuess(best, confidence)


def detect(text: str, *, prior: str | None = None) -> LanguageGuess:
    """The language of a reply; code=None when it could be several (see module doc)."""
    if prior not in SUPPORTED_LANGUAGES:
        prior = None
    folded = normalise((text or "")[:MAX_CHARS])
    tokens = [t for t in words(folded)
              if len(t) <= MAX_WORD and t not in UNIVERSAL and not NEUTRAL.fullmatch(t)]
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
        return _decide(*_latin_scores(in_script), prior)
    if script == "arabic":
        return _decide(*_arabic_scores(in_script), prior)
    return UNSURE
