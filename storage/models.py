"""Tables. Answers are anonymous by construction: no table that holds an
answer has a column for a phone number, chat id, name or address key.

Addresses appear only as keyed hashes (conversations, opt-outs) or, where a
message must be sent later, encrypted in tables of their own that are
emptied when the conversation or case ends.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import intpk, label, moment, short, text, utcnow


class Base(DeclarativeBase):
    pass


class Service(Base):
    __tablename__ = "services"
    id: Mapped[intpk]
    slug: Mapped[short] = mapped_column(unique=True)
    name: Mapped[label]
    sms_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    whatsapp_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    pals_phone: Mapped[label] = mapped_column(default="")
    pals_text: Mapped[label] = mapped_column(default="")
    pals_email: Mapped[label] = mapped_column(default="")
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class Response(Base):
    """One conversation's answers: a row of the engagement log."""
    __tablename__ = "responses"
    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    flow: Mapped[short]
    channel: Mapped[short]                 # sms, whatsapp, telegram, web, voice, in_person...
    engagement_type: Mapped[label]         # the log's "Type of engagement"
    context: Mapped[short]                 # individual | group
    language: Mapped[str] = mapped_column(String(8))
    date: Mapped[dt.date] = mapped_column(Date, index=True)   # the day, never the minute
    number_of_people: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[short] = mapped_column(default="in_progress")  # complete|partial|stopped
    dna_reason: Mapped[str | None] = mapped_column(String(64))
    dna_reason_text: Mapped[str | None] = mapped_column(nullable=True)
    soft_intelligence: Mapped[text] = mapped_column(default="")
    follow_up_actions: Mapped[text] = mapped_column(default="")
    person_responsible: Mapped[label] = mapped_column(default="", server_default="")  # staff
    quote_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    answers: Mapped[list[Answer]] = relationship(back_populates="response",
                                                 order_by="Answer.id")
    monitoring: Mapped[list[MonitoringAnswer]] = relationship(order_by="MonitoringAnswer.id")
    service: Mapped[Service] = relationship()


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "step", "member",
                                       name="uq_answers_response_step_member"),)
    id: Mapped[intpk]
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    step: Mapped[short]
    # 0 in a one-to-one conversation; 1, 2, 3... for a group's members (an ordinal, never an id)
    member: Mapped[int] = mapped_column(Integer, default=0, server_default=false())
    outcome: Mapped[str | None] = mapped_column(String(4))
    text: Mapped[text] = mapped_column(default="")
    code: Mapped[str | None] = mapped_column(String(32))
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    translation: Mapped[str | None] = mapped_column(nullable=True)
    translation_engine: Mapped[str | None] = mapped_column(String(32))
    response: Mapped[Response] = relationship(back_populates="answers")


class MonitoringAnswer(Base):
    __tablename__ = "monitoring_answers"
    __table_args__ = (UniqueConstraint("response_id", "field"),)
    id: Mapped[intpk]
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    field: Mapped[short]
    value: Mapped[label]


class Conversation(Base):
    """Where a conversation is. Found by a keyed hash of channel and address;
    unlinked from its response, and its session cleared, when it ends."""
    __tablename__ = "conversations"
    id: Mapped[intpk]
    address_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[short]
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"))
    session: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[short]
    last_activity_at: Mapped[moment] = mapped_column(index=True)
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class GroupSession(Base):
    """A facilitated group session (Telegram group, online group). Found by a
    keyed hash of its one-time code; the chat's keyed hash, its encrypted id
    (to post the closing message) and the members' keyed hashes in `state`
    are kept only while it is open."""
    __tablename__ = "group_sessions"
    id: Mapped[intpk]
    code_key: Mapped[str] = mapped_column(String(64), unique=True)
    facilitator_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    channel: Mapped[short]                     # telegram | web
    flow: Mapped[short]
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[short] = mapped_column(index=True)   # pending | open | closed
    state: Mapped[dict] = mapped_column(JSON, default=dict)   # flows.group.GroupState
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"))
    chat_key: Mapped[str | None] = mapped_column(String(64), index=True)
    chat_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    opener_key: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[moment]
    created_at: Mapped[moment] = mapped_column(default=utcnow)
    opened_at: Mapped[moment | None] = mapped_column(nullable=True)
    closed_at: Mapped[moment | None] = mapped_column(nullable=True)


