"""Uploading an appointment list: the CLI's `feedback invite --csv`, as a page.

The same importer does the work, so every row gets the same checks and
reasons; a dry run writes nothing. A service lead may only invite for their
own services; an administrator for any. The file is read in memory and never
stored: only what sending needs is kept, by the importer, encrypted.
"""

from __future__ import annotations

import io
import logging

from flask import Blueprint, render_template, request

from feedback.appointments import Rejected
from feedback.bootstrap import container
from feedback.invite_import import Importer
from staff.auth import actor, roles_required, service_scope
from staff.errors import attach
from staff.roles import ADMIN, SERVICE_LEAD

log = logging.getLogger(__name__)
bp = attach(Blueprint("staff_invitations", __name__, url_prefix="/staff/invitations"))
MAX_UPLOAD = 32 * 1024 * 1024          # ~600,000 rows; the app's default cap is 2 MB
SHOWN = 200                            # row reasons listed on the page


@bp.url_value_preprocessor
def _room_for_a_whole_list(_endpoint, _values) -> None:
    """Before anything reads the form (the CSRF check does): a clinic's list is
    bigger than the 2 MB every other staff form is capped at."""
    request.max_content_length = MAX_UPLOAD


@bp.route("", methods=["GET", "POST"])
@roles_required(ADMIN, SERVICE_LEAD)
def upload():
    if request.method == "GET":
        return render_template("staff/invitations.html", report=None, error=None)
    upload = request.files.get("csv")
    dry_run = request.form.get("dry_run") == "yes"
    if upload is None or not upload.filename:
        return _problem("Choose a CSV file of appointments to upload.")
    text = io.TextIOWrapper(upload.stream, encoding="utf-8-sig", newline="")
    try:
        report = Importer(container()).run(text, dry_run=dry_run,
                                           only_services=service_scope())
    except UnicodeDecodeError:
        return _problem("The file is not UTF-8 text. Save it from your spreadsheet as "
                        "'CSV UTF-8' and upload it again.")
    except Rejected as error:              # a header we cannot read: nothing was imported
        return _problem(str(error))
    finally:
        text.detach()                      # the upload's stream is werkzeug's to close
    log.info("appointment list %s by %s: %d rows, %d scheduled",
             "checked" if dry_run else "imported", actor(), report.rows, report.scheduled)
    return render_template("staff/invitations.html", report=report, error=None,
                           shown=report.rejected[:SHOWN],
                           rejected=sum(report.reasons.values()))


def _problem(message: str):
    return render_template("staff/invitations.html", report=None, error=message), 400
