"""A response as reports see it: no reference, no words, no date finer than
the quarter, so nothing a report is built from can point at one person."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flows.reporting.positivity import OUTCOMES, classify
from flows.reporting.sdc import NOT_STATED

MONITORING_FIELDS = ("age_band", "gender", "gender_identity_same", "sexual_orientation",
                     "ethnic_group", "ethnicity", "marital_status", "disability", "religion",
                     "pregnancy", "district")
FILTERS = ("service", "language", "channel", "district", "quarter")
BREAKDOWNS = MONITORING_FIELDS + ("language", "channel")


@dataclass(frozen=True)
class Record:
    service: str
    quarter: str
    language: str
    channel: str
    codes: Mapping[str, str] = field(default_factory=dict)       # outcome -> answer code
    monitoring: Mapping[str, str] = field(default_factory=dict)  # field -> value


def attributes(record: Record) -> dict[str, str]:
    """The values a report may count by. Each outcome adds `<o>` (positive,
    negative, other or none) and `<o> answered` (yes/no), so an FFT base is a
    plain count too and falls under the same differencing guard."""
    values = {"service": record.service, "quarter": record.quarter,
              "year": record.quarter.split()[0],
              "language": record.language, "channel": record.channel}
    for name in MONITORING_FIELDS:
        values[name] = record.monitoring.get(name) or NOT_STATED
    for outcome in OUTCOMES:
        kind = classify(outcome, record.codes.get(outcome))
        values[outcome] = kind or "none"
        values[f"{outcome} answered"] = "yes" if kind else "no"
    return values
