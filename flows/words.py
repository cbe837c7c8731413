"""Reading short replies: commands (STOP, SKIP...) and coded answers.

Commands count only when they are the whole message, so "stop making me
wait" is an answer, not an opt-out. Vocabulary comes from the catalogue's
keywords.yaml for the conversation's language, plus English.
"""

from __future__ import annotations

import re
import unicodedata

from flows.catalogue import SOURCE_LANGUAGE, Catalogue

COMMANDS = ("stop", "start", "skip", "help", "restart", "continue", "language")
_NUMBER = re.compile(r"^\s*(\d{1,2})\b")
_NO_SPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI")


def normalise(text: str) -> str:
    """Lower case, no punctuation, symbols or apostrophes, single spaces."""
    kept = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        category = unicodedata.category(char)
        if category[0] in "LMN":
            kept.append(char)
        elif char in "'’`":
            continue
        else:
            kept.append(" ")
    return " ".join("".join(kept).split())


def word_count(text: str) -> int:
    """Words, counting two characters as a word in scripts written without spaces."""
    words = normalise(text).split()
    count = 0
    for word in words:
        unspaced = any(unicodedata.name(c, "").startswith(_NO_SPACE_SCRIPTS) for c in word)
        count += max(1, len(word) // 2) if unspaced else 1
    return count


_PHRASES: dict[tuple[int, str, str], tuple[Catalogue, frozenset[str]]] = {}


def _phrases(catalogue: Catalogue, lang: str, kind: str) -> frozenset[str]:
    """Normalised once per (catalogue, language, kind): every turn asks several times."""
    cached = _PHRASES.get((id(catalogue), lang, kind))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    langs = {lang, SOURCE_LANGUAGE}
    phrases = frozenset(normalise(w) for code in langs for w in catalogue.words(code, kind))
    _PHRASES[(id(catalogue), lang, kind)] = (catalogue, phrases)
    return phrases


def command(text: str, lang: str, catalogue: Catalogue) -> str | None:
    said = normalise(text)
    if not said:
        return None
    for name in COMMANDS:
        if said in _phrases(catalogue, lang, name):
            return name
    return None


def _leading(said: str, phrases: set[str]) -> int:
    """Length in words of the longest phrase the reply starts with (0: none)."""
    words = said.split()
    for n in range(min(4, len(words)), 0, -1):
        if " ".join(words[:n]) in phrases:
            return n
    return 0


def _best_code(said: str, table: dict[str, set[str]]) -> str | None:
    best, length = None, 0
    for code, phrases in table.items():
        n = _leading(said, phrases)
        if n > length:
            best, length = code, n
    return best


def code_yes_no(text: str, lang: str, catalogue: Catalogue) -> str | None:
    table = {k: _phrases(catalogue, lang, k) for k in ("yes", "no", "partly", "unsure")}
    return _best_code(normalise(text), table)


RATING_BY_NUMBER = {1: "very_poor", 2: "poor", 3: "neither", 4: "good", 5: "very_good"}


def code_rating(text: str, lang: str, catalogue: Catalogue) -> str | None:
    number = _NUMBER.match(text)
    if number and int(number.group(1)) in RATING_BY_NUMBER:
        return RATING_BY_NUMBER[int(number.group(1))]
    table: dict[str, set[str]] = {}
    for code_lang in {lang, SOURCE_LANGUAGE}:
        for code, words in catalogue.keywords.get(code_lang, {}).get("ratings", {}).items():
            table.setdefault(code, set()).update(normalise(w) for w in words)
    return _best_code(normalise(text), table)


def code_reply(text: str, coding: str, lang: str, catalogue: Catalogue) -> str | None:
    if coding == "yes_no":
        return code_yes_no(text, lang, catalogue)
    if coding == "rating":
        return code_rating(text, lang, catalogue)
    return None


def is_bare(text: str, lang: str, catalogue: Catalogue) -> bool:
    """A reply with no reason in it: one word, a number, or only answer vocabulary."""
    said = normalise(text)
    if word_count(text) <= 1:
        return True
    vocabulary = set().union(*(_phrases(catalogue, lang, k)
                               for k in ("yes", "no", "partly", "unsure")))
    for code_lang in {lang, SOURCE_LANGUAGE}:
        for words in catalogue.keywords.get(code_lang, {}).get("ratings", {}).values():
            vocabulary.update(normalise(w) for w in words)
    stripped = _NUMBER.sub("", said).strip()
    return not stripped or stripped in vocabulary or said in vocabulary


def choose_option(text: str, options: tuple[str, ...], labels: dict[str, str]) -> str | None:
    """The option a reply picks: its number, or its label written out."""
    said = normalise(text)
    if said.isdigit():
        index = int(said) - 1
        return options[index] if 0 <= index < len(options) else None
    for value in options:
        if said == normalise(labels[value]):
            return value
    return None


def hint_option(text: str, options: tuple[str, ...], lang: str, catalogue: Catalogue) -> str | None:
    """Code a free-text reply to an option by its hint words (e.g. "bus" -> travel)."""
    said = f" {normalise(text)} "
    for code_lang in (lang, SOURCE_LANGUAGE):
        hints = catalogue.keywords.get(code_lang, {}).get("dna_hints", {})
        for value in options:
            if any(f" {normalise(w)} " in said for w in hints.get(value, [])):
                return value
    return None
