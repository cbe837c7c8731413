"""Pages anyone may open: a service's "You said, we did" board (staff's own
words about themes and actions: never an answer or a reference) and the
short links printed on posters."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request

from feedback import posters
from feedback.bootstrap import container
from storage.reports.actions import actions_for
from storage.reports.links import resolve
from storage.repositories import service_by_slug

bp = Blueprint("reports_public", __name__, template_folder="templates")


@bp.get("/you-said-we-did/<slug>")
def you_said_we_did(slug):
    with container().db.transaction() as tx:
        service = service_by_slug(tx, slug)
        if service is None:
            abort(404)
        items = [(a.theme, a.you_said, a.we_did)
                 for a in actions_for(tx, service.id, published_only=True)]
    return render_template("reports/you_said_we_did.html", service_name=service.name,
                           items=items)


@bp.get("/s/<code>")
def short(code):
    with container().db.transaction() as tx:
        found = resolve(tx, code)
        if found is None:
            abort(404)
        service, channel = found
        public = container().settings.public_url or request.host_url.rstrip("/")
        goal = posters.target(service, channel, public)
    if goal is None:
        abort(404)
    return redirect(goal, code=302)
