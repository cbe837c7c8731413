"""Coding answers: the pure coder, coding on arrival through the real SMS
webhook, analysts' recodes that automatic coding never overwrites, the
editable codebook, and agreement with hand-coding."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from flows.coding.agreement import cohen_kappa
from flows.coding.codebook import default_codebook
from flows.coding.themes import code_answer
from storage import coding as codes
from storage.models import Answer, AnswerCode
from tests.support.staff import add_staff, post, response_with_answer, sign_in

DATA = Path(__file__).parent.parent / "benchmarks" / "data" / "coding" / "labelled.yaml"


@pytest.mark.parametrize(("text", "lang", "outcome", "themes", "sentiment"), [
    ("I rang at 8am and the phone was engaged, no appointments left", "en", "1A",
     {"telephone_access", "booking"}, "negative"),
    ("The nurse was lovely and explained everything", "en", "1D",
     {"staff_attitude", "information_communication"}, "positive"),
    ("Staff are great but the wait was far too long", "en", "1D",
     {"staff_attitude", "waiting_times"}, "mixed"),
    ("The doctor didn't listen to me", "en", "1B", {"staff_attitude"}, "negative"),
    ("Sat in the waiting room, it was dirty", "en", "1D", {"environment_facilities"},
     "negative"),
    ("No", "en", "1C", set(), "none"),
    ("Yes", "en", "1C", set(), "negative"),
    ("Yes", "en", "1A", set(), "positive"),
    ("Nie było tłumacza i nic nie zrozumiałam", "pl", "1B", {"interpreters_language"},
     "negative"),
    ("کوئی مترجم نہیں تھا", "ur", "1A", {"interpreters_language"}, "negative"),
    ("খুব ভালো, ধন্যবাদ", "bn", "1D", set(), "positive"),
    ("", "en", "1A", set(), "none"),
])
def test_code_answer(text, lang, outcome, themes, sentiment):
    result = code_answer(text, lang, default_codebook(), outcome)
    assert set(result.themes) == themes and result.sentiment == sentiment


def test_other_languages_keywords_do_not_apply_to_english():
    assert code_answer("czekam", "en", default_codebook()).themes == ()
    assert code_answer("czekam", "pl", default_codebook()).themes == ("waiting_times",)


def test_cohen_kappa_is_one_for_perfect_agreement_and_zero_at_chance():
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == 1
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0


def test_the_coder_agrees_with_the_hand_coded_benchmark_set():
    """A regression guard on benchmarks/data/coding (the figures are in the README)."""
    from flows import yamlio
    from flows.coding.agreement import agreement

    items = yamlio.load_file(DATA)
    book = default_codebook()
    coded = [code_answer(i["text"], i["lang"], book, i["outcome"]) for i in items]
    result = agreement([set(i["themes"]) for i in items], [set(c.themes) for c in coded],
                       [i["sentiment"] for i in items], [c.sentiment for c in coded],
                       book.slugs())
    assert len(items) >= 150
    assert result.micro_f1 > 0.8 and result.sentiment_kappa > 0.7


def _answer(services, outcome: str) -> Answer:
    with services.db.transaction() as tx:
        return tx.scalar(select(Answer).where(Answer.outcome == outcome))


def test_answers_are_coded_when_they_arrive_by_sms(phone, services):
    phone.send("Hi")
    phone.send("No. The phone line is always engaged and I could never get an appointment")
    answer = _answer(services, "1A")
    with services.db.transaction() as tx:
        coded = codes.codes_for(tx, [answer.id])[answer.id]
    assert set(coded.themes) == {"telephone_access", "booking"}
    assert coded.sentiment == "negative" and not coded.hand_coded


def test_an_analysts_recode_is_kept_when_automatic_coding_runs_again(client, phone, services,
                                                                    clock):
    add_staff(services)
    phone.send("Hi")
    phone.send("Yes")                                  # a bare yes: asked why
    answer = _answer(services, "1A")
    sign_in(client, "analyst")
    post(client, f"/staff/answers/{answer.id}/code",
         {"theme": ["booking", "travel_location"], "sentiment": "mixed"},
         page=f"/staff/answers/{answer.id}")
    phone.send("The bus takes ages but booking is easy")  # the why: the answer is recoded
    with services.db.transaction() as tx:
        coded = codes.codes_for(tx, [answer.id])[answer.id]
        rows = tx.execute(select(AnswerCode.theme, AnswerCode.source, AnswerCode.coder)
                          .where(AnswerCode.answer_id == answer.id)).all()
    assert coded.hand_coded and set(coded.themes) == {"booking", "travel_location"}
    assert coded.sentiment == "mixed"
    assert ("booking", "analyst", "analyst@example.nhs.uk") in rows
    assert "travel_location" in coded.auto_themes          # the machine's view is kept apart
    page = client.get(f"/staff/answers/{answer.id}").get_data(as_text=True)
    assert "Hand-coded" in page


def test_analysts_filter_answers_by_theme_and_sentiment(client, services):
    add_staff(services)
    response_with_answer(services, text="The receptionist was rude", reference="EDS-RUDE01")
    response_with_answer(services, text="Parking is impossible", reference="EDS-PARK01")
    sign_in(client, "analyst")
    staff_only = client.get("/staff/answers/?theme=staff_attitude").get_data(as_text=True)
    assert "EDS-RUDE01" in staff_only and "EDS-PARK01" not in staff_only
    travel = client.get("/staff/answers/?theme=travel_location&sentiment=negative")
    assert "EDS-PARK01" in travel.get_data(as_text=True)
    assert "EDS-RUDE01" not in travel.get_data(as_text=True)


def test_an_edited_codebook_codes_new_answers(client, services):
    add_staff(services)
    sign_in(client, "analyst")
    post(client, "/staff/answers/codebook", {"slug": "Pharmacy", "label": "Pharmacy",
                                             "keywords": "en: pharmac*, prescription*\n"
                                                         "pl: recept*", "active": "on"})
    _, answer = response_with_answer(services, text="My prescription was never ready")
    with services.db.transaction() as tx:
        assert "pharmacy" in codes.codes_for(tx, [answer])[answer].themes
        assert codes.labels(tx)["pharmacy"] == "Pharmacy"


def test_the_agreement_page_compares_hand_codes_with_automatic_ones(client, services):
    add_staff(services)
    _, answer = response_with_answer(services, text="The receptionist was rude")
    sign_in(client, "analyst")
    post(client, f"/staff/answers/{answer}/code",
         {"theme": ["staff_attitude", "dignity_respect"], "sentiment": "negative"})
    page = client.get("/staff/answers/agreement").get_data(as_text=True)
    assert "On the 1 answer an analyst has hand-coded" in page
    assert "precision 100%" in page and "recall 50%" in page    # found 1 of your 2


def test_two_first_answers_on_a_new_database_share_one_seeded_codebook(services):
    """Both turns find the codebook empty; the one that loses the race to seed it
    keeps the winner's themes and carries on, rather than failing the patient's turn."""
    import threading
    import time

    from sqlalchemy import func

    from flows.coding.codebook import default_theme_dicts
    from storage.models import CodingTheme

    seen: list[int] = []

    def second_answer() -> None:
        with services.db.transaction() as tx:
            seen.append(len(codes.codebook(tx).themes))

    with services.db.transaction() as first:
        assert first.scalar(select(func.count()).select_from(CodingTheme)) == 0
        codes.ensure_codebook(first)
        racing = threading.Thread(target=second_answer)
        racing.start()
        time.sleep(0.3)                      # the second seeds too, and waits on our rows
    racing.join(timeout=10)
    shipped = len(default_theme_dicts())
    assert seen == [shipped]
    with services.db.transaction() as tx:
        assert tx.scalar(select(func.count()).select_from(CodingTheme)) == shipped
