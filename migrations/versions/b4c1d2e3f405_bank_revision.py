"""bank revision: one number raised by every change to the built-in bank

Revision ID: b4c1d2e3f405
Revises: a0874d3f685f
Create Date: 2026-12-07 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4c1d2e3f405'
down_revision = 'a0874d3f685f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_revision'))
    )
    # Its one row is written by the first bank change (models/bank.py); until then the
    # revision reads 0.


def downgrade():
    op.drop_table('bank_revision')
