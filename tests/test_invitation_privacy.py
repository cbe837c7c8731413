"""After a whole campaign (import, send, reminder, replies, STOP, expiry) no
form of a patient's number is in any database file or table."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text

from feedback.app import create_app
from tests.support.fake_twilio import FakeTwilio
from tests.support.invites import import_rows, invitations, wired
from tests.support.phone import Phone

NUMBERS = ["+447911123123", "+447911123124", "+447911123125"]


def forms(number: str) -> list[str]:
    national = "0" + number[3:]
    return [number, number[1:], national, f"{national[:5]} {national[5:]}", number[3:]]


def campaign(settings, clock, services):
    fake = FakeTwilio(settings.twilio_auth_token, clock).start()
    container = wired(settings, clock, fake)
    import_rows(container, *(f"{n},2026-03-09 14:30,demo,{a},en,sms," for n, a in
                             zip(NUMBERS, ["attended", "did not attend", "attended"],
                                 strict=True)))
    container.jobs.run_until_idle()
    app = create_app(services=container)
    app.config["TESTING"] = True
    first, second = (Phone(app.test_client(), number=n) for n in NUMBERS[:2])
    clock.advance(minutes=5)
    first.send("Yes, easy to book")
    second.send("Forgot")
    second.send("STOP")
    clock.advance(days=3)
    container.jobs.run_until_idle()          # the third gets a reminder
    clock.advance(days=8)
    container.jobs.run_until_idle()
    container.conversations.expire_idle()
    fake.stop()
    return container


@pytest.fixture
def finished(settings, clock, services):
    container = campaign(settings, clock, services)
    yield container
    container.db.dispose()


def test_every_invitation_ends_with_its_number_deleted(finished):
    rows = invitations(finished)
    assert [r.address_encrypted for r in rows] == [None, None, None]
    assert sorted(r.state for r in rows) == ["closed", "closed", "expired"]


def test_no_table_holds_any_form_of_the_numbers(finished):
    with finished.db.transaction() as tx:
        for table in inspect(tx.connection()).get_table_names():
            dump = " ".join(str(row) for row in tx.execute(text(f'SELECT * FROM "{table}"')))
            for number in NUMBERS:
                for form in forms(number):
                    assert form not in dump, f"{form} in {table}"


def test_no_database_file_holds_any_form_of_the_numbers(finished, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("scans SQLite files; the table scan covers PostgreSQL")
    from pathlib import Path

    finished.db.dispose()
    main = Path(database_url.removeprefix("sqlite:///"))
    files = [p for p in (main, Path(f"{main}-wal"), Path(f"{main}-journal")) if p.exists()]
    for path in files:
        data = path.read_bytes()
        for number in NUMBERS:
            for form in forms(number):
                for encoded in (form.encode(), form.encode("utf-16-le")):
                    assert encoded not in data, f"{form} in {path.name}"


def test_answers_tables_have_no_way_back_to_an_invitation(finished):
    from storage.models import Answer, Response

    columns = {c.name for c in Response.__table__.columns} | {
        c.name for c in Answer.__table__.columns}
    assert not columns & {"invitation_id", "address_key", "person_key", "address_encrypted"}
    with finished.db.transaction() as tx:
        assert tx.scalars(select(Response.reference)).all()
