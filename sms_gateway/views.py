"""HTTP for Twilio Messaging: translate the request, call the service, answer."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request

from feedback.bootstrap import container
from sms_gateway import twilio_sms

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__)


@bp.post("/sms/inbound")
def inbound() -> Response:
    services = container()
    settings = services.settings
    if not twilio_sms.authenticate(request, settings):
        log.warning("rejected an unsigned or wrongly signed Twilio request")
        abort(403)
    message = twilio_sms.parse(request.form)
    idempotency = request.headers.get("I-Twilio-Idempotency-Token")
    if not message.provider_id and idempotency:
        message = message.__class__(**{**message.__dict__, "provider_id": idempotency})
    turn = services.conversations.handle(message)
    current_app.logger.debug("sms turn: %d replies, duplicate=%s", len(turn.replies),
                             turn.duplicate)
    return Response(twilio_sms.twiml(turn.replies), mimetype="text/xml")
