"""Who may see which report. Analysts and admins see every service; a service
lead sees their own. Uses the staff app's sign-in (`staff.auth`) when it is
installed; until then a signed session set by that app (`session["staff"]`
= {"email", "role", "services"}) is read directly, and nobody else gets in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import wraps

from flask import abort, request, session

ALL_SERVICES = ("admin", "analyst")
OWN_SERVICES = ("service_lead",)


@dataclass(frozen=True)
class StaffUser:
    email: str
    role: str
    services: frozenset[str]

    def may_see(self, slug: str) -> bool:
        return self.role in ALL_SERVICES or (self.role in OWN_SERVICES and slug in self.services)

    def visible(self, slugs):
        return [s for s in slugs if self.may_see(s)]


def current_user() -> StaffUser | None:
    try:
        from staff.auth import current_staff  # the staff app's, when present
    except ImportError:
        current_staff = None
    if current_staff is not None:
        user = current_staff()
        if user is None:
            return None
        return StaffUser(user.email, user.role, frozenset(getattr(user, "services", ()) or ()))
    data = session.get("staff")
    if not isinstance(data, dict) or not data.get("role"):
        return None
    return StaffUser(str(data.get("email", "")), str(data["role"]),
                     frozenset(data.get("services") or ()))


def reports_access(view):
    """Signed-in report roles only; a `slug` in the URL must be one they may see."""
    @wraps(view)
    def guarded(*args, **kwargs):
        user = current_user()
        if user is None:
            abort(401)
        if user.role not in ALL_SERVICES + OWN_SERVICES:
            abort(403)
        slug = kwargs.get("slug")
        if slug is not None and not user.may_see(slug):
            abort(403)
        if request.method == "POST" and not _csrf_ok():
            abort(400)
        return view(*args, user=user, **kwargs)
    return guarded


def csrf_token() -> str:
    if "reports_csrf" not in session:
        session["reports_csrf"] = secrets.token_urlsafe(24)
    return session["reports_csrf"]


def _csrf_ok() -> bool:
    sent = request.form.get("csrf_token", "")
    return bool(sent) and secrets.compare_digest(sent, session.get("reports_csrf", ""))
