"""A sending rate per sender (Twilio queues, and carriers filter, above it).

`HostRateLimiter` is a token bucket kept in a small file under the instance
folder, so every worker process on the machine shares it (the embedded
default: SQLite, no Redis, and perhaps a `feedback worker` or two beside the
web process). `RedisRateLimiter`
shares one budget between every worker process on every host: a counter per
sender per second in Redis, so N workers together stay within the rate.
All answer `acquire(sender)` with 0 (go) or the seconds to wait.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
import threading
import time
from pathlib import Path


def _take(rate: float, tokens: float, at: float, now: float) -> tuple[float, float]:
    """A token bucket of `rate` tokens refilled at `rate` a second: the tokens
    left after asking for one at `now`, and the wait (0 when one was granted)."""
    tokens = min(rate, tokens + max(now - at, 0.0) * rate)
    if tokens >= 1:
        return tokens - 1, 0.0
    return tokens, (1 - tokens) / rate


class HostRateLimiter:
    """A token bucket in a file per sender (16 bytes: tokens and the
    time they were counted), read and rewritten under an exclusive lock, so
    every process on this machine draws on one budget per sender. Without it
    each worker process had the whole rate to itself, and two workers sent at
    twice the configured rate."""

    _STATE = struct.Struct("dd")

    def __init__(self, directory: Path, per_second: float, clock=time.monotonic):
        self.directory, self.rate, self.clock = Path(directory), per_second, clock
        self._files: dict[str, int] = {}
        self._pid = os.getpid()
        self._lock = threading.Lock()      # the file lock is per process, not per thread

    def acquire(self, sender: str) -> float:
        with self._lock:
            fd = self._file(sender)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                now = self.clock()
                data = os.pread(fd, self._STATE.size, 0)
                tokens, at = (self._STATE.unpack(data) if len(data) == self._STATE.size
                              else (self.rate, now))
                tokens, wait = _take(self.rate, tokens, at, now)
                os.pwrite(fd, self._STATE.pack(tokens, now), 0)
                return wait
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _file(self, sender: str) -> int:
        if self._pid != os.getpid():       # a forked child opens its own files
            self._files, self._pid = {}, os.getpid()
        fd = self._files.get(sender)
        if fd is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = hashlib.sha256(sender.encode()).hexdigest()[:16]
            fd = os.open(self.directory / f"rate-{name}", os.O_RDWR | os.O_CREAT, 0o600)
            self._files[sender] = fd
        return fd


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
