"""What each report page shows, assembled from storage and the pure
calculations; views only pass HTTP in and render what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session as DbSession

from flows.reporting.charts import trend_svg
from flows.reporting.fft import FftRow, fft_rows
from flows.reporting.missing import Breakdown, breakdown
from flows.reporting.positivity import OUTCOMES
from flows.reporting.records import BREAKDOWNS, FILTERS, attributes
from flows.reporting.sdc import Index, Policy
from storage.models import Service
from storage.reports import themes as theme_store
from storage.reports.actions import actions_for
from storage.reports.evidence import EvidenceBuilder, small_safe
from storage.reports.population import profile_for
from storage.reports.records import consented_quotes, load_records


def quarters_of(year: str) -> list[str]:
    return [f"{year} Q{n}" for n in range(1, 5)]


@dataclass
class Figures:
    service: Service
    year: str
    rows: list[FftRow]
    chart: str
    themes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    quotes: dict[str, list[str]] = field(default_factory=dict)
    actions: list = field(default_factory=list)
    themes_installed: bool = False


def figures(tx: DbSession, service: Service, year: str, policy: Policy) -> Figures:
    index = Index([attributes(r) for r in load_records(tx)])
    quarters = quarters_of(year)
    rows = fft_rows(index, service.slug, quarters, policy)
    series = {f"{o} % positive": [r.percent("positive") for r in rows if r.outcome == o]
              for o in OUTCOMES}
    chart = trend_svg(f"{service.name}: % positive by quarter, {year}",
                      [q.split()[1] for q in quarters], series)
    themes = {o: [(n, small_safe(c, policy)) for n, c in
                  theme_store.theme_counts(tx, service.id, o)] for o in OUTCOMES}
    quotes = {o: consented_quotes(tx, service.id, o) for o in OUTCOMES}
    return Figures(service, year, rows, chart, themes, quotes, actions_for(tx, service.id),
                   theme_store.installed())


@dataclass
class Missing:
    service: Service
    filters: dict[str, str]
    options: dict[str, list[str]]
    breakdowns: list[Breakdown]
    has_profile: bool


def missing(tx: DbSession, service: Service, filters: dict[str, str],
            policy: Policy) -> Missing:
    index = Index([attributes(r) for r in load_records(tx)])
    chosen = {k: v for k, v in filters.items() if k in FILTERS and k != "service" and v}
    chosen["service"] = service.slug
    profile = profile_for(tx, service.id)
    shown = [breakdown(index, chosen, name, profile.get(name), policy)
             for name in BREAKDOWNS if name not in chosen]
    options = {name: sorted(index.values.get(name, ())) for name in FILTERS if name != "service"}
    return Missing(service, chosen, options, shown, bool(profile))


def evidence(tx: DbSession, service: Service, outcome: str, year: str, policy: Policy):
    return EvidenceBuilder(tx, policy).build(service, outcome, year)
