"""WhatsApp through the same Twilio webhook: same flow, its own channel, and
the same anonymity (the number, WaId and profile name are never kept)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import String, Text, cast, func, or_, select

from flows.catalogue import load_catalogue
from storage.models import Answer, Base, Conversation, InboundMessage, Response
from tests.support.phone import Phone, sign

NUMBER = "+447700900123"
PROFILE_NAME = "Zainab Okonkwo-Hughes"
FORMS = [NUMBER, NUMBER[1:], "07700900123", "07700 900123", "+44 7700 900123", "7700900123",
         f"whatsapp:{NUMBER}"]
EN = load_catalogue()


class WhatsApp(Phone):
    """A WhatsApp user: Twilio adds their WhatsApp id and profile name to every post."""

    def form(self, body: str, sid: str | None = None, **extra) -> dict:
        return super().form(body, sid, WaId=NUMBER[1:], ProfileName=PROFILE_NAME, **extra)


@pytest.fixture
def whatsapp(client) -> WhatsApp:
    return WhatsApp(client, number=NUMBER, to="+447700900009", channel_prefix="whatsapp:")


def count(services, model) -> int:
    with services.db.transaction() as tx:
        return tx.scalar(select(func.count()).select_from(model))


def hold_a_conversation(whatsapp: WhatsApp) -> list[str]:
    said = [whatsapp.say("Hi")]
    for reply in ["Yes", "The bus stops right outside", "They sorted my medication",
                  "No", "5", "Everyone was friendly", "no"]:
        said.append(whatsapp.say(reply))
    return said


def test_the_same_flow_over_whatsapp_is_recorded_as_whatsapp(whatsapp, services):
    said = hold_a_conversation(whatsapp)
    assert EN.text("question.1a", "en") in said[0]
    assert said[-1].startswith("Thank you for your feedback. Your reference is")
    with services.db.transaction() as tx:
        response = tx.scalar(select(Response))
        steps = tx.scalars(select(Answer.step).order_by(Answer.id)).all()
        channels = set(tx.scalars(select(Conversation.channel)).all())
        assert (response.channel, response.engagement_type) == ("whatsapp", "WhatsApp")
        assert response.status == "complete" and response.reference in said[-1]
    assert steps == ["q1a", "q1b", "q1c", "q1d"]
    assert channels == {"whatsapp"}


def test_whatsapp_and_sms_from_one_number_are_separate_conversations(whatsapp, client,
                                                                     services):
    whatsapp.send("Hi")
    sms = Phone(client, number=NUMBER)
    sms.send("Hi")
    whatsapp.send("Yes, it is easy to get an appointment")
    with services.db.transaction() as tx:
        rows = tx.execute(select(Response.channel, func.count(Answer.id))
                          .outerjoin(Answer).group_by(Response.channel)).all()
    assert sorted(rows) == [("sms", 0), ("whatsapp", 1)]


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", None],
                         ids=["missing", "wrong", "another-token"])
def test_an_unsigned_whatsapp_post_is_refused_and_changes_nothing(whatsapp, services,
                                                                  signature):
    params = whatsapp.form("Hi")
    if signature is None:
        signature = sign(params, token="someone-elses-token")
    assert whatsapp.post(params, signature=signature).status_code == 403
    assert count(services, InboundMessage) == 0 and count(services, Response) == 0


def test_a_whatsapp_retry_is_answered_once(whatsapp, services):
    whatsapp.send("Hi")
    first = whatsapp.send("Yes, the clinic is near my home", sid="SMwaretry01")
    again = whatsapp.send("Yes, the clinic is near my home", sid="SMwaretry01")
    assert first == again and EN.text("question.1b", "en") in first[0]
    assert count(services, Answer) == 1


def test_whatsapp_to_a_number_no_service_uses_starts_nothing(client, services):
    stranger = WhatsApp(client, number=NUMBER, to="+447700900999", channel_prefix="whatsapp:")
    assert stranger.send("Hi") == []
    assert count(services, Response) == 0


def test_stop_over_whatsapp_is_honoured(whatsapp, services):
    whatsapp.send("Hi")
    whatsapp.send("Yes, it is easy to get an appointment")
    assert "You will not get any more messages" in whatsapp.say("STOP")
    assert whatsapp.send("Hello?") == []
    with services.db.transaction() as tx:
        assert tx.scalar(select(Response.status)) == "stopped"


def test_no_form_of_the_number_or_name_is_in_the_database_files(whatsapp, services,
                                                                database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("scans SQLite files; the table scan below covers PostgreSQL")
    hold_a_conversation(whatsapp)
    services.db.dispose()
    main = Path(database_url.removeprefix("sqlite:///"))
    files = [p for p in (main, Path(f"{main}-wal"), Path(f"{main}-journal")) if p.exists()]
    assert files
    for path in files:
        data = path.read_bytes()
        for form in [*FORMS, PROFILE_NAME]:
            for encoded in (form.encode(), form.encode("utf-16-le")):
                assert encoded not in data, f"{form!r} found in {path.name}"


def test_no_table_holds_the_number_or_name(whatsapp, services):
    hold_a_conversation(whatsapp)
    with services.db.transaction() as tx:
        for table in Base.metadata.sorted_tables:
            columns = [cast(c, Text) for c in table.columns
                       if isinstance(c.type, (String, Text)) or c.type.__class__.__name__
                       in ("JSON", "Text")]
            if not columns:
                continue
            condition = or_(*[c.contains(part) for c in columns
                              for part in ("7700900123", "Okonkwo")])
            assert tx.execute(select(table).where(condition)).first() is None, table.name


def test_logs_never_carry_the_number_or_name(whatsapp, caplog):
    caplog.set_level(logging.DEBUG)
    hold_a_conversation(whatsapp)
    whatsapp.client.post("/sms/inbound", data=whatsapp.form("Hi"), headers={})   # 403
    for form in [*FORMS, PROFILE_NAME, "Okonkwo"]:
        assert form not in caplog.text
