"""The conversation engine: pure functions from (session, input) to
(new session, events). No database, clock, network or randomness here.

    session, events = start(env, Session(flow_id="domain1"))
    session, events = resume(env, session, MessageIn("Yes, the staff were kind"))
"""

from __future__ import annotations

from flows import disclosure, replies
from flows import events as ev
from flows.environment import Environment
from flows.inputs import MessageIn, TimedOut
from flows.progress import advance
from flows.session import Session
from flows.turn import Turn
from flows.words import command


def start(env: Environment, session: Session) -> tuple[Session, list[ev.Event]]:
    """Begin a flow: the welcome, then the first question."""
    if not env.catalogue.has(session.language):
        session = session.evolve(language="en")
    turn = Turn(env, session)
    advance(turn, 0)
    return turn.result()


def resume(env: Environment, session: Session,
           given: MessageIn | TimedOut) -> tuple[Session, list[ev.Event]]:
    """Carry the conversation on by one input."""
    turn = Turn(env, session)
    if isinstance(given, TimedOut):
        if session.active:
            disclosure.unfinished(turn)
            turn.update(state="expired")
            turn.record(ev.FlowExpired())
        return turn.result()

    said = command(given.text, session.language, env.catalogue)
    if said == "stop":
        disclosure.unfinished(turn)
        turn.update(state="stopped")
        turn.record(ev.FlowStopped())
        turn.say("stopped")
        return turn.result()
    if said in ("restart", "start") and (said == "restart" or not session.active):
        disclosure.unfinished(turn)
        session, events = restart(env, session)
        return session, turn.events + events
    if not session.active:
        turn.say("already_finished")
        return turn.result()
    replies.handle(turn, given, said)
    return turn.result()


def restart(env: Environment, session: Session) -> tuple[Session, list[ev.Event]]:
    fresh = Session(flow_id=session.flow_id, language=session.language,
                    context=session.context, language_fixed=session.language_fixed,
                    variant=session.variant)
    turn = Turn(env, fresh)
    turn.record(ev.FlowRestarted())
    advance(turn, 0)
    return turn.result()
