"""How far automatic codes agree with hand codes: per-theme precision and
recall, micro-F1 over themes, and Cohen's kappa for sentiment. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float | None:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else None

    @property
    def recall(self) -> float | None:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else None


@dataclass(frozen=True)
class Agreement:
    items: int
    themes: list[ThemeScore]
    micro_precision: float | None
    micro_recall: float | None
    micro_f1: float | None
    exact_theme_sets: float | None        # share of answers whose whole set agrees
    sentiment_accuracy: float | None
    sentiment_kappa: float | None


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def theme_scores(pairs: list[tuple[set[str], set[str]]], themes: list[str]) -> list[ThemeScore]:
    """`pairs` are (hand, auto) theme sets for the same answers."""
    return [ThemeScore(theme,
                       sum(1 for hand, auto in pairs if theme in hand and theme in auto),
                       sum(1 for hand, auto in pairs if theme not in hand and theme in auto),
                       sum(1 for hand, auto in pairs if theme in hand and theme not in auto))
            for theme in themes]


def cohen_kappa(hand: list[str], auto: list[str]) -> float | None:
    """Agreement beyond chance; None when chance agreement is total (nothing to say)."""
    n = len(hand)
    if not n:
        return None
    observed = sum(h == a for h, a in zip(hand, auto, strict=True)) / n
    hand_counts, auto_counts = Counter(hand), Counter(auto)
    expected = sum(hand_counts[k] * auto_counts[k] for k in hand_counts) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def agreement(hand_themes: list[set[str]], auto_themes: list[set[str]],
              hand_sentiment: list[str], auto_sentiment: list[str],
              themes: list[str]) -> Agreement:
    pairs = list(zip(hand_themes, auto_themes, strict=True))
    scores = theme_scores(pairs, themes)
    tp = sum(s.true_positive for s in scores)
    fp = sum(s.false_positive for s in scores)
    fn = sum(s.false_negative for s in scores)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    same = sum(h == a for h, a in zip(hand_sentiment, auto_sentiment, strict=True))
    return Agreement(
        items=len(pairs), themes=scores, micro_precision=precision, micro_recall=recall,
        micro_f1=f1, exact_theme_sets=_ratio(sum(h == a for h, a in pairs), len(pairs)),
        sentiment_accuracy=_ratio(same, len(hand_sentiment)),
        sentiment_kappa=cohen_kappa(hand_sentiment, auto_sentiment))
