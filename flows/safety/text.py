"""Normalise a reply so one lexicon entry matches what patients really type.

Lowercase, no accents or vowel marks (people drop them on phones), English
contractions without the apostrophe ("didn't" and "didnt" are the same),
sentence ends as " . " and commas as " , " (they bound negation scope), every
other symbol a space. Lexicon entries go through the same function, so both
sides always agree. Laughing emoji become "lol": a joke marker for hyperbole.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LAUGH = re.compile("[\U0001F602\U0001F923\U0001F606\U0001F605\U0001F61C\U0001F61D]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_CONTRACTION = re.compile(r"(?<=\w)'(?=(?:t|s|m|d|ll|re|ve)\b)")
_HARD = re.compile(r"[.!?;:\n\r\u2026\u3002\uff01\uff1f\uff1b\u061f\u06d4\u0964\u0965\u061b]+")
_SOFT = re.compile(r"[,\uff0c\u060c\u3001]+")
_OTHER = re.compile(r"[^\w.,\u0900-\u0dff]+")  # Indic vowel signs are not \w
# Arabic-script letters typed differently on Arabic, Urdu and Persian keyboards.
# Also letters that phone keyboards often lack (Turkish dotless i, Polish l).
_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                          "\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d"})
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r" {2,}")
_WORD = re.compile(r"[^ ]+")
# Scripts whose words are separated by spaces and which \w fully covers:
# lexicon entries in them get word boundaries; others match as substrings.
_BOUNDED = ("LATIN", "CYRILLIC", "GREEK")


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


def normalise(text: str) -> str:
    text = _LAUGH.sub(" lol ", text)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _CONTRACTION.sub("", text)
    text = strip_marks(text).translate(_LETTERS).replace("_", " ")
    text = _HARD.sub(" . ", text)
    text = _SOFT.sub(" , ", text)
    text = _OTHER.sub(" ", text)
    return " " + _SPACES.sub(" ", text).strip() + " "


def bounded(ch: str) -> bool:
    """True when a lexicon entry starting/ending with `ch` needs a word boundary."""
    if ch.isascii():
        return ch.isalnum()
    return ch.isalpha() and unicodedata.name(ch, "").startswith(_BOUNDED)


def _entry_body(entry: str) -> str:
    body = strip_marks(unicodedata.normalize("NFKC", entry).casefold()).translate(_LETTERS)
    body = body.replace("\u200c", " ").replace("\u200d", " ").replace("-", " ")
    body = re.sub(r"^(?:~+ )+|(?: ~+)+$", "", body.strip())
    return " ".join(body.replace("'", "").split())


def compile_entry(entry: str) -> str:
    """Lexicon mini-syntax to a regex: `~` skips up to 3 words, `~~` up to 6,
    `*` is any word ending, a leading `=` asks for a whole space-separated
    word in scripts matched as substrings; entries in spaced scripts
    (Latin, Cyrillic, Greek) always match whole words."""
    body = _entry_body(entry)
    whole = body.startswith("=")
    body = body.lstrip("=")
    if _CJK.search(body):           # no spaces between words: skip characters
        body = body.replace(" ~~ ", "[^ .,]{0,12}").replace(" ~ ", "[^ .,]{0,6}")
    body = body.replace(" ~~ ", " (?:[^ .,]+ ){0,6}").replace(" ~ ", " (?:[^ .,]+ ){0,3}")
    body = body.replace("*", r"\w*")
    letters = [c for c in body if c.isalnum()]
    if whole:
        return f"(?<![^ ])(?:{body})(?![^ ])"
    head = r"(?<!\w)" if letters and bounded(letters[0]) else ""
    tail = r"(?!\w)" if letters and bounded(letters[-1]) and not body.endswith("*") else ""
    return f"{head}(?:{body}){tail}"


def _split_top(src: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(src):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(src[start:i])
            start = i + 1
    parts.append(src[start:])
    return parts


def _closing(src: str) -> int:
    depth = 0
    for i, ch in enumerate(src):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return i
    return -1


def first_chunks(src: str) -> set[tuple[str, bool]] | None:
    """Literal beginnings one of which must start a match of `src`, each with
    True when it is a whole word; None when there is no such literal."""
    chunks: set[tuple[str, bool]] = set()
    for alt in _split_top(src):
        alt = alt.strip()
        if alt.startswith("("):
            close = _closing(alt)
            if close < 0 or alt[close + 1:close + 2] in ("?", "*", "{"):
                return None
            inner = alt[1:close]
            found = first_chunks(inner[2:] if inner.startswith("?:") else inner)
            if found and alt[close + 1:close + 2] not in ("", " "):
                found = {(lit, False) for lit, _ in found}
        else:
            m = re.match(r"[^ ()\[\]|?*+{}\\.~^$]+", alt)
            lit = m.group() if m else ""
            follow = alt[len(lit):len(lit) + 1]
            if follow in ("?", "*", "{", "+"):
                lit = lit[:-1]
            found = {(lit, follow in ("", " "))} if len(lit) >= 2 else None
        if found is None:
            return None
        chunks |= found
    return chunks


@lru_cache(maxsize=256)
def words(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((m.start(), m.group()) for m in _WORD.finditer(text))


class Alternation:
    """Tagged lexicon entries, matched in one pass. Regex alternations are slow
    in Python, so an entry that starts a word is only tried where a word is
    (or starts with) one of its literal beginnings; other entries only when
    one of those beginnings occurs in the text at all."""

    def __init__(self, tagged: list[tuple[object, str]]):
        self.exact: dict[str, list[tuple[object, re.Pattern]]] = {}
        self.prefix: dict[str, list[tuple[object, re.Pattern]]] = {}
        self.scan: list[tuple[object, re.Pattern, tuple[str, ...] | None]] = []
        for tag, entry in tagged:
            body = _entry_body(entry)
            pattern = re.compile(compile_entry(entry))
            chunks = first_chunks(body.lstrip("=").replace(" ~~ ", " ").replace(" ~ ", " "))
            if chunks and pattern.pattern.startswith(r"(?<!\w)"):
                for lit, whole in chunks:
                    (self.exact if whole else self.prefix).setdefault(lit, []).append(
                        (tag, pattern))
            else:
                self.scan.append((tag, pattern, tuple(c for c, _ in chunks) if chunks else None))
        self.by_head: dict[str, list[tuple[str, object, re.Pattern]]] = {}
        for lit, entries in self.prefix.items():
            for tag, pattern in entries:
                self.by_head.setdefault(lit[:2], []).append((lit, tag, pattern))

    def tagged(self, text: str):
        """(tag, match) for every entry that matches somewhere in `text`."""
        exact, by_head = self.exact, self.by_head
        for pos, word in words(text):
            candidates = exact.get(word)
            if candidates:
                for tag, pattern in candidates:
                    m = pattern.match(text, pos)
                    if m:
                        yield tag, m
            heads = by_head.get(word[:2])
            if heads:
                for lit, tag, pattern in heads:
                    if word.startswith(lit):
                        m = pattern.match(text, pos)
                        if m:
                            yield tag, m
        for tag, pattern, chunks in self.scan:
            if chunks is None or any(c in text for c in chunks):
                for m in pattern.finditer(text):
                    yield tag, m

    def collect(self, text: str) -> dict[object, list[tuple[int, int]]]:
        found: dict[object, list[tuple[int, int]]] = {}
        for tag, m in self.tagged(text):
            found.setdefault(tag, []).append((m.start(), m.end()))
        return {tag: sorted(set(spans)) for tag, spans in found.items()}

    def finditer(self, text: str):
        return (m for _tag, m in self.tagged(text))

    def search(self, text: str):
        return next(self.finditer(text), None)

    def sub(self, repl, text: str) -> str:
        spans = sorted(((m.start(), -m.end(), m) for m in self.finditer(text)),
                       key=lambda s: s[:2])
        out, last = [], 0
        for start, neg_end, m in spans:
            if start >= last:
                out.append(text[last:start])
                out.append(repl(m))
                last = -neg_end
        out.append(text[last:])
        return "".join(out)


def alternation(entries: list[str] | None) -> Alternation | None:
    return Alternation([(None, e) for e in entries]) if entries else None
