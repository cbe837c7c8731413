"""A season of collected answers, written straight to the tables (the
conversation itself is tested elsewhere): two services, four quarters,
several languages and channels, and one lone Polish speaker."""

from __future__ import annotations

import datetime as dt
import random

from storage.models import Answer, MonitoringAnswer, Response
from storage.repositories import add_service, service_by_slug

OTHER = dict(slug="physio", name="Community Physiotherapy", sms_number="+447700900055")
LONE_REFERENCE = "EDS-LONE42"


def _response(tx, service, n, day, language, channel, codes, monitoring, reference=None):
    response = Response(reference=reference or f"EDS-{service.id}{n:05d}", service_id=service.id,
                        flow="domain1", channel=channel, engagement_type="SMS survey",
                        context="individual", language=language, date=day, status="complete")
    tx.add(response)
    tx.flush()
    for outcome, code in codes.items():
        tx.add(Answer(response_id=response.id, step=outcome.lower(), outcome=outcome,
                      text=f"answer {code} {n}", code=code))
    for name, value in monitoring.items():
        tx.add(MonitoringAnswer(response_id=response.id, field=name, value=value))


def seed(services) -> None:
    rng = random.Random(2023)
    with services.db.transaction() as tx:
        demo = service_by_slug(tx, "demo")
        physio = add_service(tx, **OTHER)
        for service, size in ((demo, 80), (physio, 30)):
            for n in range(size):
                day = dt.date(2023, 4, 1) + dt.timedelta(days=rng.randrange(365))
                _response(tx, service, n, day, rng.choice(["en"] * 5 + ["ur"]),
                          rng.choice(["sms", "web"]),
                          {"1A": rng.choice(["yes", "yes", "no", "partly"]),
                           "1B": rng.choice(["yes", "no"]),
                           "1C": rng.choice(["no"] * 6 + ["yes"]),
                           "1D": rng.choice(["very_good", "good", "good", "poor"])},
                          {"ethnic_group": rng.choice(["white", "asian"]),
                           "district": rng.choice(["thanet", "dover"])})
        _response(tx, demo, 999, dt.date(2023, 11, 2), "pl", "whatsapp",
                  {"1A": "no", "1D": "very_poor"},
                  {"ethnic_group": "black", "district": "folkestone"}, LONE_REFERENCE)


def sign_in(client, role: str, services: tuple[str, ...] = ()) -> str:
    """Signs in through the staff app's real form as a new user of this role;
    returns the reports pages' CSRF token."""
    from staff.accounts import add_user
    from tests.support.staff import PASSWORD
    from tests.support.staff import sign_in as staff_sign_in

    email = f"{role}-{'-'.join(services) or 'all'}@example.nhs.uk"
    container = client.application.extensions["feedback"]
    with container.db.transaction() as tx:
        from staff.accounts import by_email

        if by_email(tx, email) is None:
            add_user(tx, email, role, PASSWORD, list(services))
    client.post("/staff/sign-out", data={})
    staff_sign_in(client, email=email)
    with client.session_transaction() as session:
        session["reports_csrf"] = "test-csrf-token"
    return "test-csrf-token"
