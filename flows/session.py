"""A conversation's state: where it is, in which language and context.

Plain data, serialised as JSON by the host. It holds no address and no
answers: answers leave as events and are stored with the response.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

INDIVIDUAL = "individual"
GROUP = "group"


@dataclass(frozen=True)
class Session:
    flow_id: str
    language: str = "en"
    context: str = INDIVIDUAL
    language_fixed: bool = False   # chosen by the patient or given with the invitation
    variant: str = ""              # "voice", "easy"...: texts `key@variant` override `key`
    step: int = 0
    state: str = "new"             # new|waiting|following_up|choosing_language|
    #                                asking_contact|paused|completed|stopped|expired
    pending: str = ""              # a bare reply kept while asking "why?"
    pending_code: str | None = None
    retried: bool = False
    resume_state: str = ""         # the state to return to after the language menu
    after_disclosure: str = ""     # "urgent" or "" while asking about PALS contact
    values: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.state not in {"completed", "stopped", "expired"}

    def evolve(self, **changes) -> Session:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Session:
        return cls(**data)
