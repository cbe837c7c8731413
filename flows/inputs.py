"""What can wake a conversation: a message, or the passing of time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageIn:
    text: str
    media: int = 0      # number of attachments (pictures, voice notes...)


@dataclass(frozen=True)
class TimedOut:
    """The host decided the conversation has been idle too long."""
