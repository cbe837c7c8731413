"""invitations: appointment-list rows to invite, encrypted number, keyed hashes

Revision ID: 0004_invitations
Revises: 0003_group_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_invitations"
down_revision = "0003_group_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("flow", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("conversation_key", sa.String(length=64), nullable=True),
        sa.Column("address_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body", sa.String(), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("reminder_sid", sa.String(length=64), nullable=True),
        sa.Column("reminder_attempted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_status", sa.String(length=32), nullable=True),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("invitations") as batch:
        batch.create_index("ix_invitations_service_id", ["service_id"])
        batch.create_index("ix_invitations_conversation_key", ["conversation_key"])
        batch.create_index("ix_invitations_state", ["state"])
        batch.create_index("ix_invitations_provider_sid", ["provider_sid"])
        batch.create_index("ix_invitations_reminder_sid", ["reminder_sid"])
        batch.create_index("ix_invitations_person_send", ["person_key", "send_at"])


def downgrade() -> None:
    op.drop_table("invitations")
