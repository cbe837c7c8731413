"""The conversation service: one inbound message in, the replies out.

Order of work, all in one transaction: drop a provider's retry (same
provider id: same reply), honour opt-outs, find the conversation by keyed
hash, run the pure engine, record its events. A briefly locked database is
retried; if it stays unavailable the patient is asked to send again.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session as DbSession

from feedback.config import Settings
from feedback.crypto import Keys, new_reference
from feedback.engagement import engagement_type
from feedback.foreign import identify_unsupported, with_machine_translation
from feedback.messaging import INDIVIDUAL, Inbound, Reply, Turn
from feedback.recording import ENDINGS, Recorder
from flows import engine
from flows.environment import Environment
from flows.inputs import MessageIn, TimedOut
from flows.session import Session
from flows.words import command
from storage.db import Database
from storage.models import Conversation, InboundMessage, OptOut, Response, Service
from storage.types import utcnow

log = logging.getLogger(__name__)
UK = ZoneInfo("Europe/London")
ACTIVE = ("new", "waiting", "following_up", "choosing_language", "asking_contact", "paused")
ATTEMPTS = 4
# Every turn runs these; built once, because building and keying a statement
# costs about as much as running it.
_RETRY = select(InboundMessage).where(InboundMessage.channel == bindparam("channel"),
                                      InboundMessage.provider_id == bindparam("provider_id"))
_SERVICE_BY = {name: select(Service).where(getattr(Service, name) == bindparam("value"))
               for name in ("slug", "sms_number", "whatsapp_number")}
_REFERENCE_TAKEN = select(Response.id).where(Response.reference == bindparam("reference"))
# The patient's latest conversation, locked, with its response and whether the
# address opted out, in one round trip (a turn's commonest reads).
_LATEST = (select(Conversation, Response,
                  exists().where(OptOut.address_key == Conversation.address_key))
           .outerjoin(Response, Response.id == Conversation.response_id)
           .where(Conversation.address_key == bindparam("key"),
                  Conversation.channel == bindparam("channel"),
                  Conversation.service_id == bindparam("service_id"))
           .order_by(Conversation.id.desc()).limit(1).with_for_update(of=Conversation))


class ConversationService:
    def __init__(self, db: Database, settings: Settings, keys: Keys, env: Environment,
                 clock: Callable[[], dt.datetime] = utcnow):
        self.db, self.settings, self.keys, self.env, self.clock = db, settings, keys, env, clock
        self.translator = None           # set by the composition root when one is configured
        # Called as hook(tx, conversation, ending) in the ending transaction (e.g. to
        # delete an invitation's encrypted number once its conversation is over).
        self.on_end: list[Callable[[DbSession, Conversation, str], None]] = []

    # -- entry points -------------------------------------------------------
    def handle(self, inbound: Inbound) -> Turn:
        """Answer one inbound message, exactly once per provider id."""
        for attempt in range(ATTEMPTS):
            try:
                return self._once(lambda tx: self._inbound(tx, inbound), inbound)
            except IntegrityError:
                previous = self._previous(inbound)
                if previous is not None:
                    return previous
                raise
            except OperationalError as error:
                log.warning("database unavailable (attempt %d/%d): %s", attempt + 1,
                            ATTEMPTS, type(error.orig).__name__)
                time.sleep(0.05 * 2 ** attempt)
        busy = Reply(text=self.env.catalogue.text("system.busy", "en"), key="system.busy")
        return Turn(replies=(busy,), failed=True)

    def begin(self, service_slug: str, channel: str, address: str, flow_id: str = "domain1",
              language: str | None = None, context: str = INDIVIDUAL,
              variant: str = "") -> Turn:
        """Start a conversation we initiate (an invitation, a group session, a web chat)."""
        def work(tx: DbSession) -> list[Reply]:
            service = tx.scalar(select(Service).where(Service.slug == service_slug))
            if service is None:
                raise LookupError(f"no service {service_slug!r}")
            return self.begin_in(tx, service, channel, address, flow_id, language, context,
                                 variant)
        return self._once(work, None)

    def begin_in(self, tx: DbSession, service: Service, channel: str, address: str,
                 flow_id: str = "domain1", language: str | None = None,
                 context: str = INDIVIDUAL, variant: str = "") -> list[Reply]:
        """`begin` inside the caller's transaction, so an invitation's state and its
        conversation commit together (or not at all)."""
        key = self.keys.address_key(channel, address)
        if tx.get(OptOut, key) is not None:
            return []
        self._close_open(tx, key, channel, service.id)
        return self._begin(tx, service, key, channel, flow_id, language, context,
                           variant=variant)

    def expire_idle(self) -> int:
        """Close idle conversations (answers kept as partial) and forget old ones."""
        now = self.clock()
        cutoff = now - dt.timedelta(days=self.settings.conversation_ttl_days)
        with self.db.transaction() as tx:
            idle = tx.scalars(select(Conversation).where(
                Conversation.state.in_(ACTIVE), Conversation.last_activity_at < cutoff)).all()
            for conversation in idle:
                self._resume(tx, conversation, TimedOut(), None)
            forget = now - dt.timedelta(days=self.settings.finished_cooldown_days)
            tx.execute(delete(Conversation).where(Conversation.state.not_in(ACTIVE),
                                                  Conversation.last_activity_at < forget))
            retries = now - dt.timedelta(days=max(self.settings.dedupe_days, 2))
            tx.execute(delete(InboundMessage).where(InboundMessage.received_at < retries))
        return len(idle)

    # -- one transaction --------------------------------------------------------
    def _once(self, work: Callable[[DbSession], list[Reply]], inbound: Inbound | None) -> Turn:
        """The provider's retry check, the work, then the message recorded with its
        reply, in one transaction. The record is written last, reply and all (one
        INSERT, no UPDATE): a retry that raced the first delivery past the check
        fails on the unique (channel, provider_id), its transaction is rolled
        back, and `handle` answers it from the first delivery's row."""
        with self.db.transaction() as tx:
            remembered = inbound is not None and bool(inbound.provider_id)
            if remembered:
                previous = self._retry_of(tx, inbound)
                if previous is not None:
                    return previous
            replies = work(tx)
            if remembered:
                tx.execute(insert(InboundMessage), dict(
                    channel=inbound.channel, provider_id=inbound.provider_id,
                    received_at=self.clock(), reply=[r.to_dict() for r in replies]))
        return Turn(replies=tuple(replies))

    def _previous(self, inbound: Inbound) -> Turn | None:
        with self.db.transaction() as tx:
            return self._retry_of(tx, inbound)

    def _retry_of(self, tx: DbSession, inbound: Inbound) -> Turn | None:
        """The first answer to this provider id, if it was answered already."""
        previous = tx.scalar(_RETRY, {"channel": inbound.channel,
                                      "provider_id": inbound.provider_id})
        if previous is None:
            return None
        return Turn(replies=tuple(Reply.from_dict(r) for r in previous.reply), duplicate=True)

    # -- the turn ---------------------------------------------------------------
    def _route(self, tx: DbSession, inbound: Inbound) -> Service | None:
        if inbound.service_slug:
            return tx.scalar(_SERVICE_BY["slug"], {"value": inbound.service_slug})
        column = "whatsapp_number" if inbound.channel == "whatsapp" else "sms_number"
        service = tx.scalar(_SERVICE_BY[column], {"value": inbound.to})
        if service is None and inbound.channel == "whatsapp":
            service = tx.scalar(_SERVICE_BY["sms_number"], {"value": inbound.to})
        return service

    def _latest(self, tx: DbSession, key: str, channel: str,
                service_id: int) -> tuple[Conversation | None, bool | None]:
        """The conversation and whether the address opted out (None: not asked,
        because there is no conversation to ask it with)."""
        row = tx.execute(_LATEST, {"key": key, "channel": channel,
                                   "service_id": service_id}).first()
        return (row[0], bool(row[2])) if row else (None, None)

    def _inbound(self, tx: DbSession, inbound: Inbound) -> list[Reply]:
        service = self._route(tx, inbound)
        if service is None:
            log.warning("inbound %s message for a number no service uses", inbound.channel)
            return []
        key = self.keys.address_key(inbound.channel, inbound.address)
        conversation, opted_out = self._latest(tx, key, inbound.channel, service.id)
        language = (conversation.session.get("language") if conversation else None) or "en"
        said = command(inbound.text, language, self.env.catalogue)
        prefix: list[Reply] = []
        opt_out = tx.get(OptOut, key) if opted_out is not False else None
        if opt_out is not None:
            if said != "start":
                return []                      # nothing is sent until START
            tx.delete(opt_out)
            prefix.append(self._reply(service, "started_again", language))
            conversation = None
        if conversation is not None and conversation.state in ACTIVE and self._idle(conversation):
            self._resume(tx, conversation, TimedOut(), None)
        if conversation is None or conversation.state == "expired" or (
                conversation.state not in ACTIVE and said in ("restart", "start")):
            if said == "stop":
                tx.merge(OptOut(address_key=key, channel=inbound.channel))
                return [self._reply(service, "stopped", language)]
            flow = conversation.session.get("flow_id", "domain1") if conversation else "domain1"
            return prefix + self._begin(tx, service, key, inbound.channel, flow, None,
                                        inbound.context, inbound)
        return self._resume(tx, conversation, MessageIn(inbound.text, inbound.media), inbound)

    def _idle(self, conversation: Conversation) -> bool:
        limit = dt.timedelta(days=self.settings.conversation_ttl_days)
        return self.clock() - conversation.last_activity_at > limit

    def _env(self, service: Service, reference: str = "") -> Environment:
        return self.env.with_params(
            service=service.name, reference=reference, pals_phone=service.pals_phone,
            pals_text=service.pals_text, pals_email=service.pals_email)

    def _reply(self, service: Service, key: str, language: str) -> Reply:
        text = self._env(service).catalogue.text(key, language, dict(self._env(service).params))
        return Reply(text=text, key=key, language=language)

    def _new_response(self, tx: DbSession, service: Service, channel: str, flow_id: str,
                      language: str, context: str) -> Response:
        reference = new_reference(self.settings.reference_prefix)
        while tx.scalar(_REFERENCE_TAKEN, {"reference": reference}):
            reference = new_reference(self.settings.reference_prefix)
        response = Response(
            reference=reference, service_id=service.id, flow=flow_id, channel=channel,
            engagement_type=engagement_type(channel, context), context=context,
            language=language, date=self.clock().astimezone(UK).date(), number_of_people=1)
        tx.add(response)
        tx.flush()
        return response

    def _begin(self, tx: DbSession, service: Service, key: str, channel: str, flow_id: str,
               language: str | None, context: str, inbound: Inbound | None = None,
               variant: str = "") -> list[Reply]:
        session = Session(flow_id=flow_id, language=language or "en", context=context,
                          language_fixed=language is not None,
                          variant=inbound.variant if inbound else variant)
        if not self.env.catalogue.has(session.language):
            session = session.evolve(language="en", language_fixed=False)
        response = self._new_response(tx, service, channel, flow_id, session.language, context)
        session, events = engine.start(self._env(service, response.reference), session)
        conversation = Conversation(
            address_key=key, channel=channel, service_id=service.id, response_id=response.id,
            session=session.to_dict(), state=session.state, last_activity_at=self.clock())
        tx.add(conversation)             # inserted at the next flush, with what _record sets
        replies = self._record(tx, conversation, response, session, events, None)
        return self._foreign(conversation, session, inbound, replies) if inbound else replies

    def _resume(self, tx: DbSession, conversation: Conversation, given, inbound) -> list[Reply]:
        service = tx.get(Service, conversation.service_id)
        response = tx.get(Response, conversation.response_id) if conversation.response_id else None
        stored = {k: v for k, v in conversation.session.items() if not k.startswith("_")}
        session = Session.from_dict(stored)
        env = self._env(service, response.reference if response else "")
        session, events = engine.resume(env, session, given)
        if response is None:                  # a finished conversation: reply, record nothing
            conversation.last_activity_at = self.clock()
            return [Reply.from_event(e)
                    for e in events if e.name == "msg_created"]
        replies = self._record(tx, conversation, response, session, events, inbound)
        return self._foreign(conversation, session, inbound, replies) if inbound else replies

    def _foreign(self, conversation: Conversation, session: Session, inbound: Inbound,
                 replies: list[Reply]) -> list[Reply]:
        """Last resort for a language we have no texts for: English plus a marked
        machine translation, only where the organisation configured a translator."""
        if self.translator is None or not replies:
            return replies
        language = conversation.session.get("_machine_language")
        if language is None and not session.language_fixed:
            language = identify_unsupported(inbound.text, set(self.env.catalogue.texts))
            if language and session.active:
                conversation.session = {**conversation.session, "_machine_language": language}
        if not language:
            return replies
        marker = self.env.catalogue.text("machine_translation.marker", "en")
        return with_machine_translation(replies, language, marker, self.translator)

    def _record(self, tx, conversation, response, session, events, inbound) -> list[Reply]:
        recorder = Recorder(tx=tx, conversation=conversation, response=response,
                            keys=self.keys, inbound=inbound,
                            translate=self.settings.translator != "none",
                            pals=self.settings.pals, clock=self.clock)
        recorder.apply(events)
        if any(e.name == "flow_restarted" for e in events):
            fresh = self._new_response(tx, tx.get(Service, conversation.service_id),
                                       conversation.channel, session.flow_id, session.language,
                                       session.context)
            conversation.response_id = fresh.id
        private = {k: v for k, v in conversation.session.items() if k.startswith("_")}
        conversation.session = {**session.to_dict(), **private}
        conversation.state = session.state
        conversation.last_activity_at = self.clock()
        ended = next((ENDINGS[type(e)] for e in events if type(e) in ENDINGS), None)
        if ended:
            recorder.finish_response(ended)
            if ended == "stopped":
                tx.merge(OptOut(address_key=conversation.address_key,
                                channel=conversation.channel))
            for hook in self.on_end:
                hook(tx, conversation, ended)
            conversation.response_id = None
            conversation.session = {"flow_id": session.flow_id, "language": session.language,
                                    "state": session.state}
        return recorder.replies

    def _close_open(self, tx: DbSession, key: str, channel: str, service_id: int) -> None:
        conversation, _ = self._latest(tx, key, channel, service_id)
        if conversation is not None and conversation.state in ACTIVE:
            self._resume(tx, conversation, TimedOut(), None)
