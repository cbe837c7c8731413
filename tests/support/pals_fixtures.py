"""Fixtures for the escalation tests: PALS's mailbox and ticketing system on
loopback, and the services built with the fake screen and those routes.

Import the names into a test module to use them (they override conftest's
`settings`, `services` and `clock` there only)."""

from __future__ import annotations

import dataclasses

import pytest

from feedback.bootstrap import build, engine_environment
from feedback.delivery.settings import PalsDelivery
from storage.repositories import add_service
from storage.types import utcnow
from tests.conftest import DEMO
from tests.support.clock import FakeClock
from tests.support.pals import SmtpInbox, WebhookReceiver, fake_screen, free_port


@pytest.fixture
def clock() -> FakeClock:
    """Starts at the real time, so a worker in another process finds the same jobs due."""
    return FakeClock(start=utcnow())


@pytest.fixture
def smtp():
    """PALS's SMTP server on a free port: down until the test calls `smtp.start()`."""
    inbox = SmtpInbox(free_port())
    yield inbox
    inbox.stop()


@pytest.fixture
def webhooks():
    made: list[WebhookReceiver] = []

    def make(statuses: list[int]) -> WebhookReceiver:
        made.append(WebhookReceiver(statuses).start())
        return made[-1]

    yield make
    for receiver in made:
        receiver.stop()


@pytest.fixture
def pals() -> PalsDelivery:
    """No route unless a test module overrides this."""
    return PalsDelivery()


@pytest.fixture
def settings(settings, pals):
    return settings.but(pals=pals)


@pytest.fixture
def services(settings, clock):
    env = dataclasses.replace(engine_environment(), screen=fake_screen)
    container = build(settings, clock=clock, env=env)
    with container.db.transaction() as tx:
        add_service(tx, **DEMO)
    yield container
    container.db.dispose()
