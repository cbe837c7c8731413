"""Golden transcripts: whole conversations replayed through the pure engine
and compared, event by event, with the recorded stream.

To re-record after an intended change: UPDATE_GOLDEN=1 pytest tests/test_transcripts.py
then read the diff of tests/transcripts/*.golden.json before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from flows import yamlio
from flows.catalogue import load_catalogue
from flows.definition import load_flows
from flows.engine import resume, start
from flows.environment import Environment
from flows.inputs import MessageIn
from flows.session import Session

HERE = Path(__file__).parent / "transcripts"
SCRIPTS = sorted(HERE.glob("*.yaml"))
PARAMS = {"service": "Demo Community Clinic", "reference": "EDS-TEST01",
          "pals_phone": "0800 000 0000", "pals_text": "07700 900002",
          "pals_email": "pals@example.nhs.uk"}


def replay(script: dict) -> list[dict]:
    env = Environment(catalogue=load_catalogue(), flows=load_flows(), params=PARAMS)
    session = Session(flow_id=script["flow"], context=script["context"])
    session, events = start(env, session)
    turns = [{"patient": None, "events": [e.to_dict() for e in events]}]
    for text in script["say"]:
        session, events = resume(env, session, MessageIn(text))
        turns.append({"patient": text, "events": [e.to_dict() for e in events]})
    turns.append({"final_state": session.state})
    return json.loads(json.dumps(turns))


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_conversation_replays_as_recorded(path):
    actual = replay(yamlio.load_file(path))
    golden = path.with_suffix(".golden.json")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n")
    assert actual == json.loads(golden.read_text())


def _names(turns):
    return [e["event"] for t in turns if "events" in t for e in t["events"]]


def test_group_context_never_asks_the_harm_question():
    turns = replay(yamlio.load_file(HERE / "domain1_group.yaml"))
    asked = [e["step"] for t in turns[:-1] for e in t["events"] if e["event"] == "question_asked"]
    omitted = [e for t in turns[:-1] for e in t["events"] if e["event"] == "question_omitted"]
    assert "q1c" not in asked
    assert {"event": "question_omitted", "step": "q1c", "outcome": "1C",
            "reason": "group_context"} in omitted
    assert "monitoring_offer" not in asked          # equality monitoring is about one person
    harm_question = load_catalogue().text("question.1c", "en")
    sent = [e["text"] for t in turns[:-1] for e in t["events"] if e["event"] == "msg_created"]
    assert harm_question not in sent


def test_individual_context_asks_all_four_outcomes_in_order():
    turns = replay(yamlio.load_file(HERE / "domain1_full.yaml"))
    asked = [e["outcome"] for t in turns[:-1] for e in t["events"]
             if e["event"] == "question_asked" and e["outcome"]]
    assert asked == ["1A", "1B", "1C", "1D"]
    assert turns[-1] == {"final_state": "completed"}


def test_dna_reason_is_coded_from_free_text():
    turns = replay(yamlio.load_file(HERE / "dna_full.yaml"))
    choice = next(e for t in turns[:-1] for e in t["events"] if e["event"] == "choice_recorded")
    assert choice["field"] == "dna_reason"
    assert choice["value"] == "travel"
    assert choice["text"].startswith("The bus was cancelled")


def test_stop_ends_the_flow_and_nothing_more_is_asked():
    turns = replay(yamlio.load_file(HERE / "dna_other.yaml"))
    assert "flow_stopped" in _names(turns)
    after_stop = turns[-2]["events"]
    assert [e["event"] for e in after_stop] == ["msg_created"]
    assert after_stop[0]["key"] == "already_finished"
