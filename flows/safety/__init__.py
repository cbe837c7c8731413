"""Screen a patient's free-text reply for a disclosure of harm or risk.

Patients disclose harm anywhere (inside praise, in the answer about booking,
in another language), and a missed disclosure is the worst failure the
product can have. So every final free-text answer goes through `screen`,
which is deterministic, offline and works on the original text: lexicons per
language (flows/safety/lexicons/*.yaml) with negation scope, rules for harm
not caused by the service, past-and-resolved history and hyperbole.
"""

from __future__ import annotations

from flows.safety.engine import CATEGORIES, Screening, screen

__all__ = ["CATEGORIES", "Screening", "screen"]
