"""Non-digital engagement entered by staff into the same engagement log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import coding as codes
from storage.models import Answer, AuditEntry, Response
from tests.support.staff import add_staff, post, sign_in

ANSWERS = {"answer_1a": "Two buses to get there", "answer_1b": "Mostly yes",
           "answer_1c": "Someone pushed me", "answer_1d": "Staff were kind"}


@pytest.fixture
def analyst(client, services):
    add_staff(services)
    sign_in(client, "analyst")
    return client


def entered(services) -> Response | None:
    with services.db.transaction() as tx:
        response = tx.scalar(select(Response).where(Response.flow == "staff_entry"))
        if response is not None:
            response.answers  # noqa: B018 - load them before the session closes
        return response


def test_a_group_discussion_form_has_no_1c_and_never_stores_one(analyst, services):
    form = analyst.get("/staff/engagement/new?type=group_discussion").get_data(as_text=True)
    assert 'name="answer_1a"' in form and 'name="answer_1c"' not in form
    assert "1C (harm) is not asked in groups" in form
    saved = post(analyst, "/staff/engagement/new?type=group_discussion", {
        "service": "demo", "date": "2026-03-02", "number_of_people": "9",
        "soft_intelligence": "Roma women's group, interpreter present", **ANSWERS,
        "follow_up_actions": "Ask the clinic about interpreters", "person_responsible":
            "Inclusion lead", "interpreter": "on"},
        page="/staff/engagement/new?type=group_discussion")
    assert saved.status_code == 302
    response = entered(services)
    assert response.context == "group" and response.channel == "group_discussion"
    assert response.engagement_type == "Group discussion with an interpreter"
    assert response.number_of_people == 9 and response.status == "complete"
    assert response.person_responsible == "Inclusion lead"
    assert sorted(a.outcome for a in response.answers) == ["1A", "1B", "1D"]
    assert response.reference.startswith("EDS-")
    log = analyst.get("/staff/engagement/").get_data(as_text=True)
    assert response.reference in log and "Not asked (group)" in log
    csv = analyst.get("/staff/engagement/log.csv").get_data(as_text=True)
    assert response.reference in csv and "Not asked (group session)" in csv


def test_a_telephone_survey_by_staff_keeps_1c_and_is_coded(analyst, services):
    post(analyst, "/staff/engagement/new?type=telephone_survey", {
        "service": "demo", "date": "2026-03-03", "number_of_people": "1", "language": "pl",
        **ANSWERS, "quote_consent": "on"}, page="/staff/engagement/new?type=telephone_survey")
    response = entered(services)
    assert response.channel == "telephone_staff" and response.context == "individual"
    assert response.language == "pl" and response.quote_consent
    by = {a.outcome: a for a in response.answers}
    assert by["1C"].text == "Someone pushed me"
    with services.db.transaction() as tx:
        coded = codes.codes_for(tx, [by["1A"].id])[by["1A"].id]
        audit = tx.scalar(select(AuditEntry).where(AuditEntry.action == "engagement_entered"))
    assert "travel_location" in coded.themes
    assert audit.actor == "analyst@example.nhs.uk"
    page = analyst.get(f"/staff/answers/{by['1A'].id}").get_data(as_text=True)
    assert "May be quoted" in page


def test_quote_consent_is_not_shown_without_consent(analyst, services):
    post(analyst, "/staff/engagement/new?type=one_to_one", {
        "service": "demo", "date": "2026-03-03", "number_of_people": "1", **ANSWERS},
        page="/staff/engagement/new?type=one_to_one")
    response = entered(services)
    assert not response.quote_consent
    with services.db.transaction() as tx:
        answer_id = tx.scalar(select(Answer.id).where(Answer.response_id == response.id))
    page = analyst.get(f"/staff/answers/{answer_id}").get_data(as_text=True)
    assert "Not to be quoted" in page and "<strong>May be quoted" not in page


def test_an_entry_without_a_service_is_refused_and_the_form_kept(analyst, services):
    refused = post(analyst, "/staff/engagement/new?type=email", {
        "service": "", "date": "2026-03-03", "number_of_people": "1", **ANSWERS},
        page="/staff/engagement/new?type=email")
    assert refused.status_code == 400
    assert "choose the service" in refused.get_data(as_text=True)
    assert "Two buses to get there" in refused.get_data(as_text=True)
    assert entered(services) is None


def test_phone_numbers_typed_into_an_entry_are_removed(analyst, services):
    post(analyst, "/staff/engagement/new?type=one_to_one", {
        "service": "demo", "date": "2026-03-03", "number_of_people": "1",
        "soft_intelligence": "Call her back on 07700 900456", "answer_1a": "Fine"},
        page="/staff/engagement/new?type=one_to_one")
    assert "900456" not in entered(services).soft_intelligence
