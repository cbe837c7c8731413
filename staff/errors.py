"""Staff pages' own error page (403, 404, an expired form), in the staff layout."""

from __future__ import annotations

from flask import Blueprint, render_template


def _page(error):
    return render_template("staff/error.html", error=error), error.code


def attach(bp: Blueprint) -> Blueprint:
    for code in (400, 403, 404):
        bp.register_error_handler(code, _page)
    return bp
