"""Accuracy and speed of flows.language.detect against plain (seeded) langdetect.

Run from the repository root:  python benchmarks/language_detection.py [--errors]

Replies come from benchmarks/data/language/<code>.txt. Buckets are by word count
(Han characters count two to a word). Where a language has fewer than 25 written
replies of 3+ words in a bucket, pairs of its own replies are joined (". ") to
fill it; those are marked "composed" in the counts. A fixed ~30% of replies
(crc32 of the text) is held out: it was never looked at while tuning.
"""

from __future__ import annotations

import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.language import SUPPORTED_LANGUAGES, detect  # noqa: E402
from flows.language.text import script_counts  # noqa: E402
from flows.words import word_count  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "language"
BUCKETS = ("1-2", "3-5", "6-15", "16+")
PER_BUCKET = 25


def bucket(text: str) -> str:
    n = word_count(text)
    return "1-2" if n <= 2 else "3-5" if n <= 5 else "6-15" if n <= 15 else "16+"


def _script(text: str) -> str:
    counts = script_counts(text)
    return max(counts, key=counts.get) if counts else ""


def held_out(text: str) -> bool:
    return zlib.crc32(text.encode("utf-8")) % 10 < 3


def load() -> list[tuple[str, str, str, bool]]:
    """(language, text, bucket, composed) for every reply."""
    items = []
    for code in SUPPORTED_LANGUAGES:
        lines = [line.strip() for line in (DATA / f"{code}.txt").read_text("utf-8").splitlines()]
        lines = [line for line in lines if line and not line.startswith("#")]
        by_bucket = defaultdict(list)
        for line in lines:
            by_bucket[bucket(line)].append(line)
            items.append((code, line, bucket(line), False))
        for step in range(1, len(lines)):
            for i in range(len(lines) - step):
                if _script(lines[i]) != _script(lines[i + step]):
                    continue  # Panjabi and Urdu files mix scripts: join like with like
                text = f"{lines[i]}. {lines[i + step]}"
                name = bucket(text)
                if name != "1-2" and len(by_bucket[name]) < PER_BUCKET:
                    by_bucket[name].append(text)
                    items.append((code, text, name, True))
            if all(len(by_bucket[b]) >= PER_BUCKET for b in BUCKETS[1:]):
                break
    return items


def langdetect_baseline():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)

    def guess(text: str) -> str | None:
        detector = factory.create()
        detector.append(text)
        try:
            candidates = detector.get_probabilities()
        except LangDetectException:
            return None
        for candidate in candidates:
            code = candidate.lang.split("-")[0]
            if code in SUPPORTED_LANGUAGES:
                return code
        return None

    return guess


def timed(function, texts):
    start = time.perf_counter()
    answers = [function(text) for text in texts]
    return answers, (time.perf_counter() - start) / len(texts) * 1e6


def cold_speed(texts):
    """Mean and 99th-percentile microseconds per call when no word was seen before."""
    from flows.language import lexicon, ngrams

    times = []
    for text in texts:
        lexicon.evidence.cache_clear()
        ngrams.word_row.cache_clear()
        start = time.perf_counter()
        detect(text)
        times.append((time.perf_counter() - start) * 1e6)
    return sum(times) / len(times), sorted(times)[int(len(times) * 0.99)]


def report(title, items, baseline, ours):
    print(f"\n{title}")
    print(f"{'bucket':<7}{'n':>6}{'langdetect':>12}{'detect':>9}{'abstained':>11}"
          f"{'coverage':>10}{'acc if answered':>17}")
    for name in (*BUCKETS, "3+", "all"):
        rows = [i for i, item in enumerate(items)
                if name == "all" or item[2] == name or (name == "3+" and item[2] != "1-2")]
        if not rows:
            continue
        n = len(rows)
        base = sum(baseline[i] == items[i][0] for i in rows) / n
        right = sum(ours[i] == items[i][0] for i in rows)
        abstained = sum(ours[i] is None for i in rows)
        answered = n - abstained
        print(f"{name:<7}{n:>6}{base:>12.1%}{right / n:>9.1%}{abstained:>11}"
              f"{answered / n:>10.1%}{(right / answered if answered else 0):>17.1%}")


def main() -> None:
    items = load()
    texts = [text for _, text, _, _ in items]
    baseline_fn = langdetect_baseline()
    baseline_fn("warm up"), detect("warm up")
    baseline, base_us = timed(baseline_fn, texts)
    guesses, ours_us = timed(detect, texts)
    ours = [g.code for g in guesses]
    composed = sum(1 for item in items if item[3])
    print(f"{len(items)} replies in {len(SUPPORTED_LANGUAGES)} languages "
          f"({composed} composed from two written replies)")
    tuned = [i for i, item in enumerate(items) if not held_out(item[1])]
    held = [i for i, item in enumerate(items) if held_out(item[1])]
    report("ALL", items, baseline, ours)
    report("TUNING PART", [items[i] for i in tuned], [baseline[i] for i in tuned],
           [ours[i] for i in tuned])
    report("HELD OUT (never tuned on)", [items[i] for i in held], [baseline[i] for i in held],
           [ours[i] for i in held])
    with_prior = [detect(t, prior=code).code == code for code, t, b, _ in items if b == "1-2"]
    print(f"\n1-2 words with the conversation's language as prior: "
          f"{sum(with_prior) / len(with_prior):.1%} of {len(with_prior)}")
    print(f"\nspeed: langdetect {base_us:.0f} us/call, detect {ours_us:.0f} us/call, "
          f"detect/langdetect = {ours_us / base_us:.2f}")
    cold_mean, cold_p99 = cold_speed(texts)
    print(f"speed with detect's per-word caches emptied before every call: "
          f"{cold_mean:.0f} us/call, 99th percentile {cold_p99:.0f} us")
    if "--errors" in sys.argv:  # only the tuning part: the held-out set stays unseen
        print("\nerrors (tuning part only):")
        for i in tuned:
            if ours[i] != items[i][0]:
                print(f"  {items[i][0]} -> {ours[i]}  [{items[i][2]}] {items[i][1][:70]}")


if __name__ == "__main__":
    main()
