"""`POST /sms/status`: Twilio's delivery reports for what we sent.

Signature-checked like every webhook; records how far each invitation got
(queued, sent, delivered, undelivered, failed) and the error code."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request

from feedback.bootstrap import container
from sms_gateway import twilio_sms

log = logging.getLogger(__name__)
bp = Blueprint("sms_status", __name__)


@bp.post("/sms/status")
def status() -> Response:
    services = container()
    settings = services.settings
    if not twilio_sms.authenticate(request, settings):
        log.warning("rejected an unsigned or wrongly signed status callback")
        abort(403)
    sid = request.form.get("MessageSid") or request.form.get("SmsSid") or ""
    state = request.form.get("MessageStatus") or request.form.get("SmsStatus") or ""
    if not sid or not state:
        abort(400)
    known = services.extras["invitations"].record_status(
        sid, state, request.form.get("ErrorCode", ""))
    if not known:
        log.info("status callback for a message that is not an invitation")
    return Response(status=204)
