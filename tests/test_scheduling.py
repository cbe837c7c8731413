"""When invitations go: the next day at 10:00 UK time, never in quiet hours."""

from __future__ import annotations

import datetime as dt

from feedback.scheduling import UK, Schedule, schedule_for


def uk(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UK)


def test_the_day_after_at_ten_local_in_winter_and_in_summer():
    s = Schedule()
    now = uk(2026, 1, 1)
    assert s.first_send(uk(2026, 1, 12, 15, 30), now) == dt.datetime(2026, 1, 13, 10, tzinfo=dt.UTC)
    # British Summer Time: 10:00 in London is 09:00 UTC
    assert s.first_send(uk(2026, 6, 1, 9), now) == dt.datetime(2026, 6, 2, 9, tzinfo=dt.UTC)


def test_the_clocks_going_forward_overnight_still_gives_ten_local():
    s = Schedule()
    sent = s.first_send(uk(2026, 3, 28, 16), uk(2026, 3, 1))   # BST starts 29 March 01:00
    assert sent.astimezone(UK).hour == 10 and sent == dt.datetime(2026, 3, 29, 9, tzinfo=dt.UTC)


def test_a_list_imported_late_sends_now_if_allowed_else_after_the_quiet_hours():
    s = Schedule()
    afternoon = uk(2026, 2, 3, 15, 0)
    assert s.first_send(uk(2026, 2, 1, 9), afternoon) == afternoon.astimezone(dt.UTC)
    evening = uk(2026, 2, 3, 21, 30)
    assert s.first_send(uk(2026, 2, 1, 9), evening) == uk(2026, 2, 4, 9).astimezone(dt.UTC)
    small_hours = uk(2026, 2, 4, 3, 0)
    assert s.first_send(uk(2026, 2, 1, 9), small_hours) == uk(2026, 2, 4, 9).astimezone(dt.UTC)


def test_quiet_hours_are_configurable_and_per_service():
    s = schedule_for({"FEEDBACK_QUIET_HOURS": "21:00-08:00", "FEEDBACK_INVITE_SEND_TIME": "08:30"},
                     {"delay_days": 2})
    assert not s.is_quiet(uk(2026, 2, 3, 20, 30)) and s.is_quiet(uk(2026, 2, 3, 21, 0))
    assert s.first_send(uk(2026, 2, 1, 9), uk(2026, 1, 1)) == uk(2026, 2, 3, 8, 30).astimezone(
        dt.UTC)


def test_a_reminder_due_in_the_night_waits_for_the_morning():
    s = Schedule(reminder_after=dt.timedelta(hours=12))
    reminder = s.reminder(uk(2026, 2, 3, 10).astimezone(dt.UTC))
    assert reminder == uk(2026, 2, 4, 9).astimezone(dt.UTC)
