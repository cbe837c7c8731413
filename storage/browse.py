"""Finding answers for staff: filters that become SQL, scoped to services.

A theme or sentiment filter reads the codes that count: the analyst's once
an answer is hand-coded, the automatic ones before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session as DbSession

from storage.models import Answer, AnswerCode, AnswerCoding, Response, Service

FINISHED = ("complete", "partial", "stopped")


@dataclass(frozen=True)
class AnswerFilter:
    service: str = ""
    outcome: str = ""
    language: str = ""
    channel: str = ""
    context: str = ""
    flow: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    theme: str = ""
    sentiment: str = ""
    reference: str = ""


def _effective_source():
    return case((AnswerCoding.coder.is_not(None), "analyst"), else_="auto")


def _query(filters: AnswerFilter, scope: list[str] | None):
    query = (select(Answer, Response, Service)
             .join(Response, Answer.response_id == Response.id)
             .join(Service, Response.service_id == Service.id)
             .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
             .where(Response.status.in_(FINISHED), Answer.outcome.is_not(None)))
    if scope is not None:
        query = query.where(Service.slug.in_(scope))
    for column, value in ((Service.slug, filters.service), (Answer.outcome, filters.outcome),
                          (Response.language, filters.language),
                          (Response.channel, filters.channel),
                          (Response.context, filters.context), (Response.flow, filters.flow),
                          (Response.reference, filters.reference.strip().upper())):
        if value:
            query = query.where(column == value)
    if filters.date_from:
        query = query.where(Response.date >= filters.date_from)
    if filters.date_to:
        query = query.where(Response.date <= filters.date_to)
    if filters.theme:
        query = query.where(exists().where(and_(
            AnswerCode.answer_id == Answer.id, AnswerCode.theme == filters.theme,
            AnswerCode.source == _effective_source())))
    if filters.sentiment:
        effective = case((AnswerCoding.coder.is_not(None), AnswerCoding.sentiment),
                         else_=AnswerCoding.auto_sentiment)
        query = query.where(func.coalesce(effective, "none") == filters.sentiment)
    return query


def find_answers(tx: DbSession, filters: AnswerFilter, scope: list[str] | None,
                 limit: int = 50, offset: int = 0) -> tuple[list[tuple], int]:
    """(answer, response, service) rows, newest first, and how many match in all."""
    query = _query(filters, scope)
    total = tx.scalar(select(func.count()).select_from(query.subquery()))
    rows = tx.execute(query.order_by(Response.date.desc(), Response.id.desc(), Answer.id)
                      .limit(limit).offset(offset)).all()
    return [tuple(r) for r in rows], total or 0


def answer_with_response(tx: DbSession, answer_id: int) -> tuple | None:
    row = tx.execute(select(Answer, Response, Service)
                     .join(Response, Answer.response_id == Response.id)
                     .join(Service, Response.service_id == Service.id)
                     .where(Answer.id == answer_id)).first()
    return tuple(row) if row else None


def choices(tx: DbSession, scope: list[str] | None) -> dict[str, list[str]]:
    """The values each filter can take, from what is stored (for the form's lists)."""
    base = select(Response).join(Service).where(Response.status.in_(FINISHED))
    if scope is not None:
        base = base.where(Service.slug.in_(scope))
    sub = base.subquery()
    values = {name: sorted(v for v in tx.scalars(select(sub.c[name]).distinct()) if v)
              for name in ("language", "channel", "context", "flow")}
    services = select(Service.slug, Service.name).order_by(Service.name)
    if scope is not None:
        services = services.where(Service.slug.in_(scope))
    values["service"] = [tuple(r) for r in tx.execute(services)]
    return values


def engagement_log(tx: DbSession, service: str = "", channel: str = "",
                   limit: int = 200) -> list[Response]:
    """Recent rows of the engagement log, digital and not, newest first."""
    from sqlalchemy.orm import selectinload

    query = (select(Response).join(Service).where(Response.status.in_(FINISHED))
             .options(selectinload(Response.service), selectinload(Response.answers))
             .order_by(Response.date.desc(), Response.id.desc()).limit(limit))
    if service:
        query = query.where(Service.slug == service)
    if channel:
        query = query.where(Response.channel == channel)
    return list(tx.scalars(query))


def all_services(tx: DbSession) -> list[Service]:
    return list(tx.scalars(select(Service).order_by(Service.name)))
