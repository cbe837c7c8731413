"""Helpers for the staff-app tests: users of each role, signing in through
the real form (with its CSRF token), and cases and responses to look at."""

from __future__ import annotations

import datetime as dt
import re

from feedback import escalations
from flows.events import DisclosureDetected
from staff.accounts import add_user
from storage.models import Answer, Response, Service
from storage.repositories import add_service

PASSWORD = "correct horse battery staple"
USERS = {"admin": "admin@example.nhs.uk", "pals": "pals@example.nhs.uk",
         "analyst": "analyst@example.nhs.uk", "service_lead": "lead@example.nhs.uk"}
OTHER = dict(slug="other", name="Other Hospital Clinic", sms_number="+447700900055",
             pals_phone="0800 111 1111", pals_text="", pals_email="pals@other.example")


def add_staff(services) -> None:
    """One user per role; the service lead leads "demo" only. Adds the "other" service."""
    with services.db.transaction() as tx:
        add_service(tx, **OTHER)
        for role, email in USERS.items():
            add_user(tx, email, role, PASSWORD, ["demo"] if role == "service_lead" else [])


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, role: str | None = None, email: str | None = None,
            password: str = PASSWORD):
    page = client.get("/staff/sign-in").get_data(as_text=True)
    return client.post("/staff/sign-in", data={
        "email": email or USERS[role], "password": password, "csrf_token": csrf_of(page)})


def post(client, path: str, data: dict | None = None, page: str = "/staff/"):
    """A form post with the session's CSRF token, read from a page as a browser would."""
    token = csrf_of(client.get(page).get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


def response_with_answer(services, slug: str = "demo", text: str = "The receptionist was rude",
                         outcome: str = "1D", reference: str = "EDS-TEST01",
                         quote_consent: bool = False) -> tuple[int, int]:
    """A finished response (as a conversation would leave it) and its answer's id."""
    from feedback.coding import auto_code

    with services.db.transaction() as tx:
        service = tx.query(Service).filter_by(slug=slug).one()
        response = Response(reference=reference, service_id=service.id, flow="domain1",
                            channel="sms", engagement_type="SMS", context="individual",
                            language="en", date=dt.date(2026, 3, 10), status="complete",
                            quote_consent=quote_consent)
        tx.add(response)
        tx.flush()
        answer = Answer(response_id=response.id, step=f"q{outcome.lower()}", outcome=outcome,
                        text=text)
        tx.add(answer)
        tx.flush()
        auto_code(tx, answer, "en")
        return response.id, answer.id


def raise_case(services, text: str = "The nurse hit me", urgent: bool = False,
               at: dt.datetime | None = None, slug: str = "demo",
               reference: str = "EDS-CASE01", contact: str | None = None) -> int:
    """An escalation as the recorder raises it, optionally with a consented contact route."""
    with services.db.transaction() as tx:
        service = tx.query(Service).filter_by(slug=slug).one()
        response = Response(reference=reference, service_id=service.id, flow="domain1",
                            channel="sms", engagement_type="SMS", context="individual",
                            language="en", date=dt.date(2026, 3, 10), status="complete")
        tx.add(response)
        tx.flush()
        event = DisclosureDetected(step="q1c", outcome="1C", text=text,
                                   categories=("physical_harm",), urgent=urgent, evidence=())
        escalation = escalations.raise_escalation(tx, response, event, (), at or services.clock())
        if contact:
            escalations.attach_contact(tx, [escalation.id], "sms",
                                       services.keys.encrypt(contact), services.clock())
        return escalation.id
