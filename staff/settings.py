"""The staff side's settings, read from the environment the app was built with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from feedback.config import Settings


@dataclass(frozen=True)
class StaffSettings:
    idle_minutes: float = 30
    max_failures: int = 5
    lockout_minutes: float = 15
    target_urgent_hours: float = 4        # PALS acknowledges an urgent disclosure within
    target_hours: float = 72              # ... and any other within (3 days)
    cookie_secure: bool = False

    @property
    def idle(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.idle_minutes)

    @property
    def lockout(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.lockout_minutes)

    def target(self, urgent: bool) -> dt.timedelta:
        return dt.timedelta(hours=self.target_urgent_hours if urgent else self.target_hours)


def staff_settings(settings: Settings) -> StaffSettings:
    """`FEEDBACK_SESSION_COOKIE_SECURE` wins; otherwise secure whenever served over https."""
    extra = settings.extra
    secure = extra.get("FEEDBACK_SESSION_COOKIE_SECURE", "")
    return StaffSettings(
        idle_minutes=float(extra.get("FEEDBACK_STAFF_IDLE_MINUTES") or 30),
        max_failures=int(extra.get("FEEDBACK_STAFF_MAX_FAILURES") or 5),
        lockout_minutes=float(extra.get("FEEDBACK_STAFF_LOCKOUT_MINUTES") or 15),
        target_urgent_hours=float(extra.get("PALS_TARGET_URGENT_HOURS") or 4),
        target_hours=float(extra.get("PALS_TARGET_HOURS") or 72),
        cookie_secure=(secure.strip().lower() in {"1", "true", "yes", "on"} if secure
                       else settings.public_url.startswith("https://")))
