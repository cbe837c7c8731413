"""No phone number survives in the database: scan the files' bytes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

NUMBER = "+447700900123"
FORMS = ["+447700900123", "447700900123", "07700900123", "07700 900123", "07700 900 123",
         "+44 7700 900123", "+44 (0)7700 900123", "7700900123", "0044 7700 900123"]


def encodings(form: str) -> list[bytes]:
    return [form.encode("utf-8"), form.encode("utf-16-le"), form.encode("utf-16-be")]


def database_files(database_url: str) -> list[Path]:
    main = Path(database_url.removeprefix("sqlite:///"))
    return [p for p in [main, Path(f"{main}-wal"), Path(f"{main}-journal"), Path(f"{main}-shm")]
            if p.exists()]


def hold_a_conversation(phone, services) -> None:
    phone.send("Hi")
    for reply in ["Yes", "My number changed, I gave them 07700 900 456 but not this one",
                  "Yes, always", "no", "5", "Lovely", "no"]:
        phone.send(reply)
    services.conversations.begin("demo", "sms", NUMBER, flow_id="dna")
    phone.send("Forgot")
    phone.send("STOP")
    phone.send("START")
    phone.send("RESTART")


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("scans SQLite files; the PostgreSQL pass checks the tables instead")


def test_no_form_of_the_number_is_in_any_database_file(sqlite_only, phone, services,
                                                       database_url):
    assert phone.number == NUMBER
    hold_a_conversation(phone, services)
    files = database_files(database_url)
    assert files, "no database files found"
    for path in files:
        data = path.read_bytes()
        for form in FORMS:
            for encoded in encodings(form):
                assert encoded not in data, f"{form!r} found in {path.name}"
    digits_only = "".join(c for c in NUMBER if c.isdigit())[-10:]
    services.db.dispose()
    for path in database_files(database_url):
        assert digits_only.encode() not in path.read_bytes()


def test_no_table_holds_the_number_on_any_database(phone, services):
    """The same check through SQL, so it also runs on PostgreSQL."""
    from sqlalchemy import String, Text, cast, or_, select

    from storage.models import Base

    hold_a_conversation(phone, services)
    with services.db.transaction() as tx:
        for table in Base.metadata.sorted_tables:
            columns = [cast(c, Text) for c in table.columns
                       if isinstance(c.type, (String, Text)) or c.type.__class__.__name__ in
                       ("JSON", "Text")]
            if not columns:
                continue
            condition = or_(*[c.contains("7700900123") for c in columns],
                            *[c.contains("7700 900123") for c in columns])
            assert tx.execute(select(table).where(condition)).first() is None, table.name


def test_numbers_and_emails_typed_into_answers_are_removed(phone, services):
    from sqlalchemy import select

    from storage.models import Answer

    phone.send("Hi")
    phone.send("No - ring me on 07700 900456 or mail jo.bloggs@example.com, they never call")
    with services.db.transaction() as tx:
        text = tx.scalar(select(Answer.text))
    assert text == ("No - ring me on [number removed] or mail [email removed], "
                    "they never call")


def test_logs_never_carry_the_number(phone, services, caplog):
    caplog.set_level(logging.DEBUG)
    hold_a_conversation(phone, services)
    phone.client.post("/sms/inbound", data=phone.form("Hi"), headers={})  # rejected: 403
    text = caplog.text
    for form in FORMS:
        assert form not in text
