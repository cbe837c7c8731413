"""Web group sessions through the Flask test client: three browsers answer,
1C is never shown, the log row counts the people and bullets their answers."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback.group_sessions import group_sessions
from storage.export import NOT_ASKED_IN_GROUP, row
from storage.models import GroupSession, Response

QUESTION_1C = "Have you ever experienced any mental or physical harm"


def question(page: str) -> str:
    found = re.search(r'<p class="question" id="question">(.*?)</p>', page)
    return found.group(1) if found else ""


def step(page: str) -> str:
    return re.search(r'name="step" value="([^"]*)"', page).group(1)


def test_three_browsers_answer_and_1c_is_never_shown(app, services):
    created = group_sessions(services).create("demo", "web")
    link = f"/chat/group/{created.code}"
    facilitator = f"/chat/group/facilitate/{created.facilitator}"
    browsers = [app.test_client() for _ in range(3)]
    pages: list[str] = []
    first = browsers[0].get(link)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and '<label for="answer">' in page
    assert "<script" not in page
    assert question(page).startswith("Do you feel that you have the level of access")
    answers = {0: "Easy to book online", 1: "Hard to get there by bus", 2: "Fine for me"}
    for i, browser in enumerate(browsers):
        response = browser.post(link, data={"answer": answers[i], "step": step(page)})
        pages.append(response.get_data(as_text=True))
        assert "your answer is saved" in pages[-1]
    browsers[0].post(link, data={"answer": "and the parking", "step": "q1a"})
    moved = app.test_client().post(facilitator, data={"action": "next"})
    assert "Do you feel that your health needs are met?" in moved.get_data(as_text=True)
    page = browsers[1].get(link).get_data(as_text=True)
    assert step(page) == "q1b"
    browsers[1].post(link, data={"answer": "Yes, mostly", "step": "q1b"})
    page = app.test_client().post(facilitator, data={"action": "next"}).get_data(as_text=True)
    pages.append(page)
    assert "How do you feel about your experience" in page
    pages.append(browsers[2].get(link).get_data(as_text=True))
    closed = app.test_client().post(facilitator, data={"action": "close"}).get_data(as_text=True)
    pages.append(closed)
    assert "Thank you all for your feedback" in closed
    assert "Thank you all for your feedback" in browsers[0].get(link).get_data(as_text=True)
    assert all(QUESTION_1C not in p for p in pages)

    with services.db.transaction() as tx:
        response = tx.scalar(select(Response))
        assert response.number_of_people == 3 and response.context == "group"
        assert response.engagement_type == "Group (Web chat)" and response.status == "complete"
        values = row(response)
        assert values["1A"] == ("• Easy to book online — and the parking\n"
                                "• Hard to get there by bus\n• Fine for me")
        assert values["1B"] == "• Yes, mostly" and values["1B code"] == "yes"
        assert values["1C"] == NOT_ASKED_IN_GROUP
        session = tx.scalar(select(GroupSession))
        assert session.status == "closed" and "members" not in session.state
        assert session.chat_key is None and session.opener_key is None


def test_a_wrong_or_expired_code_gets_a_404_and_changes_nothing(client, services, clock):
    assert client.get("/chat/group/NOTACODE").status_code == 404
    assert client.post("/chat/group/NOTACODE", data={"answer": "hi"}).status_code == 404
    assert client.get("/chat/group/facilitate/nope").status_code == 404
    created = group_sessions(services).create("demo", "web")
    clock.advance(hours=25)
    page = client.get(f"/chat/group/{created.code}")
    assert page.status_code == 404 and "not valid or has expired" in page.get_data(as_text=True)
    with services.db.transaction() as tx:
        assert tx.scalar(select(Response)) is None


def test_a_telegram_code_does_not_open_a_web_page(client, services):
    created = group_sessions(services).create("demo", "telegram")
    assert client.get(f"/chat/group/{created.code}").status_code == 404
