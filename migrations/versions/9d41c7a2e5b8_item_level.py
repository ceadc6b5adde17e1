"""item level: remember / understand / analyse, read by bank statistics and reviewers

Revision ID: 9d41c7a2e5b8
Revises: 6560093653b6
Create Date: 2026-12-07 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9d41c7a2e5b8"
down_revision = "6560093653b6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=12), server_default="remember", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("level")
