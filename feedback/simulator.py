"""A page for trying the conversation without Twilio (demo mode only).

It goes through the same conversation service as a real text, shows each
reply as the patient's phone would, with its SMS segment cost.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, redirect, render_template, request, session, url_for
from sqlalchemy import select

from feedback.bootstrap import container
from feedback.messaging import Inbound
from flows.segments import cost
from storage.models import Service

bp = Blueprint("simulator", __name__, template_folder="templates")
DEMO_NUMBER = "+447700900123"    # an Ofcom drama number: never a real patient


def _transcript() -> list[dict]:
    """Kept in the server's memory for this browser (demo only), not in the cookie."""
    store = container().extras.setdefault("simulator_transcripts", {})
    key = session.setdefault("simulator_id", secrets.token_hex(8))
    return store.setdefault(key, [])


def _services():
    with container().db.transaction() as tx:
        return [(s.slug, s.name, s.sms_number) for s in tx.scalars(select(Service))]


@bp.get("/simulator")
def page():
    transcript = _transcript()
    return render_template("simulator.html", services=_services(), transcript=transcript,
                           number=session.get("number", DEMO_NUMBER),
                           chosen=session.get("service"))


@bp.post("/simulator")
def send():
    services = container()
    slug = request.form.get("service", "")
    number = request.form.get("number") or DEMO_NUMBER
    session["service"], session["number"] = slug, number
    transcript = _transcript()
    if request.form.get("action") == "dna":
        turn = services.conversations.begin(slug, "sms", number, flow_id="dna")
        transcript.append({"who": "system", "text": "(did-not-attend follow-up sent)"})
    else:
        text = request.form.get("text", "")
        to = next((n for s, _, n in _services() if s == slug), "")
        turn = services.conversations.handle(Inbound(
            channel="sms", address=number, to=to or "", text=text,
            provider_id="SIM" + secrets.token_hex(16), service_slug=slug))
        transcript.append({"who": "patient", "text": text})
    for reply in turn.replies:
        body = reply.plain()
        price = cost(body)
        transcript.append({"who": "service", "text": body,
                           "cost": f"{price.segments} segment(s), {price.encoding}"})
    del transcript[:-80]
    return redirect(url_for("simulator.page") + "#latest")


@bp.post("/simulator/clear")
def clear():
    _transcript().clear()
    return redirect(url_for("simulator.page"))
