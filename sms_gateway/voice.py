"""Twilio Voice: the telephone IVR for people who only use the phone.

Each webhook is authenticated first, then translated into the same
conversation service as a text message (channel "voice", texts `key@voice`).
Where the call is in the menu travels in the callback URL, so any web
instance can take any turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, request

from feedback.bootstrap import container
from feedback.messaging import Inbound, Reply
from flows.choosing import available
from sms_gateway import twilio_sms, voice_twiml
from storage.repositories import service_for_number

bp = Blueprint("voice", __name__)
PER_PAGE = 8
KEYPAD = {"yes_no": {"1": "yes", "2": "no"}}


@dataclass(frozen=True)
class Call:
    sid: str
    address: str      # the patient's number: used only to find the conversation
    number: str       # the service's number
    digits: str
    speech: str

    @classmethod
    def parse(cls, form) -> Call:
        outbound = form.get("Direction", "").startswith("outbound")
        caller, called = form.get("From", ""), form.get("To", "")
        address, number = (called, caller) if outbound else (caller, called)
        return cls(sid=form.get("CallSid", ""), address=address, number=number,
                   digits=(form.get("Digits") or "").strip(),
                   speech=(form.get("SpeechResult") or "").strip())


def _xml(twiml: str) -> Response:
    return Response(twiml, mimetype="text/xml")


@bp.post("/voice/inbound")
def inbound() -> Response:
    services = container()
    settings = services.settings
    if not twilio_sms.authenticate(request, settings):
        abort(403)
    call = Call.parse(request.form)
    with services.db.transaction() as tx:
        service = service_for_number(tx, call.number)
        if service is None:
            return _xml(voice_twiml.speak_and_hang_up(""))
        slug = service.slug
        recordings = dict(service.settings.get("recorded_audio", {}))
        pals = dict(pals_phone=service.pals_phone, pals_text=service.pals_text,
                    pals_email=service.pals_email)
    ivr = Ivr(services, call, slug, recordings, pals)
    return _xml(ivr.answer(request.args))


class Ivr:
    """One callback of one call."""

    def __init__(self, services, call: Call, slug: str, recordings: dict, pals: dict):
        self.services, self.call, self.slug = services, call, slug
        self.recordings, self.pals = recordings, pals
        self.catalogue = services.env.catalogue

    def url(self, **params) -> str:
        return voice_twiml.action_url("/voice/inbound", **params)

    def answer(self, args) -> str:
        n, stage = int(args.get("n", 0)), args.get("stage", "")
        flow = args.get("flow", "domain1")
        silent = bool(args.get("silence")) and not self.call.digits and not self.call.speech
        quiet = int(args.get("quiet", 0)) + 1 if silent else 0
        if silent and quiet > 1:
            return voice_twiml.speak_and_hang_up(self.catalogue.text("voice.goodbye", "en"))
        if n == 0 and args.get("lang"):
            return self.begin(args["lang"], flow, n)
        if n == 0 or stage == "language":
            return self.language(args, flow, n, quiet)
        if stage == "novoice":
            return self.no_voice(flow, n, quiet)
        return self.turn(args, n, quiet, silent)

    def language(self, args, flow: str, n: int, quiet: int) -> str:
        codes = available(self.catalogue)
        page = int(args.get("page", 0))
        digit = self.call.digits
        if digit == "9" and (page + 1) * PER_PAGE < len(codes):
            page += 1
        elif digit.isdigit() and digit != "0":
            index = page * PER_PAGE + int(digit) - 1
            if index < len(codes):
                return self.begin(codes[index], flow, n)
        next_url = self.url(n=n + 1, stage="language", page=page, flow=flow, quiet=quiet)
        return voice_twiml.language_menu(self.catalogue, codes, page, next_url, PER_PAGE)

    def begin(self, language: str, flow: str, n: int) -> str:
        if not voice_twiml.can_speak(language, self.recordings):
            return self.no_voice(flow, n, 0, first=True)
        turn = self.services.conversations.begin(self.slug, "voice", self.call.address,
                                                 flow_id=flow, language=language,
                                                 variant="voice")
        return self.render(turn.replies, n, 0)

    def no_voice(self, flow: str, n: int, quiet: int, first: bool = False) -> str:
        """No voice for this language: English, or PALS who can arrange an interpreter."""
        if not first and self.call.digits == "1":
            return self.begin("en", flow, n)
        text = self.catalogue.text("voice.no_voice", "en")
        if not first and self.call.digits == "0":
            text = self.catalogue.text("voice.pals", "en", self.pals) + " " + text
        reply = Reply(text=text, key="voice.no_voice", expects="choice")
        next_url = self.url(n=n + 1, stage="novoice", flow=flow)
        return voice_twiml.render((reply,), self.catalogue, next_url,
                                  self.url(n=n + 1, stage="novoice", flow=flow, silence=1,
                                           quiet=quiet))

    def turn(self, args, n: int, quiet: int, silent: bool) -> str:
        digits, expects = self.call.digits, args.get("expects", "")
        if silent:
            text = ""
        elif digits == "0":
            text = "HELP"
        elif digits == "*":
            text = "SKIP"
        elif digits:
            text = KEYPAD.get(expects, {}).get(digits, digits)
        else:
            text = self.call.speech
        turn = self.services.conversations.handle(Inbound(
            channel="voice", address=self.call.address, to=self.call.number, text=text,
            provider_id=f"{self.call.sid}:{n}", variant="voice"))
        return self.render(self.spoken(turn.replies), n, quiet)

    def spoken(self, replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
        """On a call, HELP is the PALS details and an empty reply is silence."""
        swap = {"help": "voice.pals", "input.empty": "voice.silence"}
        return tuple(Reply(text=self.catalogue.text(swap[r.key], r.language, self.pals),
                           key=swap[r.key], language=r.language)
                     if r.key in swap else r for r in replies)

    def render(self, replies: tuple[Reply, ...], n: int, quiet: int) -> str:
        expects = replies[-1].expects if replies else ""
        return voice_twiml.render(
            replies, self.catalogue, self.url(n=n + 1, expects=expects),
            self.url(n=n + 1, expects=expects, silence=1, quiet=quiet), self.recordings)
