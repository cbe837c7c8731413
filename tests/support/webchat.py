"""Helpers for the web chat tests: a catalogue with draft Urdu texts (until
the real ur.po exists), forms read out of pages, and a real local server."""

from __future__ import annotations

import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from flows.catalogue import CATALOGUE_DIR

# Draft Urdu for the right-to-left tests only (not reviewed, never shown to patients).
URDU_DRAFT = {
    "welcome.domain1": "{service} آپ کی دیکھ بھال کے بارے میں سننا چاہتا ہے، تاکہ NHS کی "
                       "خدمات سب کے لیے منصفانہ ہوں۔ آپ کے جوابات گمنام ہیں۔",
    "question.1a": "کیا آپ کو سروس تک اتنی رسائی حاصل ہے جتنی آپ کو ضرورت ہے؟ "
                   "براہ کرم بتائیں کیوں۔",
    "question.1b": "کیا آپ کی صحت کی ضروریات پوری ہوتی ہیں؟ براہ کرم بتائیں کیوں۔",
    "question.1c": "کیا سروس استعمال کرنے سے آپ کو کبھی ذہنی یا جسمانی نقصان پہنچا ہے؟",
    "question.1d": "سروس کے ساتھ آپ کا تجربہ کیسا رہا؟",
    "followup.why": "شکریہ۔ کیا آپ بتا سکتے ہیں کیوں؟ (یا SKIP لکھیں۔)",
    "monitoring.offer": "شکریہ۔ کیا ہم آپ کے بارے میں چند اختیاری سوالات پوچھ سکتے ہیں؟",
    "monitoring.age_band": "آپ کی عمر کیا ہے؟",
    "option.prefer_not_to_say": "بتانا نہیں چاہتے",
    "closing": "آپ کی رائے کا شکریہ۔ آپ کا حوالہ نمبر {reference} ہے۔ PALS: {pals}",
    "pals.details": "فون {pals_phone}، ٹیکسٹ {pals_text}، ای میل {pals_email}",
    "language.changed": "شکریہ۔ ہم {language} میں جاری رکھیں گے۔",
    "webchat.heading": "اپنی دیکھ بھال کے بارے میں بتائیں",
    "webchat.reply_label": "آپ کا جواب",
    "webchat.send": "بھیجیں",
    "webchat.language_label": "زبان",
}


def _po(texts: dict[str, str]) -> str:
    header = ('msgid ""\nmsgstr ""\n"Language: ur\\n"\n'
              '"Content-Type: text/plain; charset=UTF-8\\n"\n')
    body = "".join(f'\nmsgid "{key}"\nmsgstr "{value}"\n' for key, value in texts.items())
    return header + body


def catalogue_with_urdu(directory: Path) -> Path:
    """A copy of the real catalogue, with draft Urdu added only if it has none."""
    target = directory / "catalogue"
    shutil.copytree(CATALOGUE_DIR, target)
    if not (target / "ur.po").exists():
        (target / "ur.po").write_text(_po(URDU_DRAFT), encoding="utf-8")
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


def urdu_services(settings, clock, tmp_path):
    """The real composition root with a catalogue that has (draft) Urdu texts."""
    from feedback.bootstrap import build
    from flows.catalogue import load_catalogue
    from flows.definition import load_flows
    from flows.environment import Environment
    from storage.repositories import add_service
    from tests.conftest import DEMO

    catalogue = load_catalogue(catalogue_with_urdu(tmp_path))
    services = build(settings, clock=clock,
                     env=Environment(catalogue=catalogue, flows=load_flows()))
    with services.db.transaction() as tx:
        add_service(tx, **DEMO)
    return services
