"""SQLite's writers queue in the app (threads, then processes through a lock
file) instead of sleeping in SQLite's busy handler; the wait stays bounded."""

from __future__ import annotations

import fcntl
import os
import threading
import time

from sqlalchemy import text

from storage.db import Database, WriterQueue


def test_concurrent_transactions_take_turns_without_database_is_locked(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'turns.sqlite3'}")
    errors, spans = [], []

    def write(n: int) -> None:
        try:
            with db.transaction() as tx:
                began = time.monotonic()
                tx.execute(text("CREATE TABLE IF NOT EXISTS scratch (n INTEGER)"))
                tx.execute(text("INSERT INTO scratch VALUES (:n)"), {"n": n})
                time.sleep(0.02)
                spans.append((began, time.monotonic()))
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.dispose()
    assert errors == []
    spans.sort()
    assert all(later[0] >= earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))


def test_a_writer_held_elsewhere_is_waited_for_only_so_long(tmp_path):
    path = tmp_path / "db.sqlite3-writer"
    other = os.open(path, os.O_RDWR | os.O_CREAT)      # another process's open file
    fcntl.flock(other, fcntl.LOCK_EX)
    queue = WriterQueue(str(path), wait_seconds=0.1)
    began = time.monotonic()
    with queue.turn():                                   # gives up: SQLite decides then
        waited = time.monotonic() - began
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    queue.close()
    assert 0.1 <= waited < 1.0
