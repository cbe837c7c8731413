"""Gathers the ratings, evidence and action plan for the Word report."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session as DbSession

from flows.reporting.eds import outcome_rating
from flows.reporting.positivity import OUTCOMES
from flows.reporting.sdc import Policy
from storage.reports.eds_docx import ReportData, ServiceOutcome
from storage.reports.evidence import EvidenceBuilder
from storage.reports.records import services as load_services
from storage.reports.scores import domain_totals, scores_for


def report_data(tx: DbSession, organisation: str, year: str, policy: Policy,
                slugs: Iterable[str] | None = None) -> ReportData:
    chosen = load_services(tx, slugs)
    builder = EvidenceBuilder(tx, policy)
    scores = {(s.service_id, s.outcome): s for s in scores_for(tx, year)}
    rows: dict[str, list[ServiceOutcome]] = {o: [] for o in OUTCOMES}
    for service in chosen:
        for outcome in OUTCOMES:
            score = scores.get((service.id, outcome))
            evidence = builder.build(service, outcome, year).lines()
            rows[outcome].append(ServiceOutcome(
                service=service.name, evidence=evidence,
                rating=score.rating if score else None,
                rationale=score.rationale if score else "", panel=score.panel if score else "",
                owner=score.updated_by if score else "",
                objective=score.objective if score else "", action=score.action if score else "",
                completion=score.completion if score else ""))
    ratings = {o: outcome_rating(r.rating for r in rows[o] if r.rating is not None)
               for o in OUTCOMES}
    totals = domain_totals(tx, year)
    return ReportData(organisation, year, ratings, rows, totals.get(2), totals.get(3))
