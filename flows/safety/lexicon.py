"""Load the per-language lexicons and pick which ones screen a reply.

The conversation language may be wrong and people mix languages, so English
always runs, the declared language runs, and so does every language whose
script or tell-tale letters appear in the reply; an unknown language code
runs them all. Lexicons are data (lexicons/<lang>.yaml), compiled once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.safety.text import Alternation, alternation, strip_marks
from flows.yamlio import load_file

HERE = Path(__file__).parent / "lexicons"
LANGS = ("en", "cy", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "it", "lt", "zh",
         "ta", "fr", "tr", "bg", "so", "fa", "sk", "cs")
# Script (first word of the Unicode name) -> languages written in it.
SCRIPTS = {"ARABIC": ("ar", "ur", "fa"), "BENGALI": ("bn",), "GURMUKHI": ("pa",),
           "GUJARATI": ("gu",), "TAMIL": ("ta",), "CJK": ("zh",), "CYRILLIC": ("bg",),
           "DEVANAGARI": ("pa", "ur")}
# Letters that give a Latin-script language away even when `lang` is wrong.
TELLS = {"ł": "pl", "ą": "pl", "ę": "pl", "ś": "pl", "ź": "pl", "ż": "pl", "ń": "pl",
         "ș": "ro", "ț": "ro", "ş": "tr", "ă": "ro", "ğ": "tr", "ı": "tr", "ř": "cs", "ě": "cs",
         "ů": "cs", "ľ": "sk", "ĺ": "sk", "ŕ": "sk", "ô": "sk", "ä": "sk", "ė": "lt", "į": "lt",
         "ų": "lt", "ū": "lt", "ŵ": "cy", "ŷ": "cy", "ã": "pt", "õ": "pt", "ñ": "es",
         "¿": "es", "¡": "es", "œ": "fr", "ç": "fr", "ò": "it", "ì": "it"}
_GROUPS = ("neg_pre", "neg_post", "clause", "hypothetical", "external", "mild", "past",
           "present", "resolved")


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    category: str
    urgent: str = ""          # "always", "now" (unless past), "present" (only if now), ""
    weak: bool = False        # generic harm word: needs the harm to come from the service
    negatable: bool = True
    unless: bool = False      # has cues that, in the same sentence, cancel it
    requires: bool = False    # has cues that must be in the same sentence


class Lexicon:
    def __init__(self, lang: str, data: dict):
        self.lang = lang
        defs = data.get("defs") or {}
        rules = data.get("rules") or ()
        self.rules = tuple(
            Rule(r["id"], r["cat"], r.get("urgent", ""), bool(r.get("weak", False)),
                 bool(r.get("neg", True)), bool(r.get("unless")), bool(r.get("requires")))
            for r in rules)
        tagged: list[tuple[object, str]] = []
        for group in _GROUPS:
            tagged += [(group, _expand(str(e), defs)) for e in data.get(group) or ()]
        for rule, r in zip(self.rules, rules, strict=True):
            tagged += [(rule, _expand(str(e), defs)) for e in r["p"]]
            tagged += [(("unless", rule.id), _expand(str(e), defs)) for e in r.get("unless") or ()]
            tagged += [(("requires", rule.id), _expand(str(e), defs))
                       for e in r.get("requires") or ()]
        self.matcher = Alternation(tagged)
        self.benign = alternation([_expand(str(e), defs) for e in data.get("benign") or ()])
        fuzzy = [strip_marks(w.casefold()) for w in data.get("fuzzy", ())]
        self._fix = _typo_table(fuzzy)
        self._known = frozenset(fuzzy) | frozenset(data.get("protect", ()))

    def correct(self, norm: str) -> str:
        """Replace likely typos of key words ("sucidal", "abussed") by the word."""
        if not self._fix:
            return norm
        words = norm.split(" ")
        changed = False
        for i, word in enumerate(words):
            if len(word) < 5 or word in self._known:
                continue
            hit = self._fix.get(word) or next(
                (self._fix[d] for d in _deletes(word) if d in self._fix), None)
            if hit and hit != word:
                words[i] = hit
                changed = True
        return " ".join(words) if changed else norm


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _typo_table(words) -> dict:
    """Symmetric-delete table: one edit from a key word maps back to it."""
    table: dict = {}
    for word in words:
        table.setdefault(word, word)
        for d in _deletes(word):
            table.setdefault(d, word)
    return table


def _expand(entry: str, defs: dict) -> str:
    for _ in range(3):
        if "{" not in entry:
            break
        for key, value in defs.items():
            entry = entry.replace("{" + key + "}", str(value))
    return entry


@cache
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang, load_file(HERE / f"{lang}.yaml") or {})


def _hinted(raw: str) -> set[str]:
    hinted: set[str] = set()
    for ch in set(raw):
        if ch.isascii() or not ch.isalpha():
            continue
        low = ch.lower()
        if low in TELLS:
            hinted.add(TELLS[low])
            continue
        name = unicodedata.name(ch, "").split(" ")[0]
        hinted.update(SCRIPTS.get(name, ()))
    return hinted


def lexicons_for(lang: str, raw: str) -> list[Lexicon]:
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    chosen = ["en"]
    if code in LANGS:
        chosen.append(code)
        chosen.extend(sorted(_hinted(raw)))
    else:
        chosen.extend(LANGS)
    return [lexicon(c) for c in dict.fromkeys(chosen) if c in _available()]


@cache
def _available() -> frozenset[str]:
    return frozenset(p.stem for p in HERE.glob("*.yaml"))
