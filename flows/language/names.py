"""A patient naming the language they want ("polski", "in Urdu please", "中文").

Names live in names.txt; matching ignores case, diacritics and punctuation, and
tolerates a few polite filler words around the name but nothing else, so
"I don't speak English" is not a choice of English.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flows.language.text import normalise, strip_marks, words

_HARAKAT = dict.fromkeys([*range(0x064B, 0x0660), 0x0670])
FILLER = frozenset("""
in into to the a my language lang please pls plz thanks thank you i id would like want prefer
speak talk write use can could we change switch only is it its yes ok okay just
prosze po na jezyk jezyku chce chcialbym chcialabym dziekuje
limba in vreau va rog te rog
em lingua por favor quero prefiro obrigado obrigada
en idioma lengua quiero prefiero gracias espanol
lingua in italiano voglio per favore grazie
kalba noriu prasau lietuviskai
je veux parle parler en langue sil vous plait svp merci le la
dil lutfen istiyorum ile
af ku fadlan waxaan rabaa
chci prosim chcem prosim v po jazyk jazyku
mujhe main chahta chahti hoon hai mein zaban zuban zabaan bolna
""".split())


@cache
def _names() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(code -> (English, native)), (normalised spelling -> code)."""
    menu: dict[str, tuple[str, str]] = {}
    spellings: dict[str, str] = {}
    for line in Path(__file__).with_name("names.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, english, native, others = (part.strip() for part in line.split("|"))
        menu[code] = (english, native)
        for name in (english, native, *others.split(",")):
            key = _key(name)
            if key:
                spellings[key] = code
    return menu, spellings


def _key(text: str) -> str:
    return " ".join(strip_marks(w) if _latin(w) else w.translate(_HARAKAT)
                    for w in words(normalise(text)))


def _latin(word: str) -> bool:
    return all(ord(c) < 0x250 for c in word)


def match_language_name(text: str) -> str | None:
    """The code of the language named in `text`, or None if it names none (or several)."""
    tokens = _key(text or "").split()
    if not tokens or len(tokens) > 8:
        return None
    _, spellings = _names()
    found: set[str] = set()
    used = [False] * len(tokens)
    for size in (3, 2, 1):  # longest names first: "af soomaali", "limba romana"
        for start in range(len(tokens) - size + 1):
            if any(used[start:start + size]):
                continue
            code = spellings.get(" ".join(tokens[start:start + size]))
            if code:
                found.add(code)
                used[start:start + size] = [True] * size
    leftovers = [t for t, u in zip(tokens, used, strict=True) if not u]
    if len(found) != 1 or any(t not in FILLER for t in leftovers):
        return None
    return found.pop()


LANGUAGE_NAMES: dict[str, tuple[str, str]] = _names()[0]  # code -> (English, native), for menus
