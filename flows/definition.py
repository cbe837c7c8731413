"""Flows are data: YAML files of steps, each naming its catalogue text.

A step carries the rules that belong to it (its outcome, how a reply is
coded, whether it may be asked in a group) so that no channel needs an `if`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows import yamlio

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
WAITING_TYPES = frozenset({"question", "choice", "gate"})


@dataclass(frozen=True)
class Step:
    id: str
    type: str                      # message | question | choice | gate | end
    text: str                      # catalogue key
    outcome: str | None = None     # 1A..1D for the Domain 1 questions
    coding: str = "free"           # yes_no | rating | free
    follow_up: str = "never"       # never | bare | if_yes: ask "why?" once after such a reply
    disclosure_when: str | None = None  # a coded reply that is itself a disclosure (1C "yes")
    ask_in_group: bool = True      # False: omitted in a group context (1C)
    field: str | None = None       # what a choice records (dna_reason, age_band...)
    options: tuple[str, ...] = ()  # option values; labels are catalogue `option.<value>`
    free_text: bool = False        # a choice that keeps an unmatched reply
    more_when: str | None = None   # option that asks for a few more words
    when: dict[str, str] = dataclasses.field(default_factory=dict)
    on_no: str | None = None       # gate: where "no" goes

    @property
    def waits(self) -> bool:
        return self.type in WAITING_TYPES


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    steps: tuple[Step, ...]

    def index(self, step_id: str) -> int:
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        raise KeyError(f"flow {self.id} has no step {step_id!r}")

    @property
    def outcomes(self) -> tuple[str, ...]:
        return tuple(s.outcome for s in self.steps if s.outcome)


def _expand(raw_steps: list[dict], directory: Path) -> list[Step]:
    steps: list[Step] = []
    for raw in raw_steps:
        if "include" in raw:
            block = yamlio.load_file(directory / "blocks" / f"{raw['include']}.yaml")
            steps.extend(_expand(block["steps"], directory))
            continue
        values = dict(raw)
        values["outcome"] = str(values["outcome"]) if "outcome" in values else None
        values["options"] = tuple(str(o) for o in values.get("options", ()))
        values["when"] = {str(k): str(v) for k, v in values.get("when", {}).items()}
        steps.append(Step(**values))
    return steps


def load_flow(path: Path) -> Flow:
    raw = yamlio.load_file(path)
    flow = Flow(id=raw["id"], title=raw.get("title", raw["id"]),
                steps=tuple(_expand(raw["steps"], path.parent)))
    ids = [s.id for s in flow.steps]
    if len(ids) != len(set(ids)):
        raise ValueError(f"flow {flow.id} repeats a step id")
    for step in flow.steps:
        if step.on_no:
            flow.index(step.on_no)
    return flow


@cache
def load_flows(directory: Path = DEFINITIONS_DIR) -> dict[str, Flow]:
    flows = [load_flow(p) for p in sorted(directory.glob("*.yaml"))]
    return {f.id: f for f in flows}
