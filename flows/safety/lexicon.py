"""Load the per-language lexicons and pick which ones screen a reply.

The conversation language may be wrong and people mix languages, so English
always runs, the declared language runs, and so does every language whose
script, tell-tale letters or tell-tale little words appear in the reply
(romanised Urdu in an English chat, Polish typed without its accents); an
unknown language code runs them all. Lexicons are data
(lexicons/<lang>.yaml, and <lang>.<theme>.yaml for a long one), compiled once.
"""

from __future__ import annotations

import re
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
# Little words that give a language away when it is typed in Latin letters
# without its accents, or romanised (Urdu, Panjabi, Bengali). None is English.
_SOUTH_ASIAN = ("ur", "pa")
WORD_TELLS = {
    **dict.fromkeys("mujhe mujhko mujhse nahi nahin hai hain mera meri mere karta karti "
                    "kardi karda raha rahi rahe bohat bohot bahut shohar shauhar khawind "
                    "khud jeena jeene marna marta marti maarta maarda marda saans seene "
                    "dard aur kya koi kabhi chahta chahti chahnda chahndi mainu mainoo "
                    "haan hoya ditti gayi nuksan vadhiya kutda kuttda jeen wala saas "
                    "theek acha bilkul dawai dawa".split(), _SOUTH_ASIAN),
    **dict.fromkeys("amake amar amay ami amra korche korechilo marche shami shashuri "
                    "bachchake bhalo nei hoyni".split(), ("bn",)),
    **dict.fromkeys("mnie sie bardzo juz zeby moja mojego mojej meza maz dziecko "
                    "pielegniarka lekarz chce zyc".split(), ("pl",)),
    **dict.fromkeys("foarte pentru sunt vreau sotul sotia copilul mea".split(), ("ro",)),
    **dict.fromkeys("que pero muy estoy porque nadie nunca quiero marido hija hijo "
                    "medico enfermera".split(), ("es", "pt")),
    **dict.fromkeys("nao muito minha ninguem tambem quero filho filha".split(), ("pt",)),
    "meu": ("pt", "ro"), "este": ("ro", "es", "pt"), "si": ("ro", "es", "it"),
    **dict.fromkeys("che sono mio molto perche nessuno marito figlio figlia infermiera "
                    "voglio".split(), ("it",)),
    **dict.fromkeys("je suis tres qui avec moi mari veux infirmiere personne".split(), ("fr",)),
    **dict.fromkeys("bana beni cok degil icin kocam annem istiyorum yok".split(), ("tr",)),
    **dict.fromkeys("mae yn fy dw roedd ddim gyda nhw eisiau rhagor".split(), ("cy",)),
    **dict.fromkeys("mane mano labai vyras noriu nenoriu".split(), ("lt",)),
    **dict.fromkeys("som mna chcem manzel velmi".split(), ("sk", "cs")),
    **dict.fromkeys("jsem chci neni mne".split(), ("cs",)),
    **dict.fromkeys("waxaan waxay ayaa ayay iyo wuu waa aan igu ninkaygu hooyaday".split(),
                    ("so",)),
}
_WORD = re.compile(r"[a-z]+")
_GROUPS = ("neg_pre", "neg_post", "clause", "hypothetical", "external", "mild", "past",
           "present", "resolved", "unneg",
           "aftermath")


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    category: str
    urgent: str = ""          # "always", "now" (unless past), "present" (only if now), ""
    weak: bool = False        # generic harm word: needs the harm to come from the service
    negatable: bool = True
    unless: bool = False      # has cues that, in the same sentence, cancel it
    requires: bool = False    # has cues that must be in the same sentence
    unless_before: bool = False   # cues that cancel it only before it ("the nurse... she")


class Lexicon:
    def __init__(self, lang: str, data: dict):
        self.lang = lang
        defs = data.get("defs") or {}
        rules = data.get("rules") or ()
        self.rules = tuple(
            Rule(r["id"], r["cat"], r.get("urgent", ""), bool(r.get("weak", False)),
                 bool(r.get("neg", True)), bool(r.get("unless")), bool(r.get("requires")),
                 bool(r.get("unless_before")))
            for r in rules)
        tagged: list[tuple[object, str]] = []
        for group in _GROUPS:
            tagged += [(group, _expand(str(e), defs)) for e in data.get(group) or ()]
        self.cues = list(tagged)
        for rule, r in zip(self.rules, rules, strict=True):
            tagged += [(rule, _expand(str(e), defs)) for e in r["p"]]
            tagged += [(("unless", rule.id), _expand(str(e), defs)) for e in r.get("unless") or ()]
            tagged += [(("requires", rule.id), _expand(str(e), defs))
                       for e in r.get("requires") or ()]
            tagged += [(("unless_before", rule.id), _expand(str(e), defs))
                       for e in r.get("unless_before") or ()]
        self.matcher = Alternation(tagged)
        self.benign = alternation([_expand(str(e), defs) for e in data.get("benign") or ()])
        fuzzy = [strip_marks(w.casefold()) for w in data.get("fuzzy", ())]
        self._fix = _typo_table(fuzzy)
        self._known = frozenset(fuzzy) | frozenset(data.get("protect", ()))
        self._respell = {str(k): str(v) for k, v in (data.get("respell") or {}).items()}
        self._seen: dict[str, str | None] = {}

    def correct(self, norm: str) -> str:
        """Replace text-speak ("dnt wanna") by the words, and likely typos of key
        words ("sucidal", "abussed") by the word."""
        if not self._fix and not self._respell:
            return norm
        words = norm.split(" ")
        changed = False
        for i, word in enumerate(words):
            spelt = self._respell.get(word)
            if spelt:
                words[i] = spelt
                changed = True
                continue
            if len(word) < 5 or word in self._known or not self._fix:
                continue
            hit = self._fixed(word)
            if hit and hit != word:
                words[i] = hit
                changed = True
        return " ".join(words) if changed else norm

    def _fixed(self, word: str) -> str | None:
        if word not in self._seen:
            if len(self._seen) > 50_000:   # a long-running server meets many words
                self._seen.clear()
            self._seen[word] = self._fix.get(word) or next(
                (self._fix[d] for d in _deletes(word) if d in self._fix), None)
        return self._seen[word]


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


def lexicon_data(lang: str) -> dict:
    """<lang>.yaml, plus any <lang>.<theme>.yaml beside it (English is split by
    theme to stay readable): lists are appended, mappings merged."""
    data = dict(load_file(HERE / f"{lang}.yaml") or {})
    for extra in sorted(HERE.glob(f"{lang}.*.yaml")):
        for key, value in (load_file(extra) or {}).items():
            if isinstance(value, dict):
                data[key] = {**(data.get(key) or {}), **value}
            else:
                data[key] = list(data.get(key) or ()) + list(value or ())
    return data


@cache
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang, lexicon_data(lang))


@cache
def shared_cues(langs: tuple[str, ...]) -> Alternation:
    """The cues (negation, past, clause...) of every lexicon screening a reply:
    a reply in Spanish screened by the Portuguese lexicon too must still see
    Spanish "nadie" as a denial."""
    return Alternation([cue for lang in langs for cue in lexicon(lang).cues])


def _hinted(raw: str) -> set[str]:
    hinted: set[str] = set()
    for word in set(_WORD.findall(strip_marks(raw.lower()))) & WORD_TELLS.keys():
        hinted.update(WORD_TELLS[word])
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
    return frozenset(p.name.split(".")[0] for p in HERE.glob("*.yaml"))
