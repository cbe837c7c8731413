"""One turn of a conversation: the session as it changes and the events so far."""

from __future__ import annotations

from flows import events as ev
from flows.definition import Flow, Step
from flows.environment import Environment
from flows.session import GROUP, Session


class Turn:
    def __init__(self, env: Environment, session: Session):
        self.env = env
        self.session = session
        self.events: list[ev.Event] = []

    @property
    def flow(self) -> Flow:
        return self.env.flows[self.session.flow_id]

    @property
    def lang(self) -> str:
        return self.session.language

    @property
    def step(self) -> Step:
        return self.flow.steps[self.session.step]

    @property
    def in_group(self) -> bool:
        return self.session.context == GROUP

    def record(self, event: ev.Event) -> None:
        self.events.append(event)

    def update(self, **changes) -> None:
        self.session = self.session.evolve(**changes)

    def text(self, key: str, lang: str | None = None, **params: str) -> str:
        variant = f"{key}@{self.session.variant}" if self.session.variant else ""
        if variant and self.env.catalogue.defines(variant):
            key = variant
        return self.env.catalogue.text(key, lang or self.lang, {**self.env.params, **params})

    def say(self, key: str, options: tuple[str, ...] = (), expects: str = "",
            **params: str) -> None:
        self.record(ev.MsgCreated(key=key, text=self.text(key, **params),
                                  options=options, language=self.lang, expects=expects))

    def option_labels(self, step: Step) -> dict[str, str]:
        return {value: self.text(f"option.{value}") for value in step.options}

    def ask(self, step: Step) -> None:
        labels = self.option_labels(step)
        expects = {"question": step.coding, "choice": "choice", "gate": "yes_no"}[step.type]
        self.say(step.text, tuple(labels[v] for v in step.options), expects=expects)
        self.record(ev.QuestionAsked(step=step.id, outcome=step.outcome))

    def result(self) -> tuple[Session, list[ev.Event]]:
        return self.session, self.events
