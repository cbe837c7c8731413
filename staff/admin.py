"""Administration: staff users (add, unlock, disable), services, settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from feedback.bootstrap import container
from staff import accounts
from staff.auth import actor, current_user, roles_required, rules
from staff.errors import attach
from staff.roles import ADMIN, ROLES
from storage import browse

bp = attach(Blueprint("staff_admin", __name__, url_prefix="/staff/admin"))


@bp.route("/users", methods=["GET", "POST"])
@roles_required(ADMIN)
def users():
    error = None
    with container().db.transaction() as tx:
        if request.method == "POST":
            try:
                accounts.add_user(tx, request.form.get("email", ""), request.form.get("role", ""),
                                  request.form.get("password", ""),
                                  request.form.getlist("service"), actor())
                flash("User added.")
                return redirect(url_for("staff_admin.users"))
            except accounts.AccountError as problem:
                error = str(problem)          # nothing was added: checks come first
        return render_template("staff/admin_users.html", users=accounts.all_users(tx),
                               roles=ROLES, services=browse.all_services(tx), error=error), (
            400 if error else 200)


@bp.post("/users/<int:user_id>/<action>")
@roles_required(ADMIN)
def user_action(user_id: int, action: str):
    with container().db.transaction() as tx:
        try:
            if action == "unlock":
                accounts.unlock(tx, user_id, actor())
            elif action in ("disable", "enable"):
                if user_id == current_user().id:
                    abort(400, "You cannot disable your own account.")
                accounts.set_active(tx, user_id, action == "enable", actor())
            else:
                abort(404)
        except LookupError:
            abort(404)
    flash("Done.")
    return redirect(url_for("staff_admin.users"))


@bp.get("/services")
@roles_required(ADMIN)
def services():
    with container().db.transaction() as tx:
        return render_template("staff/admin_services.html", services=browse.all_services(tx))


@bp.get("/settings")
@roles_required(ADMIN)
def settings():
    return render_template("staff/admin_settings.html", rules=rules(),
                           settings=container().settings)
