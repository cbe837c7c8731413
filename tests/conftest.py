"""Fixtures: a fresh database per test (SQLite by default; PostgreSQL when
FEEDBACK_TEST_DATABASE_URL is set, as CI's second pass does), a hand-moved
clock, the app built by the real composition root, and a patient's phone."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from feedback.app import create_app
from feedback.bootstrap import build
from feedback.config import Settings
from storage.migrate import upgrade
from storage.models import Base
from storage.repositories import add_service
from tests.support.clock import FakeClock
from tests.support.fake_twilio import FakeTwilio
from tests.support.invites import wired
from tests.support.phone import AUTH_TOKEN, PUBLIC_URL, Phone

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
PG_URL = os.environ.get("FEEDBACK_TEST_DATABASE_URL", "")
DEMO = dict(slug="demo", name="Demo Community Clinic", sms_number="+447700900001",
            whatsapp_number="+447700900009", pals_phone="0800 000 0000",
            pals_text="07700 900002", pals_email="pals@example.nhs.uk")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Tests never leave this machine: any non-loopback connection fails loudly."""
    real = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in
                                          ("localhost", "::1") or host.startswith("/")):
            raise AssertionError(f"test tried to reach the network: {host}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """Migrate once; each test copies the file (SQLite) or truncates (PostgreSQL)."""
    if PG_URL:
        upgrade(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(template_db, tmp_path) -> str:
    if PG_URL:
        _truncate_all(PG_URL)
        return PG_URL
    path = tmp_path / "feedback.sqlite3"
    shutil.copy(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-key-do-not-use",
                    twilio_auth_token=AUTH_TOKEN, public_url=PUBLIC_URL,
                    instance_path=tmp_path / "instance")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(settings, clock):
    container = build(settings, clock=clock)
    with container.db.transaction() as tx:
        add_service(tx, **DEMO)
    yield container
    container.db.dispose()


@pytest.fixture
def app(services):
    application = create_app(services=services)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def phone(client) -> Phone:
    return Phone(client)


@pytest.fixture
def fake(settings, clock):
    """A local fake of Twilio's REST API, reached through the real twilio client."""
    twilio = FakeTwilio(settings.twilio_auth_token, clock).start()
    yield twilio
    twilio.stop()


@pytest.fixture
def inviting(settings, clock, fake, services):
    """The composition root with invitations sent through the fake Twilio."""
    container = wired(settings, clock, fake)
    yield container
    container.db.dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright; skipped, saying why, without it.
    Per module: Playwright's sync API keeps an event loop running in this thread
    while it lives, and the Telegram tests need to run their own."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Chromium is not installed (scripts/setup.sh installs Debian's "
                    "chromium when run as root with apt)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install -e .[test])")
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except sync_api.Error as error:
            pytest.skip(f"Chromium would not start: {str(error).splitlines()[0]}")
        yield launched
        launched.close()
