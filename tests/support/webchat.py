"""Helpers for the web chat tests: forms read out of pages, a real local
server, and the composition root with a catalogue missing a message."""

from __future__ import annotations

import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from werkzeug.serving import make_server

from flows.catalogue import CATALOGUE_DIR


def catalogue_lacking(directory: Path, lang: str, key: str) -> Path:
    """A copy of the real catalogue in which `lang` has no text for `key`, to
    see how a page shows a message that falls back to English."""
    target = directory / "catalogue"
    shutil.copytree(CATALOGUE_DIR, target)
    path = target / f"{lang}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    catalog.delete(key)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return target


def nonce_of(html: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)


def option_buttons(html: str) -> list[tuple[str, str]]:
    """(value, label) of each answer button on the page."""
    return re.findall(r'<button type="submit" name="reply" value="(\d+)"[^>]*>([^<]*)</button>',
                      html)


@contextmanager
def live_server(app):
    """The app on a real HTTP server on 127.0.0.1 (a free port), for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


class ChatClient:
    """A browser without script: GET the page, post its forms, follow the redirect."""

    def __init__(self, client, slug: str = "demo"):
        self.client, self.slug, self.html = client, slug, ""

    @property
    def url(self) -> str:
        return f"/chat/{self.slug}"

    def open(self, **query) -> str:
        response = self.client.get(self.url, query_string=query)
        assert response.status_code == 200, response.status_code
        self.html = response.get_data(as_text=True)
        return self.html

    def post(self, **form):
        return self.client.post(self.url, data={"nonce": nonce_of(self.html), **form})

    def send(self, text: str, **form) -> str:
        """Type a reply and press Send; returns the page shown next."""
        response = self.post(reply=text, **form)
        assert response.status_code == 303, response.status_code
        return self.open()


def urdu_services(settings, clock, tmp_path, lacking: str = ""):
    """The real composition root; with `lacking`, Urdu lacks that message."""
    from dataclasses import replace

    from feedback.bootstrap import build, engine_environment
    from flows.catalogue import load_catalogue
    from storage.repositories import add_service
    from tests.conftest import DEMO

    env = engine_environment()
    if lacking:
        env = replace(env, catalogue=load_catalogue(catalogue_lacking(tmp_path, "ur", lacking)))
    services = build(settings, clock=clock, env=env)
    with services.db.transaction() as tx:
        add_service(tx, **DEMO)
    return services
