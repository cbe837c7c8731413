"""Sign-in, sessions, CSRF and the decorators every staff view uses.

CSRF is a per-session random token checked on every unsafe request under
/staff (a few lines, no extra dependency; Flask-WTF would also bring WTForms,
which the server-rendered forms here do not need). Sessions carry the user's
id, a server-side token (revoked at sign-out) and the time last seen: idle
longer than the configured minutes, and the next request signs out.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from feedback.bootstrap import container
from staff import accounts
from staff.errors import attach
from staff.roles import ANALYST, SERVICE_LEAD
from staff.settings import StaffSettings

bp = attach(Blueprint("staff_auth", __name__, url_prefix="/staff", template_folder="templates",
                      static_folder="static", static_url_path="/static"))
SESSION_KEY, CSRF_KEY = "staff", "staff_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def rules() -> StaffSettings:
    return current_app.extensions["staff_settings"]


def now() -> dt.datetime:
    return container().clock()


def csrf_token() -> str:
    if CSRF_KEY not in session:
        session[CSRF_KEY] = secrets.token_urlsafe(32)
    return session[CSRF_KEY]


def _csrf_ok(sent: str) -> bool:
    """The session's token; the reports pages (staff/reports) keep their own
    per-session token under another key, equally secret, and it is accepted too."""
    tokens = [session.get(key, "") for key in (CSRF_KEY, "reports_csrf")]
    return bool(sent) and any(t and secrets.compare_digest(sent, t) for t in tokens)


def current_user():
    """The signed-in StaffUser (detached from its session), or None."""
    return g.get("staff_user")


current_staff = current_user      # the name staff/reports looks for


def actor() -> str:
    return current_user().email


def login_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("staff_auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def roles_required(*roles: str) -> Callable:
    """Signed in and holding one of these roles; anyone else gets 403."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user().role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def service_scope() -> list[str] | None:
    """The service slugs this user's queries are limited to; None means every service.
    Pass it to a query (`Service.slug.in_(scope)`) whenever results are read."""
    user = current_user()
    if user is None:
        abort(401)
    return list(user.services) if user.role == SERVICE_LEAD else None


def require_service(slug: str) -> None:
    """404 for an object of a service outside the user's scope (its existence stays hidden)."""
    scope = service_scope()
    if scope is not None and slug not in scope:
        abort(404)


def can_recode() -> bool:
    user = current_user()
    return user is not None and user.role == ANALYST


def load_user() -> None:
    """Before every /staff request: who is signed in, unless idle too long; CSRF check."""
    g.staff_user = None
    if not request.path.startswith("/staff"):
        return
    if request.method in UNSAFE and not _csrf_ok(request.form.get("csrf_token", "")):
        abort(400, "The form has expired. Go back, reload the page and try again.")
    data = session.get(SESSION_KEY)
    if not data:
        return
    moment = now()
    seen = dt.datetime.fromisoformat(data["seen"])
    with container().db.transaction() as tx:
        user = accounts.session_user(tx, data["uid"], data["token"])
        if user is not None and moment - seen > rules().idle:
            accounts.sign_out(tx, user.id, moment, "signed_out_idle")
            user = None
            flash("You were signed out after a period without activity. Please sign in again.")
        if user is not None:
            if user.last_seen is None or moment - user.last_seen > dt.timedelta(minutes=1):
                user.last_seen = moment
            tx.expunge(user)
    if user is None:
        session.pop(SESSION_KEY, None)
        return
    data["seen"] = moment.isoformat()
    session[SESSION_KEY] = data
    g.staff_user = user


def secure_headers(response):
    """No third-party anything, no framing, no caching of staff pages."""
    if request.path.startswith("/staff"):
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'none'; object-src 'none'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/staff"):
        return target
    return url_for("staff_auth.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET":
        return render_template("staff/sign_in.html", next=request.args.get("next", ""))
    moment = now()
    with container().db.transaction() as tx:
        result = accounts.sign_in(tx, request.form.get("email", ""),
                                  request.form.get("password", ""), moment, rules())
        user_id = result.user.id if result.user else None
    if user_id is None:
        message = ("Too many failed attempts: this account is locked for a while. "
                   "Try again later or ask an administrator."
                   if result.locked else "The e-mail address or password is not right.")
        return render_template("staff/sign_in.html", error=message,
                               next=request.form.get("next", "")), 401
    session.clear()                       # a fresh session (and CSRF token) after sign-in
    session[SESSION_KEY] = {"uid": user_id, "token": result.token, "seen": moment.isoformat()}
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/sign-out")
def sign_out():
    data = session.get(SESSION_KEY)
    if data:
        with container().db.transaction() as tx:
            accounts.sign_out(tx, data["uid"], now())
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("staff_auth.sign_in"))


@bp.get("/")
@login_required
def home():
    return render_template("staff/home.html")
