"""Without Redis, every worker process on the machine draws on one sending
budget per sender (a file in the instance folder), so two `feedback worker`
processes together stay within FEEDBACK_SEND_RATE."""

from __future__ import annotations

import pytest

from feedback.ratelimit import HostRateLimiter


def test_the_rate_per_sender_is_shared_by_every_process_on_the_host(tmp_path):
    now = [1000.0]
    one, two = (HostRateLimiter(tmp_path / "rate", 5, clock=lambda: now[0])
                for _ in range(2))           # two processes: two files opened, one budget
    granted = [limiter.acquire("+447700900001") == 0 for limiter in (one, two) * 5]
    assert granted == [True] * 5 + [False] * 5
    assert one.acquire("+447700900001") == pytest.approx(0.2)
    assert two.acquire("+447700900002") == 0             # each sender has its own budget
    now[0] += 0.5
    assert sum(limiter.acquire("+447700900001") == 0 for limiter in (one, two) * 3) == 2


def test_a_clock_that_went_back_grants_nothing_extra(tmp_path):
    now = [1000.0]
    limiter = HostRateLimiter(tmp_path, 2, clock=lambda: now[0])
    assert [limiter.acquire("s") == 0 for _ in range(3)] == [True, True, False]
    now[0] = 10.0                                         # e.g. after a reboot
    assert limiter.acquire("s") > 0
