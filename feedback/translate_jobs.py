"""Background jobs that add an English translation beside patients' words."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from feedback.jobs import Job
from feedback.translation import MachineTranslator, cache_key
from storage.models import Answer, Escalation, OutboxItem, Response, TranslationCache

ANSWER = "translate_answer"
ESCALATION = "translate_escalation"


def enqueue(tx: DbSession, kind: str, row_id: int, text: str,
            now: dt.datetime | None = None) -> None:
    """One job per row and wording: a reply amended by its follow-up is queued anew.
    `now` is the service's clock, so the job is due when the worker's clock says so."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    key = f"{kind}:{row_id}:{digest}"
    exists = tx.scalar(select(OutboxItem.id).where(OutboxItem.kind == kind,
                                                   OutboxItem.key == key))
    if exists is None:
        item = OutboxItem(kind=kind, key=key, payload={"id": row_id}, priority=20)
        if now is not None:
            item.next_attempt_at = item.created_at = now
        tx.add(item)


def _source(tx: DbSession, kind: str, row_id: int) -> tuple[object, str, str] | None:
    if kind == ANSWER:
        answer = tx.get(Answer, row_id)
        if answer is None:
            return None
        return answer, answer.text, tx.get(Response, answer.response_id).language
    escalation = tx.get(Escalation, row_id)
    return (escalation, escalation.text, escalation.language) if escalation else None


def handler(container, translator: MachineTranslator):
    def run(job: Job) -> None:
        with container.db.transaction() as tx:
            found = _source(tx, job.kind, job.payload["id"])
            if found is None:
                return
            _, text, language = found
            if not text.strip() or language == "en":
                return
            key = cache_key(translator.name, language, text)
            cached = tx.get(TranslationCache, key)
            translation = cached.translation if cached else None
        if translation is None:
            translation = translator.translate(text, language)   # outside any transaction
        with container.db.transaction() as tx:
            row, current, _ = _source(tx, job.kind, job.payload["id"]) or (None, "", "")
            if tx.get(TranslationCache, key) is None:
                tx.add(TranslationCache(key=key, engine=translator.name,
                                        source_language=language, translation=translation))
            if row is not None and current == text:
                row.translation = translation
                if job.kind == ANSWER:
                    row.translation_engine = translator.name
    return run
