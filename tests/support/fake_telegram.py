"""A local fake of the Telegram Bot API: records every call the real
python-telegram-bot library makes and answers with valid JSON."""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

TOKEN = "123456:TEST-not-a-real-token"
BOT_ID = 123456
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Feedback",
            "username": "nhs_feedback_test_bot"}


class FakeBotApi:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.admins: set[int] = set()          # user ids getChatMember calls administrators
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> FakeBotApi:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def sent(self, method: str = "sendMessage") -> list[dict]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def texts(self) -> list[str]:
        return [p["text"] for p in self.sent()]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def answer(self, method: str, params: dict) -> object:
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            return {"message_id": next(self._ids), "date": 1767225600, "from": BOT_USER,
                    "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group",
                             **({"first_name": "x"} if chat_id > 0 else {"title": "Group"})},
                    "text": params["text"]}
        if method == "getChatMember":
            user = {"id": int(params["user_id"]), "is_bot": False, "first_name": "Member"}
            if user["id"] in self.admins:
                return {"status": "creator", "user": user, "is_anonymous": False}
            return {"status": "member", "user": user}
        if method == "getUpdates":
            return []
        return True

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                method = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params = _decode(body, self.headers.get("Content-Type", ""))
                with fake._lock:
                    fake.calls.append((method, params))
                payload = json.dumps({"ok": True, "result": fake.answer(method, params)})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *_args):
                pass

        return Handler


def _decode(body: bytes, content_type: str) -> dict:
    if not body:
        return {}
    if "json" in content_type:
        return json.loads(body)
    params = dict(parse_qsl(body.decode()))
    for key in ("reply_markup",):
        if key in params:
            params[key] = json.loads(params[key])
    return params
