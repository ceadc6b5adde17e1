"""media store: uploaded images and sounds (by sha256), their uses, and media on cards

Revision ID: 7a3e91c2d4f0
Revises: 1ac9f3a56fa2
Create Date: 2026-12-07 13:00:00

"""

import sqlalchemy as sa
from alembic import op

import models

revision = "7a3e91c2d4f0"
down_revision = '1ac9f3a56fa2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "media_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('image', 'sound')", name=op.f("ck_media_files_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_files")),
        sa.UniqueConstraint("name", name=op.f("uq_media_files_name")),
        sa.UniqueConstraint("sha256", name=op.f("uq_media_files_sha256")),
    )
    op.create_table(
        "media_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=True),
        sa.Column("deck_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media_files.id"], name=op.f("fk_media_uses_media_id_media_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_media_uses_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_id"], ["question_sets.id"], name=op.f("fk_media_uses_set_id_question_sets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deck_id"], ["decks.id"], name=op.f("fk_media_uses_deck_id_decks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_uses")),
    )
    for column in ("media_id", "owner_id", "set_id", "deck_id"):
        op.create_index(op.f(f"ix_media_uses_{column}"), "media_uses", [column])
    op.create_table(
        "card_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=5), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.CheckConstraint("side IN ('front', 'back')", name=op.f("ck_card_media_side")),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_card_media_card_id_cards"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media_files.id"], name=op.f("fk_card_media_media_id_media_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_media")),
    )
    op.create_index(op.f("ix_card_media_card_id"), "card_media", ["card_id"])
    op.create_index(op.f("ix_card_media_media_id"), "card_media", ["media_id"])


def downgrade():
    op.drop_table("card_media")
    op.drop_table("media_uses")
    op.drop_table("media_files")
