"""Polish, Urdu and Somali speakers hold both flows over SMS in their own
language, having chosen it each way a patient can: by naming it, from the
LANGUAGE menu, by simply writing in it, or with the invitation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from flows.catalogue import load_catalogue
from storage.models import Answer, Response
from tests.support.phone import Phone

CATALOGUE = load_catalogue()


def english_sentences(lang: str) -> list[str]:
    """Long pieces of English messages that the other language does not share:
    if one of these reaches the patient, part of the conversation was in English."""
    theirs = " ".join(CATALOGUE.texts[lang].values())
    pieces = {piece.strip() for text in CATALOGUE.texts["en"].values()
              for piece in re.split(r"\{[^}]*\}", text)}
    return sorted(p for p in pieces if len(p) >= 16 and " " in p and p not in theirs)


def assert_all_in(lang: str, messages: list[str]) -> None:
    english = english_sentences(lang)
    leaked = [(piece, message) for message in messages for piece in english if piece in message]
    assert leaked == []


def converse(phone: Phone, replies: list[str]) -> list[str]:
    """Send each reply in turn; return every message the service sent back."""
    return [message for reply in replies for message in phone.send(reply)]


def only_response(services) -> tuple[Response, dict[str, str]]:
    with services.db.transaction() as tx:
        (response,) = tx.scalars(select(Response)).all()
        answers = {a.outcome or a.step: a.text for a in tx.scalars(
            select(Answer).where(Answer.response_id == response.id))}
    return response, answers


def closing_in(lang: str, messages: list[str], response: Response) -> None:
    closing = CATALOGUE.text("closing", lang, {"reference": response.reference,
                                               "pals": ""}).split(response.reference)[0]
    assert any(closing.strip() in m for m in messages), "no closing message in that language"
    assert any(response.reference in m and "pals@example.nhs.uk" in m for m in messages)


# -- Polish: the patient names the language ------------------------------------------

POLISH_ANSWERS = ["Tak, łatwo było się umówić, recepcja była bardzo miła",
                  "Tak, lekarz mnie wysłuchał i wszystko wyjaśnił",
                  "Nie, nic złego mi się nie stało",
                  "Bardzo dobrze, polecam tę przychodnię znajomym",
                  "Nie"]          # no to the optional questions about themselves


def test_a_polish_speaker_names_polish_and_finishes_in_polish(phone, services):
    phone.send("Hi")
    switched = phone.send("polski")
    assert switched[0] == CATALOGUE.text("language.changed", "pl", {"language": "Polski"})
    assert CATALOGUE.text("question.1a", "pl") in switched[1]
    rest = converse(phone, POLISH_ANSWERS)
    assert_all_in("pl", switched + rest)
    response, answers = only_response(services)
    assert response.language == "pl" and response.status == "complete"
    assert answers["1A"] == POLISH_ANSWERS[0] and answers["1D"] == POLISH_ANSWERS[3]
    closing_in("pl", rest, response)


def test_english_switches_a_polish_conversation_back(phone, services):
    phone.send("Hi")
    phone.send("polski")
    back = phone.send("ENGLISH")
    assert CATALOGUE.text("question.1a", "en") in back[-1]
    converse(phone, ["Easy to book", "Yes they listened", "No", "Very good", "No thanks"])
    assert only_response(services)[0].language == "en"


# -- Urdu: from the LANGUAGE menu -------------------------------------------------

URDU_ANSWERS = ["جی ہاں، وقت آسانی سے مل گیا اور عملہ بہت مددگار تھا",
                "جی ہاں، ڈاکٹر نے میری بات غور سے سنی",
                "نہیں، مجھے کوئی نقصان نہیں پہنچا، سب ٹھیک تھا",
                "بہت اچھا تجربہ تھا، شکریہ",
                "نہیں"]


def test_an_urdu_speaker_chooses_urdu_from_the_menu_and_finishes_in_urdu(phone, services):
    phone.send("Hi")
    menu = phone.say("LANGUAGE")
    assert CATALOGUE.text("language.menu", "en") in menu
    number = next(line.split()[0] for line in menu.splitlines() if line.endswith("اردو"))
    switched = phone.send(number)
    assert switched[0] == CATALOGUE.text("language.changed", "ur", {"language": "اردو"})
    rest = converse(phone, URDU_ANSWERS)
    assert_all_in("ur", switched + rest)
    response, answers = only_response(services)
    assert response.language == "ur" and response.status == "complete"
    assert answers["1B"] == URDU_ANSWERS[1]
    closing_in("ur", rest, response)


# -- Somali: detected from what they write, and confirmed in Somali -----------------

SOMALI_ANSWERS = ["Haa, ballanta way fududayd oo shaqaaluhu aad bay u caawiyeen",
                  "Haa, dhakhtarku si fiican buu ii dhagaystay",
                  "Maya, wax dhib ah ma soo gaarin",
                  "Aad u wanaagsan, waan ku faraxsanahay adeegga",
                  "Maya"]


def test_a_somali_speaker_writes_in_somali_and_the_service_follows(phone, services):
    phone.send("Hi")
    first = phone.send(SOMALI_ANSWERS[0])
    assert first[0] == CATALOGUE.text("language.confirm", "so", {"language": "Soomaali"})
    assert CATALOGUE.text("question.1b", "so") in first[-1]
    rest = converse(phone, SOMALI_ANSWERS[1:])
    assert_all_in("so", first + rest)
    response, answers = only_response(services)
    assert response.language == "so" and answers["1A"] == SOMALI_ANSWERS[0]
    closing_in("so", rest, response)


# -- the did-not-attend follow-up, in the language given with the invitation --------

DNA_REASONS = {"pl": "Nie dostałem listu z terminem wizyty",
               "ur": "مجھے ملاقات کا خط نہیں ملا",
               "so": "Warqadda ballanta ma helin"}
ANSWERS = {"pl": POLISH_ANSWERS, "ur": URDU_ANSWERS, "so": SOMALI_ANSWERS}


@pytest.mark.parametrize("lang", ["pl", "ur", "so"])
def test_did_not_attend_follow_up_in_the_invitation_language(lang, client, services):
    phone = Phone(client, number="+447700900456")
    opening = services.conversations.begin("demo", "sms", phone.number, flow_id="dna",
                                           language=lang)
    sent = [reply.text for reply in opening.replies]
    assert CATALOGUE.text("question.dna_reason", lang) in sent[-1]
    rest = converse(phone, [DNA_REASONS[lang], *ANSWERS[lang]])
    assert_all_in(lang, sent + rest)
    response, answers = only_response(services)
    assert (response.flow, response.language, response.dna_reason) == ("dna", lang,
                                                                       "not_received")
    closing_in(lang, rest, response)
