"""staff: users, the editable codebook, answer codes and sentiment, quote consent

Revision ID: 0005_staff
Revises: 0004_invitations
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_staff"
down_revision = "0004_invitations"
branch_labels = None
depends_on = None


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("person_responsible", sa.String(length=200),
                                   nullable=False, server_default=""))
        batch.add_column(sa.Column("quote_consent", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        _moment("locked_until", nullable=True),
        _moment("last_seen", nullable=True),
        sa.Column("session_token", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "coding_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("excluded", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "answer_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("coder", sa.String(length=200), nullable=False),
        _moment("coded_at"),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("answer_id", "theme", "source"),
    )
    op.create_index("ix_answer_codes_answer_id", "answer_codes", ["answer_id"])
    op.create_index("ix_answer_codes_theme", "answer_codes", ["theme"])
    op.create_table(
        "answer_codings",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("auto_sentiment", sa.String(length=64), nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("coder", sa.String(length=200), nullable=True),
        _moment("coded_at", nullable=True),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"]),
        sa.PrimaryKeyConstraint("answer_id"),
    )


def downgrade() -> None:
    op.drop_table("answer_codings")
    op.drop_index("ix_answer_codes_theme", "answer_codes")
    op.drop_index("ix_answer_codes_answer_id", "answer_codes")
    op.drop_table("answer_codes")
    op.drop_table("coding_themes")
    op.drop_table("staff_users")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("quote_consent")
        batch.drop_column("person_responsible")
