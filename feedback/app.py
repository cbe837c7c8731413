"""The Flask app factory: settings in, blueprints registered, nothing at import."""

from __future__ import annotations

import logging

from flask import Flask, jsonify

from feedback import config as config_module
from feedback.bootstrap import Container, build
from feedback.config import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Container | None = None) -> Flask:
    settings = settings or (services.settings if services else config_module.from_env())
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    app.config.update(SECRET_KEY=settings.secret_key, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    app.extensions["feedback"] = services or build(settings)
    if settings.in_process_worker and services is None:
        from feedback.background import start_in_process_worker

        start_in_process_worker(app.extensions["feedback"])
    if not settings.validate_twilio:
        log.warning("TWILIO SIGNATURE VALIDATION IS OFF: only for a local demo, never live")

    from sms_gateway.views import bp as sms_bp

    app.register_blueprint(sms_bp)
    from sms_gateway.voice import bp as voice_bp

    app.register_blueprint(voice_bp)
    from sms_gateway.status import bp as sms_status_bp

    app.register_blueprint(sms_status_bp)
    from bot.webchat.views import bp as webchat_bp

    app.register_blueprint(webchat_bp)
    from bot.webgroup.views import bp as webgroup_bp

    app.register_blueprint(webgroup_bp)
    from staff.reports.public import bp as reports_public_bp
    from staff.reports.views import bp as reports_bp

    app.register_blueprint(reports_bp)
    app.register_blueprint(reports_public_bp)
    if settings.extra.get("TELEGRAM_BOT_TOKEN"):
        from bot.telegram.views import bp as telegram_bp

        app.register_blueprint(telegram_bp)
    from staff import init_app as init_staff

    init_staff(app)
    if settings.simulator:
        from feedback.simulator import bp as simulator_bp

        app.register_blueprint(simulator_bp)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
