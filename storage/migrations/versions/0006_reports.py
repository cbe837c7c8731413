"""reports: you said we did, population profiles, EDS scores, domain totals, short links

Revision ID: 0006_reports
Revises: 0005_staff
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_reports"
down_revision = "0005_staff"
branch_labels = None
depends_on = None


def _moment(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "report_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=4), nullable=True),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("you_said", sa.Text(), nullable=False),
        sa.Column("we_did", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _moment("created_at"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_actions_service_id", "report_actions", ["service_id"])
    op.create_table(
        "population_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_id", "field", "category"),
    )
    op.create_index("ix_population_counts_service_id", "population_counts", ["service_id"])
    op.create_table(
        "outcome_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=4), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("panel", sa.Text(), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("completion", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        _moment("updated_at"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_id", "year", "outcome"),
    )
    op.create_index("ix_outcome_scores_service_id", "outcome_scores", ["service_id"])
    op.create_table(
        "domain_totals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.String(length=8), nullable=False),
        sa.Column("domain", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "domain"),
    )
    op.create_table(
        "short_links",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        _moment("created_at"),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("service_id", "channel"),
    )


def downgrade() -> None:
    for name in ("short_links", "domain_totals", "outcome_scores", "population_counts",
                 "report_actions"):
        op.drop_table(name)
