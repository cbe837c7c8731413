"""The yardstick for benchmarks/turn_throughput.py: the least a correct Twilio
webhook must do, served by gunicorn with `feedback serve`'s own settings.

POST /sms/inbound parses the form, checks `X-Twilio-Signature` with twilio's
RequestValidator (403 if wrong) and answers a fixed TwiML body: no database,
no conversation. Usage: python benchmarks/bare_sms_app.py PORT WORKERS THREADS
(TWILIO_AUTH_TOKEN and FEEDBACK_PUBLIC_URL from the environment).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask, Response, abort, request
from gunicorn.app.base import BaseApplication
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.server import options  # noqa: E402

TWIML = ('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thank you. '
         'Do you feel that you have the level of access to the service that you need?'
         '</Message></Response>')


def create_app() -> Flask:
    app = Flask(__name__)
    validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
    public = os.environ["FEEDBACK_PUBLIC_URL"].rstrip("/")

    @app.post("/sms/inbound")
    def inbound() -> Response:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not validator.validate(public + request.path, request.form.to_dict(), signature):
            abort(403)
        if not request.form.get("From") or not request.form.get("Body"):
            abort(400)
        return Response(TWIML, mimetype="text/xml")

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


class BareServer(BaseApplication):
    def __init__(self, settings: dict):
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app()


if __name__ == "__main__":
    port, workers, threads = (int(a) for a in sys.argv[1:4])
    BareServer(options("127.0.0.1", port, workers, threads)).run()
