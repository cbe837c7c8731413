"""Staff report routes: HTTP in, service calls, HTML or files out."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from feedback import posters
from feedback.bootstrap import container
from flows.reporting.eds import BAND_RULE, RATINGS, eds_band, organisation_total
from flows.reporting.positivity import OUTCOMES, RULE
from flows.reporting.quarters import financial_year
from flows.reporting.sdc import policy_from
from staff.reports import pages
from staff.reports.access import csrf_token, reports_access
from storage.export import write_csv
from storage.reports import actions, population, scores
from storage.reports.eds_docx import write_docx
from storage.reports.links import CHANNELS, short_link
from storage.reports.records import services as load_services
from storage.reports.report_data import report_data
from storage.reports.xlsx import write_xlsx
from storage.repositories import responses, service_by_slug

bp = Blueprint("reports", __name__, url_prefix="/staff/reports", template_folder="templates")


@bp.app_context_processor
def _helpers():
    return {"reports_csrf": csrf_token}


def _policy():
    return policy_from(container().settings.extra)


def _year() -> str:
    wanted = request.values.get("year", "")
    if len(wanted) == 7 and wanted[4] == "-" and wanted[:4].isdigit():
        return wanted
    return financial_year(container().clock().date())


def _service(tx, slug):
    service = service_by_slug(tx, slug)
    if service is None:
        abort(404)
    return service


@bp.get("/")
@reports_access
def index(user):
    with container().db.transaction() as tx:
        visible = [s for s in load_services(tx) if user.may_see(s.slug)]
    return render_template("reports/index.html", services=visible, year=_year(), user=user)


@bp.get("/export.<kind>")
@reports_access
def export(kind, user):
    slug = request.args.get("service") or None
    if (slug and not user.may_see(slug)) or (not slug and user.role == "service_lead"):
        abort(403)
    with container().db.transaction() as tx:
        rows = responses(tx, slug)
        if kind == "csv":
            text = io.StringIO()
            write_csv(text, rows)
            return Response(text.getvalue(), mimetype="text/csv", headers={
                "Content-Disposition": "attachment; filename=engagement-log.csv"})
        if kind != "xlsx":
            abort(404)
        out = io.BytesIO()
        write_xlsx(out, rows, services=load_services(tx, [slug] if slug else None))
    out.seek(0)
    return send_file(out, as_attachment=True, download_name="engagement-log.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/<slug>/figures")
@reports_access
def figures(slug, user):
    with container().db.transaction() as tx:
        page = pages.figures(tx, _service(tx, slug), _year(), _policy())
    return render_template("reports/figures.html", page=page, rule=RULE, outcomes=OUTCOMES)


@bp.post("/<slug>/actions")
@reports_access
def add_action(slug, user):
    form = request.form
    try:
        with container().db.transaction() as tx:
            actions.add_action(tx, _service(tx, slug).id, form.get("theme", ""),
                               form.get("you_said", ""), form.get("we_did", ""),
                               form.get("outcome") or None, form.get("published") == "on",
                               user.email)
    except ValueError as error:
        flash(str(error))
    return redirect(url_for("reports.figures", slug=slug))


@bp.get("/<slug>/missing")
@reports_access
def missing(slug, user):
    with container().db.transaction() as tx:
        page = pages.missing(tx, _service(tx, slug), dict(request.args), _policy())
    return render_template("reports/missing.html", page=page)


@bp.post("/<slug>/population")
@reports_access
def upload_population(slug, user):
    upload = request.files.get("profile")
    if upload is None:
        abort(400)
    try:
        profile = population.parse_profile(io.TextIOWrapper(upload.stream, encoding="utf-8-sig"))
        with container().db.transaction() as tx:
            count = population.replace_profile(tx, _service(tx, slug).id, profile)
        flash(f"Population profile saved: {count} categories.")
    except (ValueError, UnicodeDecodeError) as error:
        flash(f"Not saved: {error}")
    return redirect(url_for("reports.missing", slug=slug))


@bp.route("/<slug>/score/<outcome>", methods=["GET", "POST"])
@reports_access
def score(slug, outcome, user):
    if outcome not in OUTCOMES:
        abort(404)
    year = _year()
    with container().db.transaction() as tx:
        service = _service(tx, slug)
        if request.method == "POST":
            form = request.form
            try:
                scores.save_score(tx, service.id, year, outcome, int(form.get("rating", "-1")),
                                  form.get("rationale", ""), form.get("panel", ""),
                                  form.get("objective", ""), form.get("action", ""),
                                  form.get("completion", ""), user.email)
            except ValueError as error:
                flash(str(error))
                return redirect(url_for("reports.score", slug=slug, outcome=outcome, year=year))
            return redirect(url_for("reports.score", slug=slug, outcome=outcome, year=year))
        current = next((s for s in scores.scores_for(tx, year, service.id)
                        if s.outcome == outcome), None)
        evidence = pages.evidence(tx, service, outcome, year, _policy())
    return render_template("reports/score.html", service=service, outcome=outcome, year=year,
                           evidence=evidence, current=current, ratings=RATINGS)


@bp.route("/organisation", methods=["GET", "POST"])
@reports_access
def organisation(user):
    if user.role not in ("admin", "analyst"):
        abort(403)
    year = _year()
    with container().db.transaction() as tx:
        if request.method == "POST":
            try:
                for domain in (2, 3):
                    value = request.form.get(f"domain{domain}", "").strip()
                    scores.set_domain_total(tx, year, domain, int(value) if value else None)
            except ValueError as error:
                flash(f"Not saved: {error}")
            return redirect(url_for("reports.organisation", year=year))
        data = report_data(tx, _organisation_name(), year, _policy())
    total = organisation_total(data.domain1, data.domain2, data.domain3)
    return render_template("reports/organisation.html", data=data, year=year, total=total,
                           band=eds_band(total), band_rule=BAND_RULE, ratings=RATINGS)


@bp.get("/report.docx")
@reports_access
def report_docx(user):
    if user.role not in ("admin", "analyst"):
        abort(403)
    with container().db.transaction() as tx:
        data = report_data(tx, _organisation_name(), _year(), _policy())
    out = io.BytesIO()
    write_docx(out, data)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name=f"eds-report-{data.year}.docx",
                     mimetype="application/vnd.openxmlformats-officedocument"
                              ".wordprocessingml.document")


def _organisation_name() -> str:
    return container().settings.extra.get("FEEDBACK_ORGANISATION_NAME") or "Our organisation"


@bp.get("/<slug>/posters")
@reports_access
def poster_links(slug, user):
    links = []
    with container().db.transaction() as tx:
        service = _service(tx, slug)
        for channel in CHANNELS:
            goal = posters.target(service, channel, _public_url())
            if goal:
                code = short_link(tx, service, channel).code
                links.append(posters.PosterLink(channel, goal, f"{_public_url()}/s/{code}"))
    qr_svgs = {link.channel: posters.image(link.target, "svg", scale=6).decode()
               for link in links}
    return render_template("reports/posters.html", service=service, links=links, qr=qr_svgs)


@bp.get("/<slug>/qr/<channel>.<kind>")
@reports_access
def qr_image(slug, channel, kind, user):
    if kind not in ("png", "pdf"):
        abort(404)
    with container().db.transaction() as tx:
        goal = posters.target(_service(tx, slug), channel, _public_url())
    if goal is None:
        abort(404)
    return send_file(io.BytesIO(posters.image(goal, kind)), mimetype=f"image/{kind}"
                     if kind == "png" else "application/pdf",
                     download_name=f"{slug}-{channel}.{kind}")


def _public_url() -> str:
    return container().settings.public_url or request.host_url.rstrip("/")
