"""Engagement that did not happen in a conversation with the product (a
1-to-1, a group discussion, an e-mail, a VCSE meeting, an observation, a
telephone survey read out by staff) entered into the same engagement log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from feedback.coding import auto_code
from feedback.crypto import new_reference
from feedback.escalations import audit
from feedback.redaction import redact
from storage.models import Answer, Response
from storage.repositories import service_by_slug

FLOW = "staff_entry"
OUTCOMES = ("1A", "1B", "1C", "1D")


@dataclass(frozen=True)
class EngagementType:
    label: str
    channel: str
    context: str                  # individual | group: a group is never asked 1C


TYPES = {
    "one_to_one": EngagementType("1-to-1 conversation", "in_person", "individual"),
    "group_discussion": EngagementType("Group discussion", "group_discussion", "group"),
    "email": EngagementType("E-mail", "email", "individual"),
    "vcse_meeting": EngagementType("VCSE meeting", "vcse_meeting", "group"),
    "observation": EngagementType("Observation", "observation", "individual"),
    "telephone_survey": EngagementType("Telephone survey (by staff)", "telephone_staff",
                                       "individual"),
    "paper_form": EngagementType("Paper form", "paper", "individual"),
}


class EntryError(ValueError):
    pass


@dataclass
class Entry:
    kind: str
    service: str
    date: dt.date
    number_of_people: int = 1
    language: str = "en"
    interpreter: bool = False
    soft_intelligence: str = ""
    answers: dict[str, str] = field(default_factory=dict)    # outcome -> words
    follow_up_actions: str = ""
    person_responsible: str = ""
    quote_consent: bool = False

    def asks(self, outcome: str) -> bool:
        return not (outcome == "1C" and TYPES[self.kind].context == "group")


def _reference(tx: DbSession, prefix: str) -> str:
    reference = new_reference(prefix)
    while tx.scalar(select(Response.id).where(Response.reference == reference)):
        reference = new_reference(prefix)
    return reference


def record(tx: DbSession, entry: Entry, actor: str, prefix: str,
           now: dt.datetime) -> Response:
    """One log row; 1C is never stored for a group, whatever the form sent."""
    if entry.kind not in TYPES:
        raise EntryError("choose a type of engagement")
    kind = TYPES[entry.kind]
    service = service_by_slug(tx, entry.service)
    if service is None:
        raise EntryError("choose the service")
    if entry.number_of_people < 1:
        raise EntryError("the number of people is at least 1")
    label = kind.label + (" with an interpreter" if entry.interpreter else "")
    response = Response(
        reference=_reference(tx, prefix), service_id=service.id, flow=FLOW,
        channel=kind.channel, engagement_type=label, context=kind.context,
        language=entry.language or "en", date=entry.date,
        number_of_people=entry.number_of_people, status="complete",
        soft_intelligence=redact(entry.soft_intelligence.strip()),
        follow_up_actions=redact(entry.follow_up_actions.strip()),
        person_responsible=entry.person_responsible.strip()[:200],
        quote_consent=entry.quote_consent)
    tx.add(response)
    tx.flush()
    for outcome in OUTCOMES:
        words = (entry.answers.get(outcome) or "").strip()
        if not entry.asks(outcome) or not words:
            continue
        answer = Answer(response_id=response.id, step=f"q{outcome.lower()}", outcome=outcome,
                        text=redact(words), skipped=False)
        tx.add(answer)
        tx.flush()
        auto_code(tx, answer, response.language, now)
    audit(tx, actor, "engagement_entered", f"response:{response.id}", label, at=now)
    return response
