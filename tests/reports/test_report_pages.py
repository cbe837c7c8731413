"""The staff report pages from a season of answers: access per role,
figures, who is missing, scoring and the public page."""

import io

import pytest

from tests.reports.season import LONE_REFERENCE, seed, sign_in

STAFF_ROUTES = ["/staff/reports/", "/staff/reports/demo/figures", "/staff/reports/demo/missing",
                "/staff/reports/demo/score/1A", "/staff/reports/demo/posters",
                "/staff/reports/export.xlsx", "/staff/reports/organisation",
                "/staff/reports/report.docx"]


@pytest.fixture
def season(services):
    seed(services)
    return services


@pytest.mark.parametrize("path", STAFF_ROUTES)
def test_report_pages_need_sign_in(client, season, path):
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("path", STAFF_ROUTES)
def test_pals_officers_do_not_see_reports(client, season, path):
    sign_in(client, "pals")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", STAFF_ROUTES)
def test_analysts_see_everything(client, season, path):
    sign_in(client, "analyst")
    assert client.get(path).status_code == 200


def test_a_service_lead_sees_only_their_own_service(client, season):
    sign_in(client, "service_lead", ("physio",))
    assert client.get("/staff/reports/physio/figures").status_code == 200
    assert client.get("/staff/reports/physio/missing").status_code == 200
    assert client.get("/staff/reports/export.xlsx?service=physio").status_code == 200
    for path in ["/staff/reports/demo/figures", "/staff/reports/demo/missing",
                 "/staff/reports/demo/score/1D", "/staff/reports/export.csv",
                 "/staff/reports/export.xlsx?service=demo", "/staff/reports/organisation"]:
        assert client.get(path).status_code == 403, path
    index = client.get("/staff/reports/").get_data(as_text=True)
    assert "Community Physiotherapy" in index and "Demo Community Clinic" not in index


def test_posts_without_the_form_token_are_refused(client, season):
    sign_in(client, "analyst")
    reply = client.post("/staff/reports/demo/score/1A", data={"rating": "2"})
    assert reply.status_code == 400


def test_figures_page_has_fft_tables_an_accessible_chart_and_no_references(client, season):
    sign_in(client, "analyst")
    page = client.get("/staff/reports/demo/figures?year=2023-24").get_data(as_text=True)
    assert "Rated positive (%)" in page and "No. of responses" in page
    assert "1C: positive = no harm" in page
    assert "<title id=\"chart-title\">" in page and "<desc id=\"chart-desc\">" in page
    assert "1D % positive: Q1" in page          # the chart's data in words
    assert "<svg" in page and "<script" not in page and "https://" not in page
    assert "EDS-" not in page and "answer " not in page


def test_who_is_missing_hides_the_lone_respondent_and_flags_gaps(client, season):
    token = sign_in(client, "analyst")
    page = client.get("/staff/reports/demo/missing").get_data(as_text=True)
    assert "pl (a count of 1-4)" in page
    assert "folkestone (a count of 1-4)" in page
    profile = "field,category,count\nethnic_group,white,5000\nethnic_group,asian,3000\n" \
              "ethnic_group,black,2000\n"
    client.post("/staff/reports/demo/population", data={
        "csrf_token": token, "profile": (io.BytesIO(profile.encode()), "profile.csv")},
        content_type="multipart/form-data")
    page = client.get("/staff/reports/demo/missing").get_data(as_text=True)
    ethnic = page.split("<caption>Ethnic group</caption>", 1)[1].split("</table>", 1)[0]
    black = ethnic.split('<th scope="row">black</th>', 1)[1].split("</tr>", 1)[0]
    assert "suppressed" in black and "20%" in black and "Yes: plan targeted engagement" in black
    filtered = client.get("/staff/reports/demo/missing?language=pl").get_data(as_text=True)
    assert "Everything in this table is suppressed" in filtered


def test_scoring_an_outcome_shows_evidence_and_feeds_the_organisation_band(client, season):
    token = sign_in(client, "analyst")
    page = client.get("/staff/reports/demo/score/1D?year=2023-24").get_data(as_text=True)
    assert "Responses: 81" in page and "Positive:" in page and "Escalations to PALS" in page
    for outcome, rating in (("1A", "1"), ("1B", "2"), ("1C", "1"), ("1D", "1")):
        client.post(f"/staff/reports/demo/score/{outcome}", data={
            "csrf_token": token, "year": "2023-24", "rating": rating,
            "rationale": "Good access by text", "panel": "Patient representative; VCSE lead",
            "objective": "Reach Polish speakers", "action": "Posters in Polish",
            "completion": "March 2024"})
    client.post("/staff/reports/organisation", data={
        "csrf_token": token, "year": "2023-24", "domain2": "7", "domain3": "5"})
    page = client.get("/staff/reports/organisation?year=2023-24").get_data(as_text=True)
    assert "EDS Organisation Rating (overall rating): 17 - Developing" in page


def test_the_public_page_shows_actions_but_no_answers_or_references(client, season):
    token = sign_in(client, "analyst")
    client.post("/staff/reports/demo/actions", data={
        "csrf_token": token, "theme": "Waiting times", "outcome": "1A",
        "you_said": "It was hard to get through on the phone",
        "we_did": "We added text-back booking", "published": "on"})
    client.post("/staff/reports/demo/actions", data={
        "csrf_token": token, "theme": "Draft", "you_said": "x", "we_did": "not yet"})
    with client.session_transaction() as session:
        session.clear()
    page = client.get("/you-said-we-did/demo")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Waiting times" in text and "We added text-back booking" in text
    assert "not yet" not in text
    assert "EDS-" not in text and LONE_REFERENCE not in text and "answer " not in text


def test_themes_from_the_staff_apps_coding_appear_with_small_counts_hidden(client, season):
    from tests.support.staff import response_with_answer

    for n in range(6):
        response_with_answer(season, text="I waited weeks for an appointment", outcome="1A",
                             reference=f"EDS-WAIT{n:02d}", quote_consent=(n == 0))
    sign_in(client, "analyst")
    page = client.get("/staff/reports/demo/figures").get_data(as_text=True)
    themes = page.split("<caption>1A themes</caption>", 1)[1].split("</table>", 1)[0]
    assert "<td>6</td>" in themes or "fewer than 5" in themes
    assert "“I waited weeks for an appointment”" in page      # the one consented quote
    assert "EDS-WAIT" not in page


@pytest.mark.parametrize("path", [p for p in STAFF_ROUTES if p.endswith("/") or "." not in p])
def test_report_pages_use_the_staff_stylesheet_the_policy_allows(client, season, path):
    """The staff CSP allows only our own files: an inline <style> would leave a bare page."""
    sign_in(client, "analyst")
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert "/staff.css" in html and "<style" not in html and " style=" not in html
    assert 'href="/staff/reports/"' in html          # the staff navigation is there
