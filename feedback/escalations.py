"""Escalations to PALS: written in the same transaction as the answer that
disclosed harm, with outbox items that a worker delivers after commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from feedback.redaction import redact
from flows.events import DisclosureDetected
from storage.models import AuditEntry, Escalation, EscalationContact, OutboxItem, Response
from storage.types import utcnow

DELIVERY_KINDS = ("escalation_email", "escalation_webhook")


def raise_escalation(tx: DbSession, response: Response, event: DisclosureDetected,
                     delivery_kinds: tuple[str, ...] = DELIVERY_KINDS,
                     now: dt.datetime | None = None) -> Escalation:
    """Only configured routes get an outbox item: nothing waits for a route that is absent."""
    now = now or utcnow()
    escalation = Escalation(
        reference=response.reference, service_id=response.service_id, step=event.step,
        outcome=event.outcome, categories=list(event.categories),
        evidence=list(event.evidence), urgent=event.urgent, language=response.language,
        text=redact(event.text), created_at=now)
    tx.add(escalation)
    tx.flush()
    for kind in delivery_kinds:
        tx.add(OutboxItem(kind=kind, key=f"escalation:{escalation.id}",
                          payload={"escalation_id": escalation.id},
                          priority=0 if event.urgent else 10,
                          next_attempt_at=now, created_at=now))
    audit(tx, "system", "escalation_created", f"escalation:{escalation.id}",
          ("urgent" if event.urgent else "not urgent") + "; routes: "
          + (", ".join(delivery_kinds) or "none configured"), at=now)
    return escalation


def attach_contact(tx: DbSession, escalation_ids: list[int], channel: str,
                   encrypted: bytes, now: dt.datetime | None = None) -> None:
    """The patient said yes to contact: the route goes with their escalations only."""
    for escalation_id in escalation_ids:
        exists = tx.scalar(select(EscalationContact.id).where(
            EscalationContact.escalation_id == escalation_id))
        if exists is None:
            tx.add(EscalationContact(escalation_id=escalation_id, channel=channel,
                                     address_encrypted=encrypted, created_at=now or utcnow()))
            audit(tx, "patient", "contact_consented", f"escalation:{escalation_id}", channel,
                  at=now)


def audit(tx: DbSession, actor: str, action: str, subject: str, detail: str = "",
          at: dt.datetime | None = None) -> None:
    tx.add(AuditEntry(actor=actor, action=action, subject=subject, detail=detail,
                      at=at or utcnow()))


def _open(tx: DbSession, escalation_id: int) -> Escalation:
    escalation = tx.get(Escalation, escalation_id)
    if escalation is None:
        raise LookupError(f"no escalation {escalation_id}")
    return escalation


def mark_viewed(tx: DbSession, escalation_id: int, actor: str) -> Escalation:
    """A PALS officer opened the case: who looked, and when, is part of its life."""
    escalation = _open(tx, escalation_id)
    audit(tx, actor, "viewed", f"escalation:{escalation_id}")
    return escalation


def contact_for(tx: DbSession, escalation_id: int, actor: str, keys) -> str | None:
    """The route the patient consented to, decrypted for PALS only, and audited."""
    contact = tx.scalar(select(EscalationContact).where(
        EscalationContact.escalation_id == escalation_id))
    if contact is None:
        return None
    audit(tx, actor, "contact_viewed", f"escalation:{escalation_id}", contact.channel)
    return keys.decrypt(contact.address_encrypted)


def acknowledge(tx: DbSession, escalation_id: int, actor: str, note: str = "") -> Escalation:
    escalation = _open(tx, escalation_id)
    if escalation.status == "open":
        escalation.status = "acknowledged"
    audit(tx, actor, "acknowledged", f"escalation:{escalation_id}", redact(note))
    return escalation


def close_case(tx: DbSession, escalation_id: int, actor: str, outcome: str) -> Escalation:
    """Closing deletes the patient's contact route: PALS no longer needs it."""
    escalation = _open(tx, escalation_id)
    escalation.status, escalation.outcome_note = "closed", redact(outcome)
    removed = tx.execute(delete(EscalationContact).where(
        EscalationContact.escalation_id == escalation_id)).rowcount
    audit(tx, actor, "closed", f"escalation:{escalation_id}", redact(outcome))
    if removed:
        audit(tx, actor, "contact_deleted", f"escalation:{escalation_id}")
    return escalation
