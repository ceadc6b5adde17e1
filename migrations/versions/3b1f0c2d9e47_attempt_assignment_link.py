"""privacy: attempts' assignment link is a foreign key; user ids are never reused

Revision ID: 3b1f0c2d9e47
Revises: 577e4cc176e0
Create Date: 2026-11-26 19:35:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3b1f0c2d9e47'
down_revision = '577e4cc176e0'
branch_labels = None
depends_on = None


def upgrade():
    # Attempts of assignments deleted before this revision point at nothing (and SQLite may
    # have handed their id to a newer assignment): clear the dangling links first, or the
    # foreign key cannot be created.
    op.execute(
        "UPDATE attempts SET assignment_id = NULL WHERE assignment_id IS NOT NULL "
        "AND assignment_id NOT IN (SELECT id FROM assignments)"
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_attempts_assignment_id_assignments'),
            'assignments',
            ['assignment_id'],
            ['id'],
            ondelete='SET NULL',
        )
    if op.get_bind().dialect.name == "sqlite":
        # Sessions name the account by id: a deleted account's id must never be handed out
        # again. SQLite reuses the highest rowid unless the table says AUTOINCREMENT
        # (PostgreSQL sequences never go back). Rebuilding copies every row; migrations/env.py
        # turns foreign keys off meanwhile, so no child row is cascaded away.
        with op.batch_alter_table(
            'users', recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ):
            pass


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_attempts_assignment_id_assignments'), type_='foreignkey'
        )
