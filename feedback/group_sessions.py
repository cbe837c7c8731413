"""Group sessions, the host side: one-time codes, opening a session in a chat
or on the web, and storing what the pure group engine (`flows.group`) says.

Every call is one transaction. Members, the chat and the opener are known
only by keyed hashes, kept while the session is open and deleted when it
closes; answers carry a member ordinal, never an id.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from feedback import escalations, translate_jobs
from feedback.coding import auto_code
from feedback.config import Settings
from feedback.crypto import REFERENCE_ALPHABET, Keys, new_reference
from feedback.delivery.routes import routes_for
from feedback.engagement import engagement_type
from feedback.messaging import Reply
from feedback.redaction import redact
from flows import events as ev
from flows import group
from flows.environment import Environment
from storage.models import Answer, GroupSession, InboundMessage, Response, Service
from storage.types import utcnow

CODE_LENGTH = 8            # 30^8: about 6.6e11 codes, single use, expiring
CODE_TTL = dt.timedelta(hours=24)
CHANNELS = ("telegram", "web")


@dataclass(frozen=True)
class Created:
    code: str
    facilitator: str | None = None     # web only: the facilitator's own secret


@dataclass(frozen=True)
class GroupTurn:
    """What to send to the group, and how the request went."""
    status: str                         # ok | invalid | not_allowed | already_open | none
    replies: tuple[Reply, ...] = ()
    duplicate: bool = False


@dataclass(frozen=True)
class GroupView:
    """What a web participant (or facilitator) sees now."""
    status: str                         # open | closed | invalid
    language: str = "en"
    service: str = ""
    welcome: str = ""
    step: str = ""
    question: str = ""
    closing: str = ""
    people: int = 0


def new_code() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(CODE_LENGTH))


def _replies(events: list[ev.Event]) -> tuple[Reply, ...]:
    return tuple(Reply(text=e.text, key=e.key, language=e.language)
                 for e in events if isinstance(e, ev.MsgCreated))


class GroupSessionService:
    def __init__(self, db, settings: Settings, keys: Keys, env: Environment,
                 clock: Callable[[], dt.datetime] = utcnow):
        self.db, self.settings, self.keys, self.env, self.clock = db, settings, keys, env, clock

    # -- staff ----------------------------------------------------------------
    def create(self, service_slug: str, channel: str, language: str = "en",
               flow_id: str = "domain1") -> Created:
        """A one-time code (and, for the web, a facilitator secret); only hashes are kept."""
        if channel not in CHANNELS:
            raise ValueError(f"group sessions run on {', '.join(CHANNELS)}")
        if flow_id not in self.env.flows:
            raise LookupError(f"no flow {flow_id!r}")
        code = new_code()
        facilitator = secrets.token_urlsafe(24) if channel == "web" else None
        with self.db.transaction() as tx:
            service = tx.scalar(select(Service).where(Service.slug == service_slug))
            if service is None:
                raise LookupError(f"no service {service_slug!r}")
            now = self.clock()
            tx.add(GroupSession(
                code_key=self._code_key(code), service_id=service.id, channel=channel,
                facilitator_key=self._facilitator_key(facilitator) if facilitator else None,
                flow=flow_id, language=language, status="pending", state={},
                expires_at=now + CODE_TTL, created_at=now))
        return Created(code=code, facilitator=facilitator)

    def close_by_code(self, code: str) -> tuple[GroupTurn, str | None]:
        """Staff close a session; for Telegram the chat id comes back to post the ending."""
        with self.db.transaction() as tx:
            row = self._by_code(tx, code)
            if row is None or row.status == "closed":
                return GroupTurn("invalid"), None
            chat = self.keys.decrypt(row.chat_encrypted) if row.chat_encrypted else None
            if row.status == "pending":
                self._forget(row, "closed")
                return GroupTurn("ok"), None
            return GroupTurn("ok", self._resume(tx, row, group.Close())), chat

    # -- Telegram -------------------------------------------------------------
    def open_chat(self, code: str, chat_id: str, opener_id: str, is_admin: bool,
                  provider_id: str) -> GroupTurn:
        """`/feedback CODE` from a group admin: the code is spent, the session opens."""
        def work(tx: DbSession) -> GroupTurn:
            if not is_admin:
                return GroupTurn("not_allowed", (self._text(tx, None, "group.not_allowed"),))
            chat_key = self._chat_key(chat_id)
            if self._open_in_chat(tx, chat_key) is not None:
                return GroupTurn("already_open", (self._text(tx, None, "group.already_open"),))
            row = self._by_code(tx, code)
            if row is None or row.status != "pending" or row.channel != "telegram" \
                    or row.expires_at <= self.clock():
                return GroupTurn("invalid", (self._text(tx, None, "group.code_invalid"),))
            row.chat_key, row.chat_encrypted = chat_key, self.keys.encrypt(chat_id)
            row.opener_key = self._member_key(row, "opener", opener_id)
            return GroupTurn("ok", self._start(tx, row))
        return self._once(provider_id, work)

    def chat_reply(self, chat_id: str, member_id: str, text: str,
                   provider_id: str) -> GroupTurn:
        def work(tx: DbSession) -> GroupTurn:
            row = self._open_in_chat(tx, self._chat_key(chat_id))
            if row is None:
                return GroupTurn("none")
            member = self._member_key(row, "member", member_id)
            return GroupTurn("ok", self._resume(tx, row, group.MemberReply(member, text)))
        return self._once(provider_id, work)

    def chat_facilitate(self, chat_id: str, actor_id: str, is_admin: bool, action: str,
                        provider_id: str) -> GroupTurn:
        """`/next` or `/close`: a chat admin or the member who opened the session."""
        def work(tx: DbSession) -> GroupTurn:
            row = self._open_in_chat(tx, self._chat_key(chat_id))
            if row is None:
                return GroupTurn("none")
            if not (is_admin or row.opener_key == self._member_key(row, "opener", actor_id)):
                return GroupTurn("not_allowed", (self._text(tx, row, "group.not_allowed"),))
            given = group.Close() if action == "close" else group.NextQuestion()
            return GroupTurn("ok", self._resume(tx, row, given))
        return self._once(provider_id, work)

    def chat_help(self, chat_id: str) -> GroupTurn:
        with self.db.transaction() as tx:
            row = self._open_in_chat(tx, self._chat_key(chat_id))
            if row is None:
                return GroupTurn("none")
            return GroupTurn("ok", (self._text(tx, row, "group.help"),))

    # -- web --------------------------------------------------------------------
    def web_view(self, code: str) -> GroupView:
        """The page as it is now; a pending web session opens at its first visit."""
        with self.db.transaction() as tx:
            row = self._by_code(tx, code, lock=True)
            if row is None or row.channel != "web":
                return GroupView("invalid")
            if row.status == "pending":
                if row.expires_at <= self.clock():
                    return GroupView("invalid")
                self._start(tx, row)
            return self._view(tx, row)

    def web_reply(self, code: str, member_token: str, text: str, step: str) -> GroupTurn:
        with self.db.transaction() as tx:
            row = self._by_code(tx, code, lock=True)
            if row is None or row.channel != "web" or row.status != "open":
                return GroupTurn("invalid")
            member = self._member_key(row, "member", member_token)
            replies = self._resume(tx, row, group.MemberReply(member, text, step or None))
            return GroupTurn("ok", replies)

    def web_facilitate(self, secret: str, action: str) -> GroupTurn:
        with self.db.transaction() as tx:
            row = self._by_facilitator(tx, secret)
            if row is None or row.status == "closed":
                return GroupTurn("invalid")
            if row.status == "pending":
                self._start(tx, row)
            given = group.Close() if action == "close" else group.NextQuestion()
            return GroupTurn("ok", self._resume(tx, row, given))

    def facilitator_state(self, secret: str) -> GroupView:
        with self.db.transaction() as tx:
            row = self._by_facilitator(tx, secret)
            if row is None:
                return GroupView("invalid")
            if row.status == "pending":
                self._start(tx, row)
            return self._view(tx, row)

    # -- the engine and its events ---------------------------------------------
    def _start(self, tx: DbSession, row: GroupSession) -> tuple[Reply, ...]:
        service = tx.get(Service, row.service_id)
        response = self._new_response(tx, service, row)
        state, events = group.start(self._env(service, response.reference),
                                    group.GroupState(flow_id=row.flow, language=row.language))
        row.status, row.opened_at, row.response_id = "open", self.clock(), response.id
        return self._apply(tx, row, response, state, events)

    def _resume(self, tx: DbSession, row: GroupSession, given) -> tuple[Reply, ...]:
        service = tx.get(Service, row.service_id)
        response = tx.get(Response, row.response_id)
        state = group.GroupState.from_dict(row.state)
        state, events = group.resume(self._env(service, response.reference), state, given)
        return self._apply(tx, row, response, state, events)

    def _apply(self, tx: DbSession, row: GroupSession, response: Response,
               state: group.GroupState, events: list[ev.Event]) -> tuple[Reply, ...]:
        row.state = state.to_dict()
        response.number_of_people = len(state.members)
        for event in events:
            if isinstance(event, group.MemberAnswerRecorded):
                self._answer(tx, response, event)
            elif isinstance(event, ev.DisclosureDetected):
                tx.flush()
                kinds = routes_for(self.settings.pals, response.service)
                escalations.raise_escalation(tx, response, event, kinds, self.clock())
            elif isinstance(event, group.GroupClosed):
                response.status = "complete"
                response.number_of_people = event.number_of_people
                self._forget(row, "closed")
        return _replies(events)

    def _answer(self, tx: DbSession, response: Response,
                event: group.MemberAnswerRecorded) -> None:
        answer = tx.scalar(select(Answer).where(
            Answer.response_id == response.id, Answer.step == event.step,
            Answer.member == event.member))
        text = redact(event.text)
        if answer is None:
            answer = Answer(response_id=response.id, step=event.step, member=event.member,
                            outcome=event.outcome, text=text, code=event.code, skipped=False)
            tx.add(answer)
        else:
            answer.text, answer.translation = f"{answer.text} — {text}", None
            answer.code = answer.code or event.code
        auto_code(tx, answer, response.language, self.clock())
        if self.settings.translator != "none" and response.language != "en":
            tx.flush()
            translate_jobs.enqueue(tx, translate_jobs.ANSWER, answer.id, answer.text)

    def _forget(self, row: GroupSession, status: str) -> None:
        """Closing deletes every keyed hash and the encrypted chat id."""
        row.status, row.closed_at = status, self.clock()
        row.chat_key = row.chat_encrypted = row.opener_key = None
        row.state = {k: v for k, v in row.state.items() if k != "members"}

    def _new_response(self, tx: DbSession, service: Service, row: GroupSession) -> Response:
        reference = new_reference(self.settings.reference_prefix)
        while tx.scalar(select(Response.id).where(Response.reference == reference)):
            reference = new_reference(self.settings.reference_prefix)
        from feedback.conversations import UK

        response = Response(
            reference=reference, service_id=service.id, flow=row.flow, channel=row.channel,
            engagement_type=engagement_type(row.channel, "group"), context="group",
            language=row.language, date=self.clock().astimezone(UK).date(),
            number_of_people=0)
        tx.add(response)
        tx.flush()
        return response

    def _view(self, tx: DbSession, row: GroupSession) -> GroupView:
        service = tx.get(Service, row.service_id)
        response = tx.get(Response, row.response_id) if row.response_id else None
        env = self._env(service, response.reference if response else "")
        state = group.GroupState.from_dict(row.state)
        lang = state.language

        def text(key: str) -> str:
            return env.catalogue.text(key, lang, dict(env.params))

        view = GroupView(status=row.status, language=lang, service=service.name,
                         welcome=text("group.welcome"),
                         people=response.number_of_people if response else 0)
        if row.status == "closed":
            return GroupView(**{**view.__dict__, "closing": text("group.closing")})
        step = env.flows[state.flow_id].steps[state.step]
        return GroupView(**{**view.__dict__, "step": step.id, "question": text(step.text)})

    # -- lookups, keys, once-only ----------------------------------------------
    def _env(self, service: Service, reference: str) -> Environment:
        return self.env.with_params(
            service=service.name, reference=reference, pals_phone=service.pals_phone,
            pals_text=service.pals_text, pals_email=service.pals_email)

    def _text(self, tx: DbSession, row: GroupSession | None, key: str) -> Reply:
        params: dict[str, str] = {}
        lang = "en"
        if row is not None:
            params = dict(self._env(tx.get(Service, row.service_id), "").params)
            lang = row.language
        return Reply(text=self.env.catalogue.text(key, lang, params), key=key, language=lang)

    def _code_key(self, code: str) -> str:
        return self.keys.address_key("group-code", code.strip().upper())

    def _facilitator_key(self, secret: str) -> str:
        return self.keys.address_key("group-facilitator", secret.strip())

    def _chat_key(self, chat_id: str) -> str:
        return self.keys.address_key("telegram-group", chat_id)

    def _member_key(self, row: GroupSession, role: str, who: str) -> str:
        """Per session, so one person's tokens cannot be linked across sessions."""
        return self.keys.address_key(f"group-{role}", f"{row.id}:{who}")

    def _by_code(self, tx: DbSession, code: str, lock: bool = False) -> GroupSession | None:
        query = select(GroupSession).where(GroupSession.code_key == self._code_key(code))
        return tx.scalar(query.with_for_update() if lock else query)

    def _by_facilitator(self, tx: DbSession, secret: str) -> GroupSession | None:
        return tx.scalar(select(GroupSession).where(
            GroupSession.facilitator_key == self._facilitator_key(secret)).with_for_update())

    def _open_in_chat(self, tx: DbSession, chat_key: str) -> GroupSession | None:
        return tx.scalar(select(GroupSession).where(
            GroupSession.chat_key == chat_key, GroupSession.status == "open").with_for_update())

    def _once(self, provider_id: str, work: Callable[[DbSession], GroupTurn]) -> GroupTurn:
        """A retried update (same update_id) gets the first answer and changes nothing."""
        try:
            with self.db.transaction() as tx:
                previous = self._previous(tx, provider_id)
                if previous is not None:
                    return previous
                record = InboundMessage(channel="telegram", provider_id=provider_id,
                                        received_at=self.clock())
                tx.add(record)
                tx.flush()
                turn = work(tx)
                record.reply = [{"status": turn.status}, *(r.to_dict() for r in turn.replies)]
                return turn
        except IntegrityError:
            with self.db.transaction() as tx:
                previous = self._previous(tx, provider_id)
            if previous is None:
                raise
            return previous

    def _previous(self, tx: DbSession, provider_id: str) -> GroupTurn | None:
        previous = tx.scalar(select(InboundMessage).where(
            InboundMessage.channel == "telegram", InboundMessage.provider_id == provider_id))
        if previous is None:
            return None
        head, *rest = previous.reply or [{"status": "none"}]
        return GroupTurn(head.get("status", "none"), tuple(Reply.from_dict(r) for r in rest),
                         duplicate=True)


def group_sessions(container) -> GroupSessionService:
    """One service per container, made on first use (the composition root's extras)."""
    service = container.extras.get("group_sessions")
    if service is None:
        service = GroupSessionService(container.db, container.settings, container.keys,
                                      container.env, container.clock)
        container.extras["group_sessions"] = service
    return service
