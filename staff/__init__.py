"""The staff web app under /staff: PALS's queue, coding answers, the
engagement log and administration. Server-rendered, no scripts."""

from __future__ import annotations

from flask import Flask

from staff.labels import category_label
from staff.settings import staff_settings


def init_app(app: Flask) -> None:
    """Register the staff blueprints, hooks and the session-cookie rules."""
    from staff import admin, answers, auth, engagement, invitations, pals
    from staff.roles import ROLES

    rules = staff_settings(app.extensions["feedback"].settings)
    app.extensions["staff_settings"] = rules
    app.config["SESSION_COOKIE_SECURE"] = rules.cookie_secure
    for blueprint in (auth.bp, pals.bp, answers.bp, engagement.bp, admin.bp, invitations.bp):
        app.register_blueprint(blueprint)
    app.before_request(auth.load_user)
    app.after_request(auth.secure_headers)
    app.jinja_env.globals.update(csrf_token=auth.csrf_token, staff_user=auth.current_user,
                                 role_names=ROLES)
    app.jinja_env.filters["category"] = category_label
