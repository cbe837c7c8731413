"""Benchmark 1: signed inbound-SMS turns per second through `feedback serve`
(gunicorn, the production server) against a bare Flask webhook served with the
same gunicorn settings (benchmarks/bare_sms_app.py), in the same run, and
against the *floor*: that bare webhook plus only the five statements a
durable, exactly-once turn must run (see bare_sms_app.py), to show how much of
the bare rate any stateful conversation can keep on this machine.

32 patients (distinct numbers) each hold whole conversations: 19 turns from
"Hi" to the last monitoring answer, one turn after the other, every request
signed as Twilio signs it. The load comes from a separate process (threads,
keep-alive http.client connections). Closed loop: at 32 in flight, latency is
queueing plus service time. Prints, per database: turns/s, the bare rate,
their ratio (target >= 0.5) and p50/p99 latency (target p99 < 50 ms), then
the floor's rate and ratio.
A fresh SQLite file and a fresh PostgreSQL database, both removed afterwards.
Usage: python benchmarks/turn_throughput.py [--seconds 15] [--workers 2]
       [--threads 4] [--conversations 32] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "bench-auth-token"
SERVICE_NUMBER = "+447700900001"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
# The whole Domain 1 conversation, as tests/test_sms_conversation.py holds it.
SCRIPT = ["Hi", "Yes", "I got a same-day slot", "Mostly, though I waited weeks for results",
          "No", "5", "Lovely nurses", "yes", "3", "1", "1", "1", "3", "1", "2", "2", "6", "2",
          "Margate"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, tmp: Path) -> None:
    from feedback.bootstrap import build
    from feedback.config import Settings
    from storage.migrate import upgrade
    from storage.repositories import add_service

    upgrade(url)
    services = build(Settings(database_url=url, secret_key="bench-secret",
                              instance_path=tmp / "instance"))
    with services.db.transaction() as tx:
        add_service(tx, slug="demo", name="Demo Community Clinic", sms_number=SERVICE_NUMBER,
                    pals_phone="0800 000 0000", pals_text="07700 900002",
                    pals_email="pals@example.nhs.uk")
    services.db.dispose()


def start(command: list[str], env: dict, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=log.open("w"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the load generator (a process of its own) ------------------------------------
def _patient(port: int, base: str, index: int, until: float, results: list,
             run: str) -> None:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(TOKEN)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors, turns, conversation = [], 0, 0, 0
    while time.monotonic() < until:
        conversation += 1
        number = f"+4479{'01'[run == 'm']}{index:03d}{conversation:04d}"
        for step, text in enumerate(SCRIPT):
            if time.monotonic() >= until:
                break
            sid = f"SM{run}{index:04d}{conversation:06d}{step:04d}".ljust(34, "0")
            params = {"From": number, "To": SERVICE_NUMBER, "Body": text, "NumMedia": "0",
                      "MessageSid": sid}
            headers = {"X-Twilio-Signature": validator.compute_signature(
                base + "/sms/inbound", params),
                "Content-Type": "application/x-www-form-urlencoded"}
            began = time.perf_counter()
            connection.request("POST", "/sms/inbound", urlencode(params), headers)
            response = connection.getresponse()
            body = response.read()
            latencies.append(time.perf_counter() - began)
            turns += 1
            if response.status != 200 or (step == 0 and b"<Message>" not in body):
                errors += 1
    results.append((latencies, errors, turns))


def _drive(port: int, base: str, conversations: int, seconds: float, queue, run: str) -> None:
    results: list = []
    until = time.monotonic() + seconds
    began = time.monotonic()
    threads = [threading.Thread(target=_patient, args=(port, base, i, until, results, run))
               for i in range(conversations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies = sorted(x for r in results for x in r[0])
    queue.put(dict(turns=sum(r[2] for r in results), errors=sum(r[1] for r in results),
                   seconds=elapsed, latencies=latencies))


def drive(port: int, conversations: int, seconds: float, run: str) -> dict:
    """`run` tags the numbers and MessageSids, so a measurement never replays
    the warm-up's messages (a retry is answered from the inbound table, cheaply)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    base = f"http://127.0.0.1:{port}"
    process = context.Process(target=_drive, args=(port, base, conversations, seconds, queue, run))
    process.start()
    result = queue.get(timeout=seconds + 120)
    process.join()
    latencies = result["latencies"]
    result["rate"] = result["turns"] / result["seconds"]
    result["p50"] = latencies[len(latencies) // 2] * 1000 if latencies else 0.0
    result["p99"] = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0.0
    return result


def served(command: list[str], env: dict, port: int, log: Path, args) -> dict:
    """Start a server, warm every worker up, measure, stop it."""
    server = start(command, env, port, log)
    try:
        drive(port, args.conversations, 2.0, "w")                   # warm-up: numbers of
        result = drive(port, args.conversations, args.seconds, "m")  # its own, never reused
    finally:
        stop(server)
    if result["errors"]:
        print(f"{result['errors']} failed turns; the server said:\n"
              + "\n".join(log.read_text().splitlines()[-15:]))
    return result


def measure(name: str, url: str, args, tmp: Path) -> None:
    prepare(url, tmp)
    sizes = [str(args.workers), str(args.threads)]
    env = {**os.environ, "FEEDBACK_DATABASE_URL": url, "FEEDBACK_SECRET_KEY": "bench-secret",
           "TWILIO_AUTH_TOKEN": TOKEN, "FEEDBACK_INSTANCE_PATH": str(tmp / "instance")}

    def on(port: int) -> dict:
        return {**env, "FEEDBACK_PUBLIC_URL": f"http://127.0.0.1:{port}"}

    port = free_port()
    turns = served([sys.executable, "-m", "feedback.cli", "serve", "--host", "127.0.0.1",
                    "--port", str(port), "--no-migrate", "--workers", sizes[0],
                    "--threads", sizes[1]], on(port), port, tmp / "serve.log", args)
    bare_app = [sys.executable, str(ROOT / "benchmarks" / "bare_sms_app.py")]
    port = free_port()
    floor = served([*bare_app, str(port), *sizes, url], on(port), port, tmp / "floor.log",
                   args)
    port = free_port()
    flat = served([*bare_app, str(port), *sizes], on(port), port, tmp / "bare.log", args)
    print(f"turns {name}: {turns['rate']:.0f} turns/s ({turns['turns']} turns, "
          f"{turns['errors']} errors) vs bare {flat['rate']:.0f} req/s: ratio "
          f"{turns['rate'] / flat['rate']:.2f} (target >= 0.50); latency at "
          f"{args.conversations} conversations p50 {turns['p50']:.1f} ms, p99 "
          f"{turns['p99']:.1f} ms (target < 50); bare p50 {flat['p50']:.1f} ms, "
          f"p99 {flat['p99']:.1f} ms; gunicorn gthread --workers {args.workers} "
          f"--threads {args.threads}", flush=True)
    print(f"  floor {name} (bare + the five statements of a durable, exactly-once turn, "
          f"no engine): {floor['rate']:.0f} turns/s ({floor['errors']} errors), ratio "
          f"{floor['rate'] / flat['rate']:.2f}, p50 {floor['p50']:.1f} ms, p99 "
          f"{floor['p99']:.1f} ms; the product reaches {turns['rate'] / floor['rate']:.2f} "
          f"of the floor", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--conversations", type=int, default=32)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    from sqlalchemy import create_engine, text

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.only != "postgresql":
            measure("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", args, tmp)
        if args.only == "sqlite":
            return
        database = f"bench_turns_{os.getpid()}"
        admin = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {database}"))
        try:
            measure("postgresql", PG + database, args, tmp)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            admin.dispose()


if __name__ == "__main__":
    main()
