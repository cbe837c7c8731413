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
# Arabic-script letters typed differently on Arabic, Urdu and Persian keyboards
# (Urdu heh goal is often typed as the Arabic heh). Also letters that phone
# keyboards often lack (Turkish dotless i, Polish l).
_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                          "\u06c1": "\u0647", "\u06d5": "\u0647",
                          "\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d"})
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r" {2,}")
_WORD = re.compile(r"[^ ]+")
# Scripts whose words are separated by spaces and which \w fully covers:
# lexicon entries in them get word boundaries; others match as substrings.
_BOUNDED = ("LATIN", "CYRILLIC", "GREEK")


class _Marks(dict):
    """str.translate table that drops combining marks, filled as chars are met."""

    def __missing__(self, code: int):
        self[code] = None if unicodedata.category(chr(code)) == "Mn" else code
        return self[code]


_MARKS = _Marks()


def strip_marks(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", decomposed.translate(_MARKS))


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


_OPTIONAL = re.compile(r"(^|[ =])\((?:\?:)?([^()]*[^ ()])\)\? (?!\?)")
_GAP_OPTIONAL = re.compile(r" ~~? \((?:[^()]|\([^()]*\))*\)\?$")
_HYPHEN = re.compile(r"-(?![^\[]*\])")   # a hyphen outside a [a-z] character class


def _entry_body(entry: str) -> str:
    body = strip_marks(unicodedata.normalize("NFKC", entry).casefold()).translate(_LETTERS)
    body = _HYPHEN.sub(" ", body.replace("\u200c", " ").replace("\u200d", " "))
    body = re.sub(r"^(?:~+ )+|(?: ~+)+$", "", body.strip())
    return " ".join(body.replace("'", "").split())


def compile_entry(entry: str) -> str:
    """Lexicon mini-syntax to a regex: `~` skips up to 3 words, `~~` up to 6,
    `*` is any word ending, a leading `=` asks for a whole space-separated
    word in scripts matched as substrings; entries in spaced scripts
    (Latin, Cyrillic, Greek) always match whole words."""
    body = _entry_body(entry)
    gap_then_optional = bool(_GAP_OPTIONAL.search(body))
    # "a (b|c)? d" means "a d" too: the space belongs inside the optional group
    body = _OPTIONAL.sub(r"\1(?:(?:\2) )?", body)
    whole = body.startswith("=")
    body = body.lstrip("=")
    if _CJK.search(body):           # no spaces between words: skip characters
        body = body.replace(" ~~ ", "[^ .,]{0,12}").replace(" ~ ", "[^ .,]{0,6}")
    body = body.replace(" ~~ ", " (?:[^ .,]+ ){0,6}").replace(" ~ ", " (?:[^ .,]+ ){0,3}")
    # "(mi )?~ x": an optional group that ends in a space, then a gap
    body = body.replace(")?~~ ", ")?(?:[^ .,]+ ){0,6}").replace(")?~ ", ")?(?:[^ .,]+ ){0,3}")
    body = body.replace("*", r"\w*")
    letters = [c for c in body if c.isalnum()]
    if whole:
        return f"(?<![^ ])(?:{body})(?![^ ])"
    head = r"(?<!\w)" if letters and bounded(letters[0]) else ""
    tail = r"(?!\w)" if letters and bounded(letters[-1]) and not body.endswith("*") else ""
    if tail and gap_then_optional:   # "x ~ (y)?": the gap may end just past a space
        tail = r"(?:(?<= )|(?!\w))"
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
            whole = follow == "" or (follow == " " and alt[len(lit) + 1:len(lit) + 2] != "?")
            found = {(lit, whole)} if len(lit) >= 2 or (lit and whole) else None
        if found is None:
            return None
        chunks |= found
    return chunks


@lru_cache(maxsize=256)
def words(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((m.start(), m.group()) for m in _WORD.finditer(text))


def _after_first(body: str) -> str | None:
    """What follows an entry's first word, when that word is plainly followed
    by a space (so the next word is the next literal); else None."""
    if body.startswith("("):
        close = _closing(body)
        if close < 0 or re.search(r"[ ~?*+{\\\[]", body[1:close]):
            return None             # a group of several words, or of patterns
        rest = body[close + 1:]
    else:
        m = re.match(r"[^ ()\[\]|?*+{}\\.~^$]+", body)
        rest = body[len(m.group()):] if m else ""
    if not rest.startswith(" ") or rest.startswith(" ~"):
        return None
    return rest[1:]


_LITERAL = re.compile(r"[^ ()\[\]|?*+{}\\.~^$]+( [^ ()\[\]|?*+{}\\.~^$]+)*")


def _first_two(body: str):
    """For an entry that opens with a group of plain words ("(dont see the|no)
    point"), each alternative's first word with the word that must follow it;
    None when the entry does not open that way."""
    if not body.startswith("("):
        return None
    close = _closing(body)
    if close < 0:
        return None
    rest = body[close + 1:]
    if rest and (not rest.startswith(" ") or rest.startswith(" ~")):
        return None
    alts = _split_top(body[1:close])
    if not all(_LITERAL.fullmatch(alt) for alt in alts):
        return None
    after = first_chunks(rest[1:]) if rest else None
    pairs = []
    for alt in alts:
        head, _, tail = alt.partition(" ")
        pairs.append((head, True, {(tail.split(" ")[0], True)} if tail else after))
    return pairs


class _Next:
    """Entries that begin with one whole word, indexed again by the word after
    it, so a common first word ("my", "i") only tries the entries whose second
    word is the one actually there."""

    def __init__(self):
        self.any: list[tuple[object, re.Pattern]] = []
        self.exact: dict[str, list[tuple[object, re.Pattern]]] = {}
        self.prefix: dict[str, list[tuple[str, object, re.Pattern]]] = {}

    def add(self, tag, pattern: re.Pattern, second: set[tuple[str, bool]] | None) -> None:
        if not second:
            self.any.append((tag, pattern))
            return
        for lit, whole in second:
            if whole:
                self.exact.setdefault(lit, []).append((tag, pattern))
            else:
                self.prefix.setdefault(lit[:2], []).append((lit, tag, pattern))

    def candidates(self, after: str):
        yield from self.any
        yield from self.exact.get(after, ())
        for lit, tag, pattern in self.prefix.get(after[:2], ()):
            if after.startswith(lit):
                yield tag, pattern


class Alternation:
    """Tagged lexicon entries, matched in one pass. Regex alternations are slow
    in Python, so an entry that starts a word is only tried where a word is
    (or starts with) one of its literal beginnings; other entries only when
    one of those beginnings occurs in the text at all."""

    def __init__(self, tagged: list[tuple[object, str]]):
        self.exact: dict[str, _Next] = {}
        self.prefix: dict[str, list[tuple[object, re.Pattern]]] = {}
        self.scan: list[tuple[object, re.Pattern, tuple[str, ...] | None]] = []
        for tag, entry in tagged:
            body = _entry_body(entry)
            pattern = re.compile(compile_entry(entry))
            chunks = first_chunks(body.lstrip("=").replace(" ~~ ", " ").replace(" ~ ", " "))
            if chunks and pattern.pattern.startswith(r"(?<!\w)"):
                pairs = _first_two(body.lstrip("="))
                if pairs is None:
                    second = first_chunks(_after_first(body.lstrip("=")) or "")
                    pairs = [(lit, whole, second) for lit, whole in chunks]
                for lit, whole, second in pairs:
                    if whole:
                        self.exact.setdefault(lit, _Next()).add(tag, pattern, second)
                    else:
                        self.prefix.setdefault(lit, []).append((tag, pattern))
            else:
                self.scan.append((tag, pattern, tuple(c for c, _ in chunks) if chunks else None))
        self.by_head: dict[str, list[tuple[str, object, re.Pattern]]] = {}
        for lit, entries in self.prefix.items():
            for tag, pattern in entries:
                self.by_head.setdefault(lit[:2], []).append((lit, tag, pattern))

    def tagged(self, text: str):
        """(tag, start, end) for every entry that matches somewhere in `text`."""
        exact, by_head = self.exact, self.by_head
        found = words(text)
        for i, (pos, word) in enumerate(found):
            node = exact.get(word)
            if node:
                after = found[i + 1][1] if i + 1 < len(found) else ""
                for tag, pattern in node.candidates(after):
                    m = pattern.match(text, pos)
                    if m:
                        yield tag, m.start(), m.end()
            heads = by_head.get(word[:2])
            if heads:
                for lit, tag, pattern in heads:
                    if word.startswith(lit):
                        m = pattern.match(text, pos)
                        if m:
                            yield tag, m.start(), m.end()
        for tag, pattern, chunks in self.scan:
            if chunks is None or any(c in text for c in chunks):
                for m in pattern.finditer(text):
                    yield tag, m.start(), m.end()

    def collect(self, text: str) -> dict[object, list[tuple[int, int]]]:
        found: dict[object, list[tuple[int, int]]] = {}
        for tag, start, end in self.tagged(text):
            found.setdefault(tag, []).append((start, end))
        return {tag: sorted(set(spans)) for tag, spans in found.items()}

    def search(self, text: str) -> tuple[int, int] | None:
        return next(((start, end) for _tag, start, end in self.tagged(text)), None)

    def sub(self, repl, text: str) -> str:
        """Replace every matched span (longest first where they overlap) by
        repl(matched text)."""
        spans = sorted((start, -end) for _tag, start, end in self.tagged(text))
        out, last = [], 0
        for start, neg_end in spans:
            if start >= last:
                out.append(text[last:start])
                out.append(repl(text[start:-neg_end]))
                last = -neg_end
        out.append(text[last:])
        return "".join(out)


def alternation(entries: list[str] | None) -> Alternation | None:
    return Alternation([(None, e) for e in entries]) if entries else None
