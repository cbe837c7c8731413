"""Scale-out: Redis (RQ) fans outbox work out to many `feedback worker` processes.

The outbox table stays the source of truth and the only place work is
claimed (FOR UPDATE SKIP LOCKED and a lease), so Redis holds no state that
matters: a lost or repeated RQ job just finds its row done, leased, or not
yet due. Each worker process runs a pump (due rows -> RQ jobs) and an RQ
SimpleWorker (jobs run in-process, so the container and its connection
pools are built once per process, not once per job).
"""

from __future__ import annotations

import logging
import threading

from rq import Queue, SimpleWorker
from rq.job import Job as RqJob
from sqlalchemy import select

from storage.models import OutboxItem

log = logging.getLogger(__name__)
QUEUE = "feedback-outbox"
_process: dict[str, object] = {}       # this process's container, built on the first job


def fan_out(container, queue: Queue, limit: int = 500) -> int:
    """Enqueue the due outbox rows not already queued; returns how many."""
    now = container.clock()
    with container.db.transaction() as tx:
        due = tx.execute(select(OutboxItem.id, OutboxItem.next_attempt_at).where(
            OutboxItem.delivered_at.is_(None), OutboxItem.next_attempt_at <= now,
            OutboxItem.kind.in_(tuple(container.jobs.handlers)))
            .order_by(OutboxItem.priority, OutboxItem.next_attempt_at).limit(limit)).all()
    queued = 0
    for item_id, due_at in due:
        job_id = f"{queue.name}-{item_id}-{int(due_at.timestamp() * 1000)}"
        if RqJob.exists(job_id, connection=queue.connection):
            continue
        queue.enqueue(run_item, item_id, job_id=job_id, result_ttl=60, failure_ttl=3600)
        queued += 1
    return queued


def run_item(item_id: int) -> int:
    """An RQ job: run one outbox row through this process's JobRunner."""
    container = _process.get("container")
    if container is None:
        from feedback.bootstrap import build
        from feedback.config import from_env

        container = _process["container"] = build(from_env())
    return container.jobs.run_once(limit=1, ids=[item_id])


def work(container, redis, stop: threading.Event, pump_every: float = 0.5) -> None:
    """`feedback worker` with Redis: a pump thread plus an RQ worker in this process."""
    _process["container"] = container
    queue = Queue(QUEUE, connection=redis)

    def pump() -> None:
        while not stop.is_set():
            try:
                fan_out(container, queue)
            except Exception:  # noqa: BLE001 - the pump must outlive a database blip
                log.exception("outbox pump: a round failed; carrying on")
            stop.wait(pump_every)

    threading.Thread(target=pump, name="outbox-pump", daemon=True).start()
    worker = SimpleWorker([queue], connection=redis)
    while not stop.is_set():
        worker.work(burst=True, logging_level="WARNING")
        stop.wait(0.2)
