"""The real python-telegram-bot library against a local fake Bot API: the
webhook's secret, a private chat with inline keyboards, retries, polling."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.telegram.polling import build_application
from bot.telegram.settings import TelegramSettings
from feedback.app import create_app
from feedback.bootstrap import build
from storage.models import Answer, InboundMessage, MonitoringAnswer, Response
from storage.repositories import add_service
from tests.conftest import DEMO
from tests.support.fake_telegram import TOKEN, FakeBotApi
from tests.support.telegram_updates import button, message, person, private_chat

SECRET = "webhook-secret-for-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
ALEX = person(770011223, "Alexandra")


@pytest.fixture
def fake_api():
    api = FakeBotApi().start()
    yield api
    api.stop()


@pytest.fixture
def telegram_services(settings, clock, fake_api):
    extra = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET,
             "TELEGRAM_API_BASE_URL": fake_api.base_url, "TELEGRAM_SERVICE": "demo"}
    container = build(settings.but(extra=extra), clock=clock)
    with container.db.transaction() as tx:
        add_service(tx, **DEMO)
    yield container
    container.db.dispose()


@pytest.fixture
def bot_client(telegram_services):
    app = create_app(services=telegram_services)
    app.config["TESTING"] = True
    return app.test_client()


class Patient:
    """Someone in a private chat with the bot, sending through the webhook."""

    def __init__(self, client, api: FakeBotApi, user: dict):
        self.client, self.api, self.user = client, api, user
        self.ids = itertools.count(500)

    def post(self, update: dict) -> list[dict]:
        before = len(self.api.sent())
        response = self.client.post("/telegram/webhook", json=update, headers=HEADERS)
        assert response.status_code == 200
        return self.api.sent()[before:]

    def send(self, text: str) -> list[dict]:
        return self.post(message(next(self.ids), private_chat(self.user), self.user, text))

    def press(self, data: str) -> list[dict]:
        return self.post(button(next(self.ids), self.user, data))


def labels(sent: dict) -> list[str]:
    rows = sent.get("reply_markup", {}).get("inline_keyboard", [])
    return [row[0]["text"] for row in rows]


def test_the_webhook_rejects_a_missing_or_wrong_secret(bot_client, fake_api, telegram_services):
    update = message(1, private_chat(ALEX), ALEX, "Hi")
    assert bot_client.post("/telegram/webhook", json=update).status_code == 403
    wrong = {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1] + "X"}
    assert bot_client.post("/telegram/webhook", json=update, headers=wrong).status_code == 403
    assert bot_client.post("/telegram/webhook", data="nonsense",
                           headers=HEADERS).status_code == 400
    assert fake_api.calls == []
    with telegram_services.db.transaction() as tx:
        assert tx.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_no_webhook_without_a_token(client):
    update = message(1, private_chat(ALEX), ALEX, "Hi")
    assert client.post("/telegram/webhook", json=update, headers=HEADERS).status_code == 404


def test_a_private_chat_completes_the_flow_with_inline_keyboards(bot_client, fake_api,
                                                                 telegram_services):
    patient = Patient(bot_client, fake_api, ALEX)
    first = patient.send("/start")
    assert [m["chat_id"] for m in first] == [str(ALEX["id"])] * 2
    assert "would like to hear about your care" in first[0]["text"]
    assert first[1]["text"].startswith("Do you feel that you have the level of access")
    patient.send("Yes, I could book online easily")
    patient.send("Yes, the nurse listened to me")
    patient.send("No, never")
    assert "Can you tell us why?" in patient.send("5")[0]["text"]
    offer = patient.send("The staff were lovely")
    assert "optional questions about you" in offer[-1]["text"]
    asked = patient.send("Yes")[-1]
    assert asked["text"] == "What is your age?"
    assert labels(asked)[:2] == ["Under 18", "18-24"] and labels(asked)[-1] == "Prefer not to say"
    data = [row[0]["callback_data"] for row in asked["reply_markup"]["inline_keyboard"]]
    assert data == [str(n) for n in range(1, 9)]
    sent = patient.press("3")                                   # 25-34
    assert fake_api.sent("answerCallbackQuery")[-1]["callback_query_id"].startswith("cb")
    for _ in range(20):
        if not labels(sent[-1]):
            break
        sent = patient.press(str(len(labels(sent[-1]))))        # "Prefer not to say"
    assert sent[-1]["text"].startswith("Thank you for your feedback. Your reference is EDS-")
    assert len(fake_api.sent("answerCallbackQuery")) >= 10
    with telegram_services.db.transaction() as tx:
        response = tx.scalar(select(Response))
        assert (response.channel, response.status) == ("telegram", "complete")
        assert response.engagement_type == "Messenger (Telegram)"
        by_outcome = {a.outcome: a for a in response.answers}
        assert by_outcome["1C"].code == "no" and by_outcome["1D"].code == "very_good"
        ages = tx.scalars(select(MonitoringAnswer.value).where(
            MonitoringAnswer.field == "age_band")).all()
        assert ages == ["age_25_34"]


def test_a_retried_update_is_answered_again_but_recorded_once(bot_client, fake_api,
                                                              telegram_services):
    patient = Patient(bot_client, fake_api, ALEX)
    patient.send("Hi")
    update = message(900, private_chat(ALEX), ALEX, "Yes, it is close to home")
    first = patient.post(update)
    again = patient.post(update)
    assert [m["text"] for m in again] == [m["text"] for m in first]
    assert first[0]["text"].startswith("Do you feel that your health needs are met?")
    with telegram_services.db.transaction() as tx:
        assert tx.scalar(select(func.count()).select_from(Answer)) == 1
        assert tx.scalar(select(func.count()).select_from(InboundMessage)) == 2


def test_stop_and_help_commands_and_no_service(bot_client, fake_api, telegram_services):
    patient = Patient(bot_client, fake_api, ALEX)
    patient.send("Hi")
    assert "anonymous survey" in patient.send("/help")[0]["text"]
    assert "You will not get any more messages" in patient.send("/stop")[0]["text"]
    assert patient.send("hello?") == []


def test_polling_uses_the_same_handler_through_the_application(telegram_services, fake_api):
    settings = TelegramSettings.from_settings(telegram_services.settings)
    application = build_application(telegram_services, settings)

    async def run() -> None:
        async with application:
            data = message(1, private_chat(ALEX), ALEX, "Hi")
            await application.process_update(Update.de_json(data, application.bot))

    asyncio.run(run())
    texts = fake_api.texts()
    assert texts[1].startswith("Do you feel that you have the level of access")
    assert ("getMe", {}) in fake_api.calls
