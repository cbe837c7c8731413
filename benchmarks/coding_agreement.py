"""How the automatic coder agrees with hand-coding on a labelled set.

    python benchmarks/coding_agreement.py [--show-errors]

Prints per-theme precision and recall, micro-F1 over themes, the share of
answers whose whole theme set agrees, and sentiment accuracy and Cohen's
kappa, on benchmarks/data/coding/labelled.yaml (see its README).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows import yamlio  # noqa: E402
from flows.coding.agreement import agreement  # noqa: E402
from flows.coding.codebook import default_codebook  # noqa: E402
from flows.coding.themes import code_answer  # noqa: E402

DATA = Path(__file__).parent / "data" / "coding" / "labelled.yaml"


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value:6.1%}"


def main(show_errors: bool = False) -> None:
    items = yamlio.load_file(DATA)
    codebook = default_codebook()
    codings = [code_answer(i["text"], i["lang"], codebook, i.get("outcome")) for i in items]
    result = agreement([set(i["themes"]) for i in items], [set(c.themes) for c in codings],
                       [i["sentiment"] for i in items], [c.sentiment for c in codings],
                       codebook.slugs())
    print(f"{result.items} hand-coded answers ({len({i['lang'] for i in items})} languages)\n")
    print(f"{'theme':<28}{'hand':>6}{'auto':>6}{'precision':>11}{'recall':>9}")
    for s in result.themes:
        print(f"{s.theme:<28}{s.true_positive + s.false_negative:>6}"
              f"{s.true_positive + s.false_positive:>6}{_pct(s.precision):>11}"
              f"{_pct(s.recall):>9}")
    print(f"\nthemes: micro-precision {_pct(result.micro_precision)}, "
          f"micro-recall {_pct(result.micro_recall)}, micro-F1 {_pct(result.micro_f1)}, "
          f"whole set agrees {_pct(result.exact_theme_sets)}")
    kappa = "-" if result.sentiment_kappa is None else f"{result.sentiment_kappa:.2f}"
    print(f"sentiment: agreement {_pct(result.sentiment_accuracy)}, Cohen's kappa {kappa}")
    if show_errors:
        for item, coding in zip(items, codings, strict=True):
            if set(item["themes"]) != set(coding.themes) or item["sentiment"] != coding.sentiment:
                print(f"- {item['text'][:70]!r}: hand {sorted(item['themes'])}/"
                      f"{item['sentiment']}, auto {sorted(coding.themes)}/{coding.sentiment}")


if __name__ == "__main__":
    main(show_errors="--show-errors" in sys.argv)
