"""The evidence beside a score: counts, % positive, themes, quotes,
escalations and non-digital entries for one service, outcome and year.
Every number goes through disclosure control before anyone sees it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session as DbSession

from flows.reporting.fft import KINDS
from flows.reporting.records import attributes
from flows.reporting.sdc import Index, Policy, Table, table
from storage.models import Service
from storage.reports import themes as theme_store
from storage.reports.records import (
    consented_quotes,
    escalation_counts,
    load_records,
    non_digital_count,
)


def small_safe(count: int, policy: Policy) -> str:
    """A lone count outside any table: 1-4 becomes 'fewer than 5'."""
    return f"fewer than {policy.threshold}" if policy.small(count) else str(count)


@dataclass
class Evidence:
    service: str
    outcome: str
    year: str
    figures: Table
    themes: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    escalations: str = "0"
    non_digital: str = "0"

    def percent(self, kind: str) -> float | None:
        cell = self.figures.cell(kind)
        return self.figures.percent(cell) if cell else None

    def lines(self) -> list[str]:
        """The summary as sentences, for the scoring page and the Word report."""
        total = self.figures.total
        said = ("Responses: suppressed (small number)" if total is None
                else f"Responses: {total}")
        pos, neg = self.percent("positive"), self.percent("negative")
        out = [said, f"Positive: {'suppressed' if pos is None else f'{pos}%'}; "
                     f"negative: {'suppressed' if neg is None else f'{neg}%'}",
               f"Escalations to PALS: {self.escalations}",
               f"Non-digital engagement entries (whole year): {self.non_digital}"]
        if self.themes:
            out.append("Themes: " + ", ".join(f"{name} ({count})" for name, count in self.themes))
        out.extend(f"“{quote}”" for quote in self.quotes)
        out.append(self.figures.note)
        return out


class EvidenceBuilder:
    """Loads every response once, then answers for any service and outcome."""

    def __init__(self, tx: DbSession, policy: Policy):
        self.tx, self.policy = tx, policy
        self.index = Index([attributes(r) for r in load_records(tx)])

    def build(self, service: Service, outcome: str, year: str) -> Evidence:
        filters = {"service": service.slug, "year": year, f"{outcome} answered": "yes"}
        figures = table(self.index, filters, outcome, KINDS, self.policy)
        escalations = escalation_counts(self.tx, service.id).get(outcome, 0)
        themes = [(name, small_safe(count, self.policy)) for name, count in
                  theme_store.theme_counts(self.tx, service.id, outcome)][:8]
        return Evidence(service.slug, outcome, year, figures, themes,
                        consented_quotes(self.tx, service.id, outcome),
                        small_safe(escalations, self.policy),
                        small_safe(non_digital_count(self.tx, service.id, year), self.policy))
