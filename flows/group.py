"""Group sessions: many members answer the same question; a facilitator moves on.

Pure, like `flows.engine`: `start(env, group)` and `resume(env, group, input)`
return the new state and past-tense events. It walks the same flow
definition, asking only the outcome questions a group may be asked (a step
with `ask_in_group: false`, such as 1C, is recorded as omitted, and equality
monitoring is about one person, so never asked). Members are known only by
an opaque token the host supplies (a keyed hash); events carry an ordinal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from flows import events as ev
from flows.definition import Step
from flows.environment import Environment
from flows.words import code_reply, normalise

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class GroupState:
    flow_id: str = "domain1"
    language: str = "en"
    state: str = "new"                      # new | open | closed
    step: int = -1                          # index of the question being asked
    asked: tuple[str, ...] = ()             # step ids asked so far, in order
    members: tuple[str, ...] = ()           # opaque member tokens; ordinal = index + 1

    def evolve(self, **changes) -> GroupState:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> GroupState:
        values = dict(data)
        for name in ("asked", "members"):
            values[name] = tuple(values.get(name, ()))
        return cls(**values)


@dataclass(frozen=True)
class MemberReply:
    member: str                 # opaque token (a keyed hash), never an id or a name
    text: str
    step: str | None = None     # the question the member saw (a web form says so)


@dataclass(frozen=True)
class NextQuestion:
    """The facilitator moves the group on."""


@dataclass(frozen=True)
class Close:
    """The facilitator ends the session."""


@dataclass(frozen=True)
class MemberAnswerRecorded(ev.Event):
    step: str
    outcome: str | None
    text: str
    code: str | None
    member: int                 # 1, 2, 3... in order of first answer

    @property
    def name(self) -> str:
        return "answer_recorded"


@dataclass(frozen=True)
class GroupClosed(ev.Event):
    number_of_people: int

    @property
    def name(self) -> str:
        return "group_closed"


@dataclass
class _Turn:
    env: Environment
    group: GroupState
    events: list[ev.Event] = field(default_factory=list)

    def say(self, key: str) -> None:
        text = self.env.catalogue.text(key, self.group.language, dict(self.env.params))
        self.events.append(ev.MsgCreated(key=key, text=text, language=self.group.language))

    def result(self) -> tuple[GroupState, list[ev.Event]]:
        return self.group, self.events


def askable(step: Step) -> bool:
    """Only the outcome questions are put to a group."""
    return step.type == "question" and step.outcome is not None


def start(env: Environment, group: GroupState) -> tuple[GroupState, list[ev.Event]]:
    """Open the session: the group welcome, then the first question."""
    if not env.catalogue.has(group.language):
        group = group.evolve(language="en")
    turn = _Turn(env, group.evolve(state=OPEN))
    turn.say("group.welcome")
    _advance(turn)
    return turn.result()


def resume(env: Environment, group: GroupState,
           given: MemberReply | NextQuestion | Close) -> tuple[GroupState, list[ev.Event]]:
    turn = _Turn(env, group)
    if group.state != OPEN:
        return turn.result()
    if isinstance(given, Close):
        _close(turn)
    elif isinstance(given, NextQuestion):
        _advance(turn)
    else:
        _reply(turn, given)
    return turn.result()


def _advance(turn: _Turn) -> None:
    steps = turn.env.flows[turn.group.flow_id].steps
    index = turn.group.step + 1
    while index < len(steps):
        step = steps[index]
        if askable(step) and not step.ask_in_group:
            turn.events.append(ev.QuestionOmitted(step=step.id, outcome=step.outcome,
                                                  reason="group_context"))
        elif askable(step):
            turn.group = turn.group.evolve(step=index, asked=(*turn.group.asked, step.id))
            turn.say(step.text)
            turn.events.append(ev.QuestionAsked(step=step.id, outcome=step.outcome))
            return
        index += 1
    _close(turn)


def _close(turn: _Turn) -> None:
    turn.group = turn.group.evolve(state=CLOSED)
    turn.events.append(GroupClosed(number_of_people=len(turn.group.members)))
    turn.say("group.closing")


def _reply(turn: _Turn, given: MemberReply) -> None:
    """Record one member's answer; a disclosure is escalated, never echoed."""
    text = given.text.strip()
    if not normalise(text) or turn.group.step < 0:
        return
    flow = turn.env.flows[turn.group.flow_id]
    step = flow.steps[turn.group.step]
    if given.step and given.step != step.id and given.step in turn.group.asked:
        step = flow.steps[flow.index(given.step)]
    members = turn.group.members
    if given.member not in members:
        members = (*members, given.member)
        turn.group = turn.group.evolve(members=members)
    code = code_reply(text, step.coding, turn.group.language, turn.env.catalogue)
    turn.events.append(MemberAnswerRecorded(step=step.id, outcome=step.outcome, text=text,
                                            code=code, member=members.index(given.member) + 1))
    _screen(turn, step, text)


def _screen(turn: _Turn, step: Step, text: str) -> None:
    screen = turn.env.screen
    found = screen(text, turn.group.language) if screen else None
    if not (found and found.disclosure):
        return
    turn.events.append(ev.DisclosureDetected(
        step=step.id, outcome=step.outcome, text=text, categories=tuple(found.categories),
        urgent=bool(found.urgent), evidence=tuple(found.evidence)))
    if found.urgent:
        turn.say("safety.urgent")
    turn.say("safety.group_neutral")
