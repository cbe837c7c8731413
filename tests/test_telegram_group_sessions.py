"""A Telegram group session end to end: staff create a code with the CLI, a
group admin opens it, three members answer, 1C is never sent, nothing that
identifies the chat or its members is left in the database."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from feedback.app import create_app
from feedback.bootstrap import build, engine_environment
from feedback.cli import main
from flows.catalogue import load_catalogue
from storage.export import NOT_ASKED_IN_GROUP, row
from storage.models import Escalation, GroupSession, Response
from storage.repositories import add_service
from tests.conftest import DEMO
from tests.support.fake_telegram import TOKEN, FakeBotApi
from tests.support.telegram_updates import group_chat, message, person

SECRET = "webhook-secret-for-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
CHAT_ID = -1009876543210
ADMIN = person(880011001, "Facilitatorname")
MEMBERS = [person(880022002, "Bernadette"), person(880033003, "Chidozie"),
           person(880044004, "Dorotheaa")]
QUESTION_1C = load_catalogue().text("question.1c", "en")


@dataclass(frozen=True)
class Screening:
    disclosure: bool
    urgent: bool = False
    categories: tuple[str, ...] = ("harm",)
    evidence: tuple[str, ...] = ("hurt",)


def screen(text: str, _lang: str) -> Screening:
    return Screening(disclosure="hurt me" in text)


@pytest.fixture
def fake_api():
    api = FakeBotApi().start()
    api.admins.add(ADMIN["id"])
    yield api
    api.stop()


@pytest.fixture
def group_services(settings, clock, fake_api):
    extra = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET,
             "TELEGRAM_API_BASE_URL": fake_api.base_url}
    env = dataclasses.replace(engine_environment(), screen=screen)
    container = build(settings.but(extra=extra), clock=clock, env=env)
    with container.db.transaction() as tx:
        add_service(tx, **DEMO)
    yield container
    container.db.dispose()


class Group:
    def __init__(self, services, api: FakeBotApi):
        app = create_app(services=services)
        app.config["TESTING"] = True
        self.client, self.api = app.test_client(), api
        self.ids = itertools.count(7000)

    def say(self, user: dict, text: str, reply: bool = False, chat_id: int = CHAT_ID) -> list:
        before = len(self.api.sent())
        update = message(next(self.ids), group_chat(chat_id), user, text, reply_to_bot=reply)
        assert self.client.post("/telegram/webhook", json=update,
                                headers=HEADERS).status_code == 200
        return self.api.sent()[before:]


def create_code(database_url: str, channel: str) -> str:
    result = CliRunner().invoke(main, ["group-session", "create", "--service", "demo",
                                       "--channel", channel],
                                env={"FEEDBACK_DATABASE_URL": database_url,
                                     "FEEDBACK_SECRET_KEY": "test-secret-key-do-not-use",
                                     "FEEDBACK_PUBLIC_URL": "https://feedback.example.nhs.uk"})
    assert result.exit_code == 0, result.output
    return result.output.split()[-1]


def test_three_members_answer_and_1c_is_never_asked(group_services, fake_api, database_url):
    code = create_code(database_url, "telegram")
    group = Group(group_services, fake_api)
    refused = group.say(MEMBERS[0], f"/feedback {code}")
    assert "Only a group admin" in refused[0]["text"]
    opened = group.say(ADMIN, f"/feedback@nhs_feedback_test_bot {code}")
    assert "would like to hear from this group" in opened[0]["text"]
    assert opened[1]["text"].startswith("Do you feel that you have the level of access")
    assert opened[1]["reply_markup"] == {"force_reply": True, "selective": False}
    assert {m["chat_id"] for m in opened} == {str(CHAT_ID)}
    assert group.say(ADMIN, f"/feedback {code}", chat_id=-1005550001)[0]["text"] \
        .startswith("Sorry, that code is not valid")              # single use
    assert group.say(MEMBERS[0], "Booking online was easy", reply=True) == []
    assert group.say(MEMBERS[1], "just chatting, not a reply") == []
    group.say(MEMBERS[1], "The bus takes an hour", reply=True)
    group.say(MEMBERS[2], "Fine", reply=True)
    assert "Only a group admin" in group.say(MEMBERS[0], "/next")[0]["text"]
    assert group.say(ADMIN, "/next")[0]["text"].startswith("Do you feel that your health")
    sent = group.say(MEMBERS[2], "The nurse hurt me when I asked", reply=True)
    assert [m["text"] for m in sent][-1].startswith("Thank you. If anyone would like")
    assert all("hurt" not in m["text"] for m in sent)
    assert group.say(ADMIN, "/next")[0]["text"].startswith("How do you feel about your")
    group.say(MEMBERS[0], "Good overall", reply=True)
    closing = group.say(ADMIN, "/close")
    assert closing[0]["text"].startswith("Thank you all for your feedback")
    assert group.say(MEMBERS[0], "late words", reply=True) == []
    assert QUESTION_1C not in fake_api.texts()
    assert "harm" not in " ".join(fake_api.texts())
    assert {c[0] for c in fake_api.calls} >= {"getChatMember", "sendMessage"}

    with group_services.db.transaction() as tx:
        response = tx.scalar(select(Response))
        assert response.number_of_people == 3 and response.status == "complete"
        assert response.engagement_type == "Group (Messenger (Telegram))"
        values = row(response)
        assert values["1A"] == "• Booking online was easy\n• The bus takes an hour\n• Fine"
        assert values["1C"] == NOT_ASKED_IN_GROUP and values["1D"] == "• Good overall"
        escalation = tx.scalar(select(Escalation))
        assert escalation.reference == response.reference and escalation.outcome == "1B"
        session = tx.scalar(select(GroupSession))
        assert session.status == "closed" and session.chat_encrypted is None
        assert session.chat_key is None and "members" not in session.state


def test_the_member_who_opened_it_may_close_it_and_retries_change_nothing(
        group_services, fake_api, database_url):
    code = create_code(database_url, "telegram")
    group = Group(group_services, fake_api)
    group.say(ADMIN, f"/feedback {code}")
    update = message(99, group_chat(CHAT_ID), MEMBERS[0], "Easy", reply_to_bot=True)
    for _ in range(2):
        group.client.post("/telegram/webhook", json=update, headers=HEADERS)
    fake_api.admins.clear()                    # the opener is no longer an admin
    assert group.say(ADMIN, "/close")[0]["text"].startswith("Thank you all")
    with group_services.db.transaction() as tx:
        response = tx.scalar(select(Response))
        assert response.number_of_people == 1 and row(response)["1A"] == "• Easy"


def test_staff_close_from_the_cli_posts_the_ending_to_the_group(group_services, fake_api,
                                                                database_url):
    code = create_code(database_url, "telegram")
    group = Group(group_services, fake_api)
    group.say(ADMIN, f"/feedback {code}")
    result = CliRunner().invoke(main, ["group-session", "close", "--code", code], env={
        "FEEDBACK_DATABASE_URL": database_url, "FEEDBACK_SECRET_KEY": "test-secret-key-do-not-use",
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake_api.base_url})
    assert result.exit_code == 0, result.output
    last = fake_api.sent()[-1]
    assert last["chat_id"] == str(CHAT_ID) and last["text"].startswith("Thank you all")


def test_the_cli_prints_a_web_link_as_the_last_word(database_url, services):
    link = create_code(database_url, "web")
    assert link.startswith("https://feedback.example.nhs.uk/chat/group/")


def test_no_chat_or_member_identity_is_left_in_the_database(group_services, fake_api,
                                                           database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("scans the SQLite file's bytes")
    code = create_code(database_url, "telegram")
    group = Group(group_services, fake_api)
    group.say(ADMIN, f"/feedback {code}")
    for member in MEMBERS:
        group.say(member, f"My answer from {'a member'}", reply=True)
    group.say(ADMIN, "/close")
    group_services.db.dispose()
    main_file = Path(database_url.removeprefix("sqlite:///"))
    files = [p for p in (main_file, Path(f"{main_file}-wal")) if p.exists()]
    secrets = [str(CHAT_ID), str(abs(CHAT_ID)), *(str(u["id"]) for u in [ADMIN, *MEMBERS]),
               *(u["username"] for u in [ADMIN, *MEMBERS]),
               *(u["first_name"] for u in [ADMIN, *MEMBERS])]
    for path in files:
        data = path.read_bytes()
        for value in secrets:
            assert value.encode() not in data, f"{value} found in {path.name}"
