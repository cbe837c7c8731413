"""HTTP for the web chat: `GET/POST /chat/<service>`.

Views only translate HTTP into conversation-service calls: the browser's
random token is its address, each form's nonce is both the same-origin check
and the provider id (so a double submit is answered once), and every POST
redirects to a GET (or answers JSON when the page's script asked for it).
"""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from bot.webchat import state as chat_state
from bot.webchat.page import Page, service_info
from feedback.bootstrap import container
from feedback.messaging import Inbound, Turn
from flows.choosing import available

CHANNEL = "web"
MAX_REPLY = 1600
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

bp = Blueprint("webchat", __name__, template_folder="templates", static_folder="static",
               static_url_path="/webchat-static")


@bp.after_request
def security_headers(response: Response) -> Response:
    """Self only: no third-party scripts, fonts, frames or referrers."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _page(slug: str) -> Page:
    services = container()
    info = service_info(services, slug)
    if info is None:
        abort(404)
    return Page(services.env.catalogue, services.env.flows, info,
                services.settings.reference_prefix)


def _cookie_size(data) -> int:
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    return len(serializer.dumps(dict(data))) if serializer else 0


def _send(state: chat_state.ChatState, text: str, provider_id: str) -> Turn:
    return container().conversations.handle(Inbound(
        channel=CHANNEL, address=state.token, to="", text=text, provider_id=provider_id,
        service_slug=state.slug))


def _begin(state: chat_state.ChatState, language: str | None) -> None:
    turn = container().conversations.begin(state.slug, CHANNEL, state.token, language=language)
    state.add_replies(turn.replies)


def _choose_language(page: Page, state: chat_state.ChatState, code: str | None) -> None:
    """Through the conversation's own LANGUAGE menu, so the choice is recorded."""
    codes = available(page.catalogue)
    if code not in codes or (state.started and code == page.language(state)):
        return
    if page.finished(state):
        _begin(state, code)
        return
    nonce = secrets.token_urlsafe(12)
    menu = _send(state, "LANGUAGE", f"{nonce}-menu")
    if any(reply.key == "language.menu" for reply in menu.replies):
        state.add_replies(_send(state, str(codes.index(code) + 1), f"{nonce}-pick").replies)


def _render(page: Page, state: chat_state.ChatState, nonce: str, error: str = "",
            status: int = 200):
    lang = page.language(state)
    body = render_template("webchat/chat.html", page=page, state=state, nonce=nonce,
                           lang=lang, dir=page.direction(lang), error=error,
                           messages=page.messages(state), finished=page.finished(state))
    return body, status


@bp.get("/chat/<slug>")
def chat(slug: str):
    page = _page(slug)
    state = chat_state.load(session, slug)
    wanted = request.args.get("lang")
    wanted = wanted if wanted in available(page.catalogue) else None
    if not state.started:
        _begin(state, wanted)
    elif wanted:
        _choose_language(page, state, wanted)
    nonce = state.issue_nonce()
    chat_state.save(session, state, _cookie_size)
    return _render(page, state, nonce)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/chat/<slug>")
def post(slug: str):
    page = _page(slug)
    state = chat_state.load(session, slug)
    if not state.issued(request.form.get("nonce", "")):
        return _stale(page, state)
    action = request.form.get("action", "reply")
    before = len(state.lines)
    if action == "easy":
        state.easy = not state.easy
    elif action == "language":
        _choose_language(page, state, request.form.get("lang"))
    else:
        text = request.form.get("reply", "")[:MAX_REPLY]
        turn = _send(state, text, request.form["nonce"])
        if not turn.duplicate:
            if text.strip():
                state.add_patient(text)
            state.add_replies(turn.replies)
    if not _wants_json():
        chat_state.save(session, state, _cookie_size)
        return redirect(url_for(".chat", slug=slug), 303)
    return _json_turn(page, state, before, reload=action != "reply")


def _json_turn(page: Page, state: chat_state.ChatState, before: int, reload: bool):
    """For the page's script: the new transcript items and the fresh answer area."""
    nonce = state.issue_nonce()
    new = state.lines[before:]
    chat_state.save(session, state, _cookie_size)
    lang = page.language(state)
    message = get_template_attribute("webchat/_parts.html", "message")
    answer = get_template_attribute("webchat/_parts.html", "answer")
    items = "".join(str(message(page.message(line, state.easy), page, lang)) for line in new)
    messages = page.messages(state)
    return jsonify(nonce=nonce, lang=lang, dir=page.direction(lang), log=items, reload=reload,
                   answer=str(answer(page, messages, nonce, lang, page.finished(state))))


def _stale(page: Page, state: chat_state.ChatState):
    """A form this browser session did not issue (another site, or an old tab)."""
    nonce = state.issue_nonce()
    chat_state.save(session, state, _cookie_size)
    lang = page.language(state)
    if _wants_json():
        return jsonify(error=str(page.chrome("webchat.stale", lang).striptags()),
                       nonce=nonce), 400
    return _render(page, state, nonce, error="webchat.stale", status=400)
