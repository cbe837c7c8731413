"""The embedded default's worker: a daemon thread in the web process that
runs due jobs and closes idle conversations. At scale, run `feedback worker`
processes instead (FEEDBACK_IN_PROCESS_WORKER=0)."""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)
EXPIRE_EVERY_SECONDS = 600


def _loop(container, stop: threading.Event) -> None:
    last_expiry = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() - last_expiry > EXPIRE_EVERY_SECONDS:
                container.conversations.expire_idle()
                last_expiry = time.monotonic()
            if not container.jobs.run_once():
                stop.wait(1.0)
        except Exception:  # noqa: BLE001 - the thread must outlive any one failure
            log.exception("in-process worker: a round failed; carrying on")
            stop.wait(5.0)


def start_in_process_worker(container) -> threading.Event:
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(container, stop), name="feedback-worker",
                              daemon=True)
    thread.start()
    container.extras["worker_stop"] = stop
    return stop
