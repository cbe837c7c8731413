"""After a disclosure: urgent help first, then PALS, then the patient's choice.

Every final free-text answer is screened. In a group the disclosure is never
echoed back; everyone is given PALS details neutrally.
"""

from __future__ import annotations

from flows import events as ev
from flows.definition import Step
from flows.progress import advance
from flows.turn import Turn
from flows.words import code_yes_no


def _screen(turn: Turn, text: str):
    screen = turn.env.screen
    return screen(text, turn.lang) if screen and text.strip() else None


def _urgent_first(turn: Turn) -> None:
    """Danger now: the emergency numbers go before anything else in this turn."""
    turn.say("safety.urgent")
    message = turn.events.pop()
    first = next((i for i, e in enumerate(turn.events) if isinstance(e, ev.MsgCreated)),
                 len(turn.events))
    turn.events.insert(first, message)


def check(turn: Turn, step: Step, text: str, code: str | None, screened: str) -> bool:
    """Record a disclosure if there is one; True when the flow must wait."""
    screening = _screen(turn, screened)
    found = bool(screening and screening.disclosure)
    coded = step.disclosure_when is not None and code == step.disclosure_when
    if not (found or coded):
        return False
    urgent = bool(screening and screening.urgent)
    turn.record(ev.DisclosureDetected(
        step=step.id, outcome=step.outcome, text=text,
        categories=tuple(screening.categories) if found else (),
        urgent=urgent,
        evidence=tuple(screening.evidence) if found else (f"answered {code} to {step.id}",)))
    if urgent:
        _urgent_first(turn)
    if turn.in_group:
        turn.say("safety.group_neutral")
        return False
    turn.say("safety.pals_will_see")
    turn.say("safety.ask_contact", expects="yes_no")
    turn.update(state="asking_contact", step=turn.session.step + 1, retried=False,
                after_disclosure="urgent" if urgent else "")
    return True


def unfinished(turn: Turn) -> None:
    """A bare "yes" to the harm question reaches PALS even if the patient
    never says more (goes quiet, STOPs or RESTARTs while asked to tell us more)."""
    session = turn.session
    if session.state != "following_up" or turn.step.disclosure_when is None:
        return
    if session.pending_code == turn.step.disclosure_when:
        step = turn.step
        turn.record(ev.DisclosureDetected(
            step=step.id, outcome=step.outcome, text=session.pending, categories=(),
            urgent=False, evidence=(f"answered {session.pending_code} to {step.id}",)))


def _more_words(turn: Turn, text: str) -> None:
    """Words that are not a yes or no are kept, and screened like any answer."""
    turn.record(ev.CommentRecorded(step="asking_contact", text=text))
    screening = _screen(turn, text)
    if screening and screening.disclosure:
        turn.record(ev.DisclosureDetected(
            step="asking_contact", outcome=None, text=text,
            categories=tuple(screening.categories), urgent=screening.urgent,
            evidence=tuple(screening.evidence)))
        if screening.urgent:
            _urgent_first(turn)
            turn.update(after_disclosure="urgent")


def consent(turn: Turn, text: str) -> None:
    """Only a clear yes lets PALS contact the patient; an unclear reply is asked once more."""
    said = code_yes_no(text, turn.lang, turn.env.catalogue)
    if said == "yes":
        turn.record(ev.ContactRequested())
        turn.say("safety.contact_yes")
    elif said != "no" and not turn.session.retried:
        _more_words(turn, text)
        turn.update(retried=True)
        turn.say("safety.ask_contact", expects="yes_no")
        return
    else:
        if said != "no":
            _more_words(turn, text)
        turn.record(ev.ContactDeclined())
        turn.say("safety.contact_no")
    if turn.session.after_disclosure == "urgent":
        turn.update(state="paused", after_disclosure="")
        turn.say("safety.paused", expects="yes_no")
    else:
        turn.update(after_disclosure="")
        advance(turn, turn.session.step)


def paused(turn: Turn, text: str, said: str | None) -> None:
    """A paused survey resumes only when the patient asks; other words are kept."""
    if said == "continue" or code_yes_no(text, turn.lang, turn.env.catalogue) == "yes":
        advance(turn, turn.session.step)
        return
    turn.record(ev.CommentRecorded(step="paused", text=text))
    screening = _screen(turn, text)
    if screening and screening.disclosure:
        turn.record(ev.DisclosureDetected(
            step="paused", outcome=None, text=text, categories=tuple(screening.categories),
            urgent=screening.urgent, evidence=tuple(screening.evidence)))
        if screening.urgent:
            _urgent_first(turn)
        turn.say("safety.pals_will_see")
    turn.say("safety.paused", expects="yes_no")
