"""A small offline classifier: the screener's second opinion on unseen wording.

The lexicon only finds the wording someone thought of; patients keep finding
new ways to say the same thing ("I just want to go to sleep and not wake up").
This model scores the reply's character n-grams and words with logistic
regression weights learnt from our labelled replies, so wording close to a
known disclosure scores high even when no lexicon entry matches.

Pure standard library (zlib, gzip, json, math): features are hashed with
zlib.crc32 (stable across runs and machines, unlike hash()), the weights are
read once, lazily, from model_weights.json.gz next to this file. Rebuild the
weights with `python benchmarks/train_safety_model.py`.
"""

from __future__ import annotations

import gzip
import json
import math
import zlib
from functools import lru_cache
from pathlib import Path

from flows.safety.text import normalise

DIM = 1 << 20
CHAR_NGRAMS = (3, 4, 5)
MAX_CHARS = 4000
MIN_WORDS = 3
SHORT_WORDS = 7          # below this, a reply needs SHORT_THRESHOLD to be flagged
SHORT_THRESHOLD = 0.8    # "The bus stops right outside": a few n-grams must not decide
WEIGHTS = Path(__file__).with_name("model_weights.json.gz")
_SCALE = 1000.0   # weights are stored as integers: thousandths


def _index(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (DIM - 1)


def features(text: str) -> dict[int, float]:
    """Hashed, L2-normalised counts of word-padded character 3-5-grams, words
    and word pairs: the same function builds training rows and scores replies."""
    norm = normalise(text[:MAX_CHARS])
    toks = [w for w in norm.split() if w not in (".", ",")]
    counts: dict[int, float] = {}
    grams = [f"w:{w}" for w in toks]
    grams += [f"b:{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
    for word in toks:
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    for gram in grams:
        key = _index(gram)
        counts[key] = counts.get(key, 0.0) + 1.0
    norm2 = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {k: v / norm2 for k, v in counts.items()}


def judged(words: int) -> bool:
    """Whether a reply has enough words for the model to judge: on one or two
    words ("Hi", "Margate") a few n-grams decide everything, so those are
    left to the lexicon."""
    return words >= MIN_WORDS


def disclosure_needed(thresholds: dict[str, float], dismissed: bool, words: int) -> float:
    """The score that flags a disclosure the lexicon missed: higher where the
    lexicon dismissed a trigger, and never below SHORT_THRESHOLD on a short reply."""
    needed = thresholds["disclosure_dismissed" if dismissed else "disclosure"]
    return max(needed, SHORT_THRESHOLD) if words < SHORT_WORDS else needed


def urgent_needed(thresholds: dict[str, float], not_now: bool) -> float:
    """The score that makes a disclosure urgent: higher where the lexicon
    judged the harm to be past."""
    return thresholds["urgent_not_now" if not_now else "urgent"]


def word_count(text: str) -> int:
    return len([w for w in normalise(text[:MAX_CHARS]).split() if w not in (".", ",")])


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class Model:
    """Logistic regressions over one feature space: `disclosure`, `urgent`
    and one per category (`cat:<name>`), plus thresholds chosen by
    cross-validation (see benchmarks/train_safety_model.py)."""

    def __init__(self, weights: dict[str, tuple[float, dict[int, float]]],
                 thresholds: dict[str, float]):
        self.weights = weights
        self.thresholds = thresholds

    def prob(self, name: str, feats: dict[int, float]) -> float:
        bias, w = self.weights[name]
        return _sigmoid(bias + sum(v * w.get(k, 0.0) for k, v in feats.items()))

    def categories(self, feats: dict[int, float]) -> list[tuple[float, str]]:
        """Per-category probabilities, most probable first."""
        scored = [(self.prob(name, feats), name[4:]) for name in self.weights
                  if name.startswith("cat:")]
        return sorted(scored, reverse=True)

    def to_json(self) -> dict:
        models = {}
        for name, (bias, w) in self.weights.items():
            keys = sorted(k for k, v in w.items() if round(v * _SCALE))
            deltas = [b - a for a, b in zip([0, *keys], keys, strict=False)]
            models[name] = {"bias": bias, "delta": deltas,
                            "w": [round(w[k] * _SCALE) for k in keys]}
        return {"dim": DIM, "ngrams": list(CHAR_NGRAMS), "thresholds": self.thresholds,
                "models": models}

    @classmethod
    def from_json(cls, data: dict) -> Model:
        if data["dim"] != DIM or tuple(data["ngrams"]) != CHAR_NGRAMS:
            raise ValueError("weights were built for other features; retrain")
        weights = {}
        for name, m in data["models"].items():
            keys, pos = [], 0
            for d in m["delta"]:
                pos += d
                keys.append(pos)
            weights[name] = (m["bias"], {k: v / _SCALE for k, v in zip(keys, m["w"], strict=True)})
        return cls(weights, data["thresholds"])

    def save(self, path: Path = WEIGHTS) -> None:
        raw = json.dumps(self.to_json(), separators=(",", ":")).encode("utf-8")
        path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))


@lru_cache(maxsize=1)
def default() -> Model | None:
    """The shipped weights, read once; None when the file is missing, so the
    screener falls back to the lexicon alone rather than failing."""
    if not WEIGHTS.exists():
        return None
    return Model.from_json(json.loads(gzip.decompress(WEIGHTS.read_bytes())))
