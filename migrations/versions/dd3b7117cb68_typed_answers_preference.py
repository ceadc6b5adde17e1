"""typed answers preference: kept with the study settings, no longer lost at log-out

Revision ID: dd3b7117cb68
Revises: c3dbfed56b0c
Create Date: 2026-11-27 03:49:31.631712

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dd3b7117cb68"
down_revision = "c3dbfed56b0c"
branch_labels = None
depends_on = None


def upgrade():
    # sa.false() is 0 on SQLite and false on PostgreSQL (where 0 is no boolean).
    with op.batch_alter_table("study_preferences", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("typed_answers", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("study_preferences", schema=None) as batch_op:
        batch_op.drop_column("typed_answers")
