"""A crash delays PALS delivery but never loses or doubles it: processes are
really killed (SIGKILL) between the commit and the delivery."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback.bootstrap import build
from storage.models import OutboxItem
from tests.support import pals_fixtures
from tests.support.dialogue import audit_trail, escalations, reach_the_harm_question

clock, settings, services, smtp = (pals_fixtures.clock, pals_fixtures.settings,
                                   pals_fixtures.services, pals_fixtures.smtp)
ROOT = Path(__file__).parent.parent
FEEDBACK = [sys.executable, "-m", "feedback.cli"]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


@pytest.fixture
def pals(smtp):
    return smtp.settings()


@pytest.fixture
def environ(settings, smtp, tmp_path) -> dict:
    """A worker process configured as an operator would: by environment only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACK_", "PALS_"))}
    return {**env, "FEEDBACK_DATABASE_URL": settings.database_url,
            "FEEDBACK_SECRET_KEY": settings.secret_key,
            "FEEDBACK_INSTANCE_PATH": str(tmp_path / "instance"),
            "FEEDBACK_IN_PROCESS_WORKER": "0", "PYTHONUNBUFFERED": "1",
            "PALS_SMTP_HOST": "127.0.0.1", "PALS_SMTP_PORT": str(smtp.port),
            "PALS_SMTP_STARTTLS": "0", "PALS_EMAIL_FROM": "feedback@example.nhs.uk",
            "PALS_EMAIL_TO": "pals-safeguarding@example.nhs.uk"}


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            pipe.close()


def test_a_worker_killed_in_the_middle_of_sending_is_replaced_and_pals_gets_one_email(
        phone, services, smtp, environ, settings, clock):
    smtp.start()
    smtp.hold()                                   # the mail server will stall the first send
    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    (escalation,) = escalations(services)

    worker = subprocess.Popen([*FEEDBACK, "worker"], env=environ, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert smtp.data_arrived.wait(30), "the worker never started sending"
    finally:
        kill(worker)
    smtp.release()                                # too late: that sender is dead (451)
    assert smtp.messages == []
    assert "delivered" not in [a for a, _ in audit_trail(services, escalation.id)]

    restarted = build(settings, clock=clock)      # a new worker, after a restart
    try:
        assert restarted.jobs.run_until_idle() == 0       # the dead worker's lease still holds
        clock.advance(minutes=6)
        assert restarted.jobs.run_until_idle() == 1
        clock.advance(hours=2)
        assert restarted.jobs.run_until_idle() == 0
    finally:
        restarted.db.dispose()
    (mail,) = smtp.messages
    assert mail["X-Feedback-Reference"] == escalation.reference
    (escalation,) = escalations(services)
    assert escalation.delivered_at is not None


def test_a_web_process_killed_after_the_commit_leaves_the_escalation_to_the_next_worker(
        services, smtp, environ):
    smtp.start()
    simulate = subprocess.Popen([*FEEDBACK, "simulate", "--service", "demo"], env=environ,
                                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in simulate.stdout],
                              daemon=True)
    reader.start()

    def say(text: str, until: str) -> None:
        simulate.stdin.write(text + "\n")
        simulate.stdin.flush()
        while until not in lines.get(timeout=30):
            pass

    try:
        say("Hi", "access to the service")
        say("Easy to book, I got a slot the same day", "health needs")
        say("Yes, my needs were met well", "harm")
        say("Yes", "a little more")
        say("The nurse grabbed my arm hard", "Would you like PALS to contact you")
    finally:
        os.kill(simulate.pid, signal.SIGKILL)     # committed, never delivered: no worker ran
        reader.join(timeout=10)
        kill(simulate)

    (escalation,) = escalations(services)
    assert escalation.outcome == "1C" and escalation.delivered_at is None
    with services.db.transaction() as tx:
        (item,) = tx.scalars(select(OutboxItem).where(OutboxItem.kind == "escalation_email"))
        assert item.delivered_at is None and item.attempts == 0
    assert smtp.messages == []

    for _ in range(2):                            # restarted twice: still one e-mail
        done = subprocess.run([*FEEDBACK, "worker", "--once"], env=environ, cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "ran 0 jobs"
    (mail,) = smtp.messages
    assert mail["X-Feedback-Reference"] == escalation.reference
    assert "The nurse grabbed my arm hard" in mail.get_content()
