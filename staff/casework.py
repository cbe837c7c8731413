"""The PALS queue for the staff app: cases with their words, overdue against
the response-time targets, and each case's history. Reading a case's words
is audited, as the escalation rules require."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from feedback.escalations import audit
from feedback.redaction import redact
from staff.settings import StaffSettings
from storage.models import AuditEntry, Escalation, EscalationContact

QUESTIONS = {"1A": "1A Access to the service", "1B": "1B Health needs met",
             "1C": "1C Free from harm", "1D": "1D Positive experience"}
OPEN_STATUSES = ("open", "acknowledged")


@dataclass(frozen=True)
class Case:
    escalation: Escalation
    question: str
    due: dt.datetime
    overdue: bool
    has_contact: bool


def question_of(escalation: Escalation) -> str:
    return QUESTIONS.get(escalation.outcome or "", escalation.step)


def case(escalation: Escalation, has_contact: bool, now: dt.datetime,
         rules: StaffSettings) -> Case:
    """Overdue: still unacknowledged past its urgency's target."""
    due = escalation.created_at + rules.target(escalation.urgent)
    return Case(escalation, question_of(escalation), due,
                escalation.status == "open" and now > due, has_contact)


def queue(tx: DbSession, now: dt.datetime, rules: StaffSettings, actor: str,
          show: str = "open") -> list[Case]:
    """Urgent first, then newest: the order to read them. Each listed case is audited
    as viewed, because the queue shows the patient's words."""
    query = (select(Escalation).options(selectinload(Escalation.service))
             .order_by(Escalation.urgent.desc(), Escalation.created_at.desc(),
                       Escalation.id.desc()))
    if show == "open":
        query = query.where(Escalation.status.in_(OPEN_STATUSES))
    elif show == "closed":
        query = query.where(Escalation.status == "closed")
    escalations = list(tx.scalars(query))
    with_contact = set(tx.scalars(select(EscalationContact.escalation_id).where(
        EscalationContact.escalation_id.in_([e.id for e in escalations]))))
    for escalation in escalations:
        audit(tx, actor, "viewed", f"escalation:{escalation.id}", "in the queue", at=now)
    return [case(e, e.id in with_contact, now, rules) for e in escalations]


def open_case(tx: DbSession, escalation_id: int, now: dt.datetime, rules: StaffSettings,
              actor: str) -> Case:
    escalation = tx.get(Escalation, escalation_id)
    if escalation is None:
        raise LookupError("no such case")
    audit(tx, actor, "viewed", f"escalation:{escalation_id}", at=now)
    has_contact = tx.scalar(select(EscalationContact.id).where(
        EscalationContact.escalation_id == escalation_id)) is not None
    return case(escalation, has_contact, now, rules)


def contact_channel(tx: DbSession, escalation_id: int) -> str | None:
    return tx.scalar(select(EscalationContact.channel).where(
        EscalationContact.escalation_id == escalation_id))


def add_note(tx: DbSession, escalation_id: int, actor: str, note: str,
             now: dt.datetime) -> None:
    if tx.get(Escalation, escalation_id) is None:
        raise LookupError("no such case")
    audit(tx, actor, "note", f"escalation:{escalation_id}", redact(note), at=now)


def history(tx: DbSession, escalation_id: int) -> list[AuditEntry]:
    return list(tx.scalars(select(AuditEntry)
                           .where(AuditEntry.subject == f"escalation:{escalation_id}")
                           .order_by(AuditEntry.at, AuditEntry.id)))
