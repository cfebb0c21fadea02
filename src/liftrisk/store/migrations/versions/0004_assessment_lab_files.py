"""Lab files uploaded with a recording (static trial, force-plate CSV + TOML, insole CSVs +
TOML): table ``assessment_lab_files``, one row per file, each stored as an upload.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_lab_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("upload_sha256", sa.String(length=64), nullable=False),
        sa.Column("input_name", sa.String(length=200), nullable=False),
        sa.CheckConstraint("role IN ('static', 'plates', 'plates_spec', 'insoles', 'insole_spec')",
                           name=op.f("ck_assessment_lab_files_role")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"],
                                name=op.f("fk_assessment_lab_files_assessment_id_assessments")),
        sa.ForeignKeyConstraint(["upload_sha256"], ["uploads.sha256"],
                                name=op.f("fk_assessment_lab_files_upload_sha256_uploads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_lab_files")),
        sa.UniqueConstraint("assessment_id", "role", "position", name="uq_lab_files_role"),
    )
    with op.batch_alter_table("assessment_lab_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_lab_files_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_lab_files_upload_sha256"), ["upload_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessment_lab_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_lab_files_upload_sha256"))
        batch_op.drop_index(batch_op.f("ix_assessment_lab_files_assessment_id"))
    op.drop_table("assessment_lab_files")
