"""session tokens

Revision ID: 2508c12e9a4c
Revises: 07a43eae6847
Create Date: 2026-11-26 20:58:39.230985

"""
import secrets

from alembic import op
import sqlalchemy as sa

import models


# revision identifiers, used by Alembic.
revision = '2508c12e9a4c'
down_revision = '07a43eae6847'
branch_labels = None
depends_on = None


def upgrade():
    # Added with an empty default (a plain ADD COLUMN: rebuilding the users table on SQLite
    # would lose its AUTOINCREMENT), then a random token per account. An empty token never
    # signs anyone in. Sessions from before carry no token: their users sign in once more.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_token', sa.String(length=64), nullable=False, server_default='')
        )
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_token=secrets.token_urlsafe(24))
        )
    if connection.dialect.name != 'sqlite':
        op.alter_column('users', 'session_token', server_default=None)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
