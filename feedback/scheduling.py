"""When an invitation may be sent: the day after the appointment at a set
local time, never in quiet hours. Times are worked out in UK local time
(Europe/London, so daylight saving is handled) and stored in UTC. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def parse_clock(value: str) -> dt.time:
    hours, minutes = value.strip().split(":")
    return dt.time(int(hours), int(minutes))


def parse_quiet_hours(value: str) -> tuple[dt.time, dt.time]:
    """'20:00-09:00' -> (20:00, 09:00); the window may wrap past midnight."""
    start, end = value.split("-")
    return parse_clock(start), parse_clock(end)


@dataclass(frozen=True)
class Schedule:
    delay_days: int = 1
    send_time: dt.time = dt.time(10, 0)
    quiet_start: dt.time = dt.time(20, 0)
    quiet_end: dt.time = dt.time(9, 0)
    reminder_after: dt.timedelta = dt.timedelta(hours=48)
    expire_after: dt.timedelta = dt.timedelta(days=7)

    def is_quiet(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(UK).time()
        if self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end

    def next_allowed(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself, or the end of the quiet hours it falls in (UTC)."""
        if not self.is_quiet(moment):
            return moment.astimezone(dt.UTC)
        local = moment.astimezone(UK)
        day = local.date()
        if local.time() >= self.quiet_end:           # evening: the quiet ends tomorrow
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, self.quiet_end, tzinfo=UK).astimezone(dt.UTC)

    def first_send(self, appointment: dt.datetime, now: dt.datetime) -> dt.datetime:
        """`delay_days` after the appointment at `send_time` local; if that has
        passed (yesterday's list imported late), as soon as allowed."""
        day = appointment.astimezone(UK).date() + dt.timedelta(days=self.delay_days)
        planned = dt.datetime.combine(day, self.send_time, tzinfo=UK).astimezone(dt.UTC)
        return self.next_allowed(max(planned, now))

    def reminder(self, sent_at: dt.datetime) -> dt.datetime:
        return self.next_allowed(sent_at + self.reminder_after)

    def expiry(self, sent_at: dt.datetime) -> dt.datetime:
        return sent_at + self.expire_after


def schedule_for(extra: dict[str, str], service_settings: dict | None = None,
                 ttl_days: float = 7.0) -> Schedule:
    """Settings from the environment (FEEDBACK_INVITE_*), overridden per service
    by the service's own settings (keys: delay_days, send_time, quiet_hours,
    reminder_hours, expiry_days)."""
    own = dict(service_settings or {})

    def pick(name: str, env: str, default: str) -> str:
        return str(own.get(name) or extra.get(env) or default)

    quiet_start, quiet_end = parse_quiet_hours(pick("quiet_hours", "FEEDBACK_QUIET_HOURS",
                                                    "20:00-09:00"))
    return Schedule(
        delay_days=int(pick("delay_days", "FEEDBACK_INVITE_DELAY_DAYS", "1")),
        send_time=parse_clock(pick("send_time", "FEEDBACK_INVITE_SEND_TIME", "10:00")),
        quiet_start=quiet_start, quiet_end=quiet_end,
        reminder_after=dt.timedelta(hours=float(pick("reminder_hours",
                                                     "FEEDBACK_REMINDER_HOURS", "48"))),
        expire_after=dt.timedelta(days=float(pick("expiry_days", "FEEDBACK_INVITE_EXPIRY_DAYS",
                                                  str(ttl_days)))))
