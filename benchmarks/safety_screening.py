"""How well flows.safety.screen finds disclosures, on our labelled replies.

    python benchmarks/safety_screening.py            # the figures
    python benchmarks/safety_screening.py --misses   # also list tuned-split errors
    python benchmarks/safety_screening.py --errors   # list errors on both splits

Screening is the lexicon plus the model's second opinion (flows/safety/model.py);
the cross-validated section shows both on line blocks the model never saw.
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

from flows.safety import CATEGORIES, model, screen  # noqa: E402
from flows.safety.engine import screen_lexicon, screen_with  # noqa: E402

DATA = Path(__file__).parent / "data" / "safety" / "eval.jsonl"
BLIND = DATA.with_name("blind12.jsonl")
BLIND_INDIRECT = range(1207, 1745)   # eval.jsonl lines 1208-1745: blind batches 5-11
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

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    def line(self, name: str) -> str:
        rec = self.recall()
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

    lexicon = Tally()
    for row in rows:
        lexicon.add(row["disclosure"], screen_lexicon(row["text"], row["lang"]).disclosure)
    print(f"Safety screening benchmark: {len(rows)} replies, {len(langs)} languages")
    print("(lexicon + model; the model was trained on these lines, see the cross-validated part)")
    print("Disclosure (any category):")
    print(overall.line("overall"))
    print(lexicon.line("lexicon alone"))
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


def cross_validated() -> None:
    """Lexicon vs lexicon+model on held-out line blocks: each block is screened
    by a model trained on the other blocks (train_safety_model.out_of_fold)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import train_safety_model as trainer

    rows = trainer.load_rows()
    feats = [model.features(r["text"]) for r in rows]
    models = trainer.out_of_fold(rows, feats)
    shipped = model.default()
    subsets = {
        "all held-out": lambda i, r: True,
        "eval.jsonl (lexicon tuned)": lambda i, r: r["file"] == "eval.jsonl",
        "train.jsonl (lex. blind)": lambda i, r: r["file"] == "train.jsonl",
        "train.jsonl English": lambda i, r: r["file"] == "train.jsonl" and r["lang"] == "en",
        "train.jsonl other langs": lambda i, r: r["file"] == "train.jsonl" and r["lang"] != "en",
        "blind 5-11 English": lambda i, r: i in BLIND_INDIRECT and r["lang"] == "en",
    }
    tallies = {name: (Tally(), Tally(), Tally(), Tally()) for name in subsets}
    for block, fold_model in zip(trainer.folds(len(rows)), models, strict=True):
        fold_model.thresholds = shipped.thresholds if shipped else {}
        for i in block:
            row = rows[i]
            lex = screen_lexicon(row["text"], row["lang"])
            both = screen_with(fold_model, row["text"], row["lang"])
            for name, keep in subsets.items():
                if keep(i, row):
                    t = tallies[name]
                    t[0].add(row["disclosure"], lex.disclosure)
                    t[1].add(row["urgent"], lex.urgent)
                    t[2].add(row["disclosure"], both.disclosure)
                    t[3].add(row["urgent"], both.urgent)
    print(f"Cross-validated ({trainer.FOLDS} contiguous line blocks of eval.jsonl + train.jsonl, "
          f"{len(rows)} replies; shipped thresholds {shipped.thresholds if shipped else None}):")
    for name, (lex_d, lex_u, both_d, both_u) in tallies.items():
        print(f"  {name}:")
        print(lex_d.line("lexicon") + f"  urgent recall {lex_u.recall():5.3f}")
        print(both_d.line("lexicon+model") + f"  urgent recall {both_u.recall():5.3f}")


def blind() -> None:
    """The batch nothing was tuned or trained on (data README, round 12)."""
    rows = [json.loads(line) for line in BLIND.read_text(encoding="utf-8").splitlines() if line]
    print(f"Blind batch ({BLIND.name}, {len(rows)} replies; never tuned or trained on):")
    for group, keep in (("all", lambda r: True), ("English", lambda r: r["lang"] == "en"),
                        ("other languages", lambda r: r["lang"] != "en")):
        for name, fn in (("lexicon", screen_lexicon), ("lexicon+model", screen)):
            found, urgent = Tally(), Tally()
            for row in filter(keep, rows):
                got = fn(row["text"], row["lang"])
                found.add(row["disclosure"], got.disclosure)
                urgent.add(row["urgent"], got.urgent)
            print(found.line(f"{group}: {name}") + f"  urgent recall {urgent.recall():5.3f}")


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
    start = time.process_time()
    for _ in range(rounds):
        for text, lang in texts:
            screen_lexicon(text, lang)
    lexicon_only = (time.process_time() - start) / (rounds * len(texts)) * 1e6
    mdl = model.default()
    start = time.process_time()
    for _ in range(20):
        if mdl:
            feats = model.features(long_text)
            mdl.prob("disclosure", feats), mdl.prob("urgent", feats), mdl.categories(feats)
    model_long = (time.process_time() - start) / 20 * 1e6
    print("Speed (CPU time, so other load on the machine does not count):")
    print(f"  {per_call:8.1f} µs per call (mean over the set, declared language, model on)")
    print(f"  {lexicon_only:8.1f} µs per call (mean, lexicon alone)")
    print(f"  {long_call:8.1f} µs per call (1,600-character reply, model on)")
    print(f"  {model_long:8.1f} µs the model's full scoring of that reply (worst case added)")
    print(f"  {unknown:8.1f} µs per call (unknown language: every lexicon)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list tuned-split errors")
    parser.add_argument("--errors", action="store_true", help="list errors on both splits")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    evaluate(rows, "all" if args.errors else "tuned" if args.misses else "")
    cross_validated()
    blind()
    timing(rows)


if __name__ == "__main__":
    main()
