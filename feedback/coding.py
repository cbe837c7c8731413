"""Coding answers on arrival: the pure coder (flows.coding) fed from the
database's codebook, its result stored beside the answer in the same
transaction. An analyst's codes are never touched here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session as DbSession

from flows.coding.themes import code_answer
from storage import coding as store
from storage.models import Answer
from storage.types import utcnow


def auto_code(tx: DbSession, answer: Answer, language: str,
              now: dt.datetime | None = None, fresh: bool = False) -> None:
    """`fresh`: the answer row was created in this transaction, so it has no
    codes yet to replace (the caller knows; it saves two statements a turn)."""
    if answer.id is None:
        tx.flush()
    if answer.skipped or not (answer.text or "").strip():
        store.store_auto(tx, answer.id, (), "none", now or utcnow(), fresh=fresh)
        return
    result = code_answer(answer.text, language, store.codebook(tx), answer.outcome)
    store.store_auto(tx, answer.id, result.themes, result.sentiment, now or utcnow(),
                     fresh=fresh)
