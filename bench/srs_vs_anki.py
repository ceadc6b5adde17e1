"""Benchmark (not a test): 1,000 FSRS reviews in Quizdeck's pure domain vs in Anki itself.

    .venv/bin/python bench/srs_vs_anki.py [--reviews 1000] [--repeat 3] [--seed 2025]

Anki (the `anki` package, FSRS enabled, v3 scheduler) answers cards from its own queue
with a fixed random stream of ratings; the order in which it served cards and the
ratings it got are recorded, and the very same 1,000 reviews (same cards, ratings and
order) are then replayed through `quizzes.domain.srs.review`. Anki's run includes
what a real answer costs there (queue building, SQLite writes), so the table also
shows the Anki time spent in `answer_card` alone and our review + button previews
(Anki computes the four button states for every queued card).

Best of `--repeat` runs is reported (a fresh Anki collection each run; set-up untimed).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizzes.domain.srs import (  # noqa: E402
    MemoryState,
    Rating,
    StudySettings,
    preview_intervals,
    review,
)

# Roughly what learners press: mostly Good, some lapses.
RATING_WEIGHTS = {Rating.Again: 0.10, Rating.Hard: 0.15, Rating.Good: 0.65, Rating.Easy: 0.10}

# A review is (card number, rating); the same list drives both implementations.
Transcript = list[tuple[int, Rating]]


@dataclass(frozen=True)
class Timing:
    label: str
    reviews: int
    seconds: float | None  # None: not implemented yet

    @property
    def micros_per_review(self) -> float | None:
        return None if self.seconds is None else self.seconds / self.reviews * 1e6


def rating_stream(seed: int) -> random.Random:
    return random.Random(seed)


def next_rating(rng: random.Random) -> Rating:
    return rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]


# --- Anki ------------------------------------------------------------------------------


def run_anki(
    reviews: int, notes: int, seed: int, *, commits: list[int] | None = None
) -> tuple[Timing, Timing, Transcript]:
    """Answer `reviews` cards through Anki's v3 scheduler with FSRS on.

    Returns (whole loop timing, answer_card-only timing, transcript). With `commits`
    given, a second connection counts the review-log rows Anki has committed after every
    answer, and `commits` receives how many times that count grew: how often Anki
    committed. That probing slows the loop, so such a run is not one to time.
    """
    # Import order matters: anki.collection before anki.scheduler.v3.
    import anki.collection
    import anki.scheduler.v3
    from anki.cards import Card

    answer_of = {
        Rating.Again: anki.scheduler.v3.CardAnswer.AGAIN,
        Rating.Hard: anki.scheduler.v3.CardAnswer.HARD,
        Rating.Good: anki.scheduler.v3.CardAnswer.GOOD,
        Rating.Easy: anki.scheduler.v3.CardAnswer.EASY,
    }
    with tempfile.TemporaryDirectory(prefix="quizdeck-bench-") as folder:
        col = anki.collection.Collection(os.path.join(folder, "bench.anki2"))
        try:
            col.set_config("fsrs", True)
            deck_id = col.decks.id("Bench")
            assert deck_id is not None
            config = col.decks.config_dict_for_deck_id(deck_id)
            # Anki's defaults match StudySettings: steps 1m 10m, relearn 10m, retention 0.9.
            config["new"]["perDay"] = reviews
            config["rev"]["perDay"] = reviews
            config["desiredRetention"] = 0.9
            col.decks.save(config)
            col.decks.select(deck_id)
            basic = col.models.by_name("Basic")
            number_of: dict[int, int] = {}
            for number in range(notes):
                note = col.new_note(basic)
                note["Front"] = f"Question {number}"
                note["Back"] = f"Answer {number}"
                col.add_note(note, deck_id)
                for card_id in col.card_ids_of_note(note.id):
                    number_of[card_id] = number

            ratings = rating_stream(seed)
            transcript: Transcript = []
            visible: list[int] = []
            answering = 0.0
            started = time.perf_counter()
            while len(transcript) < reviews:
                queued = col.sched.get_queued_cards(fetch_limit=1)
                if not queued.cards:
                    break
                head = queued.cards[0]
                card = Card(col, backend_card=head.card)
                card.start_timer()
                rating = next_rating(ratings)
                answer = col.sched.build_answer(
                    card=card, states=head.states, rating=answer_of[rating]
                )
                before = time.perf_counter()
                col.sched.answer_card(answer)
                answering += time.perf_counter() - before
                transcript.append((number_of[card.id], rating))
                if commits is not None:
                    visible.append(_rows_seen_from_outside(col.path, "revlog"))
            elapsed = time.perf_counter() - started
            if commits is not None:
                before_each = [0, *visible[:-1]]
                commits.append(sum(b > a for a, b in zip(before_each, visible, strict=True)))
        finally:
            col.close()
    done = len(transcript)
    return (
        Timing("Anki: get_queued_cards + answer_card", done, elapsed),
        Timing("Anki: answer_card only", done, answering),
        transcript,
    )


def _rows_seen_from_outside(path: str, table: str) -> int:
    other = sqlite3.connect(path)
    try:
        return other.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        other.close()


# --- Quizdeck, pure --------------------------------------------------------------------


def replay_pure(transcript: Transcript, with_previews: bool) -> Timing:
    """The same reviews through Quizdeck's pure review(), one simulated second apart."""
    settings = StudySettings()  # fuzzing on, as in Anki
    start = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    states: dict[int, MemoryState] = {}
    started = time.perf_counter()
    for second, (number, rating) in enumerate(transcript):
        now = start + timedelta(seconds=second)
        state = states.get(number) or MemoryState.new(start)
        if with_previews:
            preview_intervals(state, now, settings)
        states[number], _ = review(state, rating, now, settings)
    elapsed = time.perf_counter() - started
    label = "Quizdeck: preview_intervals + review" if with_previews else "Quizdeck: review"
    return Timing(label, len(transcript), elapsed)


