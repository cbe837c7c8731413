"""A fake Twilio REST API on 127.0.0.1, for the real `twilio` client to talk to.

It speaks the parts we use: create and list Messages and Calls (JSON, the
way api.twilio.com answers, errors included), checks HTTP basic auth, and
remembers everything it accepted so a test can count sends per number.
Failures are scripted per number (`fail_number`) or for the next requests
(`fail_next`).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import threading
from collections import Counter
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ACCOUNT_SID = "AC" + "0" * 31 + "1"


class FakeTwilio:
    def __init__(self, auth_token: str, clock=None, account_sid: str = ACCOUNT_SID):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.messages: list[dict] = []
        self.calls: list[dict] = []
        self.failures: dict[str, tuple[int, int]] = {}     # number -> (http status, code)
        self.fail_next_count, self.fail_next_status = 0, 503
        self.requests = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeTwilio:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_number(self, number: str, code: int, status: int = 400) -> None:
        self.failures[number] = (status, code)

    def fail_next(self, count: int, status: int = 503) -> None:
        self.fail_next_count, self.fail_next_status = count, status

    def sent_to(self) -> Counter:
        with self._lock:
            return Counter(m["to"] for m in self.messages)

    # -- the HTTP side ------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):       # quiet: numbers are in the URLs
                pass

            def _reply(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                expected = base64.b64encode(
                    f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
                return self.headers.get("Authorization", "") == f"Basic {expected}"

            def _route(self) -> tuple[str, dict]:
                parsed = urlparse(self.path)
                prefix = f"/2010-04-01/Accounts/{fake.account_sid}/"
                if not parsed.path.startswith(prefix):
                    return "", {}
                query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                return parsed.path[len(prefix):], query

            def do_GET(self):          # noqa: N802 - http.server's naming
                resource, query = self._route()
                if not self._authorised():
                    return self._reply(401, {"code": 20003, "status": 401,
                                             "message": "Authenticate"})
                kind = {"Messages.json": "messages", "Calls.json": "calls"}.get(resource)
                if kind is None:
                    return self._reply(404, {"code": 20404, "status": 404,
                                             "message": "not found"})
                with fake._lock:
                    items = [i for i in getattr(fake, kind)
                             if i["to"] == query.get("To", i["to"])
                             and i["from"] == query.get("From", i["from"])]
                items = list(reversed(items))[:int(query.get("PageSize", 50))]
                self._reply(200, {kind: items, "page": 0, "page_size": len(items),
                                  "next_page_uri": None, "uri": self.path, "start": 0,
                                  "end": len(items), "first_page_uri": self.path,
                                  "previous_page_uri": None})

            def do_POST(self):         # noqa: N802
                resource, _ = self._route()
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if not self._authorised():
                    return self._reply(401, {"code": 20003, "status": 401,
                                             "message": "Authenticate"})
                with fake._lock:
                    fake.requests += 1
                    if fake.fail_next_count > 0:
                        fake.fail_next_count -= 1
                        status = fake.fail_next_status
                        return self._reply(status, {"code": 20500 if status >= 500 else 20429,
                                                    "status": status,
                                                    "message": "try again"})
                    to = form.get("To", "")
                    if to.removeprefix("whatsapp:") in fake.failures:
                        status, code = fake.failures[to.removeprefix("whatsapp:")]
                        return self._reply(status, {"code": code, "status": status,
                                                    "message": f"error {code}"})
                    item = fake._record(resource, form)
                if item is None:
                    return self._reply(404, {"code": 20404, "status": 404,
                                             "message": "not found"})
                self._reply(201, item)

        return Handler

    def _record(self, resource: str, form: dict) -> dict | None:
        now = format_datetime(self.clock().astimezone(dt.UTC), usegmt=True)
        common = {"account_sid": self.account_sid, "to": form.get("To", ""),
                  "from": form.get("From", ""), "date_created": now, "date_updated": now,
                  "status": "queued"}
        if resource == "Messages.json":
            item = {**common, "sid": f"SM{next(self._ids):032x}", "body": form.get("Body", ""),
                    "status_callback": form.get("StatusCallback"), "num_segments": "1",
                    "direction": "outbound-api", "date_sent": None}
            self.messages.append(item)
            return item
        if resource == "Calls.json":
            item = {**common, "sid": f"CA{next(self._ids):032x}", "url": form.get("Url", ""),
                    "direction": "outbound-api"}
            self.calls.append(item)
            return item
        return None
