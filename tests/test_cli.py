"""The `feedback` command as an operator uses it, in fresh processes."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from storage.export import LOG_COLUMNS
from tests.support.phone import AUTH_TOKEN, replies_of

FEEDBACK = [sys.executable, "-m", "feedback.cli"]


def run(args: list[str], env: dict, stdin: str | None = None) -> str:
    result = subprocess.run(FEEDBACK + args, env=env, input=stdin, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def env(tmp_path, database_url) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    url = database_url if database_url.startswith("postgres") else \
        f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    return {**environ, "FEEDBACK_DATABASE_URL": url, "FEEDBACK_SECRET_KEY": "cli-test-secret",
            "FEEDBACK_INSTANCE_PATH": str(tmp_path / "instance"), "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "FEEDBACK_IN_PROCESS_WORKER": "0"}


def add_service(env: dict) -> None:
    out = run(["service", "add", "--slug", "cardiac", "--name", "Cardiac Rehabilitation",
               "--sms-number", "+447700900077", "--pals-phone", "0800 030 4550",
               "--pals-text", "07899 903499", "--pals-email", "pals@example.nhs.uk"], env)
    assert "cardiac" in out


def test_service_add_then_a_terminal_conversation_then_the_export(env, tmp_path):
    add_service(env)
    listing = run(["service", "list"], env)
    assert "Cardiac Rehabilitation" in listing and "+447700900077" in listing
    said = "Hi\nYes, it is close\nYes they listen\nNo\nGood, kind staff\nno\n"
    transcript = run(["simulate", "--service", "cardiac", "--number", "+447700900321"],
                     env, stdin=said)
    assert "0800 030 4550" in transcript and "Thank you for your feedback" in transcript
    out = tmp_path / "log.csv"
    assert "wrote 1 responses" in run(["export", "--format", "csv", "--out", str(out),
                                       "--service", "cardiac"], env)
    with out.open(encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert header[:11] == LOG_COLUMNS == [
        "Reference", "Date", "Stakeholder", "Number of people", "Type of engagement",
        "Soft intelligence", "1A", "1B", "1C", "1D", "Follow-up actions"]
    assert {"Language", "Channel", "Context", "Flow", "DNA reason"} <= set(header[11:])
    (row,) = rows
    values = dict(zip(header, row, strict=True))
    assert values["Stakeholder"] == "Cardiac Rehabilitation"
    assert values["Number of people"] == "1" and values["Type of engagement"] == "SMS"
    assert values["1A"] == "Yes, it is close" and values["1C"] == "No"
    assert values["Channel"] == "sms" and values["Context"] == "individual"
    assert "+447700900321" not in out.read_text()


def test_export_defuses_spreadsheet_formulas_in_patients_words(env, tmp_path):
    add_service(env)
    run(["simulate", "--service", "cardiac"], env, stdin="Hi\n=HYPERLINK(\"x\")\nSTOP\n")
    out = tmp_path / "log.csv"
    run(["export", "--format", "csv", "--out", str(out)], env)
    assert "'=HYPERLINK" in out.read_text()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_the_production_server_and_answers_a_signed_text(env):
    from twilio.request_validator import RequestValidator

    add_service(env)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "FEEDBACK_PUBLIC_URL": base}
    server = subprocess.Popen(FEEDBACK + ["serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as health:
                    assert health.read() == b'{"status":"ok"}\n'
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        form = {"From": "+447700900333", "To": "+447700900077", "Body": "Hi",
                "MessageSid": "SMserve0001", "NumMedia": "0"}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{base}/sms/inbound", form)
        request = urllib.request.Request(
            f"{base}/sms/inbound", data=urllib.parse.urlencode(form).encode(),
            headers={"X-Twilio-Signature": signature})
        with urllib.request.urlopen(request, timeout=10) as response:
            replies = replies_of(response.read().decode())
        assert "Cardiac Rehabilitation" in replies[0]
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "gunicorn" in output.lower() or "Booting worker" in output
    assert "+447700900333" not in output


def test_the_package_declares_the_feedback_console_script():
    text = Path(__file__).parents[1].joinpath("pyproject.toml").read_text()
    assert 'feedback = "feedback.cli:main"' in text
