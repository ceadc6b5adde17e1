"""The media store: uploaded images and sounds, stored once per content (sha256).

A file's bytes live in the database (a blob: every server process sees them, SQLite and
PostgreSQL alike; files are at most 2 MiB). Who may see a file is decided by its uses:
the account that stored it, the question set or deck it was stored for, and the cards that
show it. Deleting the last use leaves the file to `quizzes.media.store.prune_unused`
(account deletion, a cancelled or expired card-import preview, `flask media prune`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow


class MediaFile(db.Model):
    """One cleaned file (quizzes.domain.media), named by the sha256 of its bytes."""

    __tablename__ = "media_files"
    __table_args__ = (CheckConstraint("kind IN ('image', 'sound')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)  # "<sha256>.<ext>"
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # Loaded only when served or exported, never with a listing.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # When stored, or when a card-import preview last kept it (store.keep_unused): a file
    # no one uses is spared by pruning while that preview may still be confirmed.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def url(self) -> str:
        return f"/media/{self.name}"


class MediaUse(db.Model):
    """A file stored by an account, for one of its question sets or decks (or neither)."""

    __tablename__ = "media_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(
        ForeignKey("media_files.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), index=True
    )
    deck_id: Mapped[int | None] = mapped_column(
        ForeignKey("decks.id", ondelete="CASCADE"), index=True
    )
    # The alt text (image) or label (sound) given at upload, and the uploaded file's name.
    label: Mapped[str] = mapped_column(String(300), default="")
    original_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    media: Mapped[MediaFile] = relationship()


class CardMedia(db.Model):
    """An image or sound shown on one side of a personal card, below its text."""

    __tablename__ = "card_media"
    __table_args__ = (CheckConstraint("side IN ('front', 'back')", name="side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(
        ForeignKey("media_files.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(5), default="front")
    label: Mapped[str] = mapped_column(String(300), default="")  # alt text or sound label

    media: Mapped[MediaFile] = relationship(lazy="joined")
