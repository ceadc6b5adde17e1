"""Store, find, export and share media files; who may see one.

Used by the editors (teach, cards), the account export and deletion, and the file
formats that carry media (Anki packages, Moodle XML): `store_media` and
`media_for_export` are their two doors. Functions flush, never commit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, exists, or_, select

from models import (
    Assignment,
    Attempt,
    AttemptItem,
    Card,
    CardMedia,
    Deck,
    Enrollment,
    Item,
    LivePlayer,
    LiveQuestion,
    LiveSession,
    MediaFile,
    MediaUse,
    QuestionSet,
    User,
    db,
)
from quizzes.domain.media import MEDIA_NAME, CleanMedia, MediaRefused, clean_media

__all__ = [
    "ExportedMedia",
    "MediaRefused",
    "media_for_export",
    "media_for_export_to",
    "media_in_text",
    "media_of_item",
    "link_to_set",
    "store_cleaned",
    "may_see",
    "may_see_as_live_guest",
    "prune_unused",
    "store_media",
]

URL_PREFIX = "/media/"
# A stored file named in text: Markdown images, HTML sources, Anki's [sound:...].
_NAMED = re.compile(r"(?:/media/|\[sound:)(" + MEDIA_NAME.pattern + r")")


@dataclass(frozen=True)
class ExportedMedia:
    name: str  # "<sha256>.<ext>", as text refers to it (after /media/)
    data: bytes
    mime: str
    label: str = ""


def store_media(
    owner: User,
    filename: str,
    data: bytes,
    *,
    question_set: QuestionSet | None = None,
    deck: Deck | None = None,
    label: str = "",
    allow_sound: bool = True,
) -> MediaFile:
    """Clean and store an upload (once per content) and record its use by `owner`, for a
    set or a deck. Raises MediaRefused (with the uploader's message) and stores nothing
    when the file is not accepted. `file.url` is what text refers to it by."""
    return store_cleaned(
        owner,
        clean_media(data, allow_sound=allow_sound),
        filename,
        question_set=question_set,
        deck=deck,
        label=label,
    )


def store_cleaned(
    owner: User,
    cleaned: CleanMedia,
    filename: str = "",
    *,
    question_set: QuestionSet | None = None,
    deck: Deck | None = None,
    label: str = "",
) -> MediaFile:
    """As store_media, for a file a reader has cleaned already (quizzes.domain.media)."""
    media = _file_for(cleaned)
    _use(owner, media, question_set, deck, label, filename)
    return media


def keep_unused(cleaned: CleanMedia, now: datetime) -> tuple[MediaFile, bool]:
    """Store a cleaned file no one uses yet (a deck import's preview: the confirm step links
    it with `use_for_card`), and say whether it is new to the store. Nobody may see it until
    then; prune_unused deletes it if the import is discarded or never confirmed. Its
    `created_at` becomes `now`, so that pruning what older previews left spares the file
    while this preview may still be confirmed."""
    new = not holds(cleaned.sha256)
    media = _file_for(cleaned)
    media.created_at = now
    return media, new


def use_for_card(owner: User, deck: Deck, card: Card, name: str, side: str, label: str) -> bool:
    """Show the stored file `name` on the owner's card (an import's confirm); False when
    the file is gone (pruned since the preview)."""
    media = by_name(name)
    if media is None:
        return False
    _use(owner, media, None, deck, label, label)
    attach_to_card(card, media, side, label)
    return True


def _use(
    owner: User,
    media: MediaFile,
    question_set: QuestionSet | None,
    deck: Deck | None,
    label: str = "",
    filename: str = "",
) -> None:
    """Record that `owner` uses the file (for the set or deck), once."""
    known = db.session.scalar(
        select(MediaUse).where(
            MediaUse.media_id == media.id,
            MediaUse.owner_id == owner.id,
            MediaUse.set_id.is_(None)
            if question_set is None
            else MediaUse.set_id == question_set.id,
            MediaUse.deck_id.is_(None) if deck is None else MediaUse.deck_id == deck.id,
        )
    )
    if known is None:
        db.session.add(
            MediaUse(
                media_id=media.id,
                owner_id=owner.id,
                set_id=question_set.id if question_set else None,
                deck_id=deck.id if deck else None,
                label=label[:300],
                original_name=(filename or "")[:255],
            )
        )
        db.session.flush()
    elif label and not known.label:
        known.label = label[:300]


def link_to_set(question_set: QuestionSet, *texts: str | None) -> None:
    """Files an item of the set shows (pasted from another set, or copied with a duplicate)
    become the set's too, so its students may see them: only files the set's owner may see."""
    names = media_in_text(*texts)
    if not names or question_set.owner_id is None:
        return
    owner = db.session.get(User, question_set.owner_id)
    for media in db.session.scalars(select(MediaFile).where(MediaFile.name.in_(names))):
        if may_see(owner, media):
            _use(owner, media, question_set, None)


def _file_for(cleaned: CleanMedia) -> MediaFile:
    media = db.session.scalar(select(MediaFile).where(MediaFile.sha256 == cleaned.sha256))
    if media is None:
        media = MediaFile(
            name=cleaned.name,
            sha256=cleaned.sha256,
            kind=cleaned.kind,
            mime=cleaned.mime,
            size=len(cleaned.data),
            width=cleaned.width,
            height=cleaned.height,
            seconds=cleaned.seconds,
            data=cleaned.data,
        )
        db.session.add(media)
        db.session.flush()
    return media


def media_in_text(*texts: str | None) -> list[str]:
    """Names of stored files the texts refer to, in order, each once."""
    found: dict[str, None] = {}
    for text in texts:
        for match in _NAMED.finditer(text or ""):
            found[match.group(1)] = None
    return list(found)


def media_for_export(names: Iterable[str], viewer: User | None = None) -> list[ExportedMedia]:
    """The bytes of the named files that exist, in the order named (unknown names are left
    out: a text may name a file that was never stored). With `viewer`, only the files that
    account may see: a text can name any file, an export must not hand out others' files."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    rows = {
        media.name: media
        for media in db.session.scalars(select(MediaFile).where(MediaFile.name.in_(wanted)))
    }
    return [
        ExportedMedia(rows[name].name, rows[name].data, rows[name].mime)
        for name in wanted
        if name in rows and (viewer is None or may_see(viewer, rows[name]))
    ]


