"""The yardstick for benchmarks/turn_throughput.py: the least a correct Twilio
webhook must do, served by gunicorn with `feedback serve`'s own settings.

POST /sms/inbound parses the form, checks `X-Twilio-Signature` with twilio's
RequestValidator (403 if wrong) and answers a fixed TwiML body: no database,
no conversation.

With a database URL after the sizes it is the *floor* instead: the same,
plus the least a stateful, exactly-once turn must write, in one transaction
through storage.db (same engine settings and SQLite writer queue as the
product): the provider's-retry check, the patient's row found by keyed hash
and locked (created on the first message), one answer inserted, the row
updated, the message recorded with its reply. No engine, screening or coding.
It shows how much of the bare rate any durable conversation keeps on this box.

Usage: python benchmarks/bare_sms_app.py PORT WORKERS THREADS [DATABASE_URL]
(TWILIO_AUTH_TOKEN and FEEDBACK_PUBLIC_URL from the environment).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask, Response, abort, request
from gunicorn.app.base import BaseApplication
from sqlalchemy import text
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.crypto import Keys  # noqa: E402
from feedback.server import options  # noqa: E402
from storage.db import Database  # noqa: E402

TWIML = ('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thank you. '
         'Do you feel that you have the level of access to the service that you need?'
         '</Message></Response>')


FLOOR_TABLES = (
    "CREATE TABLE IF NOT EXISTS floor_patients (id {serial} PRIMARY KEY, "
    "address_key VARCHAR(64) UNIQUE NOT NULL, turns INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS floor_answers (id {serial} PRIMARY KEY, "
    "patient_id INTEGER NOT NULL, text TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS floor_messages (id {serial} PRIMARY KEY, "
    "provider_id VARCHAR(64) UNIQUE NOT NULL, reply TEXT NOT NULL)",
)


def create_floor_tables(url: str) -> None:
    db = Database(url)
    serial = "SERIAL" if db.engine.dialect.name == "postgresql" else "INTEGER"
    with db.engine.begin() as connection:
        for statement in FLOOR_TABLES:
            connection.execute(text(statement.format(serial=serial)))
    db.dispose()


class FloorTurn:
    """The floor's one transaction (see the module docstring)."""

    def __init__(self, url: str):
        self.db, self.keys = Database(url), Keys(os.environ["FEEDBACK_SECRET_KEY"])
        lock = " FOR UPDATE" if self.db.engine.dialect.name == "postgresql" else ""
        self.find = text(f"SELECT id FROM floor_patients WHERE address_key = :key{lock}")

    def __call__(self, provider_id: str, address: str, body: str) -> str:
        key = self.keys.address_key("sms", address)
        with self.db.transaction() as tx:
            sql = tx.connection()
            retry = sql.execute(text("SELECT reply FROM floor_messages WHERE provider_id = "
                                     ":id"), {"id": provider_id}).scalar()
            if retry is not None:
                return retry
            patient = sql.execute(self.find, {"key": key}).scalar()
            if patient is None:
                patient = sql.execute(text(
                    "INSERT INTO floor_patients (address_key, turns) VALUES (:key, 0) "
                    "RETURNING id"), {"key": key}).scalar()
            sql.execute(text("INSERT INTO floor_answers (patient_id, text) VALUES (:p, :t)"),
                        {"p": patient, "t": body})
            sql.execute(text("UPDATE floor_patients SET turns = turns + 1 WHERE id = :p"),
                        {"p": patient})
            sql.execute(text("INSERT INTO floor_messages (provider_id, reply) VALUES "
                             "(:id, :reply)"), {"id": provider_id, "reply": TWIML})
        return TWIML


def create_app(floor_url: str | None = None) -> Flask:
    app = Flask(__name__)
    validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
    public = os.environ["FEEDBACK_PUBLIC_URL"].rstrip("/")
    floor = FloorTurn(floor_url) if floor_url else None

    @app.post("/sms/inbound")
    def inbound() -> Response:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not validator.validate(public + request.path, request.form.to_dict(), signature):
            abort(403)
        if not request.form.get("From") or not request.form.get("Body"):
            abort(400)
        if floor is None:
            return Response(TWIML, mimetype="text/xml")
        form = request.form
        return Response(floor(form["MessageSid"], form["From"], form["Body"]),
                        mimetype="text/xml")

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


class BareServer(BaseApplication):
    def __init__(self, settings: dict, floor_url: str | None = None):
        self.settings, self.floor_url = settings, floor_url
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.floor_url)       # each worker its own pool, after forking


if __name__ == "__main__":
    port, workers, threads = (int(a) for a in sys.argv[1:4])
    floor_url = sys.argv[4] if len(sys.argv) > 4 else None
    if floor_url:
        create_floor_tables(floor_url)
    BareServer(options("127.0.0.1", port, workers, threads), floor_url).run()
