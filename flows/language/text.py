"""Normalising a reply, telling which writing system it uses, and the looser forms
(no diacritics, no harakat, folded romanised spelling, stem) words are matched in.

The script alone settles most non-Latin languages, so it is decided first and
cheaply from code-point ranges (no unicodedata.name look-ups per character).
"""

from __future__ import annotations

import re
import unicodedata

# Code-point ranges of the scripts we care about; anything else is "other".
_RANGES = (
    (0x0041, 0x024F, "latin"), (0x1E00, 0x1EFF, "latin"),
    (0x0370, 0x03FF, "greek"), (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"), (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"), (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"), (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"), (0x0A80, 0x0AFF, "gujarati"), (0x0B80, 0x0BFF, "tamil"),
    (0x0E00, 0x0E7F, "thai"), (0x1100, 0x11FF, "hangul"), (0xAC00, 0xD7AF, "hangul"),
    (0x3040, 0x30FF, "kana"), (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"), (0x20000, 0x2FA1F, "han"),
)
_UNFOLDED = str.maketrans({"ł": "l", "ı": "i", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae",
                           "œ": "oe", "ş": "s", "ţ": "t"})


def script_of(char: str) -> str | None:
    """The script of one letter, None for anything that is not a letter we know."""
    point = ord(char)
    for low, high, name in _RANGES:
        if low <= point <= high:
            if name == "latin" and not char.isalpha():
                return None
            return name
    return None


def normalise(text: str) -> str:
    """NFC, case-folded; Turkish dotted capital I folds to a plain i."""
    folded = unicodedata.normalize("NFC", text).casefold().replace("i\u0307", "i")
    return folded.replace("\u0219", "ş").replace("\u021b", "ţ")  # one Romanian s/t form


def words(text: str) -> list[str]:
    """Runs of letters with their combining marks; apostrophes and digits split words."""
    out, current = [], []
    for char in text:
        if char in "\u200c\u200d" or unicodedata.category(char)[0] in "LM":
            current.append(char)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def strip_marks(word: str) -> str:
    """The word as typed on a keyboard without diacritics: "proszę" -> "prosze"."""
    decomposed = unicodedata.normalize("NFD", word.translate(_UNFOLDED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Harakat, tatweel and zero-width joiners are optional; hamza seats on alef are often
# left off. Hamza on yeh/waw (ئ ؤ) is kept: NFD would turn Urdu ئ into Arabic ي.
_ARABIC_OPTIONAL = dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200C, 0x200D])
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


def arabic_plain(word: str) -> str:
    """An Arabic-script word without optional marks, as n-gram profiles spell it."""
    return word.translate(_ARABIC_OPTIONAL)


def arabic_key(word: str) -> str:
    """An Arabic-script word for word-list look-up: no marks, every alef the same."""
    return word.translate(_ARABIC_OPTIONAL).translate(_ALEFS)


def romanised_key(word: str) -> str:
    """Romanised Urdu/Panjabi spelling folded: "achha", "acha", "accha" -> "acha"."""
    word = word.replace("ee", "i").replace("oo", "u").replace("w", "v")
    return "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])


def script_counts(text: str) -> dict[str, int]:
    """How many letters of each script; Han characters count double (one is a word)."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isascii():
            if char.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        name = script_of(char)
        if name:
            counts[name] = counts.get(name, 0) + (2 if name == "han" else 1)
    return counts


_ENDING = re.compile(r"[aeiouy]+s?$")


def stem(plain: str) -> str:
    """A long word (typed without marks) less its inflected ending, to match other forms
    of listed words: "maravillosa", "maravilloso" -> "maravillos"; "" for short ones."""
    if len(plain) < 6 or not plain.isascii():
        return ""
    cut = _ENDING.sub("", plain)
    return cut if len(cut) >= 4 else ""
