"""Turning the engine's events into rows, inside the turn's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session as DbSession

from feedback import escalations, translate_jobs
from feedback.coding import auto_code
from feedback.crypto import Keys
from feedback.delivery.routes import routes_for
from feedback.delivery.settings import PalsDelivery
from feedback.messaging import Inbound, Reply
from feedback.redaction import redact
from flows import events as ev
from storage.models import Answer, Conversation, MonitoringAnswer, Response

ENDINGS = {ev.FlowCompleted: "complete", ev.FlowStopped: "stopped", ev.FlowExpired: "partial"}
# Built once: a turn runs these every time, and building and keying a statement
# costs about as much as running it.
_ANSWER = select(Answer).where(Answer.response_id == bindparam("response_id"),
                               Answer.step == bindparam("step"))
_MONITORING = select(MonitoringAnswer).where(
    MonitoringAnswer.response_id == bindparam("response_id"),
    MonitoringAnswer.field == bindparam("field"))


@dataclass
class Recorder:
    tx: DbSession
    conversation: Conversation
    response: Response
    keys: Keys
    inbound: Inbound | None = None
    pals: PalsDelivery | None = None          # None: every route (tests of the recorder alone)
    clock: Callable[[], dt.datetime] | None = None
    replies: list[Reply] = field(default_factory=list)
    escalation_ids: list[int] = field(default_factory=list)
    ended: str | None = None
    translate: bool = False         # a translator is configured: queue English for staff

    def apply(self, events: list[ev.Event]) -> None:
        for event in events:
            handler = getattr(self, f"on_{event.name}", None)
            if handler:
                handler(event)

    def on_msg_created(self, e: ev.MsgCreated) -> None:
        self.replies.append(Reply.from_event(e))

    def _answer(self, step: str) -> tuple[Answer, bool]:
        """The response's answer to `step`, and whether it was made just now."""
        answer = self.tx.scalar(_ANSWER, {"response_id": self.response.id, "step": step})
        if answer is None:
            answer = Answer(response_id=self.response.id, step=step)
            self.tx.add(answer)
            return answer, True
        return answer, False

    def on_answer_recorded(self, e: ev.AnswerRecorded) -> None:
        answer, fresh = self._answer(e.step)
        answer.outcome, answer.text, answer.code = e.outcome, redact(e.text), e.code
        answer.skipped = False
        answer.translation = None
        auto_code(self.tx, answer, self.response.language, self._now(), fresh=fresh)
        if self.translate and self.response.language != "en" and answer.text:
            self.tx.flush()
            translate_jobs.enqueue(self.tx, translate_jobs.ANSWER, answer.id, answer.text,
                                   self._now())

    def on_answer_skipped(self, e: ev.AnswerSkipped) -> None:
        if e.outcome:
            answer, _ = self._answer(e.step)
            answer.outcome, answer.skipped = e.outcome, True

    def on_comment_recorded(self, e: ev.CommentRecorded) -> None:
        answer, _ = self._answer("comment")
        text = redact(e.text)
        answer.text = f"{answer.text}\n{text}".strip() if answer.text else text

    def on_choice_recorded(self, e: ev.ChoiceRecorded) -> None:
        if e.field == "dna_reason":
            self.response.dna_reason = e.value
            self.response.dna_reason_text = redact(e.text) or None
            return
        row = self.tx.scalar(_MONITORING, {"response_id": self.response.id, "field": e.field})
        if row is None:
            row = MonitoringAnswer(response_id=self.response.id, field=e.field)
            self.tx.add(row)
        row.value = redact(e.value)

    def on_language_changed(self, e: ev.LanguageChanged) -> None:
        self.response.language = e.language

    def on_disclosure_detected(self, e: ev.DisclosureDetected) -> None:
        self.tx.flush()
        kinds = (escalations.DELIVERY_KINDS if self.pals is None
                 else routes_for(self.pals, self.response.service))
        escalation = escalations.raise_escalation(self.tx, self.response, e, kinds, self._now())
        self.escalation_ids.append(escalation.id)
        if self.translate and escalation.language != "en":
            translate_jobs.enqueue(self.tx, translate_jobs.ESCALATION, escalation.id,
                                   escalation.text, self._now())
        self.conversation.session = {**self.conversation.session,
                                     "_escalations": [*self._open_escalations(), escalation.id]}

    def _open_escalations(self) -> list[int]:
        return list(self.conversation.session.get("_escalations", []))

    def _now(self) -> dt.datetime | None:
        return self.clock() if self.clock else None

    def _consent_given(self) -> None:
        """A yes or no answers for the escalations so far, not for later ones."""
        self.conversation.session = {**self.conversation.session, "_escalations": []}

    def on_contact_requested(self, _e: ev.ContactRequested) -> None:
        if self.inbound is None:
            return
        ids = self.escalation_ids or self._open_escalations()
        escalations.attach_contact(self.tx, ids, self.inbound.channel,
                                   self.keys.encrypt(self.inbound.address), self._now())
        self._consent_given()

    def on_contact_declined(self, _e: ev.ContactDeclined) -> None:
        self._consent_given()

    def on_flow_restarted(self, _e: ev.FlowRestarted) -> None:
        self.finish_response("partial")

    def finish_response(self, status: str) -> None:
        """Keep what was answered; an untouched response leaves no empty row behind."""
        self.tx.flush()
        has_answers = self.tx.scalar(select(Answer.id).where(
            Answer.response_id == self.response.id).limit(1)) is not None
        has_anything = has_answers or self.response.dna_reason is not None
        if status != "complete" and not has_anything:
            self.conversation.response_id = None
            self.tx.flush()
            self.tx.execute(delete(MonitoringAnswer).where(
                MonitoringAnswer.response_id == self.response.id))
            self.tx.delete(self.response)
        else:
            self.response.status = status

    def on_flow_completed(self, _e) -> None:
        self.ended = "complete"

    def on_flow_stopped(self, _e) -> None:
        self.ended = "stopped"

    def on_flow_expired(self, _e) -> None:
        self.ended = "partial"
