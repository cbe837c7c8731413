"""The screening rules: a trigger counts unless its own clause denies it.

A lexicon rule fires on a phrase; it is then dropped only when the clause
denies it ("nobody was rude"), when it is explicitly hypothetical, when a
weak (generic) harm word has a cause outside the service or is the normal
discomfort of a procedure, or when self-harm / domestic abuse is past and
resolved. Harm caused by the service is a disclosure even when resolved.
Every lexicon screening a reply sees the cues (negation, past, clause...) of
all of them, so Spanish "nadie" still denies a word the Portuguese lexicon
found in a Spanish reply.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from flows.safety import model
from flows.safety.lexicon import Lexicon, Rule, lexicons_for, shared_cues
from flows.safety.text import normalise, words

CATEGORIES = ("physical_harm", "clinical_error", "neglect", "abuse_by_staff", "domestic_abuse",
              "self_harm_suicide", "discrimination", "sexual_misconduct", "child_safeguarding",
              "threat_to_others", "data_breach_privacy")
_RESOLVABLE = {"self_harm_suicide", "domestic_abuse"}
MAX_CHARS = 4000
_STOP = re.compile(r"\.")
_COMMA = re.compile(",")


@dataclass(frozen=True)
class Screening:
    disclosure: bool
    urgent: bool
    categories: tuple[str, ...]   # subset of CATEGORIES, in CATEGORIES order
    evidence: tuple[str, ...]     # the phrases/rules that fired, for staff to see why


NOTHING = Screening(False, False, (), ())


class _Text:
    """A normalised reply, its sentence and clause boundaries, and where every
    lexicon entry (trigger or cue) matched: all found in one pass, so asking
    "is this trigger negated?" is a look-up of cue spans in a window."""

    def __init__(self, norm: str, lex: Lexicon, shared: dict | None = None):
        self.norm = norm
        self.found = lex.matcher.collect(norm)
        for tag, spans in (shared or {}).items():
            self.found[tag] = sorted(set(self.found.get(tag, ())) | set(spans))
        _shadow(self.found, "present", "resolved")   # "teraz jest dobrze": "now" is the resolution
        _shadow(self.found, "neg_pre", "unneg")      # "cant stop thinking about": no denial
        _shadow(self.found, "present", "aftermath")  # "still upsets me": the feeling, not the harm
        self.sentences = [0] + [m.end() + 1 for m in _STOP.finditer(norm)]
        marks = {0, *self.sentences, *(m.end() + 1 for m in _COMMA.finditer(norm))}
        marks.update(start for start, _ in self.found.get("clause", ()))
        self.clauses = sorted(marks)
        self.starts = [pos for pos, _ in words(norm)]

    def _bounds(self, marks: list[int], start: int, end: int) -> tuple[int, int]:
        left = marks[bisect.bisect_right(marks, start) - 1]
        k = bisect.bisect_left(marks, end)
        right = marks[k] - 1 if k < len(marks) else len(self.norm)
        return left, right

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self._bounds(self.sentences, start, end)

    def before(self, start: int, count: int) -> tuple[int, int]:
        left, _ = self._bounds(self.clauses, start, start)
        k = bisect.bisect_left(self.starts, start)
        return max(left, self.starts[max(0, k - count)] if k else 0), start

    def after(self, end: int, count: int) -> tuple[int, int]:
        _, right = self._bounds(self.clauses, end, end)
        k = bisect.bisect_right(self.starts, end) + count
        return end, min(right, self.starts[k] if k < len(self.starts) else len(self.norm))

    def starts_in(self, tag, window: tuple[int, int]) -> bool:
        spans = self.found.get(tag)
        if not spans:
            return False
        k = bisect.bisect_left(spans, (window[0], -1))
        return k < len(spans) and spans[k][0] < window[1]

    def has(self, tag, window: tuple[int, int]) -> bool:
        spans = self.found.get(tag)
        if not spans:
            return False
        a, b = window
        k = bisect.bisect_left(spans, (a, -1))
        while k < len(spans) and spans[k][0] < b:
            if spans[k][1] <= b + 1:
                return True
            k += 1
        return False


def _shadow(found: dict, tag: str, by: str) -> None:
    """Drop `tag` spans that lie inside a `by` span."""
    spans, covers = found.get(tag), found.get(by)
    if spans and covers:
        kept = [s for s in spans if not any(a <= s[0] and s[1] <= b for a, b in covers)]
        if kept:
            found[tag] = kept
        else:
            del found[tag]


def _keep(rule: Rule, t: _Text, start: int, end: int) -> bool:
    before = t.before(start, 6)
    if rule.negatable and (t.has("neg_pre", before) or t.has("neg_post", t.after(end, 4))):
        return False
    if t.starts_in("hypothetical", before):
        return False
    sentence = t.sentence(start, end)
    if rule.unless and t.has(("unless", rule.id), sentence):
        return False
    if rule.unless_before and t.has(("unless_before", rule.id), (sentence[0], start)):
        return False
    if rule.requires and not t.has(("requires", rule.id), sentence):
        return False
    if rule.weak and (t.has("external", sentence) or t.has("mild", sentence)):
        return False
    if rule.category in _RESOLVABLE and t.has("past", sentence) and t.has("resolved", sentence):
        return t.has("present", sentence)
    return True


def _urgent(rule: Rule, t: _Text, sentence: tuple[int, int]) -> bool:
    if rule.urgent == "always":
        return True
    if rule.urgent == "now":
        return not t.has("past", sentence) or t.has("present", sentence)
    if rule.urgent == "present":
        return t.has("present", sentence)
    return False


def screen(text: str, lang: str) -> Screening:
    """Screen one free-text reply; `lang` is the conversation language.
    The lexicon decides first; the model (flows/safety/model.py) may add a
    disclosure or urgency it missed, never take one away."""
    return screen_with(model.default(), text, lang)


def screen_with(mdl: model.Model | None, text: str, lang: str) -> Screening:
    """The lexicon and a given model (the shipped one, or a benchmark's fold)."""
    result, dismissed, not_now = _lexicon(text, lang)
    if not isinstance(text, str) or not text.strip():
        return result
    return second_opinion(result, text, mdl, dismissed, not_now)


def screen_lexicon(text: str, lang: str) -> Screening:
    """The lexicon alone (for benchmarks and for comparing the two)."""
    return _lexicon(text, lang)[0]


def second_opinion(result: Screening, text: str, mdl: model.Model | None,
                   dismissed: bool = False, not_now: bool = False) -> Screening:
    """Add what the model is confident the lexicon missed. Where the lexicon
    made an explicit judgement the model needs a higher score to overrule it:
    a trigger it dismissed (a denial, a joke, a cause outside the service)
    or a harm it found but judged past ("my ex used to hit me")."""
    words = model.word_count(text)
    if mdl is None or result.urgent or not model.judged(words):
        return result
    feats = model.features(text)
    th = mdl.thresholds
    evidence = list(result.evidence)
    cats = set(result.categories)
    disclosure = result.disclosure
    if not disclosure:
        p = mdl.prob("disclosure", feats)
        if p < model.disclosure_needed(th, dismissed, words):
            return result
        disclosure = True
        evidence.append(f"model:disclosure {p:.2f}")
        for p_cat, cat in mdl.categories(feats)[:1]:
            cats.add(cat)
            evidence.append(f"model:{cat} {p_cat:.2f}")
    p_urgent = mdl.prob("urgent", feats)
    urgent = p_urgent >= model.urgent_needed(th, not_now)
    if urgent:
        evidence.append(f"model:urgent {p_urgent:.2f}")
    return Screening(disclosure, urgent, tuple(c for c in CATEGORIES if c in cats),
                     tuple(evidence))


def _lexicon(text: str, lang: str) -> tuple[Screening, bool, bool]:
    """The lexicon's screening, whether it dismissed a trigger it saw, and
    whether it judged a harm that can be urgent to be past."""
    if not isinstance(text, str) or not text.strip():
        return NOTHING, False, False
    raw = text[:MAX_CHARS]
    norm = normalise(raw)
    found: dict[str, bool] = {}
    evidence: list[str] = []
    denied = not_now = False
    lexes = lexicons_for(lang, raw)
    cues = shared_cues(tuple(lex.lang for lex in lexes)) if len(lexes) > 1 else None
    shared: dict[str, dict] = {}
    for lex in lexes:
        masked = corrected = lex.correct(norm)
        if lex.benign:
            masked = lex.benign.sub(lambda found: "_" * len(found), masked)
            denied = denied or masked != corrected
        if cues is not None and masked not in shared:
            shared[masked] = cues.collect(masked)
        t = _Text(masked, lex, shared.get(masked))
        for rule in lex.rules:
            for start, end in t.found.get(rule, ()):
                if not _keep(rule, t, start, end):
                    denied = True
                    continue
                urgent = _urgent(rule, t, t.sentence(start, end))
                not_now = not_now or (rule.urgent in ("now", "present") and not urgent)
                found[rule.category] = found.get(rule.category, False) or urgent
                evidence.append(f'{lex.lang}:{rule.id} "{masked[start:end].strip()}"'
                                + (" (urgent)" if urgent else ""))
                break
    if not found:
        return NOTHING, denied, not_now
    cats = tuple(c for c in CATEGORIES if c in found)
    result = Screening(True, any(found.values()), cats, tuple(dict.fromkeys(evidence)))
    return result, denied, not_now
