"""Responses flattened into report records (no reference, no words, no day)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from flows.reporting.positivity import OUTCOMES
from flows.reporting.quarters import quarter
from flows.reporting.records import Record
from storage.models import Escalation, Response, Service
from storage.repositories import responses

DIGITAL_CHANNELS = {"sms", "whatsapp", "telegram", "web", "voice"}


def to_record(response: Response) -> Record:
    codes = {}
    for answer in response.answers:
        if answer.outcome in OUTCOMES and answer.code and not answer.skipped:
            codes.setdefault(answer.outcome, answer.code)
    return Record(service=response.service.slug, quarter=quarter(response.date),
                  language=response.language, channel=response.channel, codes=codes,
                  monitoring={m.field: m.value for m in response.monitoring})


def load_records(tx: DbSession) -> list[Record]:
    """Every finished response of every service: the differencing guard needs
    them all, even when a page shows one service."""
    return [to_record(r) for r in responses(tx)]


def services(tx: DbSession, slugs: Iterable[str] | None = None) -> list[Service]:
    query = select(Service).order_by(Service.name)
    if slugs is not None:
        query = query.where(Service.slug.in_(list(slugs)))
    return list(tx.scalars(query))


def escalation_counts(tx: DbSession, service_id: int) -> dict[str, int]:
    """Escalations to PALS per outcome (None: outside an outcome question)."""
    rows = tx.execute(select(Escalation.outcome, func.count()).where(
        Escalation.service_id == service_id).group_by(Escalation.outcome))
    return {outcome or "other": count for outcome, count in rows}


def non_digital_count(tx: DbSession, service_id: int, year: str) -> int:
    """Engagements entered by staff (in person, paper, events): channels that are not ours."""
    first, last = _year_bounds(year)
    return tx.scalar(select(func.count()).select_from(Response).where(
        Response.service_id == service_id, Response.channel.not_in(DIGITAL_CHANNELS),
        Response.date >= first, Response.date <= last,
        Response.status.in_(("complete", "partial", "stopped")))) or 0


def _year_bounds(year: str):
    from flows.reporting.quarters import quarter_bounds

    return quarter_bounds(f"{year} Q1")[0], quarter_bounds(f"{year} Q4")[1]


def consented_quotes(tx: DbSession, service_id: int, outcome: str, limit: int = 3) -> list[str]:
    """Patients' words they agreed may be quoted, without reference or date.

    Needs the staff app's `Response.quote_consent`; until it exists no words
    are quoted at all (consent is never assumed)."""
    consent = getattr(Response, "quote_consent", None)
    if consent is None:
        return []
    from storage.models import Answer

    rows = tx.execute(select(Answer.text, Answer.translation).join(Response).where(
        Response.service_id == service_id, consent.is_(True), Answer.outcome == outcome,
        Answer.skipped.is_(False), Answer.text != "").order_by(Answer.id.desc()).limit(limit))
    return [translation or text for text, translation in rows]
