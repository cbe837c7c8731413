"""group sessions; answers get a member ordinal (unique per response, step, member)

Revision ID: 0003_group_sessions
Revises: 0002_translation_cache
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_group_sessions"
down_revision = "0002_translation_cache"
branch_labels = None
depends_on = None

NEW_UNIQUE = "uq_answers_response_step_member"


def _answers(member: bool) -> sa.Table:
    """The answers table as it should be after (or before) this revision, for
    SQLite's copy-and-move: its old unique constraint has no name to drop."""
    columns = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=4), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("translation", sa.String(), nullable=True),
        sa.Column("translation_engine", sa.String(length=32), nullable=True),
    ]
    if member:
        columns.append(sa.Column("member", sa.Integer(), nullable=False, server_default="0"))
    unique = (sa.UniqueConstraint("response_id", "step", "member", name=NEW_UNIQUE) if member
              else sa.UniqueConstraint("response_id", "step"))
    return sa.Table("answers", sa.MetaData(), *columns,
                    sa.ForeignKeyConstraint(["response_id"], ["responses.id"]),
                    sa.PrimaryKeyConstraint("id"), unique,
                    sa.Index("ix_answers_response_id", "response_id"))


def upgrade() -> None:
    op.create_table(
        "group_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_key", sa.String(length=64), nullable=False),
        sa.Column("facilitator_key", sa.String(length=64), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("chat_key", sa.String(length=64), nullable=True),
        sa.Column("chat_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("opener_key", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_key"),
        sa.UniqueConstraint("facilitator_key"),
    )
    with op.batch_alter_table("group_sessions") as batch:
        batch.create_index("ix_group_sessions_service_id", ["service_id"])
        batch.create_index("ix_group_sessions_status", ["status"])
        batch.create_index("ix_group_sessions_chat_key", ["chat_key"])

    op.add_column("answers", sa.Column("member", sa.Integer(), nullable=False,
                                       server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("answers", copy_from=_answers(member=True),
                                  recreate="always"):
            pass
    else:
        op.drop_constraint("answers_response_id_step_key", "answers", type_="unique")
        op.create_unique_constraint(NEW_UNIQUE, "answers", ["response_id", "step", "member"])


def downgrade() -> None:
    """Only safe before any group answers exist (several members per step)."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("answers", copy_from=_answers(member=False),
                                  recreate="always"):
            pass
    else:
        op.drop_constraint(NEW_UNIQUE, "answers", type_="unique")
        op.create_unique_constraint("answers_response_id_step_key", "answers",
                                    ["response_id", "step"])
        op.drop_column("answers", "member")
    op.drop_table("group_sessions")