class InboundMessage(Base):
    """Every webhook once: a provider's retry finds its first reply here."""
    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("channel", "provider_id"),)
    id: Mapped[intpk]
    channel: Mapped[short]
    provider_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[moment] = mapped_column(default=utcnow, index=True)
    reply: Mapped[list] = mapped_column(JSON, default=list)


class OptOut(Base):
    """STOP, honoured across every later conversation and campaign."""
    __tablename__ = "opt_outs"
    address_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[short]
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class Escalation(Base):
    """A disclosure for PALS. Written in the same transaction as the answer."""
    __tablename__ = "escalations"
    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(16), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    step: Mapped[short]
    outcome: Mapped[str | None] = mapped_column(String(4))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[text]
    translation: Mapped[str | None] = mapped_column(nullable=True)
    status: Mapped[short] = mapped_column(default="open")   # open|acknowledged|closed
    outcome_note: Mapped[text] = mapped_column(default="")
    created_at: Mapped[moment] = mapped_column(default=utcnow, index=True)
    delivered_at: Mapped[moment | None] = mapped_column(nullable=True)
    service: Mapped[Service] = relationship()


class EscalationContact(Base):
    """A contact route a patient asked PALS to use. Encrypted, PALS-only,
    never joined to a response, deleted when the case is closed."""
    __tablename__ = "escalation_contacts"
    id: Mapped[intpk]
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), unique=True)
    channel: Mapped[short]
    address_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class OutboxItem(Base):
    """Work to deliver after commit (transactional outbox): retried until accepted."""
    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("kind", "key"),)
    id: Mapped[intpk]
    kind: Mapped[short]                  # escalation_email, escalation_webhook, translate...
    key: Mapped[str] = mapped_column(String(128))   # idempotency key
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    priority: Mapped[int] = mapped_column(Integer, default=0)   # lower goes first
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[moment] = mapped_column(default=utcnow, index=True)
    delivered_at: Mapped[moment | None] = mapped_column(nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class Invitation(Base):
    """One row of an imported appointment list: whom to invite, when and how.

    `key` is the row's idempotency key (a keyed hash of service, number,
    appointment and flow): importing a list twice adds nothing. The number is
    kept only encrypted, only to send, and deleted when the conversation ends
    or expires; the frequency cap uses `person_key`, a keyed hash. Nothing
    here points at a response.
    """
    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_person_send", "person_key", "send_at"),)
    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    flow: Mapped[short]                          # domain1 | dna
    channel: Mapped[short]                       # sms | whatsapp | voice | web_link
    language: Mapped[str] = mapped_column(String(8))
    person_key: Mapped[str] = mapped_column(String(64))
    conversation_key: Mapped[str | None] = mapped_column(String(64), index=True)
    address_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    state: Mapped[short] = mapped_column(index=True)   # scheduled|attempting|sent|...
    send_at: Mapped[moment]
    attempted_at: Mapped[moment | None] = mapped_column(nullable=True)
    sent_at: Mapped[moment | None] = mapped_column(nullable=True)
    body: Mapped[str | None] = mapped_column(nullable=True)   # what was sent: no personal data
    provider_sid: Mapped[str | None] = mapped_column(String(64), index=True)
    reminder_sid: Mapped[str | None] = mapped_column(String(64), index=True)
    reminder_attempted_at: Mapped[moment | None] = mapped_column(nullable=True)
    delivery_status: Mapped[str | None] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(16))
    closed_at: Mapped[moment | None] = mapped_column(nullable=True)
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[intpk]
    at: Mapped[moment] = mapped_column(default=utcnow, index=True)
    actor: Mapped[label]                 # "system", or a staff user's e-mail
    action: Mapped[short]
    subject: Mapped[label]               # e.g. "escalation:12"
    detail: Mapped[text] = mapped_column(default="")


class TranslationCache(Base):
    """A text translated once is not sent to a provider again."""
    __tablename__ = "translation_cache"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    engine: Mapped[label]
    source_language: Mapped[str] = mapped_column(String(8))
    translation: Mapped[text]
    created_at: Mapped[moment] = mapped_column(default=utcnow)


# --- reports and scoring (issue 8) ---

