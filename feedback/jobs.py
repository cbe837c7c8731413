"""Background work from the outbox table: escalations, translations, invitations.

The outbox row is written in the same transaction as the thing that needs
it, so work is never lost. A runner claims due rows (urgent first), runs
their handler outside any transaction, then marks them done or schedules a
retry with exponential backoff. A claim is a lease: a runner killed
mid-job leaves the row to be claimed again when the lease runs out; a slow
batch hands back the jobs it has not started before their lease runs low.
Handlers must be idempotent (they get the row's key to pass on as an
idempotency key), because "at least once" is what a crash can promise.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError

from storage.models import OutboxItem

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=5)
# A claimed job is started only while this share of its lease remains, so a
# slow batch never runs a job whose lease another runner may already hold.
LEASE_MARGIN = 0.2
MAX_BACKOFF = dt.timedelta(hours=1)


class TemporaryFailure(Exception):
    """Try again later (provider down, quota, timeout)."""


class PermanentFailure(Exception):
    """Never retry (invalid number, unsubscribed...)."""


class Deferred(Exception):  # noqa: N818 - a signal, not an error
    """Not now (quiet hours, a sender's rate): run again at `until`, no attempt counted."""

    def __init__(self, until: dt.datetime):
        super().__init__(until.isoformat())
        self.until = until


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    key: str
    payload: dict
    attempts: int


Handler = Callable[[Job], object]
FINISHED = "finished"      # a handler's answer: "I marked the job done in my own transaction"


_FINISH = (update(OutboxItem)
           .where(OutboxItem.id == bindparam("job_id"), OutboxItem.delivered_at.is_(None))
           .values(delivered_at=bindparam("now"), last_error=None)
           .execution_options(synchronize_session=False))    # the row is not loaded here


def finish_in(tx, job: Job, now: dt.datetime) -> str:
    """Mark `job` done inside the handler's own last transaction, so its outcome
    and the outbox row commit together and the runner skips a transaction of
    its own. Returns FINISHED, which the handler returns to say so."""
    tx.execute(_FINISH, {"job_id": job.id, "now": now})
    return FINISHED


def backoff(attempts: int, base_seconds: float = 30.0) -> dt.timedelta:
    return min(dt.timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


class JobRunner:
    def __init__(self, container, handlers: dict[str, Handler] | None = None,
                 base_backoff_seconds: float = 30.0, max_attempts: int = 50,
                 lease: dt.timedelta = LEASE):
        self.container = container
        self.lease = lease
        self.handlers: dict[str, Handler] = dict(handlers or {})
        self.base_backoff_seconds = base_backoff_seconds
        self.max_attempts = max_attempts
        self.persistent: set[str] = set()    # kinds retried until accepted (escalations)

    def register(self, kind: str, handler: Handler, persistent: bool = False) -> None:
        self.handlers[kind] = handler
        if persistent:
            self.persistent.add(kind)

    def _claim(self, limit: int, kinds: tuple[str, ...] | None,
               ids: list[int] | None = None) -> list[Job]:
        now = self.container.clock()
        with self.container.db.transaction() as tx:
            query = (select(OutboxItem)
                     .where(OutboxItem.delivered_at.is_(None),
                            OutboxItem.next_attempt_at <= now,
                            OutboxItem.kind.in_(kinds or tuple(self.handlers)))
                     .order_by(OutboxItem.priority, OutboxItem.next_attempt_at, OutboxItem.id)
                     .limit(limit).with_for_update(skip_locked=True))
            if ids is not None:          # a queue (RQ) handed this runner particular rows
                query = query.where(OutboxItem.id.in_(ids))
            items = tx.scalars(query).all()
            for item in items:
                item.next_attempt_at = now + self.lease
            return [Job(i.id, i.kind, i.key, dict(i.payload), i.attempts) for i in items]

    def _finish(self, job: Job, error: Exception | None) -> None:
        now = self.container.clock()
        with self.container.db.transaction() as tx:
            item = tx.get(OutboxItem, job.id)
            if item is None or item.delivered_at is not None:
                return
            if error is None:
                item.delivered_at, item.last_error = now, None
                return
            item.attempts += 1
            item.last_error = f"{type(error).__name__}: {error}"[:500]
            exhausted = item.attempts >= self.max_attempts and item.kind not in self.persistent
            if isinstance(error, PermanentFailure) or exhausted:
                item.delivered_at = now        # done with it: it will never succeed
                item.last_error = "gave up: " + item.last_error[:480]
            else:
                item.next_attempt_at = now + backoff(item.attempts, self.base_backoff_seconds)

    def _release(self, jobs: list[Job]) -> None:
        """Hand back claimed jobs not yet started, because their lease is nearly
        over: started later, another runner could claim them too once it ends."""
        log.warning("job runner: lease nearly over, handing back %d jobs", len(jobs))
        now = self.container.clock()
        with self.container.db.transaction() as tx:
            for job in jobs:
                item = tx.get(OutboxItem, job.id)
                if item is not None and item.delivered_at is None:
                    item.next_attempt_at = now

    def _defer(self, job: Job, until: dt.datetime) -> None:
        with self.container.db.transaction() as tx:
            item = tx.get(OutboxItem, job.id)
            if item is not None and item.delivered_at is None:
                item.next_attempt_at = until

    def run_once(self, limit: int = 20, kinds: tuple[str, ...] | None = None,
                 ids: list[int] | None = None) -> int:
        """Run the due jobs (or the due ones among `ids`); returns how many were attempted."""
        claimed = self.container.clock()
        jobs = self._claim(limit, kinds, ids)
        for position, job in enumerate(jobs):
            if self.container.clock() - claimed > self.lease * (1 - LEASE_MARGIN):
                self._release(jobs[position:])
                return position
            try:
                outcome = self.handlers[job.kind](job)
            except Deferred as deferred:
                self._defer(job, deferred.until)
            except (TemporaryFailure, PermanentFailure) as error:
                log.warning("job %s %d failed: %s", job.kind, job.id, type(error).__name__)
                self._finish(job, error)
            except Exception as error:  # noqa: BLE001 - any other failure is retried, logged
                log.exception("job %s %d raised", job.kind, job.id)
                self._finish(job, TemporaryFailure(str(error)[:200]))
            else:
                if outcome != FINISHED:
                    self._finish(job, None)
        return len(jobs)

    def run_until_idle(self, max_rounds: int = 1000) -> int:
        total = 0
        for _ in range(max_rounds):
            done = self.run_once()
            total += done
            if not done:
                break
        return total

    def run_forever(self, stop: threading.Event, idle_seconds: float = 1.0) -> None:
        while not stop.is_set():
            try:
                if not self.run_once():
                    stop.wait(idle_seconds)
            except OperationalError:
                log.warning("job runner: database unavailable, waiting")
                stop.wait(idle_seconds * 5)


def pending(container, kinds: tuple[str, ...] | None = None) -> int:
    with container.db.transaction() as tx:
        query = select(OutboxItem.id).where(OutboxItem.delivered_at.is_(None))
        if kinds:
            query = query.where(OutboxItem.kind.in_(kinds))
        return len(tx.scalars(query).all())
