"""What a patient's message means at the point the conversation is at."""

from __future__ import annotations

from flows import choosing, disclosure
from flows import events as ev
from flows.inputs import MessageIn
from flows.progress import advance
from flows.turn import Turn
from flows.words import choose_option, code_reply, code_yes_no, hint_option, is_bare, normalise


def handle(turn: Turn, given: MessageIn, said: str | None) -> None:
    text = given.text.strip()
    state = turn.session.state
    if said == "help":
        turn.say("help")
        reask(turn)
    elif said == "start":                # already receiving messages: nothing to undo
        reask(turn)
    elif said == "language" or state == "choosing_language":
        choosing.menu(turn, text, opening=said == "language")
    elif choosing.named(turn, text):
        reask(turn)
    elif not normalise(text):
        turn.say("input.media" if given.media else "input.empty")
        reask(turn)
    elif state == "asking_contact":
        disclosure.consent(turn, text)
    elif state == "paused":
        disclosure.paused(turn, text, said)
    elif said == "skip":
        skip(turn)
    else:
        {"question": question, "choice": choice, "gate": gate}[turn.step.type](turn, text)


def reask(turn: Turn) -> None:
    state = turn.session.state
    if state == "asking_contact":
        turn.say("safety.ask_contact", expects="yes_no")
    elif state == "paused":
        turn.say("safety.paused", expects="yes_no")
    elif state == "following_up":
        turn.say("followup.why" if turn.step.type == "question" else "followup.more",
                 expects="free")
    else:
        turn.ask(turn.step)


def skip(turn: Turn) -> None:
    step, session = turn.step, turn.session
    if step.type == "gate":
        advance(turn, turn.flow.index(step.on_no or step.id) if step.on_no else session.step + 1)
    elif session.state == "following_up" and step.type == "question":
        finish(turn, session.pending, session.pending_code, screened="")
    else:
        if session.state != "following_up":
            turn.record(ev.AnswerSkipped(step=step.id, outcome=step.outcome))
        advance(turn, session.step + 1)


def question(turn: Turn, text: str) -> None:
    step, session = turn.step, turn.session
    if session.state == "following_up":
        finish(turn, f"{session.pending} — {text}", session.pending_code, screened=text)
        return
    bare = is_bare(text, turn.lang, turn.env.catalogue)
    choosing.detect(turn, text, bare)
    code = code_reply(text, step.coding, turn.lang, turn.env.catalogue)
    wants_why = bare and (step.follow_up == "bare"
                          or (step.follow_up == "if_yes" and code == "yes"))
    if wants_why:
        turn.record(ev.AnswerRecorded(step=step.id, outcome=step.outcome, text=text, code=code))
        turn.update(state="following_up", pending=text, pending_code=code)
        turn.say("followup.why" if step.follow_up == "bare" else "followup.more",
                 expects="free")
        return
    finish(turn, text, code, screened=text)


def finish(turn: Turn, text: str, code: str | None, screened: str) -> None:
    """The answer is final: record it, screen it, and move on unless PALS needs asking."""
    step = turn.step
    turn.record(ev.AnswerRecorded(step=step.id, outcome=step.outcome, text=text, code=code))
    if not disclosure.check(turn, step, text, code, screened):
        advance(turn, turn.session.step + 1)


def choice(turn: Turn, text: str) -> None:
    step, session = turn.step, turn.session
    if session.state == "following_up":
        _choose(turn, session.pending_code or "other", text)
        return
    value = choose_option(text, step.options, turn.option_labels(step))
    if value is None and step.free_text:
        choosing.detect(turn, text, is_bare(text, turn.lang, turn.env.catalogue))
        value = hint_option(text, step.options, turn.lang, turn.env.catalogue)
        value = value or ("other" if "other" in step.options else text[:80])
        _choose(turn, value, text)
    elif value is None and not session.retried:
        turn.update(retried=True)
        turn.say("choice.retry")
        turn.ask(step)
    elif value is None:
        turn.record(ev.AnswerSkipped(step=step.id, outcome=step.outcome))
        advance(turn, session.step + 1)
    elif value == step.more_when:
        turn.update(state="following_up", pending_code=value)
        turn.say("followup.more", expects="free")
    else:
        _choose(turn, value, "")


def _choose(turn: Turn, value: str, text: str) -> None:
    step = turn.step
    turn.record(ev.ChoiceRecorded(step=step.id, field=step.field or step.id,
                                  value=value, text=text))
    turn.update(values={**turn.session.values, step.field or step.id: value})
    if not disclosure.check(turn, step, text, None, text):
        advance(turn, turn.session.step + 1)


def gate(turn: Turn, text: str) -> None:
    step, session = turn.step, turn.session
    code = code_yes_no(text, turn.lang, turn.env.catalogue)
    if code == "yes":
        advance(turn, session.step + 1)
    elif code == "no" or session.retried:
        advance(turn, turn.flow.index(step.on_no) if step.on_no else session.step + 1)
    else:
        turn.update(retried=True)
        turn.say("gate.retry", expects="yes_no")