def media_of_item(item: dict[str, Any], viewer: User | None = None) -> list[ExportedMedia]:
    """The files an item (a dict as docs/ITEMS.md) shows, anywhere in its texts: for the
    formats that carry files (JSON here; Moodle XML's @@PLUGINFILE@@, Anki packages)."""
    return media_for_export(media_in_text(json.dumps(item, ensure_ascii=False)), viewer)


def media_for_export_to(user: User, names: Iterable[str]) -> list[ExportedMedia]:
    """media_for_export, of the named files `user` may see: a file named in a text the user
    wrote is not theirs to download because they named it."""
    return media_for_export(names, viewer=user)


def holds(sha256: str) -> bool:
    """Whether a file of these bytes is stored (and so was cleaned)."""
    return db.session.scalar(select(exists().where(MediaFile.sha256 == sha256))) is True


def by_name(name: str) -> MediaFile | None:
    if MEDIA_NAME.fullmatch(name) is None:
        return None
    return db.session.scalar(select(MediaFile).where(MediaFile.name == name))


def may_see(user: User | None, media: MediaFile) -> bool:
    """Who may see an item or card may see its media: the account that stored it; the
    students of a class a set it was stored for is assigned to, its signed-in live players,
    administrators (who
    may open any teacher's set); the owner of a card that
    shows it; and a student whose quiz attempt showed it (attempts keep their questions)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    uses = select(MediaUse.id).where(MediaUse.media_id == media.id)
    own = uses.where(MediaUse.owner_id == user.id)
    if getattr(user, "is_admin", False):  # administrators open every teacher's set (bank)
        own = uses.where(or_(MediaUse.owner_id == user.id, MediaUse.set_id.is_not(None)))
    assigned = uses.where(
        MediaUse.set_id.in_(
            select(Assignment.set_id)
            .join(Enrollment, Enrollment.class_id == Assignment.class_id)
            .where(Enrollment.student_id == user.id)
        )
    )
    # A signed-in player of a live round on the set (guests see the teacher's projector).
    playing = uses.where(
        MediaUse.set_id.in_(
            select(LiveSession.set_id)
            .join(LivePlayer, LivePlayer.session_id == LiveSession.id)
            .where(LivePlayer.user_id == user.id, LivePlayer.removed.is_(False))
        )
    )
    on_card = (
        select(CardMedia.id)
        .join(Card, Card.id == CardMedia.card_id)
        .join(Deck, Deck.id == Card.deck_id)
        .where(CardMedia.media_id == media.id, Deck.owner_id == user.id)
    )
    in_attempt = (
        select(AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user.id)
        .where(cast(AttemptItem.snapshot, String).contains(media.name, autoescape=True))
    )
    return bool(
        db.session.scalar(
            select(
                or_(
                    exists(own),
                    exists(assigned),
                    exists(playing),
                    exists(on_card),
                    exists(in_attempt),
                )
            )
        )
    )


def may_see_as_live_guest(player_ids: Iterable[object], media: MediaFile) -> bool:
    """A live round's guest (a player without an account, known to its browser by the
    signed session cookie) may see a file a question of that round shows, under the rule
    for signed-in players (stored for the round's set): nothing of any other round or set."""
    ids = [i for i in player_ids if isinstance(i, int) and not isinstance(i, bool)]
    if not ids:
        return False
    rounds = select(LivePlayer.session_id).where(
        LivePlayer.id.in_(ids), LivePlayer.user_id.is_(None), LivePlayer.removed.is_(False)
    )
    shown = (
        select(LiveQuestion.id)
        .join(LiveSession, LiveSession.id == LiveQuestion.session_id)
        .where(
            LiveQuestion.session_id.in_(rounds),
            LiveSession.set_id.in_(select(MediaUse.set_id).where(MediaUse.media_id == media.id)),
            cast(LiveQuestion.snapshot, String).contains(media.name, autoescape=True),
        )
    )
    return bool(db.session.scalar(select(exists(shown))))


def set_media(question_set: QuestionSet) -> list[MediaUse]:
    """The files stored for a set, newest first."""
    return list(
        db.session.scalars(
            select(MediaUse).where(MediaUse.set_id == question_set.id).order_by(MediaUse.id.desc())
        )
    )


def owned_media(user: User) -> list[MediaUse]:
    return list(
        db.session.scalars(
            select(MediaUse).where(MediaUse.owner_id == user.id).order_by(MediaUse.id)
        )
    )


def attach_to_card(card: Card, media: MediaFile, side: str, label: str) -> CardMedia:
    shown = CardMedia(card_id=card.id, media_id=media.id, side=side, label=label[:300])
    db.session.add(shown)
    db.session.flush()
    return shown


def media_of_cards(card_ids: Iterable[int]) -> dict[int, list[CardMedia]]:
    """Each card's media, in the order added."""
    ids = list(card_ids)
    found: dict[int, list[CardMedia]] = {card_id: [] for card_id in ids}
    if ids:
        rows = db.session.scalars(
            select(CardMedia).where(CardMedia.card_id.in_(ids)).order_by(CardMedia.id)
        )
        for row in rows:
            found[row.card_id].append(row)
    return found


def shown_on_cards(flashcard_ids: Iterable[str]) -> dict[str, dict[str, list[tuple]]]:
    """Each personal card's files by side, keyed "card:<id>", for the Anki writer
    (quizzes.transfer.anki.SideMedia); bank cards ("item:...") have none."""
    card_ids = {
        int(parts[1])
        for parts in (str(flashcard_id).split(":") for flashcard_id in flashcard_ids)
        if parts[0] == "card" and len(parts) > 1 and parts[1].isascii() and parts[1].isdigit()
    }
    found: dict[str, dict[str, list[tuple]]] = {}
    for card_id, rows in media_of_cards(sorted(card_ids)).items():
        for row in rows:
            sides = found.setdefault(f"card:{card_id}", {"front": [], "back": []})
            sides[row.side].append((row.media.name, row.media.kind, row.label))
    return found


def card_sides(flashcard_id: str | int) -> dict[str, list[CardMedia]]:
    """The media a personal card shows on each side, for the study page: "card:<id>"
    (or a card's id); a reversed card ("card:<id>:reversed") shows the back's media first.
    Bank cards ("item:...") have none."""
    text = str(flashcard_id)
    parts = text.split(":") if ":" in text else ["card", text]
    if parts[0] != "card" or not parts[1].isascii() or not parts[1].isdigit():
        return {"front": [], "back": []}
    rows = media_of_cards([int(parts[1])])[int(parts[1])]
    sides = {side: [row for row in rows if row.side == side] for side in ("front", "back")}
    if parts[-1] == "reversed":
        sides = {"front": sides["back"], "back": sides["front"]}
    return sides


def prune_unused(
    names: Iterable[str] | None = None,
    *,
    kept_before: datetime | None = None,
    limit: int | None = None,
    dry_run: bool = False,
) -> list[str]:
    """Delete stored files nothing refers to any more, and return their names. Referring
    counts: a use (a set's, a deck's, an uploader's), a card showing it, and any text that
    names it: an item, a card, a set's or deck's description, a kept quiz attempt (a
    student keeps their attempts, with the questions as shown, after their teacher's account
    is deleted) or a live round's question. Only the `names` given, when given; only files
    stored or kept by a preview before `kept_before`, when given (a younger one may belong
    to a preview still to be confirmed); at most `limit` files (bounded work in a request);
    with `dry_run`, nothing is deleted."""
    unused = (
        select(MediaFile.id, MediaFile.name)
        .where(
            ~exists(select(MediaUse.id).where(MediaUse.media_id == MediaFile.id)),
            ~exists(select(CardMedia.id).where(CardMedia.media_id == MediaFile.id)),
        )
        .order_by(MediaFile.id)
    )
    if names is not None:
        unused = unused.where(MediaFile.name.in_(list(names)))
    if kept_before is not None:
        unused = unused.where(MediaFile.created_at < kept_before)
    gone: dict[int, str] = {}
    for media_id, name in db.session.execute(unused):
        if limit is not None and len(gone) >= limit:
            break
        if not _named_anywhere(name):
            gone[media_id] = name
    if gone and not dry_run:
        db.session.execute(delete(MediaFile).where(MediaFile.id.in_(list(gone))))
    return list(gone.values())


# Every text column a file can be named in (as /media/<name> or [sound:<name>]).
_TEXTS = (
    (Item.id, (Item.prompt, Item.explanation, cast(Item.data, String))),
    (Card.id, (Card.front, Card.back)),
    (QuestionSet.id, (QuestionSet.description,)),
    (Deck.id, (Deck.description,)),
    (AttemptItem.id, (cast(AttemptItem.snapshot, String),)),
    (LiveQuestion.id, (cast(LiveQuestion.snapshot, String),)),
)


def _named_anywhere(name: str) -> bool:
    return any(
        db.session.scalar(
            select(
                exists(
                    select(row_id).where(
                        or_(*(text.contains(name, autoescape=True) for text in texts))
                    )
                )
            )
        )
        for row_id, texts in _TEXTS
    )
