"""PALS's queue: read a case, see consented contact details (audited),
acknowledge, add notes, record the outcome and close (contact deleted)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from feedback import escalations
from feedback.bootstrap import container
from staff import casework
from staff.auth import actor, now, roles_required, rules
from staff.errors import attach
from staff.roles import PALS

bp = attach(Blueprint("staff_pals", __name__, url_prefix="/staff/pals"))


@bp.get("/")
@roles_required(PALS)
def queue():
    show = request.args.get("show", "open")
    if show not in ("open", "closed", "all"):
        abort(404)
    with container().db.transaction() as tx:
        cases = casework.queue(tx, now(), rules(), actor(), show)
        return render_template("staff/pals_queue.html", cases=cases, show=show,
                               rules=rules())


def _case_page(escalation_id: int, contact: str | None = None):
    with container().db.transaction() as tx:
        try:
            case = casework.open_case(tx, escalation_id, now(), rules(), actor())
        except LookupError:
            abort(404)
        return render_template(
            "staff/pals_case.html", case=case, contact=contact,
            contact_channel=casework.contact_channel(tx, escalation_id),
            history=casework.history(tx, escalation_id))


@bp.get("/<int:escalation_id>")
@roles_required(PALS)
def case(escalation_id: int):
    return _case_page(escalation_id)


@bp.post("/<int:escalation_id>/contact")
@roles_required(PALS)
def contact(escalation_id: int):
    """Shown on request only, decrypted for this page, and audited."""
    services = container()
    with services.db.transaction() as tx:
        address = escalations.contact_for(tx, escalation_id, actor(), services.keys)
    if address is None:
        flash("There are no contact details for this case (none given, or deleted on closing).")
    return _case_page(escalation_id, contact=address)


def _act(escalation_id: int, action, message: str):
    with container().db.transaction() as tx:
        try:
            action(tx)
        except LookupError:
            abort(404)
    flash(message)
    return redirect(url_for("staff_pals.case", escalation_id=escalation_id))


@bp.post("/<int:escalation_id>/acknowledge")
@roles_required(PALS)
def acknowledge(escalation_id: int):
    note = request.form.get("note", "").strip()
    return _act(escalation_id,
                lambda tx: escalations.acknowledge(tx, escalation_id, actor(), note),
                "Case acknowledged.")


@bp.post("/<int:escalation_id>/note")
@roles_required(PALS)
def note(escalation_id: int):
    text = request.form.get("note", "").strip()
    if not text:
        flash("Write a note first.")
        return redirect(url_for("staff_pals.case", escalation_id=escalation_id))
    return _act(escalation_id,
                lambda tx: casework.add_note(tx, escalation_id, actor(), text, now()),
                "Note added.")


@bp.post("/<int:escalation_id>/close")
@roles_required(PALS)
def close(escalation_id: int):
    outcome = request.form.get("outcome", "").strip()
    if not outcome:
        flash("Record the outcome before closing the case.")
        return redirect(url_for("staff_pals.case", escalation_id=escalation_id))
    return _act(escalation_id,
                lambda tx: escalations.close_case(tx, escalation_id, actor(), outcome),
                "Case closed. Any contact details the patient gave have been deleted.")
