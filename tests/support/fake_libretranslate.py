"""A local LibreTranslate: enough of its /translate endpoint for the real
deep-translator client, with switchable failures (down, quota, 500s)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeLibreTranslate:
    def __init__(self, phrasebook: dict[str, str] | None = None):
        self.phrasebook = dict(phrasebook or {})
        self.requests: list[dict] = []
        self.failures: list[int] = []          # statuses to answer with, one per request
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server spelling
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                params.update({k: v[0] for k, v in parse_qs(body).items()})
                fake.requests.append(params)
                if fake.failures:
                    self._reply(fake.failures.pop(0), {"error": "unavailable"})
                    return
                text = params.get("q", "")
                translated = fake.phrasebook.get(
                    text, f"[{params.get('source')}→{params.get('target')}] {text}")
                self._reply(200, {"translatedText": translated})

            def _reply(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args):
                pass

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._server.shutdown()
        self._server.server_close()
