"""How well flows.safety.screen finds disclosures, on our labelled replies.

    python benchmarks/safety_screening.py            # the figures
    python benchmarks/safety_screening.py --misses   # also list tuned-split errors
    python benchmarks/safety_screening.py --errors   # list errors on both splits

The set (benchmarks/data/safety/eval.jsonl) has a held-out split of replies
written before they were screened; its figures are printed separately, and
benchmarks/data/safety/README.md records each batch's first screening (the
honest figure, before its misses were studied). Recall matters most: a missed
disclosure is the worst failure the product can have.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.safety import CATEGORIES, screen  # noqa: E402

DATA = Path(__file__).parent / "data" / "safety" / "eval.jsonl"
LATIN = {"en", "cy", "pl", "ro", "pt", "es", "it", "lt", "fr", "tr", "so", "sk", "cs"}


def group(lang: str) -> str:
    if lang == "en":
        return "English"
    return "other Latin-script" if lang in LATIN else "non-Latin-script"


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def line(self, name: str) -> str:
        rec = self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")
        pre = self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")
        n = self.tp + self.fp + self.fn + self.tn
        return (f"  {name:<22} recall {rec:5.3f}  precision {pre:5.3f}  "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, n {n})")


def evaluate(rows, show: str) -> None:
    overall = Tally()
    urgent = Tally()
    splits: dict[str, Tally] = defaultdict(Tally)
    groups: dict[str, Tally] = defaultdict(Tally)
    langs: dict[str, Tally] = defaultdict(Tally)
    cats: dict[str, Tally] = defaultdict(Tally)
    kinds: dict[str, Tally] = defaultdict(Tally)
    misses = []
    for row in rows:
        got = screen(row["text"], row["lang"])
        gold = row["disclosure"]
        for tally in (overall, splits[row["split"]], groups[group(row["lang"])],
                      langs[row["lang"]], kinds[row["kind"]]):
            tally.add(gold, got.disclosure)
        urgent.add(row["urgent"], got.urgent)
        for cat in CATEGORIES:
            cats[cat].add(cat in row["categories"], cat in got.categories)
        wrong = gold != got.disclosure or (row["urgent"] and not got.urgent)
        if wrong and (show == "all" or row["split"] == "tuned"):
            misses.append((row, got))

    print(f"Safety screening benchmark: {len(rows)} replies, {len(langs)} languages")
    print("Disclosure (any category):")
    print(overall.line("overall"))
    for name in ("tuned", "heldout"):
        print(splits[name].line(f"{name} split"))
    print("Urgent (danger now):")
    print(urgent.line("urgent"))
    print("Per category:")
    for cat in CATEGORIES:
        print(cats[cat].line(cat))
    print("Per language group:")
    for name in ("English", "other Latin-script", "non-Latin-script"):
        print(groups[name].line(name))
    print("Per language:")
    for lang in sorted(langs):
        print(langs[lang].line(lang))
    print("Per kind:")
    for kind in sorted(kinds):
        print(kinds[kind].line(kind))
    if show:
        where = "both splits" if show == "all" else "the tuned split"
        print(f"Errors on {where} ({len(misses)}):")
        for row, got in misses:
            tag = "MISSED" if row["disclosure"] and not got.disclosure else (
                "NOT URGENT" if row["disclosure"] else "FALSE ALARM")
            print(f"  {tag:<11} {row['split']:<7} [{row['lang']}] {row['text']}  -> {got.evidence}")


def timing(rows) -> None:
    texts = [(r["text"], r["lang"]) for r in rows]
    for text, lang in texts:          # warm the lexicon cache
        screen(text, lang)
    rounds = 5
    start = time.process_time()
    for _ in range(rounds):
        for text, lang in texts:
            screen(text, lang)
    per_call = (time.process_time() - start) / (rounds * len(texts)) * 1e6
    long_text = " ".join(t for t, _ in texts[:40])[:1600]
    start = time.process_time()
    for _ in range(50):
        screen(long_text, "en")
    long_call = (time.process_time() - start) / 50 * 1e6
    start = time.process_time()
    for _ in range(5):
        for text, _lang in texts[:100]:
            screen(text, "unknown")
    unknown = (time.process_time() - start) / 500 * 1e6
    print("Speed (CPU time, so other load on the machine does not count):")
    print(f"  {per_call:8.1f} µs per call (mean over the set, declared language)")
    print(f"  {long_call:8.1f} µs per call (1,600-character reply)")
    print(f"  {unknown:8.1f} µs per call (unknown language: every lexicon)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list tuned-split errors")
    parser.add_argument("--errors", action="store_true", help="list errors on both splits")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    evaluate(rows, "all" if args.errors else "tuned" if args.misses else "")
    timing(rows)


if __name__ == "__main__":
    main()
