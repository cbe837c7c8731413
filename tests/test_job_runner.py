"""The outbox runner's lease: a slow batch never starts a job whose lease
another runner could already hold, so no job runs twice."""

from __future__ import annotations

import datetime as dt

from feedback.jobs import JobRunner
from storage.models import OutboxItem


def test_a_slow_batch_hands_back_what_it_has_not_started_before_the_lease_runs_low(
        services, clock):
    ran: list[str] = []

    def slow_send(job) -> None:                 # each job takes two minutes of the lease
        ran.append(job.key)
        clock.advance(minutes=2)

    first = JobRunner(services, lease=dt.timedelta(minutes=5))
    second = JobRunner(services, lease=dt.timedelta(minutes=5))
    for runner in (first, second):
        runner.register("slow", slow_send)
    with services.db.transaction() as tx:
        tx.add_all(OutboxItem(kind="slow", key=f"job-{n}", next_attempt_at=clock())
                   for n in range(5))

    assert first.run_once(limit=5) == 3        # at 6 minutes in, the fourth is not started
    assert second.run_once(limit=5) == 2       # handed back at once, not after the lease
    assert sorted(ran) == [f"job-{n}" for n in range(5)]
    assert first.run_once(limit=5) == second.run_once(limit=5) == 0
