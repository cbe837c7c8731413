"""Benchmark 2: a 100,000-row appointment list validated and scheduled.

Prints rows/s, the time against the 20 s target, and the peak memory the
import added (it streams in chunks, so this stays flat as lists grow).
Runs on a throwaway SQLite file (and on PostgreSQL with --postgres).
Usage: python benchmarks/import_speed.py [--rows 100000] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.bootstrap import build  # noqa: E402
from feedback.config import Settings  # noqa: E402
from feedback.invite_import import Importer  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repositories import add_service  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"


def write_list(path: Path, rows: int) -> None:
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    with path.open("w") as f:
        f.write("phone,appointment,service,attendance,language,channel,needs\n")
        for i in range(rows):
            attendance = "did not attend" if i % 10 == 0 else "attended"
            channel = ("sms", "sms", "sms", "whatsapp", "voice")[i % 5]
            needs = "BSL" if i % 50 == 0 else ""
            service = ("clinic-a", "clinic-b", "clinic-c")[i % 3]
            f.write(f"+4479{i:08d},{yesterday} {9 + i % 8:02d}:{i % 60:02d},{service},"
                    f"{attendance},en,{channel},{needs}\n")


def run(url: str, csv_path: Path, tmp: Path) -> dict:
    upgrade(url)
    services = build(Settings(database_url=url, secret_key="bench-secret",
                              instance_path=tmp / "instance"))
    with services.db.transaction() as tx:
        for n, slug in enumerate(("clinic-a", "clinic-b", "clinic-c")):
            add_service(tx, slug=slug, name=slug.title(), sms_number=f"+44770090000{n}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    with csv_path.open(newline="") as f:
        report = Importer(services).run(f)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    services.db.dispose()
    return dict(rows=report.rows, scheduled=report.scheduled, seconds=seconds, cpu=cpu,
                peak_added_mb=(after - before) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        csv_path = tmp / "list.csv"
        write_list(csv_path, args.rows)
        targets = [("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
        database = f"bench_import_{int(time.time())}"
        if args.postgres:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                            f"CREATE DATABASE {database}", "postgres"], check=True)
            targets.append(("postgresql", PG + database))
        try:
            for name, url in targets:
                r = run(url, csv_path, tmp)
                print(f"import {name}: {r['rows']} rows, {r['scheduled']} scheduled in "
                      f"{r['seconds']:.1f} s (cpu {r['cpu']:.1f} s) = "
                      f"{r['rows'] / r['seconds']:,.0f} rows/s; "
                      f"time/target {r['seconds'] / 20:.2f} (target <= 1.00, 20 s); "
                      f"peak memory added {r['peak_added_mb']:.0f} MB")
        finally:
            if args.postgres:
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                                f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
                                "postgres"], check=False)


if __name__ == "__main__":
    main()
