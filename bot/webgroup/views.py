"""HTTP for web group sessions: `/chat/group/<code>` for participants, a
facilitator page found by its own secret. Each browser gets an anonymous
random token in the signed session cookie; only its keyed hash is stored,
and only while the session is open."""

from __future__ import annotations

import secrets

from flask import Blueprint, render_template, request, session

from feedback.bootstrap import container
from feedback.group_sessions import GroupView, group_sessions

bp = Blueprint("webgroup", __name__, template_folder="templates")
MEMBER_COOKIE_KEY = "webgroup_member"


def _member_token() -> str:
    token = session.get(MEMBER_COOKIE_KEY)
    if not token:
        token = session[MEMBER_COOKIE_KEY] = secrets.token_hex(16)
    return token


def _render(template: str, view: GroupView, notices: tuple[str, ...] = (), **extra):
    catalogue = container().env.catalogue
    lang = view.language

    def t(key: str, **params: str) -> str:
        return catalogue.text(key, lang, {"service": view.service, **params})

    language = catalogue.languages.get(lang)
    status = 404 if view.status == "invalid" else 200
    page = render_template(template if status == 200 else "webgroup/invalid.html",
                           view=view, t=t, lang=lang, notices=notices,
                           direction=language.dir if language else "ltr",
                           title=t("webgroup.title"), **extra)
    return page, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.get("/chat/group/<code>")
def member(code: str):
    _member_token()
    view = group_sessions(container()).web_view(code)
    return _render("webgroup/member.html", view, code=code)


@bp.post("/chat/group/<code>")
def answer(code: str):
    groups = group_sessions(container())
    text = request.form.get("answer", "")
    turn = groups.web_reply(code, _member_token(), text, request.form.get("step", ""))
    view = groups.web_view(code)
    notices = tuple(r.text for r in turn.replies)
    if turn.status == "ok" and not notices and text.strip():
        notices = (container().env.catalogue.text("group.answer_saved", view.language),)
    return _render("webgroup/member.html", view, notices, code=code)


@bp.route("/chat/group/facilitate/<secret>", methods=["GET", "POST"])
def facilitate(secret: str):
    groups = group_sessions(container())
    if request.method == "POST":
        groups.web_facilitate(secret, "close" if request.form.get("action") == "close"
                              else "next")
    return _render("webgroup/facilitator.html", groups.facilitator_state(secret))
