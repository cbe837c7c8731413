"""The engagement log: every row (digital or not), the form for entering
non-digital engagement, and the CSV the teams used to keep in Excel."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from feedback.bootstrap import container
from staff.auth import actor, now, roles_required
from staff.entries import OUTCOMES, TYPES, Entry, EntryError, record
from staff.errors import attach
from staff.roles import ANALYST
from storage import browse
from storage.export import write_csv
from storage.repositories import responses

bp = attach(Blueprint("staff_engagement", __name__, url_prefix="/staff/engagement"))


@bp.get("/")
@roles_required(ANALYST)
def log():
    service = request.args.get("service", "")
    with container().db.transaction() as tx:
        return render_template("staff/engagement_log.html", rows=browse.engagement_log(
            tx, service), services=browse.all_services(tx), service=service)


@bp.get("/log.csv")
@roles_required(ANALYST)
def log_csv():
    out = io.StringIO()
    with container().db.transaction() as tx:
        write_csv(out, responses(tx, request.args.get("service") or None))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=engagement-log.csv"})


def _int(value: str, default: int = 1) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _entry(form, kind: str) -> Entry:
    try:
        date = dt.date.fromisoformat(form.get("date", ""))
    except ValueError:
        raise EntryError("give the date as YYYY-MM-DD") from None
    return Entry(
        kind=kind, service=form.get("service", ""), date=date,
        number_of_people=_int(form.get("number_of_people", "1"), 0),
        language=form.get("language", "en").strip()[:8] or "en",
        interpreter=form.get("interpreter") == "on",
        soft_intelligence=form.get("soft_intelligence", ""),
        answers={o: form.get(f"answer_{o.lower()}", "") for o in OUTCOMES},
        follow_up_actions=form.get("follow_up_actions", ""),
        person_responsible=form.get("person_responsible", ""),
        quote_consent=form.get("quote_consent") == "on")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ANALYST)
def new():
    """Two steps, no script: choose the type, then a form that never offers 1C to a group."""
    kind = request.values.get("type", "")
    if not kind:
        return render_template("staff/engagement_type.html", types=TYPES)
    if kind not in TYPES:
        abort(404)
    services = container()
    error = None
    if request.method == "POST":
        try:
            with services.db.transaction() as tx:
                response = record(tx, _entry(request.form, kind), actor(),
                                  services.settings.reference_prefix, now())
                reference = response.reference
            flash(f"Saved to the engagement log as {reference}.")
            return redirect(url_for("staff_engagement.log"))
        except EntryError as problem:
            error = str(problem)
    with services.db.transaction() as tx:
        all_services = browse.all_services(tx)
    entry_kind = TYPES[kind]
    return render_template(
        "staff/engagement_form.html", kind=kind, type=entry_kind, services=all_services,
        outcomes=[o for o in OUTCOMES if not (o == "1C" and entry_kind.context == "group")],
        form=request.form, today=now().date().isoformat(), error=error), (
        400 if error else 200)
