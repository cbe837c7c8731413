"""Serving the app on gunicorn, the production WSGI server, from the CLI."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    """Each worker builds its own app (and database pool) after forking."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from feedback.app import create_app
        from feedback.bootstrap import warm_up

        app = create_app()
        warm_up(app.extensions["feedback"].env)      # before this worker takes a request
        return app


def options(host: str, port: int, workers: int, threads: int) -> dict:
    """The production settings (benchmarks/bare_sms_app.py serves with these too)."""
    return {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
            "worker_class": "gthread", "accesslog": "-", "timeout": 60,
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'}


def serve(host: str, port: int, workers: int, threads: int) -> None:
    Server(options(host, port, workers, threads)).run()
