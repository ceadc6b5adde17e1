"""exam date as a date: the exam plan's day, no longer midnight UTC in a datetime column

Revision ID: c3dbfed56b0c
Revises: 069f683818d4
Create Date: 2026-11-27 02:08:00.000000

"""

from datetime import UTC, datetime, time

import sqlalchemy as sa
from alembic import op

import models

# revision identifiers, used by Alembic.
revision = "c3dbfed56b0c"
down_revision = "069f683818d4"
branch_labels = None
depends_on = None


def _table(old_type, new_type):
    return sa.table(
        "study_preferences",
        sa.column("user_id", sa.Integer),
        sa.column("exam_date", old_type),
        sa.column("exam_day", new_type),
    )


def _convert(old_type, new_type, change) -> None:
    """Copy exam_date into a new column exam_day through `change` (in Python, so SQLite and
    PostgreSQL read and write the values alike), then put exam_day in its place."""
    with op.batch_alter_table("study_preferences") as batch:
        batch.add_column(sa.Column("exam_day", new_type, nullable=True))
    prefs = _table(old_type, new_type)
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(prefs.c.user_id, prefs.c.exam_date).where(prefs.c.exam_date.is_not(None))
    ).all()
    for user_id, value in rows:
        connection.execute(
            prefs.update().where(prefs.c.user_id == user_id).values(exam_day=change(value))
        )
    with op.batch_alter_table("study_preferences") as batch:
        batch.drop_column("exam_date")
    with op.batch_alter_table("study_preferences") as batch:
        batch.alter_column("exam_day", new_column_name="exam_date")


def upgrade():
    # Stored as midnight UTC of the exam day: its UTC date is the day.
    _convert(models.UTCDateTime(timezone=True), sa.Date(), lambda moment: moment.date())


def downgrade():
    _convert(
        sa.Date(),
        models.UTCDateTime(timezone=True),
        lambda day: datetime.combine(day, time(), tzinfo=UTC),
    )
