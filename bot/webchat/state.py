"""What one browser's chat keeps between requests, in the signed session cookie.

The cookie holds the random token that is this browser's "address", the form
nonces this session issued (each doubles as a same-origin token and as the
provider id that makes a double submit count once), the Easy Read choice and
the transcript shown on the page. Nothing here goes into the database, and
the transcript is trimmed from the oldest line so the cookie stays small.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from feedback.messaging import Reply

KEY = "webchat"
NONCES_KEPT = 8
PATIENT_TEXT_KEPT = 500         # characters of a patient's own line shown back to them


@dataclass
class ChatState:
    slug: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    nonces: list[str] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    easy: bool = False
    trimmed: bool = False
    counter: int = 0              # numbers lines for stable element ids after trimming

    @property
    def started(self) -> bool:
        return bool(self.lines)

    def issue_nonce(self) -> str:
        nonce = secrets.token_urlsafe(12)
        self.nonces = (self.nonces + [nonce])[-NONCES_KEPT:]
        return nonce

    def issued(self, nonce: str) -> bool:
        return any(secrets.compare_digest(nonce, n) for n in self.nonces)

    def _append(self, line: dict) -> None:
        self.counter += 1
        self.lines.append({**line, "i": self.counter})

    def add_patient(self, text: str) -> None:
        self._append({"w": "p", "t": text[:PATIENT_TEXT_KEPT]})

    def add_replies(self, replies: tuple[Reply, ...]) -> None:
        """Only the newest turn keeps its option labels: older ones are just read."""
        for line in self.lines:
            line.pop("o", None)
        for reply in replies:
            line = {"w": "s", "t": reply.text, "k": reply.key, "l": reply.language}
            if reply.options:
                line["o"] = list(reply.options)
            self._append(line)

    def last_service_line(self) -> dict | None:
        return next((line for line in reversed(self.lines) if line["w"] == "s"), None)

    def drop_oldest(self) -> bool:
        if len(self.lines) <= 2:
            return False
        self.lines.pop(0)
        self.trimmed = True
        return True

    def to_dict(self) -> dict:
        return {"s": self.slug, "a": self.token, "n": self.nonces, "l": self.lines,
                "e": self.easy, "x": self.trimmed, "c": self.counter}

    @classmethod
    def from_dict(cls, data: dict) -> ChatState:
        return cls(slug=data["s"], token=data["a"], nonces=list(data.get("n", [])),
                   lines=list(data.get("l", [])), easy=bool(data.get("e")),
                   trimmed=bool(data.get("x")), counter=int(data.get("c", 0)))


def load(session, slug: str) -> ChatState:
    """This browser's chat with `slug`; a new one (new token) for another service."""
    data = session.get(KEY)
    if isinstance(data, dict) and data.get("s") == slug and data.get("a"):
        return ChatState.from_dict(data)
    return ChatState(slug=slug)


def save(session, state: ChatState, size_of, budget: int = 3500) -> None:
    """Store the state, dropping the oldest transcript lines while the cookie is too big."""
    session[KEY] = state.to_dict()
    while size_of(session) > budget and state.drop_oldest():
        session[KEY] = state.to_dict()
