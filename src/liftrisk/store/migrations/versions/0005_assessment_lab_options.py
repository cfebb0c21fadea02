"""C3D plate options and Plug-in Gait measurements given with an upload (JSON column
``assessments.lab_options``: `liftrisk.io.LabInputs` keywords).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 03:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lab_options", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("lab_options")
