"""attempts remember that their assignment was removed (and when): the student is told why
an attempt still open then was submitted for them

Revision ID: 6560093653b6
Revises: dd3b7117cb68
Create Date: 2026-11-27 05:44:53.692359

"""

import sqlalchemy as sa
from alembic import op

import models

# revision identifiers, used by Alembic.
revision = "6560093653b6"
down_revision = "dd3b7117cb68"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("assignment_removed_at", models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("assignment_removed_at")
