""""You said, we did": actions staff recorded against themes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from storage.models import ReportAction


def add_action(tx: DbSession, service_id: int, theme: str, you_said: str, we_did: str,
               outcome: str | None = None, published: bool = True,
               created_by: str = "") -> ReportAction:
    if not theme.strip() or not you_said.strip() or not we_did.strip():
        raise ValueError("theme, 'you said' and 'we did' are all needed")
    action = ReportAction(service_id=service_id, outcome=outcome or None, theme=theme.strip(),
                          you_said=you_said.strip(), we_did=we_did.strip(),
                          published=published, created_by=created_by)
    tx.add(action)
    tx.flush()
    return action


def actions_for(tx: DbSession, service_id: int, published_only: bool = False
                ) -> list[ReportAction]:
    query = select(ReportAction).where(ReportAction.service_id == service_id)
    if published_only:
        query = query.where(ReportAction.published.is_(True))
    return list(tx.scalars(query.order_by(ReportAction.created_at.desc(), ReportAction.id)))
