"""Settings from the environment, read once by the app factory (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from feedback.delivery import settings as pals_settings

DEFAULT_INSTANCE = Path.cwd() / "instance"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    twilio_auth_token: str = ""
    public_url: str = ""                  # the base URL Twilio calls (behind a proxy)
    validate_twilio: bool = True          # off only for a local demo, loudly
    conversation_ttl_days: float = 7.0
    finished_cooldown_days: float = 30.0  # how long a finished conversation is remembered
    dedupe_days: float = 7.0              # provider retries are recognised this long (>= 2)
    reference_prefix: str = "EDS"
    simulator: bool = False
    in_process_worker: bool = False       # the embedded default: jobs run inside the web process
    instance_path: Path = DEFAULT_INSTANCE
    translator: str = "none"
    libretranslate_url: str = ""
    pals: pals_settings.PalsDelivery = field(default_factory=pals_settings.PalsDelivery)
    extra: dict[str, str] = field(default_factory=dict)

    def but(self, **changes) -> Settings:
        return replace(self, **changes)


def from_env(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    instance = Path(env.get("FEEDBACK_INSTANCE_PATH") or DEFAULT_INSTANCE)
    default_db = f"sqlite:///{instance / 'feedback.sqlite3'}"
    return Settings(
        database_url=env.get("FEEDBACK_DATABASE_URL") or default_db,
        secret_key=env.get("FEEDBACK_SECRET_KEY") or _instance_secret(instance),
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
        public_url=env.get("FEEDBACK_PUBLIC_URL", "").rstrip("/"),
        validate_twilio=_flag(env.get("FEEDBACK_TWILIO_VALIDATE"), True),
        conversation_ttl_days=float(env.get("FEEDBACK_CONVERSATION_TTL_DAYS") or 7),
        finished_cooldown_days=float(env.get("FEEDBACK_FINISHED_COOLDOWN_DAYS") or 30),
        reference_prefix=env.get("FEEDBACK_REFERENCE_PREFIX") or "EDS",
        simulator=_flag(env.get("FEEDBACK_SIMULATOR"), False),
        in_process_worker=_flag(env.get("FEEDBACK_IN_PROCESS_WORKER"),
                                not env.get("FEEDBACK_DATABASE_URL", "").startswith("postgres")),
        instance_path=instance,
        translator=env.get("FEEDBACK_TRANSLATOR") or "none",
        libretranslate_url=env.get("LIBRETRANSLATE_URL", ""),
        pals=pals_settings.from_env(env),
        extra={k: v for k, v in env.items()
               if k.startswith(("FEEDBACK_", "TWILIO_", "TELEGRAM_", "LIBRETRANSLATE_",
                                "GOOGLE_", "MICROSOFT_", "DEEPL_", "PALS_", "SMTP_"))},
    )


def _instance_secret(instance: Path) -> str:
    """A local install gets its own random secret, kept in the instance folder."""
    import secrets

    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
