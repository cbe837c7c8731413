"""Answers for analysts (every service) and service leads (their own, read-only):
filter, read the original beside the English, recode, edit the codebook."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from feedback.bootstrap import container
from flows.coding.agreement import agreement
from flows.coding.codebook import SENTIMENTS
from staff.auth import actor, can_recode, now, require_service, roles_required, service_scope
from staff.errors import attach
from staff.roles import ADMIN, ANALYST, SERVICE_LEAD
from storage import browse
from storage import coding as codes

bp = attach(Blueprint("staff_answers", __name__, url_prefix="/staff/answers"))
PAGE = 50


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters() -> browse.AnswerFilter:
    args = request.args
    return browse.AnswerFilter(
        **{name: args.get(name, "").strip() for name in (
            "service", "outcome", "language", "channel", "context", "flow", "theme",
            "sentiment", "reference")},
        date_from=_date(args.get("date_from", "")), date_to=_date(args.get("date_to", "")))


@bp.get("/")
@roles_required(ANALYST, SERVICE_LEAD)
def index():
    filters = _filters()
    scope = service_scope()
    page_arg = request.args.get("page", "1")
    page = int(page_arg) if page_arg.isdigit() and int(page_arg) > 0 else 1
    with container().db.transaction() as tx:
        rows, total = browse.find_answers(tx, filters, scope, PAGE, (page - 1) * PAGE)
        coded = codes.codes_for(tx, [a.id for a, _r, _s in rows])
        return render_template(
            "staff/answers_list.html", rows=rows, coded=coded, total=total, page=page,
            pages=max((total + PAGE - 1) // PAGE, 1), filters=filters,
            choices=browse.choices(tx, scope), themes=codes.labels(tx),
            sentiments=SENTIMENTS, query=request.args.to_dict())


@bp.get("/<int:answer_id>")
@roles_required(ANALYST, SERVICE_LEAD)
def detail(answer_id: int):
    with container().db.transaction() as tx:
        found = browse.answer_with_response(tx, answer_id)
        if found is None:
            abort(404)
        answer, response, service = found
        require_service(service.slug)
        return render_template(
            "staff/answer_detail.html", answer=answer, response=response, service=service,
            coded=codes.codes_for(tx, [answer.id])[answer.id], themes=codes.labels(tx),
            sentiments=SENTIMENTS, can_recode=can_recode())


@bp.post("/<int:answer_id>/code")
@roles_required(ANALYST)
def recode(answer_id: int):
    sentiment = request.form.get("sentiment", "none")
    if sentiment not in SENTIMENTS:
        abort(400)
    with container().db.transaction() as tx:
        if browse.answer_with_response(tx, answer_id) is None:
            abort(404)
        known = codes.labels(tx)
        chosen = [t for t in request.form.getlist("theme") if t in known]
        codes.recode(tx, answer_id, chosen, sentiment, actor(), now())
    flash("Your coding is saved. Automatic coding will not change it.")
    return redirect(url_for("staff_answers.detail", answer_id=answer_id))


def _keywords(text: str) -> dict[str, list[str]]:
    """One language per line: `en: wait*, queue, on time`."""
    result: dict[str, list[str]] = {}
    for line in text.splitlines():
        lang, sep, words = line.partition(":")
        if not sep or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", lang.strip()):
            continue
        listed = [w.strip() for w in words.split(",") if w.strip()]
        if listed:
            result.setdefault(lang.strip(), []).extend(listed)
    return result


@bp.route("/codebook", methods=["GET", "POST"])
@roles_required(ANALYST, ADMIN)
def codebook():
    with container().db.transaction() as tx:
        if request.method == "POST":
            slug = re.sub(r"[^a-z0-9_]+", "_", request.form.get("slug", "").lower()).strip("_")
            label = request.form.get("label", "").strip()
            if not slug or not label:
                flash("A theme needs a short name and a label.")
            else:
                codes.save_theme(tx, slug, label, _keywords(request.form.get("keywords", "")),
                                 active=request.form.get("active") == "on")
                flash(f"Theme “{label}” saved. New answers are coded with it from now on.")
            return redirect(url_for("staff_answers.codebook"))
        return render_template("staff/codebook.html", themes=codes.themes(tx))


@bp.get("/agreement")
@roles_required(ANALYST)
def agreement_report():
    """The machine against the analysts, on every answer an analyst has hand-coded."""
    with container().db.transaction() as tx:
        ids = codes.hand_coded_ids(tx)
        coded = codes.codes_for(tx, ids)
        labels = codes.labels(tx)
    result = agreement([set(coded[i].themes) for i in ids],
                       [set(coded[i].auto_themes) for i in ids],
                       [coded[i].sentiment for i in ids],
                       [coded[i].auto_sentiment for i in ids], list(labels))
    return render_template("staff/agreement.html", result=result, labels=labels)
