"""Moving through a flow's steps, honouring each step's own rules."""

from __future__ import annotations

from flows import events as ev
from flows.turn import Turn


def advance(turn: Turn, index: int) -> None:
    """Send steps from `index` until one waits for a reply or the flow ends."""
    steps = turn.flow.steps
    while index < len(steps):
        step = steps[index]
        if turn.in_group and not step.ask_in_group:
            turn.record(ev.QuestionOmitted(step=step.id, outcome=step.outcome,
                                           reason="group_context"))
            if step.on_no:                  # an omitted gate skips the block it guards
                index = turn.flow.index(step.on_no)
                continue
        elif any(turn.session.values.get(k) != v for k, v in step.when.items()):
            pass
        elif step.type == "message":
            turn.say(step.text)
        elif step.type == "end":
            turn.say(step.text)
            break
        else:
            turn.update(step=index, state="waiting", pending="", pending_code=None,
                        retried=False)
            turn.ask(step)
            return
        index += 1
    turn.update(step=min(index, len(steps) - 1), state="completed")
    turn.record(ev.FlowCompleted())
