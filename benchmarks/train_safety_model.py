"""Rebuild the safety screener's second-opinion model (flows/safety/model.py).

    python benchmarks/train_safety_model.py          # fit, choose thresholds, save weights

Learns from every labelled reply (benchmarks/data/safety/eval.jsonl and
train.jsonl). Thresholds are chosen on out-of-fold scores: the labelled lines
are cut into contiguous blocks (whole batches, so a fold's wording was never
seen by the model that scores it), each block is scored by a model trained on
the others, and the thresholds are the ones that find the most disclosures and
urgent replies on top of the lexicon while precision stays high.
Repeatable: liblinear with a fixed seed, hashing with zlib.crc32; a rerun may
move a handful of weights by one thousandth (floating-point summation order).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.safety import CATEGORIES  # noqa: E402
from flows.safety.engine import _lexicon  # noqa: E402
from flows.safety.model import (  # noqa: E402
    DIM,
    Model,
    disclosure_needed,
    features,
    judged,
    urgent_needed,
    word_count,
)

DATA = Path(__file__).parent / "data" / "safety"
FOLDS = 8
C = 10.0
MIN_DF = 2
MIN_PRECISION = 0.92     # on out-of-fold lexicon+model; the product target is 0.80
MIN_BLIND_PRECISION = 0.85   # the same on train.jsonl, where the lexicon is not tuned
GRID = [round(0.30 + 0.025 * i, 3) for i in range(27)]   # 0.30 .. 0.95


def load_rows() -> list[dict]:
    """eval.jsonl then train.jsonl, in file order (folds are line blocks)."""
    rows = []
    for name in ("eval.jsonl", "train.jsonl", "train_more.jsonl"):
        text = (DATA / name).read_text(encoding="utf-8")
        rows += [json.loads(line) | {"file": name} for line in text.splitlines() if line]
    return rows


def matrix(feats: list[dict[int, float]]) -> csr_matrix:
    indptr, indices, data = [0], [], []
    for f in feats:
        indices += f.keys()
        data += f.values()
        indptr.append(len(indices))
    parts = (np.array(data), np.array(indices), np.array(indptr))
    return csr_matrix(parts, shape=(len(feats), DIM))


def labels(rows: list[dict], name: str) -> np.ndarray:
    if name.startswith("cat:"):
        return np.array([name[4:] in r["categories"] for r in rows], dtype=int)
    return np.array([bool(r[name]) for r in rows], dtype=int)


def fit(rows: list[dict], feats: list[dict], names, thresholds=None) -> Model:
    """One logistic regression per name over features seen in >= MIN_DF replies;
    weights rounded to what the weights file stores, so in memory == shipped."""
    x = matrix(feats)
    cols = np.flatnonzero(np.asarray((x > 0).sum(axis=0)).ravel() >= MIN_DF)
    xs = x[:, cols]
    weights = {}
    for name in names:
        y = labels(rows, name)
        balanced = "balanced" if name.startswith("cat:") else None
        lr = LogisticRegression(C=C, solver="liblinear", class_weight=balanced,
                                random_state=0, max_iter=1000)
        lr.fit(xs, y)
        coef = np.round(lr.coef_[0] * 1000) / 1000
        keep = np.flatnonzero(coef)
        weights[name] = (round(float(lr.intercept_[0]), 4),
                         {int(cols[i]): float(coef[i]) for i in keep})
    return Model(weights, thresholds or {})


def folds(n: int, k: int = FOLDS) -> list[range]:
    return [range(i * n // k, (i + 1) * n // k) for i in range(k)]


def out_of_fold(rows: list[dict], feats: list[dict], k: int = FOLDS) -> list[Model]:
    """For each fold, disclosure and urgent models trained on the other folds."""
    models = []
    for block in folds(len(rows), k):
        held = set(block)
        train = [i for i in range(len(rows)) if i not in held]
        models.append(fit([rows[i] for i in train], [feats[i] for i in train],
                          ("disclosure", "urgent")))
    return models


def oof_scores(rows, feats, models, k: int = FOLDS) -> list[tuple]:
    """Per reply: the lexicon's (screening, dismissed, not_now), its word
    count and the held-out model's disclosure and urgent probabilities."""
    scores = [None] * len(rows)
    for block, mdl in zip(folds(len(rows), k), models, strict=True):
        for i in block:
            words = word_count(rows[i]["text"])
            scored = judged(words)
            scores[i] = (*_lexicon(rows[i]["text"], rows[i]["lang"]), words,
                         mdl.prob("disclosure", feats[i]) if scored else 0.0,
                         mdl.prob("urgent", feats[i]) if scored else 0.0)
    return scores


