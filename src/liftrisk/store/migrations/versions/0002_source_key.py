"""Assessments recorded by `liftrisk batch --db` carry the batch item's key (unique), so a
batch resumed after a crash finds what it already recorded instead of adding it twice.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 16:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_assessments_source_key"), ["source_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_source_key"))
        batch_op.drop_column("source_key")
