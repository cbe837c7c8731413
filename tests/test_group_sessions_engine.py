"""The pure group engine: same flow, same texts, never 1C, members by ordinal."""

from __future__ import annotations

from dataclasses import dataclass

from flows import events as ev
from flows import group
from flows.catalogue import load_catalogue
from flows.definition import load_flows
from flows.environment import Environment

PARAMS = dict(service="Demo Clinic", reference="EDS-TEST01", pals_phone="0800 000 0000",
              pals_text="07700 900002", pals_email="pals@example.nhs.uk")


@dataclass(frozen=True)
class Screening:
    disclosure: bool
    urgent: bool = False
    categories: tuple[str, ...] = ("harm",)
    evidence: tuple[str, ...] = ("hurt",)


def fake_screen(text: str, _lang: str):
    return Screening(disclosure="hurt" in text.lower(), urgent="danger" in text.lower())


def env(screen=fake_screen) -> Environment:
    return Environment(catalogue=load_catalogue(), flows=load_flows(), params=PARAMS,
                       screen=screen)


def texts(events) -> list[str]:
    return [e.key for e in events if isinstance(e, ev.MsgCreated)]


def test_start_welcomes_then_asks_1a():
    state, events = group.start(env(), group.GroupState())
    assert texts(events) == ["group.welcome", "question.1a"]
    assert state.state == "open" and state.asked == ("q1a",)
    assert events[-1] == ev.QuestionAsked(step="q1a", outcome="1A")


def test_the_whole_session_never_asks_1c_and_counts_distinct_members():
    e = env()
    state, events = group.start(e, group.GroupState())
    log = list(events)
    for token, text in [("m-a", "Easy to book"), ("m-b", "Hard by bus"), ("m-a", "and parking")]:
        state, events = group.resume(e, state, group.MemberReply(token, text))
        log += events
    state, events = group.resume(e, state, group.NextQuestion())
    log += events
    state, events = group.resume(e, state, group.MemberReply("m-c", "Yes they were"))
    log += events
    state, events = group.resume(e, state, group.NextQuestion())   # 1C omitted, 1D asked
    log += events
    assert texts(events) == ["question.1d"]
    assert ev.QuestionOmitted(step="q1c", outcome="1C", reason="group_context") in events
    state, events = group.resume(e, state, group.Close())
    log += events
    assert "question.1c" not in texts(log)
    answers = [x for x in log if isinstance(x, group.MemberAnswerRecorded)]
    assert [(a.step, a.member) for a in answers] == [("q1a", 1), ("q1a", 2), ("q1a", 1),
                                                      ("q1b", 3)]
    assert answers[3].code == "yes"
    assert events[0] == group.GroupClosed(number_of_people=3)
    assert texts(events) == ["group.closing"]
    assert "EDS-TEST01" in events[-1].text and "0800 000 0000" in events[-1].text
    assert state.state == "closed"


def test_after_the_last_question_next_closes_the_session():
    e = env()
    state, _ = group.start(e, group.GroupState())
    for _ in range(2):
        state, _ = group.resume(e, state, group.NextQuestion())
    assert state.asked == ("q1a", "q1b", "q1d")
    state, events = group.resume(e, state, group.NextQuestion())
    assert state.state == "closed" and isinstance(events[0], group.GroupClosed)
    assert group.resume(e, state, group.MemberReply("m", "late")) == (state, [])


def test_a_disclosure_is_escalated_and_never_echoed():
    e = env()
    state, _ = group.start(e, group.GroupState())
    said = "The nurse hurt me and I am in danger"
    state, events = group.resume(e, state, group.MemberReply("m-a", said))
    disclosure = next(x for x in events if isinstance(x, ev.DisclosureDetected))
    assert disclosure.text == said and disclosure.urgent and disclosure.outcome == "1A"
    assert texts(events) == ["safety.urgent", "safety.group_neutral"]
    assert all(said not in x.text for x in events if isinstance(x, ev.MsgCreated))


def test_an_answer_names_the_question_the_member_saw():
    e = env()
    state, _ = group.start(e, group.GroupState())
    state, _ = group.resume(e, state, group.NextQuestion())
    state, events = group.resume(e, state, group.MemberReply("m", "Late but true", step="q1a"))
    assert events[0].step == "q1a"
    _, events = group.resume(e, state, group.MemberReply("m", "Sneaky", step="q1c"))
    assert events[0].step == "q1b"                 # a step never asked is not accepted


def test_empty_replies_record_nothing_and_state_round_trips():
    e = env(screen=None)
    state, _ = group.start(e, group.GroupState(language="xx"))
    assert state.language == "en"
    same, events = group.resume(e, state, group.MemberReply("m", "  ...  "))
    assert events == [] and same == state
    assert group.GroupState.from_dict(state.to_dict()) == state
