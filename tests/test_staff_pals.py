"""PALS's queue in the staff app: order, overdue highlighting, audited views of
cases and contact details, acknowledging, notes, closing deletes contact."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from storage.models import AuditEntry, Escalation, EscalationContact
from tests.support.staff import USERS, add_staff, post, raise_case, sign_in

PALS = USERS["pals"]


@pytest.fixture
def staff(services):
    add_staff(services)
    return services


def audit_of(services, case: int) -> list[tuple[str, str]]:
    with services.db.transaction() as tx:
        return [(a.actor, a.action) for a in tx.scalars(
            select(AuditEntry).where(AuditEntry.subject == f"escalation:{case}")
            .order_by(AuditEntry.id))]


def rows(html: str) -> list[str]:
    return re.findall(r'data-case="(\d+)"', html)


def test_queue_is_urgent_first_then_newest_and_overdue_is_marked(client, staff, clock):
    start = clock()
    old = raise_case(staff, "They ignored my bruise", at=start - dt.timedelta(days=4),
                     reference="EDS-OLD001")
    recent = raise_case(staff, "A nurse was rough with me", at=start - dt.timedelta(hours=1),
                        reference="EDS-NEW001")
    urgent_old = raise_case(staff, "I want to end it all", urgent=True,
                            at=start - dt.timedelta(hours=5), reference="EDS-URG001")
    urgent_new = raise_case(staff, "He hits me at home", urgent=True,
                            at=start - dt.timedelta(hours=1), reference="EDS-URG002")
    sign_in(client, "pals")
    html = client.get("/staff/pals/").get_data(as_text=True)
    assert rows(html) == [str(urgent_new), str(urgent_old), str(recent), str(old)]
    overdue = set(re.findall(r'<tr class="overdue[^"]*" data-case="(\d+)"', html))
    assert overdue == {str(urgent_old), str(old)}       # urgent: 4 h target; others: 72 h
    assert "I want to end it all" in html and "1C Free from harm" in html
    assert "Physical harm" in html and "physical_harm" not in html   # words, not codes
    assert html.count("Overdue</span>") == 2


def test_acknowledged_cases_are_no_longer_overdue(client, staff, clock):
    case = raise_case(staff, at=clock() - dt.timedelta(days=5))
    sign_in(client, "pals")
    assert "Overdue</span>" in client.get("/staff/pals/").get_data(as_text=True)
    post(client, f"/staff/pals/{case}/acknowledge", {"note": "Rang the ward"})
    assert "Overdue</span>" not in client.get("/staff/pals/").get_data(as_text=True)


def test_every_view_of_a_case_and_of_contact_details_is_audited(client, staff):
    case = raise_case(staff, contact="+447700900777")
    sign_in(client, "pals")
    client.get("/staff/pals/")
    page = client.get(f"/staff/pals/{case}").get_data(as_text=True)
    assert "7700900777" not in page and "consented to be contacted by sms" in page
    shown = post(client, f"/staff/pals/{case}/contact", page=f"/staff/pals/{case}")
    assert "+447700900777" in shown.get_data(as_text=True)
    actions = audit_of(staff, case)
    assert (PALS, "contact_viewed") in actions
    assert sum(1 for a in actions if a == (PALS, "viewed")) >= 3   # queue, case, page again


def test_pals_acknowledges_adds_a_note_and_closing_deletes_the_contact(client, staff):
    case = raise_case(staff, contact="+447700900777")
    sign_in(client, "pals")
    page = f"/staff/pals/{case}"
    post(client, f"{page}/acknowledge", {"note": "Seen, will call"}, page=page)
    post(client, f"{page}/note", {"note": "Left a voicemail"}, page=page)
    refused = post(client, f"{page}/close", {"outcome": ""}, page=page)
    assert refused.status_code == 302
    with staff.db.transaction() as tx:
        assert tx.get(Escalation, case).status == "acknowledged"
    post(client, f"{page}/close", {"outcome": "Apology given; ward manager informed"}, page=page)
    with staff.db.transaction() as tx:
        escalation = tx.get(Escalation, case)
        assert escalation.status == "closed"
        assert escalation.outcome_note == "Apology given; ward manager informed"
        assert tx.scalar(select(EscalationContact).where(
            EscalationContact.escalation_id == case)) is None
    actions = [a for _, a in audit_of(staff, case)]
    assert {"acknowledged", "note", "closed", "contact_deleted"} <= set(actions)
    html = client.get(page).get_data(as_text=True)
    assert "Left a voicemail" in html and "No contact details" in html
    assert str(case) not in rows(client.get("/staff/pals/").get_data(as_text=True))
    assert str(case) in rows(client.get("/staff/pals/?show=closed").get_data(as_text=True))


def test_notes_lose_any_phone_number_written_in_them(client, staff):
    case = raise_case(staff)
    sign_in(client, "pals")
    post(client, f"/staff/pals/{case}/note", {"note": "Patient rang from 07700 900123"})
    with staff.db.transaction() as tx:
        details = tx.scalars(select(AuditEntry.detail).where(AuditEntry.action == "note")).all()
    assert details and all("900123" not in d for d in details)


def test_response_time_targets_are_configurable(settings, clock):
    from staff.settings import staff_settings

    rules = staff_settings(settings.but(extra={"PALS_TARGET_URGENT_HOURS": "1",
                                               "PALS_TARGET_HOURS": "24"}))
    assert rules.target(True) == dt.timedelta(hours=1)
    assert rules.target(False) == dt.timedelta(hours=24)