# --- Quizdeck with its database ------------------------------------------------------


def run_quizdeck_with_database(transcript: Transcript) -> Timing:
    """TO BE FILLED IN once the models exist: the same reviews through the service layer
    (load the memory state row, review(), write state + due + review log, commit)."""
    return Timing("Quizdeck: review + database (to do)", len(transcript), None)


# --- Report ----------------------------------------------------------------------------


def best(timings: list[Timing]) -> Timing:
    measured = [t for t in timings if t.seconds is not None]
    return min(measured, key=lambda t: t.seconds or 0.0) if measured else timings[0]


def print_table(rows: list[Timing], baseline: Timing) -> None:
    header = (
        f"{'implementation':<40} {'reviews':>7} {'total ms':>10} {'us/review':>10} {'ratio':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row.seconds is None:
            print(f"{row.label:<40} {row.reviews:>7} {'-':>10} {'-':>10} {'-':>8}")
            continue
        ratio = row.seconds / baseline.seconds if baseline.seconds else float("nan")
        print(
            f"{row.label:<40} {row.reviews:>7} {row.seconds * 1000:>10.1f} "
            f"{row.micros_per_review or 0:>10.1f} {ratio:>7.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--notes", type=int, default=600, help="cards in the Anki deck")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    anki_loops, anki_answers, transcript = [], [], []
    for _ in range(args.repeat):
        loop, answers, transcript = run_anki(args.reviews, args.notes, args.seed)
        anki_loops.append(loop)
        anki_answers.append(answers)
    if len(transcript) < args.reviews:
        print(f"note: Anki's queue ran dry after {len(transcript)} reviews (add --notes)")

    pure = best([replay_pure(transcript, with_previews=False) for _ in range(args.repeat)])
    pure_previews = best([replay_pure(transcript, with_previews=True) for _ in range(args.repeat)])
    rows = [
        pure,
        pure_previews,
        best(anki_loops),
        best(anki_answers),
        run_quizdeck_with_database(transcript),
    ]
    distinct = len({number for number, _ in transcript})
    print(
        f"{len(transcript)} reviews of {distinct} cards, best of {args.repeat}; "
        f"ratio = time / Quizdeck review()"
    )
    print_table(rows, baseline=pure)
    anki_best = best(anki_loops)
    if pure.seconds and anki_best.seconds:
        print(f"\nAnki's full loop / Quizdeck review(): {anki_best.seconds / pure.seconds:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
