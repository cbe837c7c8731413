"""The composition root: the one place real adapters (or fakes) are wired."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from feedback.config import Settings
from feedback.conversations import ConversationService
from feedback.crypto import Keys
from feedback.jobs import JobRunner
from flows.catalogue import load_catalogue
from flows.definition import load_flows
from flows.environment import Environment
from storage.db import Database
from storage.types import utcnow


@dataclass
class Container:
    settings: Settings
    db: Database
    keys: Keys
    env: Environment
    conversations: ConversationService
    clock: Callable[[], dt.datetime]
    jobs: JobRunner | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def engine_environment() -> Environment:
    """Catalogue, flows and the pure helpers the engine may call."""
    from flows.language import detect, match_language_name
    from flows.safety import screen

    return Environment(catalogue=load_catalogue(), flows=load_flows(), screen=screen,
                       detect=detect, name_language=match_language_name)


def warm_up(env: Environment) -> None:
    """Load the screening lexicons and the language tables now, before the first
    patient. They load on first use, holding the interpreter for up to ~0.7 s
    per language, so a server worker's first reply in each language stalled
    every conversation that worker was holding (seconds at the p99)."""
    if env.screen is not None:
        for language in sorted({"en", *env.catalogue.languages}):
            env.screen("warming up", language)
    if env.detect is not None:
        env.detect("warming up")


def build(settings: Settings, clock: Callable[[], dt.datetime] = utcnow,
          env: Environment | None = None, db: Database | None = None) -> Container:
    db = db or Database(settings.database_url)
    keys = Keys(settings.secret_key)
    env = env or engine_environment()
    conversations = ConversationService(db, settings, keys, env, clock)
    services = Container(settings=settings, db=db, keys=keys, env=env,
                         conversations=conversations, clock=clock)
    lease = float(settings.extra.get("FEEDBACK_JOB_LEASE_SECONDS") or 300)
    services.jobs = JobRunner(services, lease=dt.timedelta(seconds=lease))
    register_job_handlers(services)
    return services


def register_job_handlers(services: Container) -> None:
    """Each background job kind and the adapter that does it (real or fake)."""
    from feedback.invitations import register as register_invitations

    register_invitations(services)
    from feedback import translate_jobs
    from feedback.delivery.register import register_delivery

    register_delivery(services)
    from feedback.translation import make_translator

    translator = make_translator(services.settings)
    services.extras["translator"] = translator
    services.conversations.translator = translator
    if translator is not None:
        for kind in (translate_jobs.ANSWER, translate_jobs.ESCALATION):
            services.jobs.register(kind, translate_jobs.handler(services, translator))


def container() -> Container:
    return current_app.extensions["feedback"]
