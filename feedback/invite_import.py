"""Importing an appointment list: validate every row, then schedule the good
ones as invitations, in chunks, so 100,000 rows take seconds and bounded
memory. Each scheduled row gets an `Invitation` and its send job (an outbox
row keyed by the invitation's key) in the same transaction. A dry run does
every check and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import select

from feedback import appointments
from feedback.appointments import Appointment, Rejected
from feedback.scheduling import Schedule, schedule_for
from storage.db import among, bulk_insert
from storage.models import Invitation, OptOut, OutboxItem, Service

CHUNK = 2000
SEND_KIND = "invitation_send"
CAP_STATES = ("scheduled", "attempting", "sent", "reminding", "reminded", "closed")
OPT_OUT_CHANNELS = ("sms", "whatsapp", "voice")


@dataclass
class ImportReport:
    rows: int = 0
    scheduled: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    by_flow: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    dry_run: bool = False
    keep_reasons: int = 1000          # the first N reasons are kept for display
    reasons: Counter = field(default_factory=Counter)

    def reject(self, line: int, reason: str) -> None:
        if len(self.rejected) < self.keep_reasons:
            self.rejected.append((line, reason))
        self.reasons[reason.split(" '")[0]] += 1

    def summary(self) -> str:
        verb = "would schedule" if self.dry_run else "scheduled"
        rejected = sum(self.reasons.values())
        lines = [f"{self.rows} rows: {verb} {self.scheduled}, rejected {rejected}"]
        lines += [f"  {flow}: {n}" for flow, n in sorted(self.by_flow.items())]
        lines += [f"  by {ch}: {n}" for ch, n in sorted(self.by_channel.items())]
        lines += [f"  rejected ({reason}): {n}" for reason, n in self.reasons.most_common()]
        return "\n".join(lines)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Importer:
    def __init__(self, container, cap_days: float | None = None):
        self.c = container
        extra = container.settings.extra
        self.cap = dt.timedelta(days=float(cap_days if cap_days is not None else
                                           extra.get("FEEDBACK_FREQUENCY_CAP_DAYS") or 30))

    def run(self, lines: Iterable[str], dry_run: bool = False,
            progress: Callable[[int], None] | None = None,
            only_services: Collection[str] | None = None) -> ImportReport:
        """`only_services`: the slugs this person may invite for (a service lead's
        own); a row for any other service is rejected with its reason."""
        report = ImportReport(dry_run=dry_run)
        now = self.c.clock()
        with self.c.db.transaction() as tx:
            services = {s.slug: (s.id, schedule_for(self.c.settings.extra, s.settings,
                                                     self.c.settings.conversation_ttl_days))
                        for s in tx.scalars(select(Service))}
        languages = set(self.c.env.catalogue.languages) | {"en"}
        seen_rows: set[bytes] = set()
        seen_people: set[bytes] = set()
        for chunk in _chunks(appointments.rows(lines), CHUNK):
            report.rows += len(chunk)
            good = []
            for line, fields in chunk:
                try:
                    appointment = appointments.check(line, fields, set(services), languages,
                                                     now)
                except Rejected as error:
                    report.reject(line, str(error))
                    continue
                if only_services is not None and appointment.service not in only_services:
                    report.reject(line, f"not one of your services {appointment.service!r}")
                    continue
                good.append(appointment)
            self._schedule(good, services, now, seen_rows, seen_people, report, dry_run)
            if progress:
                progress(len(chunk))
        return report

    def _schedule(self, good: list[Appointment], services: dict[str, tuple[int, Schedule]],
                  now: dt.datetime, seen_rows: set[bytes], seen_people: set[bytes],
                  report: ImportReport, dry_run: bool) -> None:
        keys = self.c.keys
        planned, send_times = [], {}
        for a in good:
            row_key = keys.address_key("invitation", f"{a.service}|{a.number}|"
                                       f"{a.at.isoformat()}|{a.flow}")
            person = keys.address_key("person", a.number)
            service_id, schedule = services[a.service]
            day = (a.service, a.at.date())     # the send time depends only on the day
            if day not in send_times:
                send_times[day] = schedule.first_send(a.at, now)
            planned.append((a, row_key, person, service_id, send_times[day]))
        with self.c.db.transaction() as tx:
            imported = set(tx.scalars(select(Invitation.key).where(
                among(tx, Invitation.key, [p[1] for p in planned]))))
            recent = self._recent(tx, [p[2] for p in planned], now)
            channel_keys = {(ch, a.number): keys.address_key(ch, a.number)
                            for a in good for ch in OPT_OUT_CHANNELS}
            opted = self._opted_out(tx, channel_keys)
            invitations, jobs = [], []
            for a, row_key, person, service_id, send_at in planned:
                reason = self._reason(a, row_key, person, send_at, imported, recent, opted,
                                      seen_rows, seen_people)
                if reason:
                    report.reject(a.line, reason)
                    continue
                report.scheduled += 1
                report.by_flow[a.flow] += 1
                report.by_channel[a.channel] += 1
                if dry_run:
                    continue
                channel_key = channel_keys.get((a.channel, a.number))
                invitations.append(dict(
                    key=row_key, service_id=service_id, flow=a.flow, channel=a.channel,
                    language=a.language, person_key=person, conversation_key=channel_key,
                    address_encrypted=keys.encrypt(a.number), state="scheduled",
                    send_at=send_at, created_at=now))
                jobs.append(dict(kind=SEND_KIND, key=row_key, payload={"invitation": row_key},
                                 priority=5, attempts=0, next_attempt_at=send_at,
                                 created_at=now))
            bulk_insert(tx, Invitation.__table__, invitations)     # COPY or one executemany
            bulk_insert(tx, OutboxItem.__table__, jobs)

    def _reason(self, a, row_key, person, send_at, imported, recent, opted, seen_rows,
                seen_people) -> str | None:
        digest, who = bytes.fromhex(row_key)[:16], bytes.fromhex(person)[:16]
        if row_key in imported:
            return "duplicate: already imported"
        if digest in seen_rows:
            return "duplicate row in this list"
        seen_rows.add(digest)
        if a.number in opted:
            return "opted out (STOP)"
        if who in seen_people:
            return "duplicate: already invited from this list"
        if any(abs(send_at - earlier) < self.cap for earlier in recent.get(person, ())):
            return f"invited in the last {self.cap.days} days"
        seen_people.add(who)
        return None

    def _recent(self, tx, people: list[str], now: dt.datetime) -> dict[str, list]:
        found: dict[str, list] = {}
        if not people:
            return found
        # state is filtered here, not in SQL, so the planner keeps to the person index
        query = select(Invitation.person_key, Invitation.send_at, Invitation.state).where(
            among(tx, Invitation.person_key, set(people)), Invitation.send_at > now - self.cap)
        for person, send_at, state in tx.execute(query):
            if state in CAP_STATES:
                found.setdefault(person, []).append(send_at)
        return found

    def _opted_out(self, tx, channel_keys: dict[tuple[str, str], str]) -> set[str]:
        by_key = {key: number for (_, number), key in channel_keys.items()}
        if not by_key:
            return set()
        stopped = tx.scalars(select(OptOut.address_key).where(
            among(tx, OptOut.address_key, by_key)))
        return {by_key[k] for k in stopped}
