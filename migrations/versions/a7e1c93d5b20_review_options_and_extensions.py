"""assignments say when students see score, right answers, explanations and per-option
feedback (defaults keep what every assignment showed before), may be released by the
teacher, may draw k of the set's items per student, say which attempt counts (best, last,
first, average); extensions give one student a later
due date or extra minutes

Revision ID: a7e1c93d5b20
Revises: b4c1d2e3f405
Create Date: 2026-12-07 12:55:00.000000

"""

import sqlalchemy as sa
from alembic import op

import models

# revision identifiers, used by Alembic.
revision = "a7e1c93d5b20"
down_revision = "b4c1d2e3f405"
branch_labels = None
depends_on = None

REVIEW_COLUMNS = ("review_score", "review_answers", "review_explanations", "review_feedback")


def upgrade():
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        for name in REVIEW_COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=16), nullable=False, server_default="answered")
            )
        batch_op.add_column(
            sa.Column("released_at", models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("draw_count", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("grade_method", sa.String(length=16), nullable=False, server_default="best")
        )
    op.create_table(
        "assignment_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("due_at", models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra_minutes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_assignment_extensions_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["users.id"],
            name=op.f("fk_assignment_extensions_student_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_extensions")),
        sa.UniqueConstraint(
            "assignment_id", "student_id", name="uq_extensions_assignment_student"
        ),
    )
    with op.batch_alter_table("assignment_extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_extensions_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_extensions_student_id"), ["student_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("assignment_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_extensions_student_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_extensions_assignment_id"))
    op.drop_table("assignment_extensions")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("grade_method")
        batch_op.drop_column("draw_count")
        batch_op.drop_column("released_at")
        for name in reversed(REVIEW_COLUMNS):
            batch_op.drop_column(name)
