"""Events: what happened during one step, in the past tense.

The engine only records them; the host stores answers, sends messages and
escalates disclosures by reading them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Event:
    @property
    def name(self) -> str:
        return _NAMES[type(self)]

    def to_dict(self) -> dict:
        return {"event": self.name, **asdict(self)}


@dataclass(frozen=True)
class MsgCreated(Event):
    key: str
    text: str
    options: tuple[str, ...] = ()   # numbered option labels, in order
    language: str = "en"
    expects: str = ""               # a question's answer: yes_no | rating | choice | free


@dataclass(frozen=True)
class QuestionAsked(Event):
    step: str
    outcome: str | None


@dataclass(frozen=True)
class QuestionOmitted(Event):
    step: str
    outcome: str | None
    reason: str


@dataclass(frozen=True)
class AnswerRecorded(Event):
    step: str
    outcome: str
    text: str
    code: str | None


@dataclass(frozen=True)
class AnswerSkipped(Event):
    step: str
    outcome: str | None


@dataclass(frozen=True)
class ChoiceRecorded(Event):
    step: str
    field: str
    value: str
    text: str = ""


@dataclass(frozen=True)
class CommentRecorded(Event):
    """Words sent while the survey was paused: kept, never lost."""
    step: str
    text: str


@dataclass(frozen=True)
class LanguageChanged(Event):
    language: str
    how: str            # chosen | detected | keyword


@dataclass(frozen=True)
class DisclosureDetected(Event):
    step: str
    outcome: str | None
    text: str
    categories: tuple[str, ...]
    urgent: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class ContactRequested(Event):
    """The patient clearly said yes to PALS contacting them."""


@dataclass(frozen=True)
class ContactDeclined(Event):
    pass


@dataclass(frozen=True)
class FlowRestarted(Event):
    pass


@dataclass(frozen=True)
class FlowCompleted(Event):
    pass


@dataclass(frozen=True)
class FlowStopped(Event):
    """The patient opted out: nothing more may be sent until START."""


@dataclass(frozen=True)
class FlowExpired(Event):
    pass


_NAMES = {
    MsgCreated: "msg_created", QuestionAsked: "question_asked",
    QuestionOmitted: "question_omitted", AnswerRecorded: "answer_recorded",
    AnswerSkipped: "answer_skipped", ChoiceRecorded: "choice_recorded",
    CommentRecorded: "comment_recorded", LanguageChanged: "language_changed",
    DisclosureDetected: "disclosure_detected",
    ContactRequested: "contact_requested", ContactDeclined: "contact_declined",
    FlowRestarted: "flow_restarted", FlowCompleted: "flow_completed",
    FlowStopped: "flow_stopped", FlowExpired: "flow_expired",
}
