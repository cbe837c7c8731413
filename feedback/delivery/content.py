"""What PALS receives about an escalation: the case, never the patient's contact.

One summary feeds both the e-mail and the webhook, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flows.environment import Environment
from storage.models import Escalation

UK = ZoneInfo("Europe/London")
PAUSED = "(words sent while the survey was paused)"


def question_text(env: Environment, step_id: str, service_name: str) -> str:
    """The question as asked, in English, from the flow that has this step."""
    for flow in env.flows.values():
        for step in flow.steps:
            if step.id == step_id and step.text:
                return env.catalogue.text(step.text, "en", {"service": service_name})
    return PAUSED if step_id == "paused" else step_id


def staff_link(base_url: str, escalation: Escalation) -> str:
    path = f"/staff/escalations/{escalation.id}"
    return f"{base_url}{path}" if base_url else path


def summary(escalation: Escalation, env: Environment, base_url: str) -> dict:
    service = escalation.service
    return {
        "type": "pals.escalation",
        "id": escalation.id,
        "reference": escalation.reference,
        "service": {"slug": service.slug, "name": service.name},
        "step": escalation.step,
        "outcome": escalation.outcome,
        "question": question_text(env, escalation.step, service.name),
        "categories": list(escalation.categories),
        "urgent": escalation.urgent,
        "language": escalation.language,
        "text": escalation.text,
        "translation": escalation.translation,
        "created_at": escalation.created_at.isoformat(),
        "staff_url": staff_link(base_url, escalation),
    }


def email_body(case: dict) -> str:
    lines = [
        ("URGENT: the patient's words suggest danger now; they were given 999, NHS 111, "
         "Samaritans and Shout at once.\n") if case["urgent"] else "",
        f"Reference:  {case['reference']}",
        f"Service:    {case['service']['name']}",
        f"Question:   {case['outcome'] or '-'} {case['question']}",
        f"Categories: {', '.join(case['categories']) or 'harm reported (coded answer)'}",
        f"Urgent:     {'yes' if case['urgent'] else 'no'}",
        f"Time:       {local_time(case['created_at'])}",
        f"Language:   {case['language']}",
        "",
        "What the patient wrote:",
        case["text"] or "(no words: the patient answered yes to the harm question)",
    ]
    if case["translation"]:
        lines += ["", "English translation (machine):", case["translation"]]
    elif case["language"] != "en":
        lines += ["", "An English translation will appear in the staff queue."]
    lines += ["", f"Open the case in the staff queue: {case['staff_url']}",
              "If the patient asked PALS to contact them, the route is shown there only.",
              "This e-mail never carries a patient's contact details."]
    return "\n".join(line for line in lines if line is not None)


def local_time(created_at: str) -> str:
    """UK wall-clock time of an ISO timestamp, as PALS officers read it."""
    return dt.datetime.fromisoformat(created_at).astimezone(UK).strftime("%d %b %Y %H:%M %Z")