class ReportAction(Base):
    """"You said, we did": an action staff took on a theme. Public when
    `published`; it holds no answer, no reference, only staff's own words."""
    __tablename__ = "report_actions"
    id: Mapped[intpk]
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(4))
    theme: Mapped[label]
    you_said: Mapped[text]
    we_did: Mapped[text]
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[label] = mapped_column(default="")
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class PopulationCount(Base):
    """A service's own population profile (uploaded as CSV of counts), for
    'who is missing' comparisons. Counts of a population, not of patients."""
    __tablename__ = "population_counts"
    __table_args__ = (UniqueConstraint("service_id", "field", "category"),)
    id: Mapped[intpk]
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    field: Mapped[short]
    category: Mapped[label]
    count: Mapped[int] = mapped_column(Integer)


class OutcomeScore(Base):
    """The panel's EDS rating of one Domain 1 outcome for one service and year,
    with its rationale, who took part, and the action plan row."""
    __tablename__ = "outcome_scores"
    __table_args__ = (UniqueConstraint("service_id", "year", "outcome"),)
    id: Mapped[intpk]
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    year: Mapped[str] = mapped_column(String(8))          # financial year, "2023-24"
    outcome: Mapped[str] = mapped_column(String(4))
    rating: Mapped[int] = mapped_column(Integer)           # 0-3
    rationale: Mapped[text] = mapped_column(default="")
    panel: Mapped[text] = mapped_column(default="")        # e.g. "Patient representative; VCSE"
    objective: Mapped[text] = mapped_column(default="")
    action: Mapped[text] = mapped_column(default="")
    completion: Mapped[label] = mapped_column(default="")
    updated_by: Mapped[label] = mapped_column(default="")
    updated_at: Mapped[moment] = mapped_column(default=utcnow)


class DomainTotal(Base):
    """Domain 2 and 3 totals entered by the organisation for a year."""
    __tablename__ = "domain_totals"
    __table_args__ = (UniqueConstraint("year", "domain"),)
    id: Mapped[intpk]
    year: Mapped[str] = mapped_column(String(8))
    domain: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)


class ShortLink(Base):
    """A stable short code printed on posters, letters and medicine labels."""
    __tablename__ = "short_links"
    __table_args__ = (UniqueConstraint("service_id", "channel"),)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    channel: Mapped[short]                 # web | sms | whatsapp
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class StaffUser(Base):
    """Someone on the staff side. `services` (slugs) scopes a service lead."""
    __tablename__ = "staff_users"
    id: Mapped[intpk]
    email: Mapped[label] = mapped_column(unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[short]                   # admin | pals | analyst | service_lead
    services: Mapped[list] = mapped_column(JSON, default=list)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[moment | None] = mapped_column(nullable=True)
    last_seen: Mapped[moment | None] = mapped_column(nullable=True)
    session_token: Mapped[str | None] = mapped_column(String(64))   # revoked at sign-out
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[moment] = mapped_column(default=utcnow)


class CodingTheme(Base):
    """The editable codebook: one theme and its keywords per language."""
    __tablename__ = "coding_themes"
    id: Mapped[intpk]
    slug: Mapped[short] = mapped_column(unique=True)
    label: Mapped[label]
    keywords: Mapped[dict] = mapped_column(JSON, default=dict)     # language -> [words]
    excluded: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class AnswerCode(Base):
    """A theme given to an answer, automatically or by an analyst (kept apart)."""
    __tablename__ = "answer_codes"
    __table_args__ = (UniqueConstraint("answer_id", "theme", "source"),)
    id: Mapped[intpk]
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"), index=True)
    theme: Mapped[short] = mapped_column(index=True)
    source: Mapped[short]                 # auto | analyst
    coder: Mapped[label]                  # "system" or the analyst's e-mail
    coded_at: Mapped[moment] = mapped_column(default=utcnow)


class AnswerCoding(Base):
    """An answer's sentiment, and whether an analyst has hand-coded it (then
    their themes and sentiment win, and automatic coding never overwrites them)."""
    __tablename__ = "answer_codings"
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"), primary_key=True)
    auto_sentiment: Mapped[short] = mapped_column(default="none")
    sentiment: Mapped[str | None] = mapped_column(String(16))      # the analyst's
    coder: Mapped[str | None] = mapped_column(String(200))         # set once hand-coded
    coded_at: Mapped[moment | None] = mapped_column(nullable=True)
