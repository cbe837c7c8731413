"""The small interface every channel speaks: what came in, what goes out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol

INDIVIDUAL = "individual"


@dataclass(frozen=True)
class Inbound:
    """A patient's message as a channel parsed it. `address` never leaves the
    service layer except as a keyed hash (or encrypted, where consented)."""
    channel: str            # sms | whatsapp | telegram | web | voice
    address: str            # phone number, chat id, web session id
    to: str                 # the number or bot the patient wrote to (routes to a service)
    text: str
    provider_id: str        # MessageSid, update_id... (retries are dropped by it)
    media: int = 0
    context: str = INDIVIDUAL
    service_slug: str | None = None
    variant: str = ""       # texts written for the channel: "voice", "easy" (Easy Read)


@dataclass(frozen=True)
class Reply:
    text: str
    key: str = ""
    options: tuple[str, ...] = ()
    language: str = "en"
    expects: str = ""       # yes_no | rating | choice | free: lets a channel offer keys/buttons

    @classmethod
    def from_event(cls, event) -> Reply:
        return cls(text=event.text, key=event.key, options=event.options,
                   language=event.language, expects=event.expects)

    def plain(self) -> str:
        """Text for channels without buttons: the options numbered below."""
        lines = [self.text] + [f"{i} {label}" for i, label in enumerate(self.options, 1)]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Reply:
        return cls(**{**data, "options": tuple(data.get("options", ()))})


@dataclass(frozen=True)
class Turn:
    """What a channel must send back for one inbound message."""
    replies: tuple[Reply, ...] = ()
    duplicate: bool = False
    failed: bool = False
    meta: dict = field(default_factory=dict)


class Channel(Protocol):
    name: str

    def parse(self, request) -> Inbound: ...

    def send(self, address: str, replies: tuple[Reply, ...]) -> None: ...
