"""The engagement log workbook, the Word report and the poster QR codes,
from the staff app and from the CLI."""

import io

import pytest
import segno
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from feedback import posters
from feedback.cli import main
from storage.reports.xlsx import DOMAIN1_TAB
from tests.reports.season import LONE_REFERENCE, seed, sign_in
from tests.support.phone import PUBLIC_URL

LEADING = ["Reference", "Date", "Stakeholder", "Number of people", "Type of engagement",
           "Soft intelligence", "1A", "1B", "1C", "1D", "Follow-up actions",
           "Language", "Channel", "Context", "Themes", "Sentiment"]


@pytest.fixture
def season(services):
    seed(services)
    return services


def test_the_workbook_has_a_tab_per_service_and_a_domain_1_tab(client, season):
    sign_in(client, "analyst")
    reply = client.get("/staff/reports/export.xlsx")
    book = load_workbook(io.BytesIO(reply.data))
    assert book.sheetnames[0] == DOMAIN1_TAB
    assert set(book.sheetnames) == {DOMAIN1_TAB, "Demo Community Clinic",
                                    "Community Physiotherapy"}
    header = [c.value for c in book[DOMAIN1_TAB][1]]
    assert header[:len(LEADING)] == LEADING
    assert "1A (English)" in header
    assert book[DOMAIN1_TAB].max_row == 1 + 111
    assert book["Community Physiotherapy"].max_row == 1 + 30
    demo = [row[0] for row in book["Demo Community Clinic"].iter_rows(min_row=2,
                                                                      values_only=True)]
    assert LONE_REFERENCE in demo and len(demo) == 81


def test_cli_exports_xlsx_for_one_service(season, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FEEDBACK_SECRET_KEY", settings.secret_key)
    out = tmp_path / "log.xlsx"
    result = CliRunner().invoke(main, ["export", "--format", "xlsx", "--out", str(out),
                                       "--service", "physio"])
    assert result.exit_code == 0, result.output
    assert "wrote 30 responses" in result.output
    book = load_workbook(out)
    assert book.sheetnames == [DOMAIN1_TAB, "Community Physiotherapy"]


def test_word_report_has_ratings_evidence_and_action_plan(client, season, settings, tmp_path,
                                                          monkeypatch):
    token = sign_in(client, "analyst")
    client.post("/staff/reports/demo/score/1D", data={
        "csrf_token": token, "year": "2023-24", "rating": "2", "rationale": "Needs met",
        "panel": "Patient representative", "objective": "Reach Polish speakers",
        "action": "Translated posters in clinics", "completion": "March 2024"})
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FEEDBACK_SECRET_KEY", settings.secret_key)
    out = tmp_path / "eds.docx"
    result = CliRunner().invoke(main, ["report", "docx", "--out", str(out), "--year", "2023-24",
                                       "--organisation", "Demo NHS Trust"])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "EDS Organisation Rating (overall rating): 2 - Undeveloped" in text
    domain1, plan = doc.tables
    assert [c.text for c in domain1.rows[0].cells] == ["Outcome", "Evidence", "Rating",
                                                      "Owner (Dept/Lead)"]
    rated = [r for r in domain1.rows if r.cells[2].text == "2 Achieving"]
    assert len(rated) == 1 and "Responses: 81" in rated[0].cells[1].text
    assert "Panel: Patient representative" in rated[0].cells[3].text
    assert [c.text for c in plan.rows[1].cells][2:] == ["Translated posters in clinics",
                                                       "March 2024"]
    assert LONE_REFERENCE not in text and "answer " not in text
    from_app = client.get("/staff/reports/report.docx?year=2023-24")
    assert Document(io.BytesIO(from_app.data)).tables[1].rows[1].cells[2].text \
        == "Translated posters in clinics"


def test_qr_codes_hold_the_right_links_as_png_and_pdf(client, season):
    sign_in(client, "analyst")
    page = client.get("/staff/reports/demo/posters").get_data(as_text=True)
    web = f"{PUBLIC_URL}/chat/demo"
    assert web in page and "sms:+447700900001?body=Hi" in page
    assert "https://wa.me/447700900009?text=Hi" in page
    png = client.get("/staff/reports/demo/qr/web.png").data
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    expected = io.BytesIO()
    segno.make(web, error="m", micro=False).save(expected, kind="png", scale=10, border=4)
    assert png == expected.getvalue()
    pdf = client.get("/staff/reports/demo/qr/sms.pdf").data
    assert pdf.startswith(b"%PDF")
    assert posters.qr("sms:+447700900001?body=Hi").designator.endswith("-M")


def test_short_links_redirect_without_sign_in(client, season):
    sign_in(client, "analyst")
    page = client.get("/staff/reports/demo/posters").get_data(as_text=True)
    codes = [part.split("<", 1)[0] for part in page.split(f"{PUBLIC_URL}/s/")[1:]]
    with client.session_transaction() as session:
        session.clear()
    targets = {client.get(f"/s/{code}").headers["Location"] for code in codes}
    assert targets == {f"{PUBLIC_URL}/chat/demo", "sms:+447700900001?body=Hi",
                       "https://wa.me/447700900009?text=Hi"}
    assert len(codes) == 3 and client.get("/s/nope99").status_code == 404
    sign_in(client, "analyst")                      # codes never change once printed
    again = client.get("/staff/reports/demo/posters").get_data(as_text=True)
    assert [p.split("<", 1)[0] for p in again.split(f"{PUBLIC_URL}/s/")[1:]] == codes
