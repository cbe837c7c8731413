"""The codebook and answers' codes in the database.

Automatic codes and an analyst's codes are separate rows (`source`), so a
recode never loses what the machine said (needed to measure agreement) and
automatic coding never overwrites an analyst.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from flows.coding.codebook import Codebook, Theme, default_theme_dicts, with_themes
from storage.models import AnswerCode, AnswerCoding, CodingTheme

log = logging.getLogger(__name__)
AUTO, ANALYST = "auto", "analyst"


@dataclass(frozen=True)
class AnswerCodes:
    themes: tuple[str, ...]
    sentiment: str
    hand_coded: bool
    auto_themes: tuple[str, ...] = ()
    auto_sentiment: str = "none"


def ensure_codebook(tx: DbSession) -> None:
    """An empty codebook is seeded from the shipped default, once. Two first
    answers on a new database may both find it empty: the seed runs in a
    savepoint, so the one that loses the race (unique slug) keeps the winner's
    seed and carries on with its own turn instead of failing it."""
    if tx.scalar(select(func.count()).select_from(CodingTheme)):
        return
    try:
        with tx.begin_nested():
            for position, data in enumerate(default_theme_dicts()):
                tx.add(CodingTheme(
                    slug=data["slug"], label=data.get("label") or data["slug"],
                    keywords={k: list(v or []) for k, v in data["keywords"].items()},
                    excluded=list(data.get("except") or []), active=True,
                    position=position))
    except IntegrityError:
        log.info("the default codebook was seeded by a concurrent transaction")


def themes(tx: DbSession, active_only: bool = False) -> list[CodingTheme]:
    ensure_codebook(tx)
    query = select(CodingTheme).order_by(CodingTheme.position, CodingTheme.id)
    if active_only:
        query = query.where(CodingTheme.active.is_(True))
    return list(tx.scalars(query))


_ACTIVE_THEMES = (select(CodingTheme.slug, CodingTheme.label, CodingTheme.keywords,
                         CodingTheme.excluded)
                  .where(CodingTheme.active.is_(True))
                  .order_by(CodingTheme.position, CodingTheme.id))
_built: tuple[list, Codebook] | None = None     # the last rows read and the codebook built


def codebook(tx: DbSession) -> Codebook:
    """The active themes as they stand now, as the coder wants them.

    Every answer is coded on arrival, and building the codebook (ORM objects,
    then Themes, then their keyword patterns) cost more than coding the answer.
    So one plain query reads the active themes' columns, and the codebook built
    from them is reused for as long as they read the same: an analyst's edit,
    made in any process, changes them, and the next answer sees it."""
    global _built
    rows = [tuple(r) for r in tx.execute(_ACTIVE_THEMES)]
    if not rows:
        ensure_codebook(tx)                  # a new database: seed the default, once
        rows = [tuple(r) for r in tx.execute(_ACTIVE_THEMES)]
    built = _built
    if built is not None and built[0] == rows:
        return built[1]
    book = with_themes([Theme(slug=slug, label=label,
                              keywords={k: tuple(v) for k, v in keywords.items()},
                              excluded=tuple(excluded))
                        for slug, label, keywords, excluded in rows])
    _built = (rows, book)
    return book


def labels(tx: DbSession) -> dict[str, str]:
    return {t.slug: t.label for t in themes(tx)}


def save_theme(tx: DbSession, slug: str, label: str, keywords: dict[str, list[str]],
               active: bool = True) -> CodingTheme:
    theme = tx.scalar(select(CodingTheme).where(CodingTheme.slug == slug))
    if theme is None:
        position = tx.scalar(select(func.max(CodingTheme.position))) or 0
        theme = CodingTheme(slug=slug, excluded=[], position=position + 1)
        tx.add(theme)
    theme.label, theme.keywords, theme.active = label, keywords, active
    tx.flush()
    return theme


def store_auto(tx: DbSession, answer_id: int, found: tuple[str, ...], sentiment: str,
               now: dt.datetime, fresh: bool = False) -> None:
    """Replace the machine's codes for this answer; an analyst's stay as they are.
    An answer created in this same transaction (`fresh`) has nothing to replace,
    so its rows are simply inserted (plain INSERTs: nothing needs them as objects)."""
    if not fresh:
        tx.execute(delete(AnswerCode).where(AnswerCode.answer_id == answer_id,
                                            AnswerCode.source == AUTO))
    if found:                    # one executemany, not an INSERT ... RETURNING per theme
        tx.execute(insert(AnswerCode), [dict(answer_id=answer_id, theme=theme, source=AUTO,
                                             coder="system", coded_at=now) for theme in found])
    if fresh:
        tx.execute(insert(AnswerCoding), dict(answer_id=answer_id, auto_sentiment=sentiment))
        return
    coding = tx.get(AnswerCoding, answer_id) or AnswerCoding(answer_id=answer_id)
    coding.auto_sentiment = sentiment
    tx.add(coding)


def recode(tx: DbSession, answer_id: int, chosen: list[str], sentiment: str, coder: str,
           now: dt.datetime) -> None:
    """An analyst's codes: they win from now on, whatever later automatic runs say."""
    tx.execute(delete(AnswerCode).where(AnswerCode.answer_id == answer_id,
                                        AnswerCode.source == ANALYST))
    for theme in dict.fromkeys(chosen):
        tx.add(AnswerCode(answer_id=answer_id, theme=theme, source=ANALYST, coder=coder,
                          coded_at=now))
    coding = tx.get(AnswerCoding, answer_id) or AnswerCoding(answer_id=answer_id,
                                                             auto_sentiment="none")
    coding.sentiment, coding.coder, coding.coded_at = sentiment, coder, now
    tx.add(coding)


def codes_for(tx: DbSession, answer_ids: list[int]) -> dict[int, AnswerCodes]:
    if not answer_ids:
        return {}
    rows = tx.execute(select(AnswerCode.answer_id, AnswerCode.theme, AnswerCode.source)
                      .where(AnswerCode.answer_id.in_(answer_ids))
                      .order_by(AnswerCode.id)).all()
    codings = {c.answer_id: c for c in tx.scalars(
        select(AnswerCoding).where(AnswerCoding.answer_id.in_(answer_ids)))}
    result = {}
    for answer_id in answer_ids:
        coding = codings.get(answer_id)
        auto = tuple(t for a, t, s in rows if a == answer_id and s == AUTO)
        hand = tuple(t for a, t, s in rows if a == answer_id and s == ANALYST)
        hand_coded = bool(coding and coding.coder)
        auto_sentiment = coding.auto_sentiment if coding else "none"
        result[answer_id] = AnswerCodes(
            themes=hand if hand_coded else auto,
            sentiment=(coding.sentiment or "none") if hand_coded else auto_sentiment,
            hand_coded=hand_coded, auto_themes=auto, auto_sentiment=auto_sentiment)
    return result


def hand_coded_ids(tx: DbSession) -> list[int]:
    return list(tx.scalars(select(AnswerCoding.answer_id)
                           .where(AnswerCoding.coder.is_not(None))
                           .order_by(AnswerCoding.answer_id)))
