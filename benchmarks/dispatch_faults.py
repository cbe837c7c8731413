"""Benchmark 3: 10,000 invitations through a fake Twilio, the worker SIGKILLed
twice mid-run. Prints sent, duplicates (must be 0), missing (must be 0) and
the rate achieved against the configured rate per sender.

A throwaway SQLite file (the embedded default) and `feedback worker`
subprocesses (--workers of them, sharing the outbox through its leases; one
is SIGKILLed each time); the fake Twilio listens on 127.0.0.1 in this process.
Usage: python benchmarks/dispatch_faults.py [--count 10000] [--rate 100] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.bootstrap import build  # noqa: E402
from feedback.config import Settings  # noqa: E402
from feedback.invite_import import Importer  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repositories import add_service  # noqa: E402
from tests.support.fake_twilio import ACCOUNT_SID, FakeTwilio  # noqa: E402

TOKEN = "bench-auth-token"


def prepare(url: str, count: int, tmp: Path, extra: dict) -> None:
    upgrade(url)
    services = build(Settings(database_url=url, secret_key="bench-secret",
                              instance_path=tmp / "instance", extra=extra))
    with services.db.transaction() as tx:
        add_service(tx, slug="clinic", name="Clinic", sms_number="+447700900001")
    # Two days ago: its invitation (the next day at 10:00) is due whatever the
    # hour this runs at (yesterday's would not be before 10:00 today).
    earlier = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    rows = ["phone,appointment,service,attendance,language,channel\n"] + [
        f"+4479{i:08d},{earlier} 10:00,clinic,attended,en,sms\n" for i in range(count)]
    report = Importer(services).run(rows)
    assert report.scheduled == count, report.summary()
    services.db.dispose()


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "feedback.cli", "worker"], env=env,
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100.0, help="configured sends/s")
    parser.add_argument("--workers", type=int, default=2, help="`feedback worker` processes")
    parser.add_argument("--limit", type=float, default=170.0, help="seconds before giving up")
    args = parser.parse_args()
    fake = FakeTwilio(TOKEN).start()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        extra = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_API_BASE": fake.url,
                 "FEEDBACK_SEND_RATE": str(args.rate), "FEEDBACK_JOB_LEASE_SECONDS": "5",
                 "FEEDBACK_QUIET_HOURS": "00:00-00:00"}     # no quiet hours: run any time
        prepare(url, args.count, tmp, extra)
        env = {**os.environ, **extra, "FEEDBACK_DATABASE_URL": url,
               "FEEDBACK_SECRET_KEY": "bench-secret", "TWILIO_AUTH_TOKEN": TOKEN,
               "FEEDBACK_PUBLIC_URL": "http://127.0.0.1:9", "FEEDBACK_INSTANCE_PATH": tmp_name}
        start = time.monotonic()
        workers, kills = [start_worker(env) for _ in range(args.workers)], 0
        try:
            while len(fake.messages) < args.count and time.monotonic() - start < args.limit:
                time.sleep(0.2)
                share = (kills + 1) / 3          # a third of the way, by count or by time
                if kills < 2 and (len(fake.messages) >= args.count * share
                                  or time.monotonic() - start >= args.limit * 0.8 * share):
                    workers[0].send_signal(signal.SIGKILL)
                    workers[0].wait()
                    kills += 1
                    workers[0] = start_worker(env)
            time.sleep(1.0)                  # anything still in flight lands
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
        seconds = time.monotonic() - start
        per_number = fake.sent_to()
        sent = sum(per_number.values())
        wanted = {f"+4479{i:08d}" for i in range(args.count)}
        duplicates = sum(n - 1 for n in per_number.values() if n > 1)
        missing = len(wanted - set(per_number))
        print(f"dispatch: {args.count} invitations, {args.workers} workers, one SIGKILLed "
              f"{kills} times: "
              f"sent {sent}, duplicates {duplicates} (must be 0), missing {missing} "
              f"(must be 0) in {seconds:.1f} s = {sent / seconds:.0f}/s; "
              f"achieved/configured rate {sent / seconds / args.rate:.2f}")
    fake.stop()


if __name__ == "__main__":
    main()
