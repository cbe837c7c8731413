"""A sending rate per sender (Twilio queues, and carriers filter, above it).

`LocalRateLimiter` is a token bucket for one process (the embedded default).
`RedisRateLimiter` shares one budget between every worker process: a counter
per sender per second in Redis, so N workers together stay within the rate.
Both answer `acquire(sender)` with 0 (go) or the seconds to wait.
"""

from __future__ import annotations

import threading
import time


class LocalRateLimiter:
    def __init__(self, per_second: float, clock=time.monotonic):
        self.rate, self.clock = per_second, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, sender: str) -> float:
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(sender, (self.rate, now))
            tokens = min(self.rate, tokens + (now - at) * self.rate)
            if tokens >= 1:
                self._buckets[sender] = (tokens - 1, now)
                return 0.0
            self._buckets[sender] = (tokens, now)
            return (1 - tokens) / self.rate


class RedisRateLimiter:
    def __init__(self, redis, per_second: float, prefix: str = "feedback:rate",
                 clock=time.time):
        self.redis, self.rate, self.prefix = redis, int(max(per_second, 1)), prefix
        self.clock = clock

    def acquire(self, sender: str) -> float:
        now = self.clock()
        second = int(now)
        key = f"{self.prefix}:{sender}:{second}"
        pipe = self.redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, 5)
        count = pipe.execute()[0]
        if count <= self.rate:
            return 0.0
        return max(second + 1 - now, 0.001)


def wait_for(limiter, sender: str, longest: float = 2.0) -> bool:
    """Block until the sender may send; False if that would take over `longest` s."""
    deadline = time.monotonic() + longest
    while (delay := limiter.acquire(sender)) > 0:
        if time.monotonic() + delay > deadline:
            return False
        time.sleep(delay)
    return True
