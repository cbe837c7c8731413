"""Which answers count as positive or negative, outcome by outcome (FFT style).

The rule, stated once and shown on every figures page:

- 1A access and 1B health needs met: positive = "yes", negative = "no".
- 1C free from harm: positive = "no" (no harm), negative = "yes" (harm).
- 1D experience: positive = very good or good, negative = poor or very poor.
- "partly", "unsure", "neither" and "don't know" count in the number of
  responses only (as the Friends and Family Test counts "don't know").
- A skipped or uncoded answer is not a response to that outcome.
"""

from __future__ import annotations

OUTCOMES = ("1A", "1B", "1C", "1D")
POSITIVE = {"1A": {"yes"}, "1B": {"yes"}, "1C": {"no"}, "1D": {"very_good", "good"}}
NEGATIVE = {"1A": {"no"}, "1B": {"no"}, "1C": {"yes"}, "1D": {"poor", "very_poor"}}
OTHER = {"1A": {"partly", "unsure"}, "1B": {"partly", "unsure"}, "1C": {"partly", "unsure"},
         "1D": {"neither", "dont_know"}}
RULE = ("1A and 1B: positive = yes, negative = no. 1C: positive = no harm, negative = harm. "
        "1D: positive = very good or good, negative = poor or very poor. Partly, unsure, "
        "neither and don't know count in the number of responses only.")


def classify(outcome: str, code: str | None) -> str | None:
    """'positive', 'negative', 'other', or None when this is no answer to the outcome."""
    if not code:
        return None
    if code in POSITIVE.get(outcome, ()):
        return "positive"
    if code in NEGATIVE.get(outcome, ()):
        return "negative"
    if code in OTHER.get(outcome, ()):
        return "other"
    return None
