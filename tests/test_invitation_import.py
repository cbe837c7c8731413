"""Importing an appointment list: every row checked with a reason, a summary,
a dry run that changes nothing, no duplicates, opt-outs and the cap honoured."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from feedback.cli import main
from storage.models import OptOut
from tests.support.invites import count_outbox, import_rows, invitations, listing

GOOD = "07911 123123,2026-03-09 14:30,demo,attended,en,sms,"


def test_every_bad_row_gets_its_own_reason_and_the_summary_counts_them(inviting):
    with inviting.db.transaction() as tx:
        tx.add(OptOut(address_key=inviting.keys.address_key("sms", "+447911123555"),
                      channel="sms"))
    report = import_rows(
        inviting, GOOD,
        "not a number,2026-03-09 14:30,demo,attended,en,sms,",
        "+33 6 12 34 56 78,2026-03-09 14:30,demo,attended,en,sms,",
        "07911 123124,2026-03-09 14:30,podiatry,attended,en,sms,",
        "07911 123125,2026-03-11 09:00,demo,attended,en,sms,",
        GOOD,
        "07911 123555,2026-03-09 11:00,demo,attended,en,sms,",
        "07911 123126,2026-03-09 11:00,demo,maybe,en,sms,",
        "07911 123127,2026-03-09 11:00,demo,attended,en,none,",
        "07911 123128,yesterday,demo,attended,en,sms,",
    )
    reasons = dict(report.rejected)
    assert reasons == {3: "not a phone number", 4: "not a UK number",
                       5: "unknown service 'podiatry'", 6: "appointment is in the future",
                       7: "duplicate row in this list", 8: "opted out (STOP)",
                       9: "attendance must be 'attended' or 'did not attend'",
                       10: "preferred channel is none: not contacted",
                       11: "appointment date and time not understood (use 2026-03-09 14:30)"}
    assert report.rows == 10 and report.scheduled == 1
    assert "10 rows: scheduled 1, rejected 9" in report.summary()


def test_a_dry_run_checks_everything_and_changes_nothing(inviting):
    report = import_rows(inviting, GOOD, "07911 123124,2026-03-09 10:00,demo,dna,pl,sms,",
                         dry_run=True)
    assert report.scheduled == 2 and report.by_flow == {"domain1": 1, "dna": 1}
    assert invitations(inviting) == [] and count_outbox(inviting) == 0


def test_importing_the_same_list_twice_schedules_each_patient_once(inviting):
    assert import_rows(inviting, GOOD).scheduled == 1
    again = import_rows(inviting, GOOD)
    assert again.scheduled == 0 and again.rejected == [(2, "duplicate: already imported")]
    assert len(invitations(inviting)) == 1 and count_outbox(inviting) == 1


def test_the_frequency_cap_spans_services_and_lists(inviting, clock):
    with inviting.db.transaction() as tx:
        from storage.repositories import add_service
        add_service(tx, slug="physio", name="Physiotherapy", sms_number="+447700900077")
    report = import_rows(inviting, GOOD, "07911123123,2026-03-09 16:00,physio,attended,en,sms,")
    assert report.rejected == [(3, "duplicate: already invited from this list")]
    inviting.jobs.run_until_idle()
    clock.advance(days=10)
    later = import_rows(inviting, "07911123123,2026-03-19 09:00,physio,attended,en,sms,")
    assert later.rejected == [(2, "invited in the last 30 days")]
    clock.advance(days=25)
    assert import_rows(inviting, "07911123123,2026-04-13 09:00,physio,dna,en,sms,").scheduled == 1


def test_rows_are_stored_as_little_as_sending_needs(inviting):
    import_rows(inviting, GOOD, "07911 123124,2026-03-09 10:00,demo,did not attend,pl,voice,",
                "07911 123125,2026-03-09 10:00,demo,attended,en,voice,BSL user")
    first, dna, bsl = invitations(inviting)
    assert (first.flow, first.channel, first.language) == ("domain1", "sms", "en")
    assert (dna.flow, dna.channel, dna.language) == ("dna", "voice", "pl")
    assert bsl.channel == "web_link"
    assert inviting.keys.decrypt(first.address_encrypted) == "+447911123123"
    assert b"123123" not in first.address_encrypted
    assert first.send_at == dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)


def test_the_cli_imports_with_a_progress_bar_and_a_summary(services, settings, tmp_path):
    path = tmp_path / "clinic.csv"
    path.write_text("".join(listing(GOOD, "07700 1,2026-03-09 10:00,demo,attended,en,sms,")))
    env = {"FEEDBACK_DATABASE_URL": settings.database_url,
           "FEEDBACK_SECRET_KEY": settings.secret_key,
           "FEEDBACK_INSTANCE_PATH": str(tmp_path / "instance")}
    dry = CliRunner().invoke(main, ["invite", "--csv", str(path), "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "row 3: not a valid UK number" in dry.output
    assert "would schedule 1" in dry.output and "dry run: nothing was changed" in dry.output
    real = CliRunner().invoke(main, ["invite", "--csv", str(path)], env=env)
    assert "2 rows: scheduled 1, rejected 1" in real.output, real.output
