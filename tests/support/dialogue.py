"""The few turns that bring a patient to the harm question, as a patient types them."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEntry, Escalation


def reach_the_harm_question(phone) -> str:
    phone.send("Hi")
    phone.send("Easy to book, I got a slot the same day")
    return phone.say("Yes, my needs were met well")


def escalations(services) -> list[Escalation]:
    with services.db.transaction() as tx:
        return list(tx.scalars(select(Escalation).order_by(Escalation.id)))


def audit_trail(services, escalation_id: int) -> list[tuple[str, str]]:
    with services.db.transaction() as tx:
        return [(a.action, a.detail) for a in tx.scalars(
            select(AuditEntry).where(AuditEntry.subject == f"escalation:{escalation_id}")
            .order_by(AuditEntry.id))]
