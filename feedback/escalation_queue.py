"""The PALS queue as plain rows: what the CLI (and later the staff app) lists.

Contact routes are never part of a row; PALS reads them one case at a time
through `escalations.contact_for`, which audits the look.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from storage.models import Escalation, Service

FIELDS = ("id", "reference", "service", "outcome", "categories", "urgent", "status",
          "delivered", "delivered_at", "created")


def queue(tx: DbSession, service_slug: str | None = None,
          status: str | None = None) -> list[dict]:
    """Urgent first, then newest first: the order a PALS officer should read them."""
    query = (select(Escalation).join(Service).options(selectinload(Escalation.service))
             .order_by(Escalation.urgent.desc(), Escalation.created_at.desc(),
                       Escalation.id.desc()))
    if service_slug:
        query = query.where(Service.slug == service_slug)
    if status:
        query = query.where(Escalation.status == status)
    return [row(e) for e in tx.scalars(query)]


def row(escalation: Escalation) -> dict:
    return {
        "id": escalation.id,
        "reference": escalation.reference,
        "service": escalation.service.slug,
        "outcome": escalation.outcome,
        "categories": list(escalation.categories),
        "urgent": escalation.urgent,
        "status": escalation.status,
        "delivered": escalation.delivered_at is not None,
        "delivered_at": escalation.delivered_at.isoformat() if escalation.delivered_at else None,
        "created": escalation.created_at.isoformat(),
    }