def combined(scores, rows, th: dict) -> tuple[float, float, float, float]:
    """Recall, precision, urgent recall, urgent precision of lexicon+model at
    thresholds `th` (the same thresholds as engine.second_opinion, from model.py)."""
    tp = fp = fn = utp = ufp = ufn = 0
    for (lex, dismissed, not_now, words, pd, pu), r in zip(scores, rows, strict=True):
        disc = lex.disclosure or pd >= disclosure_needed(th, dismissed, words)
        urgent = lex.urgent or (disc and pu >= urgent_needed(th, not_now))
        tp += disc and r["disclosure"]
        fp += disc and not r["disclosure"]
        fn += r["disclosure"] and not disc
        utp += urgent and r["urgent"]
        ufp += urgent and not r["urgent"]
        ufn += r["urgent"] and not urgent
    return (tp / max(1, tp + fn), tp / max(1, tp + fp),
            utp / max(1, utp + ufn), utp / max(1, utp + ufp))


def _meets(scores, rows, blind, th, which: int) -> bool:
    """Precision (which=1) or urgent precision (3) is high enough overall and
    on the lines the lexicon was never tuned on (train.jsonl)."""
    if combined(scores, rows, th)[which] < MIN_PRECISION:
        return False
    sub = combined([scores[i] for i in blind], [rows[i] for i in blind], th)
    return sub[which] >= MIN_BLIND_PRECISION


def choose_thresholds(scores, rows) -> dict:
    """Disclosure thresholds first (most recall at high precision), then urgent
    ones (most urgent recall at high urgent precision); ties go to the higher
    thresholds, which are safer against false alarms."""
    blind = [i for i, r in enumerate(rows) if r["file"] == "train.jsonl"]
    th = {"urgent": 1.0, "urgent_not_now": 1.0}
    for names, which in ((("disclosure", "disclosure_dismissed"), 0),
                         (("urgent", "urgent_not_now"), 2)):
        best = None
        for t in GRID:
            for t_hi in (g for g in GRID if g >= t):
                trial = th | {names[0]: t, names[1]: t_hi}
                key = (round(combined(scores, rows, trial)[which], 4), t + t_hi)
                if (best is None or key > best[0]) and _meets(scores, rows, blind, trial,
                                                              which + 1):
                    best = key, trial
        th = best[1]
    return th


def main() -> None:
    rows = load_rows()
    feats = [features(r["text"]) for r in rows]
    scores = oof_scores(rows, feats, out_of_fold(rows, feats))
    th = choose_thresholds(scores, rows)
    rec, pre, urec, upre = combined(scores, rows, th)
    print(f"thresholds {th}")
    print(f"out-of-fold lexicon+model: recall {rec:.3f} precision {pre:.3f} "
          f"urgent recall {urec:.3f} urgent precision {upre:.3f}")
    names = ("disclosure", "urgent", *(f"cat:{c}" for c in CATEGORIES))
    mdl = fit(rows, feats, names, th)
    mdl.save()
    size = sum(len(w) for _, w in mdl.weights.values())
    print(f"saved {size} weights to flows/safety/model_weights.json.gz")


if __name__ == "__main__":
    main()
