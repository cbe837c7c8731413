"""PALS's side, played locally: a real SMTP server (aiosmtpd) and a webhook
receiver (http.server), both on loopback ports, plus a small fake screen."""

from __future__ import annotations

import email
import json
import socket
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from feedback.delivery.settings import PalsDelivery


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpInbox:
    """PALS's mailbox. Down until `start()`; `hold()` makes the next DATA wait
    until `release()`, then refuse with 451 (a delivery cut off mid-way)."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list[EmailMessage] = []
        self.controller: Controller | None = None
        self.holding = threading.Event()     # set: DATA waits for release
        self.data_arrived = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.data_arrived.set()
        if self.holding.is_set():
            self.released.wait(30)
            return "451 4.3.0 cut off before acceptance"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self) -> SmtpInbox:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.released.set()
            self.controller.stop()
            self.controller = None

    def hold(self) -> None:
        self.holding.set()

    def release(self) -> None:
        self.released.set()
        self.holding.clear()

    def settings(self, to: str = "pals-safeguarding@example.nhs.uk") -> PalsDelivery:
        return PalsDelivery(smtp_host="127.0.0.1", smtp_port=self.port, smtp_starttls=False,
                            smtp_timeout=5, email_from="feedback@example.nhs.uk", email_to=to,
                            staff_url="https://feedback.example.nhs.uk")


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class WebhookReceiver:
    """A ticketing system: answers each POST with the next scripted status."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[Delivery] = []
        self.accepted: list[Delivery] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                delivery = Delivery(dict(self.headers.items()), body)
                receiver.requests.append(delivery)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if 200 <= status < 300:
                    receiver.accepted.append(delivery)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/tickets"

    def start(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass(frozen=True)
class Screening:
    disclosure: bool
    urgent: bool
    categories: tuple[str, ...]
    evidence: tuple[str, ...]


HARM = {"hit me": "physical_abuse", "hurt me": "physical_harm", "shouted": "verbal_abuse"}
DANGER = ("end my life", "kill myself", "no reason to live")


def fake_screen(text: str, lang: str) -> Screening:
    """A deterministic stand-in for flows.safety.screen (any language: phrases are English)."""
    said = text.casefold()
    urgent = [p for p in DANGER if p in said]
    harm = [p for p in HARM if p in said]
    categories = tuple([HARM[p] for p in harm] + (["self_harm"] if urgent else []))
    return Screening(disclosure=bool(harm or urgent), urgent=bool(urgent),
                     categories=categories, evidence=tuple(harm + urgent))
