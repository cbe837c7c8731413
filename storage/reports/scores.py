"""The panel's EDS ratings per service and outcome, and Domain 2/3 totals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from flows.reporting.eds import DOMAIN_OUTCOMES, RATINGS
from flows.reporting.positivity import OUTCOMES
from storage.models import DomainTotal, OutcomeScore
from storage.types import utcnow


def save_score(tx: DbSession, service_id: int, year: str, outcome: str, rating: int,
               rationale: str = "", panel: str = "", objective: str = "", action: str = "",
               completion: str = "", updated_by: str = "") -> OutcomeScore:
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    if rating not in RATINGS:
        raise ValueError("a rating is 0, 1, 2 or 3")
    score = tx.scalar(select(OutcomeScore).where(
        OutcomeScore.service_id == service_id, OutcomeScore.year == year,
        OutcomeScore.outcome == outcome))
    if score is None:
        score = OutcomeScore(service_id=service_id, year=year, outcome=outcome)
        tx.add(score)
    score.rating, score.rationale, score.panel = rating, rationale.strip(), panel.strip()
    score.objective, score.action, score.completion = objective, action, completion
    score.updated_by, score.updated_at = updated_by, utcnow()
    tx.flush()
    return score


def scores_for(tx: DbSession, year: str, service_id: int | None = None) -> list[OutcomeScore]:
    query = select(OutcomeScore).where(OutcomeScore.year == year)
    if service_id is not None:
        query = query.where(OutcomeScore.service_id == service_id)
    return list(tx.scalars(query.order_by(OutcomeScore.service_id, OutcomeScore.outcome)))


def set_domain_total(tx: DbSession, year: str, domain: int, total: int | None) -> None:
    """Domains 2 and 3 are scored elsewhere; their totals are entered here."""
    if domain not in (2, 3):
        raise ValueError("only Domain 2 and 3 totals are entered by hand")
    row = tx.scalar(select(DomainTotal).where(DomainTotal.year == year,
                                              DomainTotal.domain == domain))
    if total is None:
        if row is not None:
            tx.delete(row)
        return
    if not 0 <= total <= 3 * DOMAIN_OUTCOMES[domain]:
        raise ValueError(f"Domain {domain} total is 0-{3 * DOMAIN_OUTCOMES[domain]}")
    if row is None:
        tx.add(DomainTotal(year=year, domain=domain, total=total))
    else:
        row.total = total
    tx.flush()


def domain_totals(tx: DbSession, year: str) -> dict[int, int]:
    return {row.domain: row.total for row in tx.scalars(
        select(DomainTotal).where(DomainTotal.year == year))}
