"""The upload page: a service lead or administrator checks a clinic's list
with a dry run, then imports it; every row gets the CLI importer's reasons."""

from __future__ import annotations

from tests.support.invites import HEADER, count_outbox, invitations
from tests.support.staff import add_staff, csrf_of, sign_in

YESTERDAY = "2026-03-09 14:30"


def upload(client, rows: list[str], dry_run: bool, raw: bytes | None = None):
    """Posts the form as a browser would, encoded here: werkzeug's own encoder
    spools bodies over 500 kB to a temporary file its test client never closes."""
    token = csrf_of(client.get("/staff/invitations").get_data(as_text=True))
    body = raw if raw is not None else "\n".join([HEADER, *rows]).encode()
    fields = {"csrf_token": token, **({"dry_run": "yes"} if dry_run else {})}
    return client.post("/staff/invitations", data=_multipart(fields, body),
                       content_type=f"multipart/form-data; boundary={BOUNDARY}")


BOUNDARY = "clinic-list-boundary"


def _multipart(fields: dict[str, str], csv: bytes) -> bytes:
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csv"; '
                 'filename="clinic.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                 + csv + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def test_a_dry_run_shows_what_would_happen_then_the_real_upload_schedules(client, services):
    add_staff(services)
    sign_in(client, "admin")
    rows = [f"07911 123123,{YESTERDAY},demo,attended,en,sms,",
            f"07911 123124,{YESTERDAY},demo,did not attend,pl,sms,",
            f"not a number,{YESTERDAY},demo,attended,en,sms,"]

    checked = upload(client, rows, dry_run=True)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "Would invite: 2" in page and "Nothing was changed" in page
    assert "not a phone number" in page and "<th scope=\"row\">4</th>" in page
    assert invitations(services) == [] and count_outbox(services) == 0

    imported = upload(client, rows, dry_run=False).get_data(as_text=True)
    assert "Invitations scheduled: 2" in imported
    assert sorted(i.flow for i in invitations(services)) == ["dna", "domain1"]
    assert "07911" not in imported and "123123" not in imported   # numbers never echoed


def test_a_service_lead_invites_only_for_their_own_services(client, services):
    add_staff(services)                           # the lead leads "demo", not "other"
    sign_in(client, "service_lead")
    page = upload(client, [f"07911 123123,{YESTERDAY},demo,attended,en,sms,",
                           f"07911 123124,{YESTERDAY},other,attended,en,sms,"],
                  dry_run=False).get_data(as_text=True)
    assert "Invitations scheduled: 1" in page
    assert "not one of your services &#39;other&#39;" in page
    assert [i.service_id for i in invitations(services)] == [
        _service_id(services, "demo")]


def test_people_who_do_not_send_invitations_cannot_open_the_page(client, services):
    add_staff(services)
    for role in ("analyst", "pals"):
        sign_in(client, role)
        assert client.get("/staff/invitations").status_code == 403


def test_a_file_that_is_not_utf8_is_refused_politely_and_nothing_is_kept(client, services):
    add_staff(services)
    sign_in(client, "admin")
    latin1 = f"{HEADER}\n07911 123123,{YESTERDAY},démo,attended,en,sms,".encode("latin-1")
    refused = upload(client, [], dry_run=False, raw=latin1)
    assert refused.status_code == 400
    assert "CSV UTF-8" in refused.get_data(as_text=True)
    assert invitations(services) == []


def test_a_list_bigger_than_other_forms_allow_is_still_taken(client, services):
    """Every other staff form is capped at 2 MB; a clinic's list may be larger."""
    add_staff(services)
    sign_in(client, "admin")
    notes = "x" * 120_000                          # an extra column the importer ignores
    header = HEADER + ",notes"
    rows = [f"07911 1231{n:02d},{YESTERDAY},demo,attended,en,sms,,{notes}" for n in range(20)]
    body = "\n".join([header, *rows]).encode()
    assert len(body) > 2 * 1024 * 1024
    page = upload(client, [], dry_run=True, raw=body)
    assert page.status_code == 200 and "Would invite: 20" in page.get_data(as_text=True)


def _service_id(services, slug: str) -> int:
    from sqlalchemy import select

    from storage.models import Service
    with services.db.transaction() as tx:
        return tx.scalar(select(Service.id).where(Service.slug == slug))
