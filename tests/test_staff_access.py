"""Every staff route against every role: who gets the page, who gets 403, and
that nobody signed out gets anything but the sign-in page."""

from __future__ import annotations

import pytest

from tests.support.staff import (
    add_staff,
    csrf_of,
    post,
    raise_case,
    response_with_answer,
    sign_in,
)

ROLES = ("admin", "pals", "analyst", "service_lead")
# (method, path, roles allowed); {case} and {answer} are filled in per test.
ROUTES = [
    ("GET", "/staff/", ROLES),
    ("GET", "/staff/pals/", ("pals",)),
    ("GET", "/staff/pals/{case}", ("pals",)),
    ("POST", "/staff/pals/{case}/contact", ("pals",)),
    ("POST", "/staff/pals/{case}/acknowledge", ("pals",)),
    ("POST", "/staff/pals/{case}/note", ("pals",)),
    ("POST", "/staff/pals/{case}/close", ("pals",)),
    ("GET", "/staff/answers/", ("analyst", "service_lead")),
    ("GET", "/staff/answers/{answer}", ("analyst", "service_lead")),
    ("POST", "/staff/answers/{answer}/code", ("analyst",)),
    ("GET", "/staff/answers/codebook", ("analyst", "admin")),
    ("POST", "/staff/answers/codebook", ("analyst", "admin")),
    ("GET", "/staff/answers/agreement", ("analyst",)),
    ("GET", "/staff/engagement/", ("analyst",)),
    ("GET", "/staff/engagement/log.csv", ("analyst",)),
    ("GET", "/staff/engagement/new", ("analyst",)),
    ("GET", "/staff/engagement/new?type=group_discussion", ("analyst",)),
    ("POST", "/staff/engagement/new?type=one_to_one", ("analyst",)),
    ("GET", "/staff/admin/users", ("admin",)),
    ("POST", "/staff/admin/users", ("admin",)),
    ("POST", "/staff/admin/users/1/unlock", ("admin",)),
    ("GET", "/staff/admin/services", ("admin",)),
    ("GET", "/staff/admin/settings", ("admin",)),
]
FORMS = {"note": {"note": "Called back"}, "close": {"outcome": "Resolved"},
         "code": {"theme": "booking", "sentiment": "negative"},
         "codebook": {"slug": "parking", "label": "Parking", "keywords": "en: parking"},
         "new?type=one_to_one": {"service": "demo", "date": "2026-03-10",
                                 "number_of_people": "1", "answer_1a": "Fine"},
         "users": {"email": "new@example.nhs.uk", "role": "pals",
                   "password": "a long enough password"}}


@pytest.fixture
def world(services):
    add_staff(services)
    _, answer = response_with_answer(services)
    case = raise_case(services, contact="+447700900777")
    return {"case": case, "answer": answer}


def _form(path: str) -> dict:
    return next((data for suffix, data in FORMS.items() if path.endswith(suffix)), {})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_each_route_opens_only_for_its_roles(client, world, role, method, path, allowed):
    url = path.format(**world)
    sign_in(client, role)
    if method == "GET":
        response = client.get(url)
    else:
        response = post(client, url, _form(url))
    if role in allowed:
        assert response.status_code in (200, 302), (role, url, response.status_code)
        if response.status_code == 302:
            assert "/staff/sign-in" not in response.location
    else:
        assert response.status_code == 403, (role, url, response.status_code)


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_signed_out_visitors_are_sent_to_sign_in(client, world, method, path, allowed):
    url = path.format(**world)
    if method == "GET":
        response = client.get(url)
        assert response.status_code == 302 and "/staff/sign-in" in response.location
    else:
        token_page = client.get("/staff/sign-in").get_data(as_text=True)
        response = client.post(url, data={**_form(url), "csrf_token": csrf_of(token_page)})
        assert response.status_code == 302 and "/staff/sign-in" in response.location


def test_a_service_lead_cannot_open_another_services_answers(client, services, world):
    _, theirs = response_with_answer(services, slug="other", text="Other clinic was dirty",
                                     reference="EDS-OTHER1")
    sign_in(client, "service_lead")
    assert client.get(f"/staff/answers/{world['answer']}").status_code == 200
    assert client.get(f"/staff/answers/{theirs}").status_code == 404
    listing = client.get("/staff/answers/").get_data(as_text=True)
    assert "EDS-TEST01" in listing and "EDS-OTHER1" not in listing
    filtered = client.get("/staff/answers/?service=other").get_data(as_text=True)
    assert "EDS-OTHER1" not in filtered and "0 answers" in filtered
    assert "Save coding" not in client.get(f"/staff/answers/{world['answer']}").get_data(
        as_text=True)


def test_an_analyst_never_sees_contact_details(client, world):
    sign_in(client, "analyst")
    for url in ("/staff/answers/", f"/staff/answers/{world['answer']}", "/staff/engagement/",
                "/staff/engagement/log.csv"):
        body = client.get(url).get_data(as_text=True)
        assert "7700900777" not in body and "7700 900777" not in body
    assert post(client, f"/staff/pals/{world['case']}/contact").status_code == 403
