"""A patient texts the service's number and has the whole conversation."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Answer, MonitoringAnswer, Response
from tests.support.phone import Phone


def finished_responses(services):
    with services.db.transaction() as tx:
        return tx.scalars(select(Response).where(Response.status != "in_progress")).all()


def test_a_patient_answers_every_question_and_gets_pals_details(phone, services):
    welcome = phone.send("Hi")
    assert "Demo Community Clinic" in welcome[0] and "anonymous" in welcome[0]
    assert "SKIP" in welcome[0] and "STOP" in welcome[0]
    assert "access to the service" in welcome[1]

    assert "why" in phone.say("Yes")
    assert "health needs" in phone.say("I got a same-day slot")
    assert "harm" in phone.say("Mostly, though I waited weeks for results")
    assert "experience" in phone.say("No")
    assert "why" in phone.say("5")
    assert "optional questions" in phone.say("Lovely nurses")
    assert "1 Under 18" in phone.say("yes")
    for reply in ["3", "1", "1", "1", "3", "1", "2", "2", "6", "2"]:
        phone.send(reply)
    closing = phone.say("Margate")

    assert "Thank you for your feedback" in closing
    assert "0800 000 0000" in closing and "07700 900002" in closing
    assert "pals@example.nhs.uk" in closing
    (response,) = finished_responses(services)
    assert response.reference in closing
    with services.db.transaction() as tx:
        answers = {a.outcome: (a.text, a.code) for a in tx.scalars(
            select(Answer).where(Answer.response_id == response.id))}
        monitoring = dict(tx.execute(select(MonitoringAnswer.field, MonitoringAnswer.value)
                                     .where(MonitoringAnswer.response_id == response.id)).all())
    assert answers == {"1A": ("Yes — I got a same-day slot", "yes"),
                       "1B": ("Mostly, though I waited weeks for results", "partly"),
                       "1C": ("No", "no"),
                       "1D": ("5 — Lovely nurses", "very_good")}
    assert monitoring["age_band"] == "age_25_34" and monitoring["ethnicity"] == "asian_indian"
    assert monitoring["district"] == "Margate"
    assert response.status == "complete" and response.channel == "sms"
    assert response.context == "individual" and response.number_of_people == 1
    assert response.engagement_type == "SMS" and response.language == "en"


def test_reference_codes_are_short_and_readable_over_the_phone(phone, services):
    phone.send("Hi")
    phone.send("STOP")
    phone.send("START")
    phone.send("Yes, always")
    with services.db.transaction() as tx:
        references = tx.scalars(select(Response.reference)).all()
    for reference in references:
        prefix, code = reference.split("-")
        assert prefix == "EDS" and len(code) == 6
        assert not set(code) & set("01OILU")


def test_monitoring_is_declined_with_one_reply(phone, services):
    phone.send("Hi")
    for reply in ["Yes, it is close to home", "Yes they listened", "No", "Good, friendly staff"]:
        phone.send(reply)
    assert "Thank you for your feedback" in phone.say("No thanks")
    with services.db.transaction() as tx:
        assert tx.scalar(select(func.count()).select_from(MonitoringAnswer)) == 0


def test_every_monitoring_question_offers_prefer_not_to_say(phone):
    phone.send("Hi")
    for reply in ["Yes, it is close", "Yes they listened", "No", "Good, friendly staff", "Yes"]:
        last = phone.say(reply)
    asked = 0
    while "Thank you for your feedback" not in last:
        assert "Prefer not to say" in last
        options = [line for line in last.splitlines() if line[:1].isdigit()]
        last = phone.say(options[-1].split()[0])     # always the last option
        asked += 1
    assert asked == 10       # ethnic group "prefer not to say" skips the detailed question


def test_skip_moves_on_and_records_the_question_as_skipped(phone, services):
    phone.send("Hi")
    assert "health needs" in phone.say("SKIP")
    assert "harm" in phone.say("Yes, the GP listens to me")
    with services.db.transaction() as tx:
        skipped = tx.scalar(select(Answer).where(Answer.outcome == "1A"))
    assert skipped.skipped and skipped.text == ""


def test_the_why_follow_up_can_itself_be_skipped(phone, services):
    phone.send("Hi")
    assert "why" in phone.say("no")
    assert "health needs" in phone.say("skip")
    with services.db.transaction() as tx:
        answer = tx.scalar(select(Answer).where(Answer.outcome == "1A"))
    assert (answer.text, answer.code, answer.skipped) == ("no", "no", False)


def test_help_explains_gives_pals_and_asks_the_question_again(phone):
    phone.send("Hi")
    help_text = phone.send("HELP")
    assert "anonymous survey" in help_text[0] and "0800 000 0000" in help_text[0]
    assert "access to the service" in help_text[1]


def test_restart_begins_again_and_keeps_what_was_said_as_partial(phone, services):
    phone.send("Hi")
    phone.send("Yes, it is close by")
    replies = phone.send("RESTART")
    assert "would like to hear" in replies[0] and "access to the service" in replies[1]
    with services.db.transaction() as tx:
        statuses = sorted(tx.scalars(select(Response.status)).all())
    assert statuses == ["in_progress", "partial"]


def test_stop_ends_it_and_nothing_more_is_sent_until_start(phone, services):
    phone.send("Hi")
    phone.send("Yes, the clinic is close")
    assert "will not get any more messages" in phone.say("STOP")
    assert phone.send("Hello?") == []
    assert phone.send("RESTART") == []
    back = phone.send("START")
    assert "can get messages from this survey again" in back[0]
    assert "access to the service" in back[-1]
    statuses = sorted(r.status for r in finished_responses(services))
    assert statuses == ["stopped"]      # the answer given before STOP is kept


def test_all_uk_opt_out_words_stop_the_conversation(client):
    for i, word in enumerate(["STOP", "stopall", "Unsubscribe", "CANCEL", "end", "Quit."]):
        phone = Phone(client, number=f"+44770090050{i}")
        phone.send("Hi")
        assert "will not get any more messages" in phone.say(word), word
        assert phone.send("ok") == []


def test_a_sentence_containing_stop_is_an_answer_not_an_opt_out(phone):
    phone.send("Hi")
    reply = phone.say("Please stop cancelling my appointments at short notice")
    assert "health needs" in reply and "will not get any more" not in reply


def test_a_text_after_the_end_gets_thanks_not_a_new_survey(phone, services):
    phone.send("Hi")
    for reply in ["Yes it is close", "Yes they listen", "No", "Good staff"]:
        phone.send(reply)
    assert "Thank you for your feedback" in phone.say("no")
    after = phone.say("Thanks!")
    assert "we have your feedback" in after
    assert len(finished_responses(services)) == 1


def test_messages_are_routed_to_the_service_that_owns_the_number(client, services):
    from storage.repositories import add_service

    with services.db.transaction() as tx:
        add_service(tx, slug="cardiac", name="Cardiac Rehabilitation", sms_number="+447700900077",
                    pals_phone="0800 111 2222", pals_text="", pals_email="")
    phone = Phone(client, number="+447700900555", to="+447700900077")
    assert "Cardiac Rehabilitation" in phone.send("Hi")[0]
    stranger = Phone(client, to="+447700900999")
    assert stranger.send("Hi") == []


def test_start_in_the_middle_of_a_conversation_is_not_taken_as_an_answer(phone, services):
    phone.send("Hi")
    assert "access to the service" in phone.say("START")
    with services.db.transaction() as tx:
        assert tx.scalars(select(Answer)).all() == []
