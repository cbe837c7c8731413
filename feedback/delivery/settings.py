"""Where escalations go: PALS_* settings, read once with the rest (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class PalsDelivery:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    smtp_timeout: float = 15.0
    email_from: str = ""
    email_to: str = ""                 # comma-separated; a service may override it
    webhook_url: str = ""
    webhook_secret: str = ""           # HMAC-SHA256 of the body, hex, in X-Feedback-Signature
    webhook_timeout: float = 15.0
    staff_url: str = ""                # base of the staff queue links (default: public URL)

    @property
    def email_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def webhook_configured(self) -> bool:
        return bool(self.webhook_url)


def from_env(env: dict[str, str]) -> PalsDelivery:
    return PalsDelivery(
        smtp_host=env.get("PALS_SMTP_HOST", ""),
        smtp_port=int(env.get("PALS_SMTP_PORT") or 587),
        smtp_user=env.get("PALS_SMTP_USER", ""),
        smtp_password=env.get("PALS_SMTP_PASSWORD", ""),
        smtp_starttls=_flag(env.get("PALS_SMTP_STARTTLS"), True),
        email_from=env.get("PALS_EMAIL_FROM", ""),
        email_to=env.get("PALS_EMAIL_TO", ""),
        webhook_url=env.get("PALS_WEBHOOK_URL", ""),
        webhook_secret=env.get("PALS_WEBHOOK_SECRET", ""),
        staff_url=env.get("PALS_STAFF_URL", "").rstrip("/"),
    )
