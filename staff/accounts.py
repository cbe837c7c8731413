"""Staff accounts: creating them, signing in with lock-out, sessions that can
be revoked. Used by the sign-in view and the `feedback user` command."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from feedback.escalations import audit
from staff import passwords
from staff.roles import ROLES, SERVICE_LEAD
from staff.settings import StaffSettings
from storage.models import Service, StaffUser


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None
    token: str | None = None
    locked: bool = False


def normalise(email: str) -> str:
    return email.strip().lower()


def by_email(tx: DbSession, email: str) -> StaffUser | None:
    return tx.scalar(select(StaffUser).where(StaffUser.email == normalise(email)))


def all_users(tx: DbSession) -> list[StaffUser]:
    return list(tx.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.email)))


def add_user(tx: DbSession, email: str, role: str, password: str,
             services: list[str] | None = None, actor: str = "system") -> StaffUser:
    email = normalise(email)
    if "@" not in email:
        raise AccountError("an e-mail address is needed")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    services = list(dict.fromkeys(services or []))
    if role == SERVICE_LEAD and not services:
        raise AccountError("a service lead needs at least one --service")
    known = set(tx.scalars(select(Service.slug).where(Service.slug.in_(services))))
    if missing := [s for s in services if s not in known]:
        raise AccountError(f"no such service: {', '.join(missing)}")
    if by_email(tx, email) is not None:
        raise AccountError("a user with that e-mail already exists")
    try:
        hashed = passwords.hash_password(password)
    except ValueError as error:
        raise AccountError(str(error)) from None
    user = StaffUser(email=email, password_hash=hashed, role=role,
                     services=services if role == SERVICE_LEAD else [], failed_attempts=0,
                     active=True)
    tx.add(user)
    tx.flush()
    audit(tx, actor, "user_added", f"staff_user:{user.id}", role)
    return user


def sign_in(tx: DbSession, email: str, password: str, now: dt.datetime,
            rules: StaffSettings) -> SignIn:
    """Counts failures per account; after too many the account waits, even for
    the right password. The caller shows one message for every failure."""
    user = by_email(tx, email)
    if user is None or not user.active:
        passwords.verify(None, password)          # the same work as a real check
        return SignIn(None)
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, locked=True)
    if not passwords.verify(user.password_hash, password):
        user.failed_attempts += 1
        if user.failed_attempts >= rules.max_failures:
            user.locked_until, user.failed_attempts = now + rules.lockout, 0
            audit(tx, user.email, "locked_out", f"staff_user:{user.id}", at=now)
            return SignIn(None, locked=True)
        return SignIn(None)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.failed_attempts, user.locked_until, user.last_seen = 0, None, now
    user.session_token = secrets.token_urlsafe(32)
    audit(tx, user.email, "signed_in", f"staff_user:{user.id}", at=now)
    return SignIn(user, user.session_token)


def session_user(tx: DbSession, user_id: int, token: str) -> StaffUser | None:
    """The user a session cookie names, if that session is still theirs."""
    user = tx.get(StaffUser, user_id)
    if user is None or not user.active or not user.session_token:
        return None
    if not secrets.compare_digest(user.session_token, token or ""):
        return None
    return user


def sign_out(tx: DbSession, user_id: int, now: dt.datetime, reason: str = "signed_out") -> None:
    user = tx.get(StaffUser, user_id)
    if user is not None:
        user.session_token = None
        audit(tx, user.email, reason, f"staff_user:{user.id}", at=now)


def unlock(tx: DbSession, user_id: int, actor: str) -> None:
    user = tx.get(StaffUser, user_id)
    if user is None:
        raise LookupError("no such user")
    user.locked_until, user.failed_attempts = None, 0
    audit(tx, actor, "user_unlocked", f"staff_user:{user.id}")


def set_active(tx: DbSession, user_id: int, active: bool, actor: str) -> None:
    user = tx.get(StaffUser, user_id)
    if user is None:
        raise LookupError("no such user")
    user.active = active
    if not active:
        user.session_token = None
    audit(tx, actor, "user_enabled" if active else "user_disabled", f"staff_user:{user.id}")
