"""FFT-style figures: per quarter and outcome, % positive, % negative and the
number of responses, as the source reports print them; made safe by `sdc`."""

from __future__ import annotations

from dataclasses import dataclass

from flows.reporting.positivity import OUTCOMES
from flows.reporting.sdc import Index, Policy, Table, table

KINDS = ("positive", "negative", "other")


@dataclass
class FftRow:
    outcome: str
    quarter: str
    table: Table

    @property
    def responses(self) -> int | None:
        return self.table.total

    def percent(self, kind: str) -> float | None:
        cell = self.table.cell(kind)
        return self.table.percent(cell, 2) if cell else None


def fft_rows(index: Index, service: str, quarters: list[str],
             policy: Policy | None = None) -> list[FftRow]:
    """One row per outcome and quarter for a service ('' means every service)."""
    rows = []
    for outcome in OUTCOMES:
        for quarter in quarters:
            filters = {"quarter": quarter, f"{outcome} answered": "yes"}
            if service:
                filters["service"] = service
            rows.append(FftRow(outcome, quarter,
                               table(index, filters, outcome, KINDS, policy)))
    return rows
