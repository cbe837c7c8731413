"""Web chat over plain HTTP (no script): GET/POST /chat/<service>."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback.app import create_app
from flows.catalogue import load_catalogue
from storage.models import Answer, MonitoringAnswer, Response, Service
from tests.conftest import DEMO
from tests.support.webchat import ChatClient, nonce_of, option_buttons, urdu_services

EN = load_catalogue()


def text(key: str, **params) -> str:
    """A catalogue text as it appears in the HTML (escaped)."""
    return html_lib.escape(EN.text(key, "en", params), quote=False)


@pytest.fixture
def chat(client) -> ChatClient:
    return ChatClient(client)


def responses(services) -> list[Response]:
    with services.db.transaction() as tx:
        rows = tx.scalars(select(Response).order_by(Response.id)).all()
        tx.expunge_all()
        return list(rows)


def answers(services) -> list[Answer]:
    with services.db.transaction() as tx:
        rows = tx.scalars(select(Answer).order_by(Answer.id)).all()
        tx.expunge_all()
        return list(rows)


def finish_questions(chat: ChatClient) -> str:
    chat.open()
    chat.send("Easy to book and the receptionist was kind")
    chat.send("They listened to me and explained my results")
    chat.send("No")
    return chat.send("Very good, I would recommend it to a friend")


def test_the_first_visit_begins_a_web_chat_in_english(chat, services):
    page = chat.open()
    assert '<html lang="en" dir="ltr">' in page
    assert text("welcome.domain1", service=DEMO["name"]) in page
    assert text("question.1a") in page
    [response] = responses(services)
    assert (response.channel, response.engagement_type, response.language) == (
        "web", "Web chat", "en")
    chat.open()
    assert len(responses(services)) == 1, "a reload must not begin a second conversation"


def test_each_reply_is_a_form_post_then_a_redirect_to_the_page(chat, services):
    chat.open()
    response = chat.post(reply="Yes")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/chat/demo")
    page = chat.open()
    assert '<p class="text" dir="auto">Yes</p>' in page
    assert page.rindex(text("followup.why")) > page.index(text("question.1a"))
    assert [(a.step, a.code) for a in answers(services)] == [("q1a", "yes")]


def test_a_double_submit_is_answered_and_recorded_once(chat, services):
    chat.open()
    first = chat.post(reply="Easy to book and the staff were kind")
    again = chat.post(reply="Easy to book and the staff were kind")
    assert (first.status_code, again.status_code) == (303, 303)
    page = chat.open()
    assert page.count("Easy to book and the staff were kind") == 1
    assert page.count(text("question.1b")) == 1
    assert [a.step for a in answers(services)] == ["q1a"]


def test_a_form_this_browser_was_not_given_is_refused(chat, client, app, services):
    chat.open()
    forged = client.post("/chat/demo", data={"nonce": "made-up", "reply": "Yes"})
    assert forged.status_code == 400
    assert text("webchat.stale") in forged.get_data(as_text=True)
    stranger = app.test_client()
    stolen = stranger.post("/chat/demo", data={"nonce": nonce_of(chat.html), "reply": "Yes"})
    assert stolen.status_code == 400
    assert answers(services) == []


def test_an_unknown_service_is_not_found(client):
    assert client.get("/chat/no-such-service").status_code == 404


def test_options_are_real_buttons_that_work_without_script(chat, services):
    finish_questions(chat)
    page = chat.send("Yes")
    buttons = option_buttons(page)
    assert [label for _, label in buttons][-1] == text("option.prefer_not_to_say")
    assert text("monitoring.age_band") in page
    response = chat.post(reply=buttons[-1][0])
    assert response.status_code == 303
    assert text("monitoring.gender") in chat.open()
    with services.db.transaction() as tx:
        chosen = tx.scalars(select(MonitoringAnswer.value)).all()
    assert "prefer_not_to_say" in chosen


def test_the_whole_flow_ends_with_the_reference_and_pals(chat, services):
    finish_questions(chat)
    page = chat.send("No")
    [response] = responses(services)
    assert response.status == "complete"
    assert response.reference in page
    assert html_lib.escape(DEMO["pals_email"]) in page
    assert text("webchat.finished") in page


def test_the_script_gets_json_with_the_new_messages_and_a_fresh_nonce(chat, client):
    chat.open()
    old = nonce_of(chat.html)
    response = client.post("/chat/demo", data={"nonce": old, "reply": "Yes"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["nonce"] != old and body["lang"] == "en" and body["dir"] == "ltr"
    assert '<p class="text" dir="auto">Yes</p>' in body["log"]
    assert text("followup.why") in body["log"]
    assert text("question.1a") not in body["log"], "only the new items are sent"
    assert 'id="reply"' in body["answer"] and body["nonce"] in body["answer"]
    assert body["reload"] is False


def test_easy_read_rewrites_the_messages_but_not_the_conversation(chat, services):
    chat.open()
    assert chat.post(action="easy").status_code == 303
    page = chat.open()
    assert text("easy.question.1a") in page
    assert text("question.1a") not in page
    assert text("webchat.easy_off") in page
    page = chat.send("Yes")
    assert text("easy.followup.why") in page
    assert responses(services)[0].language == "en"
    chat.post(action="easy")
    assert text("question.1a") in chat.open()


def test_easy_read_closing_keeps_the_reference(chat, services):
    finish_questions(chat)
    chat.send("No")
    chat.post(action="easy")
    page = chat.open()
    reference = responses(services)[0].reference
    assert text("easy.closing", reference=reference,
                pals=EN.text("pals.details", "en", DEMO)) in page


def test_a_bsl_link_appears_only_for_configured_questions(chat, services):
    with services.db.transaction() as tx:
        service = tx.scalar(select(Service).where(Service.slug == "demo"))
        service.settings = {"bsl_videos": {"q1b": "https://bsl.example.nhs.uk/q1b",
                                           "q1c": "javascript:alert(1)"}}
    page = chat.open()
    assert text("webchat.bsl_link") not in page
    page = chat.send("Easy to book and the receptionist was kind")
    links = re.findall(r'<a href="([^"]+)" rel="noopener noreferrer">' +
                       re.escape(text("webchat.bsl_link")), page)
    assert links == ["https://bsl.example.nhs.uk/q1b"]
    page = chat.send("They listened to me and explained my results")
    assert "javascript:" not in page


def test_pages_load_nothing_from_elsewhere_and_send_strict_headers(chat, client):
    page = chat.open()
    response = client.get("/chat/demo")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    assert "<script>" not in page and " style=" not in page
    resources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert resources and all(r.startswith(("/", "#")) for r in resources), resources
    for path in re.findall(r'(?:src|href)="(/webchat-static/[^"]+)"', page):
        asset = client.get(path)
        assert asset.status_code == 200 and asset.data
        asset.close()
    cookies = response.headers.getlist("Set-Cookie")
    assert all(c.startswith("session=") and "HttpOnly" in c for c in cookies)


def test_the_browser_token_and_answers_stay_out_of_the_cookie_budget(chat, client, app):
    finish_questions(chat)
    chat.send("Yes")
    for turn in range(12):
        page = chat.send(" ".join(f"w{(i + 97 * turn) * 7919 % 10007}" for i in range(300)))
        if text("webchat.finished") in page:
            break
    cookie = client.get_cookie("session")
    assert len(cookie.value) < 3800
    assert text("webchat.earlier_hidden") in page


def test_the_browser_token_is_kept_only_as_a_keyed_hash(chat, client, app, services,
                                                        database_url, caplog):
    finish_questions(chat)
    chat.send("No")
    serializer = app.session_interface.get_signing_serializer(app)
    token = serializer.loads(client.get_cookie("session").value)["webchat"]["a"]
    assert token not in caplog.text
    if database_url.startswith("sqlite"):
        services.db.dispose()
        data = Path(database_url.removeprefix("sqlite:///")).read_bytes()
        assert token.encode() not in data


# -- right to left: Urdu ---------------------------------------------------------

@pytest.fixture
def urdu_client(settings, clock, tmp_path):
    services = urdu_services(settings, clock, tmp_path)
    app = create_app(services=services)
    app.config["TESTING"] = True
    yield ChatClient(app.test_client()), services, services.env.catalogue
    services.db.dispose()


def test_lang_in_the_link_begins_in_urdu_right_to_left(urdu_client):
    chat, services, catalogue = urdu_client
    page = chat.open(lang="ur")
    assert '<html lang="ur" dir="rtl">' in page
    assert html_lib.escape(catalogue.text("question.1a", "ur"), quote=False) in page
    assert '<option value="ur" lang="ur" selected>اردو</option>' in page
    assert responses(services)[0].language == "ur"


def test_the_picker_changes_language_mid_conversation(urdu_client):
    chat, services, catalogue = urdu_client
    chat.open()
    chat.send("Easy to book and the receptionist was kind")
    assert chat.post(action="language", lang="ur").status_code == 303
    page = chat.open()
    assert '<html lang="ur" dir="rtl">' in page
    changed = catalogue.text("language.changed", "ur", {"language": "اردو"})
    assert html_lib.escape(changed, quote=False) in page
    assert page.rindex(catalogue.text("question.1b", "ur")) > page.index(changed)
    assert catalogue.text("language.menu", "en") not in page
    [response] = responses(services)
    assert response.language == "ur"
    assert [a.step for a in answers(services)] == ["q1a"]


@pytest.fixture
def urdu_without_privacy_note(settings, clock, tmp_path):
    services = urdu_services(settings, clock, tmp_path, lacking="webchat.privacy")
    yield services
    services.db.dispose()


def test_english_text_in_an_urdu_page_is_marked_english(urdu_without_privacy_note):
    services = urdu_without_privacy_note
    chat = ChatClient(create_app(services=services).test_client())
    catalogue = services.env.catalogue
    page = chat.open(lang="ur")
    assert not catalogue.texts["ur"].get("webchat.privacy")
    privacy = html_lib.escape(catalogue.text("webchat.privacy", "en"), quote=False)
    assert f'<span lang="en" dir="ltr">{privacy}</span>' in page
