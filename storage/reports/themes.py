"""Themes per outcome, from the staff app's coding (`AnswerCode`, labels from
`CodingTheme`). Counts below the disclosure threshold are shown by callers as
"fewer than N", never exactly."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session as DbSession

from storage import models
from storage.models import Answer, Response


def installed() -> bool:
    return hasattr(models, "AnswerCode") and hasattr(models, "CodingTheme")


def theme_counts(tx: DbSession, service_id: int, outcome: str) -> list[tuple[str, int]]:
    """(theme label, number of answers given it, by machine or analyst), most first."""
    if not installed():
        return []
    code, theme = models.AnswerCode, models.CodingTheme
    label = func.coalesce(theme.label, code.theme)
    rows = tx.execute(
        select(label, func.count(distinct(code.answer_id))).select_from(code)
        .join(Answer, code.answer_id == Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .outerjoin(theme, theme.slug == code.theme)
        .where(Response.service_id == service_id, Answer.outcome == outcome)
        .group_by(label).order_by(func.count(distinct(code.answer_id)).desc(), label))
    return [(str(n), int(c)) for n, c in rows]
