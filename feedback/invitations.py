"""Sending invitations exactly once, reminding once, then forgetting the number.

Exactly-once, step by step (a crash can happen between any two):
1. Import wrote the `Invitation` (unique `key`) and its send job (outbox row,
   unique (kind, key)) in one transaction: re-imports and retries add nothing.
2. The send job, in one transaction, starts the conversation and marks the
   invitation `attempting` with the time and the exact body. Crash before
   that commit: nothing happened, the job runs again from the start.
3. It asks Twilio to send. Twilio's Messages API has no idempotency key, so:
4. If the job runs again and finds `attempting`, it first asks Twilio for a
   message to that number, from that sender, with that body, created since
   the attempt (`TwilioSender.find_sent`). Found: record its sid, do not
   send. Not found: Twilio never took it; send it now.
5. The sid is recorded and the invitation marked `sent` before the job is
   done. The outbox lease keeps two workers off one job meanwhile.
The reminder follows the same steps with its own state (`reminding`).
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

from sqlalchemy import bindparam, insert, select, update

from feedback.conversations import ACTIVE
from feedback.invite_import import OPT_OUT_CHANNELS, SEND_KIND
from feedback.jobs import Deferred, Job, PermanentFailure, finish_in
from feedback.ratelimit import wait_for
from feedback.scheduling import Schedule, schedule_for
from sms_gateway.outbound import UNSUBSCRIBED
from storage.models import Conversation, Invitation, OptOut, OutboxItem, Service

log = logging.getLogger(__name__)
REMIND_KIND, CLOSE_KIND = "invitation_remind", "invitation_close"
DELIVERY_ORDER = ["accepted", "queued", "sending", "sent", "delivered", "undelivered",
                  "failed", "read"]
# Built once: every send runs them (building and keying a statement costs
# about as much as running it).
_INVITATION = select(Invitation).where(Invitation.key == bindparam("key")).with_for_update()
_FOLLOW_UPS = select(OutboxItem.kind).where(OutboxItem.key == bindparam("key"),
                                            OutboxItem.kind.in_((REMIND_KIND, CLOSE_KIND)))
_OPTED_OUT = select(OptOut.address_key).where(
    OptOut.address_key.in_(bindparam("keys", expanding=True))).limit(1)
_SENT_SINCE = select(Invitation.id).where(
    Invitation.person_key == bindparam("person"), Invitation.id != bindparam("id"),
    Invitation.sent_at.is_not(None), Invitation.sent_at > bindparam("since")).limit(1)


class Dispatcher:
    def __init__(self, container, sender, limiter):
        self.c, self.sender, self.limiter = container, sender, limiter

    # -- helpers ---------------------------------------------------------------
    def _schedule(self, service: Service) -> Schedule:
        return schedule_for(self.c.settings.extra, service.settings,
                            self.c.settings.conversation_ttl_days)

    def _from(self, service: Service, channel: str) -> str:
        if channel == "whatsapp":
            return "whatsapp:" + (service.whatsapp_number or service.sms_number or "")
        return service.sms_number or ""

    def _to(self, number: str, channel: str) -> str:
        return "whatsapp:" + number if channel == "whatsapp" else number

    def _public(self, path: str) -> str:
        return f"{self.c.settings.public_url}{path}"

    def _text(self, service: Service, key: str, language: str, **params) -> str:
        values = dict(service=service.name, pals_phone=service.pals_phone,
                      pals_text=service.pals_text, pals_email=service.pals_email, **params)
        return self.c.env.catalogue.text(key, language, values)

    def _opted_out(self, tx, number: str) -> bool:
        keys = [self.c.keys.address_key(ch, number) for ch in OPT_OUT_CHANNELS]
        return tx.scalar(_OPTED_OUT, {"keys": keys}) is not None

    def _capped(self, tx, invitation: Invitation, now: dt.datetime) -> bool:
        days = float(self.c.settings.extra.get("FEEDBACK_FREQUENCY_CAP_DAYS") or 30)
        since = now - dt.timedelta(days=days)
        return tx.scalar(_SENT_SINCE, {"person": invitation.person_key, "id": invitation.id,
                                       "since": since}) is not None

    def _rate(self, sender: str, now: dt.datetime) -> None:
        if not wait_for(self.limiter, sender):
            raise Deferred(now + dt.timedelta(seconds=1))

    @staticmethod
    def scrub(invitation: Invitation, state: str, now: dt.datetime) -> None:
        """Forget the number: the row keeps only keyed hashes and outcomes."""
        invitation.address_encrypted = None
        invitation.conversation_key = None
        invitation.state, invitation.closed_at = state, now

    def _load(self, tx, key: str) -> Invitation | None:
        return tx.scalar(_INVITATION, {"key": key})

    # -- send --------------------------------------------------------------------
    def send(self, job: Job) -> str | None:
        key = job.payload["invitation"]
        with self.c.db.transaction() as tx:
            invitation = self._load(tx, key)
            if invitation is None or invitation.state not in ("scheduled", "attempting"):
                return                           # done already: the retry is a no-op
            service = tx.get(Service, invitation.service_id)
            number = self.c.keys.decrypt(invitation.address_encrypted)
            now = self.c.clock()
            recovering = invitation.state == "attempting"
            if not recovering and not self._prepare(tx, invitation, service, number, now):
                return
            plan = (invitation.channel, number, service, invitation.body,
                    invitation.attempted_at, invitation.flow, invitation.language)
        channel, number, service, body, attempted_at, flow, language = plan
        kind = "call" if channel == "voice" else "message"
        sender, to = self._from(service, channel), self._to(number, channel)
        sid = self.sender.find_sent(kind, to, sender, body, attempted_at) if recovering else None
        if sid is None:
            self._rate(sender, now)
            try:
                if kind == "call":
                    sid = self.sender.call(to, sender, self._voice_url(service, flow, language))
                else:
                    sid = self.sender.message(to, sender, body, self._public("/sms/status"))
            except PermanentFailure as failure:
                self._failed(key, number, channel, failure)
                return None
        return self._sent(job, sid)

    def _prepare(self, tx, invitation: Invitation, service: Service, number: str,
                 now: dt.datetime) -> bool:
        """Last checks, then the conversation and the `attempting` mark, in one commit."""
        schedule = self._schedule(service)
        if schedule.is_quiet(now):
            raise Deferred(schedule.next_allowed(now))
        if self._opted_out(tx, number):
            self.scrub(invitation, "skipped_opted_out", now)
            return False
        if self._capped(tx, invitation, now):
            self.scrub(invitation, "skipped_recently_invited", now)
            return False
        if invitation.channel in ("sms", "whatsapp"):
            replies = self.c.conversations.begin_in(tx, service, invitation.channel, number,
                                                    invitation.flow, invitation.language)
            invitation.body = "\n\n".join(r.plain() for r in replies)
        elif invitation.channel == "web_link":
            link = self._public(f"/chat/{service.slug}")
            invitation.body = self._text(service, "invitation.webchat", invitation.language,
                                         link=link)
        invitation.state, invitation.attempted_at = "attempting", now
        return True

    def _voice_url(self, service: Service, flow: str, language: str) -> str:
        query = urlencode({"service": service.slug, "flow": flow, "language": language,
                           "direction": "outbound"})
        return self._public(f"/voice/inbound?{query}")

    def _sent(self, job: Job, sid: str) -> str | None:
        """Record the sid, mark it `sent` with its follow-up jobs, and finish the
        send job, all in one commit."""
        key = job.payload["invitation"]
        with self.c.db.transaction() as tx:
            invitation = self._load(tx, key)
            if invitation.state != "attempting":
                return None
            service = tx.get(Service, invitation.service_id)
            now = self.c.clock()
            invitation.provider_sid, invitation.sent_at = sid, now
            schedule = self._schedule(service)
            if invitation.channel in ("sms", "whatsapp"):
                invitation.state = "sent"
                self._follow_up(tx, key, {REMIND_KIND: schedule.reminder(now),
                                          CLOSE_KIND: schedule.expiry(now)})
            else:                    # a link or a call: nothing more to send, so forget now
                self.scrub(invitation, "sent", now)
            return finish_in(tx, job, now)

    def _failed(self, key: str, number: str, channel: str, failure: PermanentFailure) -> None:
        code = getattr(failure, "code", 0)
        with self.c.db.transaction() as tx:
            invitation = self._load(tx, key)
            invitation.error_code = str(code)
            if code == UNSUBSCRIBED:            # the carrier's STOP is ours too
                tx.merge(OptOut(address_key=self.c.keys.address_key(
                    "whatsapp" if channel == "whatsapp" else "sms", number), channel=channel))
            self.scrub(invitation, "failed", self.c.clock())
        log.warning("invitation %s failed permanently: %s", key[:12], failure)

    def _follow_up(self, tx, key: str, due: dict[str, dt.datetime]) -> None:
        """The reminder and closing jobs for an invitation, each once: one query,
        one insert (Core: nothing here needs the rows back as objects)."""
        exists = set(tx.scalars(_FOLLOW_UPS, {"key": key}))
        jobs = [dict(kind=kind, key=key, payload={"invitation": key}, priority=6,
                     next_attempt_at=at) for kind, at in due.items() if kind not in exists]
        if jobs:
            tx.execute(insert(OutboxItem), jobs)

    # -- remind --------------------------------------------------------------------
    def remind(self, job: Job) -> str | None:
        key = job.payload["invitation"]
        with self.c.db.transaction() as tx:
            invitation = self._load(tx, key)
            if invitation is None or invitation.state not in ("sent", "reminding"):
                return
            service = tx.get(Service, invitation.service_id)
            number = self.c.keys.decrypt(invitation.address_encrypted)
            now = self.c.clock()
            recovering = invitation.state == "reminding"
            if not recovering:
                if not self._unanswered(tx, invitation) or self._opted_out(tx, number):
                    return
                schedule = self._schedule(service)
                if schedule.is_quiet(now):
                    raise Deferred(schedule.next_allowed(now))
                invitation.state, invitation.reminder_attempted_at = "reminding", now
            body = self._text(service, "invitation.reminder", invitation.language)
            attempted_at, channel = invitation.reminder_attempted_at, invitation.channel
        sender, to = self._from(service, channel), self._to(number, channel)
        sid = self.sender.find_sent("message", to, sender, body, attempted_at) \
            if recovering else None
        if sid is None:
            self._rate(sender, now)
            try:
                sid = self.sender.message(to, sender, body, self._public("/sms/status"))
            except PermanentFailure as failure:
                self._failed(key, number, channel, failure)
                return
        with self.c.db.transaction() as tx:
            invitation = self._load(tx, key)
            if invitation.state == "reminding":
                invitation.state, invitation.reminder_sid = "reminded", sid
            return finish_in(tx, job, self.c.clock())

    def _conversation(self, tx, invitation: Invitation) -> Conversation | None:
        return tx.scalar(
            select(Conversation).where(Conversation.address_key == invitation.conversation_key,
                                       Conversation.service_id == invitation.service_id)
            .order_by(Conversation.id.desc()).limit(1))

    def _unanswered(self, tx, invitation: Invitation) -> bool:
        """The conversation it began is still open and the patient has not replied."""
        conversation = self._conversation(tx, invitation)
        return (conversation is not None and conversation.state in ACTIVE
                and conversation.last_activity_at <= invitation.sent_at)

    def _answered(self, tx, invitation: Invitation) -> bool:
        conversation = self._conversation(tx, invitation)
        return (conversation is not None and invitation.sent_at is not None
                and conversation.last_activity_at > invitation.sent_at)

    # -- close ---------------------------------------------------------------------
    def close(self, job: Job) -> None:
        """The backstop: at expiry the number goes, whatever happened."""
        with self.c.db.transaction() as tx:
            invitation = self._load(tx, job.payload["invitation"])
            if invitation is None or invitation.address_encrypted is None:
                return
            if invitation.state == "failed":
                state = "failed"
            else:   # "closed": the patient replied; "expired": never a word back
                state = "closed" if self._answered(tx, invitation) else "expired"
            self.scrub(invitation, state, self.c.clock())

    def conversation_ended(self, tx, conversation: Conversation, ending: str) -> None:
        """ConversationService hook: the conversation is over, so forget the number."""
        tx.execute(update(Invitation).where(
            Invitation.conversation_key == conversation.address_key,
            Invitation.service_id == conversation.service_id,
            Invitation.state.in_(("sent", "reminded"))).values(
            address_encrypted=None, conversation_key=None, state="closed",
            closed_at=self.c.clock()))

    # -- delivery reports --------------------------------------------------------
    def record_status(self, sid: str, status: str, error_code: str = "") -> bool:
        """A Twilio status callback: delivery moves forward only (callbacks race)."""
        with self.c.db.transaction() as tx:
            invitation = tx.scalar(select(Invitation).where(
                (Invitation.provider_sid == sid) | (Invitation.reminder_sid == sid)))
            if invitation is None:
                return False
            current = invitation.delivery_status
            if current is None or _rank(status) >= _rank(current):
                invitation.delivery_status = status[:32]
            if error_code:
                invitation.error_code = error_code[:16]
            return True


def _rank(status: str) -> int:
    return DELIVERY_ORDER.index(status) if status in DELIVERY_ORDER else -1


def register(container, sender=None, limiter=None) -> Dispatcher:
    """Wire the invitation jobs, the conversation-ended hook and the sender."""
    dispatcher = Dispatcher(container, sender or default_sender(container.settings),
                            limiter or default_limiter(container.settings))
    container.jobs.register(SEND_KIND, dispatcher.send)
    container.jobs.register(REMIND_KIND, dispatcher.remind)
    container.jobs.register(CLOSE_KIND, dispatcher.close)
    container.conversations.on_end.append(dispatcher.conversation_ended)
    container.extras["invitations"] = dispatcher
    return dispatcher


def default_sender(settings):
    from sms_gateway.outbound import TwilioSender, twilio_client

    extra = settings.extra
    return TwilioSender(lambda: twilio_client(
        extra.get("TWILIO_ACCOUNT_SID", ""), settings.twilio_auth_token,
        extra.get("TWILIO_API_BASE", "")))


def default_limiter(settings):
    """The rate per sender, shared by every worker: through Redis when there is
    one, else through files in the instance folder (every process on this host)."""
    from feedback.ratelimit import HostRateLimiter, RedisRateLimiter

    rate = float(settings.extra.get("FEEDBACK_SEND_RATE") or 10)
    url = settings.extra.get("FEEDBACK_REDIS_URL", "")
    if url:
        import redis

        return RedisRateLimiter(redis.Redis.from_url(url), rate)
    return HostRateLimiter(settings.instance_path / "rate", rate)
