"""Scale-out on Redis: RQ fans outbox rows out to workers (each sent once, even
when a row is queued twice) and the rate per sender is shared by processes."""

from __future__ import annotations

import os
import secrets

import pytest

from tests.support.fake_twilio import FakeTwilio
from tests.support.invites import import_rows, invitations, wired

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("FEEDBACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (required when CI=true)")
    yield client
    client.close()


@pytest.fixture
def queue(redis_client):
    from rq import Queue

    q = Queue(f"test-{secrets.token_hex(4)}", connection=redis_client)
    yield q
    q.delete(delete_jobs=True)


def test_rq_workers_send_each_invitation_once(settings, clock, services, queue, redis_client):
    from rq import SimpleWorker

    from feedback import queue as fanout

    fake = FakeTwilio(settings.twilio_auth_token, clock).start()
    container = wired(settings, clock, fake)
    try:
        import_rows(container, *(f"07911 1231{i:02d},2026-03-09 14:30,demo,attended,en,sms,"
                                 for i in range(12)))
        fanout._process["container"] = container
        assert fanout.fan_out(container, queue) == 12
        assert fanout.fan_out(container, queue) == 0          # already queued: not twice
        item_id = queue.jobs[0].args[0]
        queue.enqueue(fanout.run_item, item_id)                # a stray duplicate
        SimpleWorker([queue], connection=redis_client).work(burst=True)
        assert len(fake.messages) == 12
        assert sorted(fake.sent_to().values()) == [1] * 12
        assert {i.state for i in invitations(container)} == {"sent"}
    finally:
        fanout._process.clear()
        fake.stop()
        container.db.dispose()


def test_the_rate_per_sender_is_shared_by_every_process(redis_client):
    from feedback.ratelimit import RedisRateLimiter

    prefix, now = f"test-rate-{secrets.token_hex(4)}", [1_900_000_000.25]
    one, two = (RedisRateLimiter(redis_client, 5, prefix=prefix, clock=lambda: now[0])
                for _ in range(2))
    granted = [limiter.acquire("+447700900001") == 0 for limiter in (one, two) * 5]
    assert granted == [True] * 5 + [False] * 5          # one budget for both processes
    assert one.acquire("+447700900001") == pytest.approx(0.75)
    assert two.acquire("+447700900002") == 0             # each sender has its own budget
    now[0] += 1
    assert one.acquire("+447700900001") == 0             # the next second has fresh tokens
