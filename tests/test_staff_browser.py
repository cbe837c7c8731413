"""The staff app's main journeys in headless Chromium (Debian's package, driven
by Playwright), without any script on the pages: PALS works a case from the
queue to closed; an analyst filters answers, recodes one and logs a group
discussion. axe-core checks the pages on the way."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from feedback.app import create_app
from feedback.bootstrap import build
from storage import coding as codes
from storage.models import Escalation, EscalationContact, Response
from storage.repositories import add_service
from tests.conftest import DEMO
from tests.support.staff import PASSWORD, USERS, add_staff, raise_case, response_with_answer
from tests.support.webchat import live_server

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "support" / "axe" / "axe.min.js"


@pytest.fixture
def staff_services(settings, clock):
    """Plain http on loopback: the session cookie may not be marked Secure here."""
    container = build(settings.but(extra={"FEEDBACK_SESSION_COOKIE_SECURE": "0"}), clock=clock)
    with container.db.transaction() as tx:
        add_service(tx, **DEMO)
    add_staff(container)
    yield container
    container.db.dispose()


@pytest.fixture
def server(staff_services):
    with live_server(create_app(services=staff_services)) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def axe_violations(browser, url: str, cookies: list) -> list[str]:
    """axe-core needs script, which the pages' CSP forbids: a separate context
    that bypasses the CSP loads the same page for the check."""
    context = browser.new_context(bypass_csp=True)
    context.add_cookies(cookies)
    checker = context.new_page()
    checker.goto(url)
    checker.add_script_tag(path=str(AXE))
    found = checker.evaluate("async () => (await axe.run()).violations"
                             ".filter(v => ['serious', 'critical'].includes(v.impact))"
                             ".map(v => v.id)")
    context.close()
    return found


def sign_in(page, server: str, role: str) -> None:
    page.goto(f"{server}/staff/")
    page.fill("#email", USERS[role])
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    assert "Welcome" in page.content()


def test_pals_opens_an_escalation_acknowledges_and_closes_it(browser, page, server,
                                                             staff_services):
    case = raise_case(staff_services, "The nurse hit my arm", urgent=True,
                      contact="+447700900777")
    sign_in(page, server, "pals")
    page.click("text=PALS queue")
    assert page.locator(f"tr[data-case='{case}']").count() == 1
    assert "The nurse hit my arm" in page.content()
    assert axe_violations(browser, page.url, page.context.cookies()) == []
    page.click("text=EDS-CASE01")
    page.click("button:has-text('Show contact details')")
    assert page.inner_text("#contact") == "+447700900777"
    page.fill("#ack-note", "Called the ward manager")
    page.click("button:has-text('Acknowledge')")
    assert page.inner_text("#status") == "acknowledged"
    assert axe_violations(browser, page.url, page.context.cookies()) == []
    page.fill("#outcome", "Apology and a meeting with the matron")
    page.click("button:has-text('Record outcome and close')")
    assert page.inner_text("#status") == "closed"
    assert "contact details the patient gave have been deleted" in page.content()
    with staff_services.db.transaction() as tx:
        assert tx.get(Escalation, case).status == "closed"
        assert tx.scalar(select(EscalationContact.id)) is None


def test_an_analyst_filters_recodes_and_logs_a_group_discussion(browser, page, server,
                                                                staff_services):
    response_with_answer(staff_services, text="The receptionist was rude",
                         reference="EDS-RUDE01")
    _, parking = response_with_answer(staff_services, text="Parking is impossible",
                                      reference="EDS-PARK01")
    sign_in(page, server, "analyst")
    page.click("nav >> text=Answers")
    page.select_option("#f-theme", "travel_location")
    page.click("button:has-text('Filter')")
    assert page.inner_text("#count") == "1 answer."
    assert "EDS-RUDE01" not in page.content()
    assert axe_violations(browser, page.url, page.context.cookies()) == []
    page.click("text=EDS-PARK01")
    page.check("#t-environment_facilities")
    page.check("#s-mixed")
    page.click("button:has-text('Save coding')")
    assert "Hand-coded" in page.inner_text("#hand")
    with staff_services.db.transaction() as tx:
        coded = codes.codes_for(tx, [parking])[parking]
    assert coded.hand_coded and coded.sentiment == "mixed"
    assert set(coded.themes) == {"travel_location", "environment_facilities"}

    page.click("nav >> text=Add engagement")
    page.check("#type-group_discussion")
    page.click("button:has-text('Continue')")
    assert page.locator("#answer_1c").count() == 0
    assert axe_violations(browser, page.url, page.context.cookies()) == []
    page.select_option("#service", "demo")
    page.fill("#number_of_people", "7")
    page.fill("#soft_intelligence", "Carers' group at the community centre")
    page.fill("#answer_1a", "The bus does not go there")
    page.fill("#answer_1b", "Mostly")
    page.fill("#answer_1d", "Staff were kind")
    page.fill("#follow_up_actions", "Raise transport with the service lead")
    page.fill("#person_responsible", "Inclusion lead")
    page.click("button:has-text('Save to the log')")
    assert "Saved to the engagement log" in page.content()
    assert "Carers' group at the community centre" in page.content()
    with staff_services.db.transaction() as tx:
        logged = tx.scalar(select(Response).where(Response.flow == "staff_entry"))
        assert logged.number_of_people == 7 and logged.context == "group"
        assert sorted(a.outcome for a in logged.answers) == ["1A", "1B", "1D"]
