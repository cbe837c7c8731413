"""Signing in to the staff app: argon2 passwords, lock-out, CSRF, idle timeout,
sign-out that revokes the session, secure cookies, and `feedback user add`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from feedback.app import create_app
from feedback.cli import main
from staff.settings import staff_settings
from storage.models import AuditEntry, StaffUser
from tests.support.staff import PASSWORD, USERS, add_staff, csrf_of, post, sign_in


@pytest.fixture
def staff(services):
    add_staff(services)
    return services


def test_a_user_signs_in_and_the_password_is_stored_only_as_argon2(client, staff):
    response = sign_in(client, "analyst")
    assert response.status_code == 302 and response.location == "/staff/"
    assert "analyst@example.nhs.uk" in client.get("/staff/").get_data(as_text=True)
    with staff.db.transaction() as tx:
        user = tx.scalar(select(StaffUser).where(StaffUser.email == USERS["analyst"]))
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, staff):
    wrong = sign_in(client, "analyst", password="not the password at all")
    unknown = sign_in(client, email="nobody@example.nhs.uk")
    assert wrong.status_code == unknown.status_code == 401
    message = "The e-mail address or password is not right."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client, staff, clock):
    for _ in range(5):
        sign_in(client, "pals", password="guessing wrongly again")
    locked = sign_in(client, "pals")
    assert locked.status_code == 401 and "locked" in locked.get_data(as_text=True)
    clock.advance(minutes=16)
    assert sign_in(client, "pals").status_code == 302
    with staff.db.transaction() as tx:
        actions = tx.scalars(select(AuditEntry.action)).all()
    assert "locked_out" in actions


def test_a_form_without_the_session_token_is_refused(client, staff):
    page = client.get("/staff/sign-in").get_data(as_text=True)
    assert client.post("/staff/sign-in", data={
        "email": USERS["admin"], "password": PASSWORD}).status_code == 400
    assert client.post("/staff/sign-in", data={
        "email": USERS["admin"], "password": PASSWORD,
        "csrf_token": csrf_of(page) + "x"}).status_code == 400
    sign_in(client, "admin")
    refused = client.post("/staff/admin/users", data={
        "email": "new@example.nhs.uk", "role": "pals", "password": PASSWORD,
        "csrf_token": "forged"})
    assert refused.status_code == 400
    with staff.db.transaction() as tx:
        assert tx.scalar(select(StaffUser).where(StaffUser.email == "new@example.nhs.uk")) is None


def test_idle_for_longer_than_the_timeout_signs_out(client, staff, clock):
    sign_in(client, "analyst")
    clock.advance(minutes=29)
    assert client.get("/staff/answers/").status_code == 200
    clock.advance(minutes=29)                       # activity moved the idle clock on
    assert client.get("/staff/answers/").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/staff/answers/")
    assert response.status_code == 302 and "/staff/sign-in" in response.location
    assert "signed out after a period" in client.get(response.location).get_data(as_text=True)


def test_sign_out_revokes_the_session_even_if_the_cookie_is_replayed(client, staff, app):
    sign_in(client, "pals")
    cookie = client.get_cookie("session").value
    assert post(client, "/staff/sign-out").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/staff/pals/").status_code == 302


def test_session_cookie_is_secure_over_https_and_http_only(settings, services):
    assert staff_settings(settings).cookie_secure           # the tests' public URL is https
    app = create_app(services=services)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    plain = settings.but(public_url="http://localhost:5000")
    assert not staff_settings(plain).cookie_secure
    forced = plain.but(extra={"FEEDBACK_SESSION_COOKIE_SECURE": "1"})
    assert staff_settings(forced).cookie_secure


def test_staff_pages_forbid_scripts_framing_and_caching(client, staff):
    headers = client.get("/staff/sign-in").headers
    assert "script-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"


def test_feedback_user_add_creates_a_service_lead_from_stdin(staff, settings, monkeypatch):
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FEEDBACK_SECRET_KEY", settings.secret_key)
    runner = CliRunner()
    result = runner.invoke(main, ["user", "add", "--email", "Lead2@Example.nhs.uk", "--role",
                                  "service_lead", "--service", "other", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "added service_lead lead2@example.nhs.uk" in result.output
    with staff.db.transaction() as tx:
        user = tx.scalar(select(StaffUser).where(StaffUser.email == "lead2@example.nhs.uk"))
        assert user.services == ["other"] and user.role == "service_lead"
    short = runner.invoke(main, ["user", "add", "--email", "x@example.nhs.uk", "--role", "pals",
                                 "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "12 characters" in short.output
    no_service = runner.invoke(main, ["user", "add", "--email", "y@example.nhs.uk", "--role",
                                      "service_lead", "--password-stdin"],
                               input="a long enough password\n")
    assert no_service.exit_code != 0 and "--service" in no_service.output
