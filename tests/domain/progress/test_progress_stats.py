from datetime import UTC, datetime, timedelta

from quizzes.domain.trend_chart import HEIGHT, MARGIN_BOTTOM, MARGIN_TOP, line_chart
from quizzes.progress.stats import (
    RECENT_ANSWERS,
    AnswerRecord,
    MissedItem,
    TopicMastery,
    most_missed,
    topic_mastery,
)

T0 = datetime(2025, 3, 3, tzinfo=UTC)


def record(key, score, minutes, topics=("t",), attempt=1):
    return AnswerRecord(
        attempt,
        key,
        f"Prompt {key}",
        f"Key {key}",
        tuple(topics),
        score,
        score == 1.0,
        T0 + timedelta(minutes=minutes),
    )


def test_topic_mastery_uses_the_latest_answers_weakest_first():
    old_misses = [record("a", 0.0, m, ("upr",)) for m in range(5)]
    recent_hits = [record("a", 1.0, 10 + m, ("upr",)) for m in range(RECENT_ANSWERS)]
    mixed = [record("b", 0.5, 1, ("tactics", "upr")), record("c", 1.0, 2, ("tactics",))]
    rows = topic_mastery(old_misses + recent_hits + mixed)
    assert rows == [
        TopicMastery("tactics", answers=2, right=1, mastery=0.75),
        # upr: five misses and a half-right answer, then ten hits; only the ten count.
        TopicMastery("upr", answers=16, right=10, mastery=1.0),
    ]


def test_topic_mastery_counts_an_item_once_per_topic_even_if_tagged_twice():
    rows = topic_mastery([record("a", 1.0, 0, ("x", "x"))])
    assert rows == [TopicMastery("x", 1, 1, 1.0)]


def test_most_missed_orders_by_misses_then_rate():
    records = [
        record("often", 0.0, 0),
        record("often", 0.0, 1),
        record("often", 1.0, 2),
        record("always", 0.0, 0, attempt=1),
        record("always", 0.5, 5, attempt=3),
        record("never", 1.0, 0),
        record("once", 0.0, 0),
        record("once", 1.0, 1),
        record("once", 1.0, 2),
    ]
    assert most_missed(records) == [
        MissedItem("always", "Prompt always", "Key always", 2, 2, 3),
        MissedItem("often", "Prompt often", "Key often", 2, 3, 1),
        MissedItem("once", "Prompt once", "Key once", 1, 3, 1),
    ]
    assert [m.item_key for m in most_missed(records, limit=1)] == ["always"]


def test_line_chart_places_scores_between_the_margins():
    chart = line_chart([("1 Mar", 0.0), ("2 Mar", 0.5), ("3 Mar", 1.0)])
    bottom, top = HEIGHT - MARGIN_BOTTOM, MARGIN_TOP
    assert [(p.x, p.y, p.label) for p in chart.points] == [
        (56, bottom, "0%"),
        (336, (bottom + top) / 2, "50%"),
        (616, top, "100%"),
    ]
    assert chart.path == "M56.0,216.0 L336.0,120.0 L616.0,24.0"
    assert [label for _, label in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_line_chart_with_one_point_centres_it_and_thins_many_captions():
    single = line_chart([("1 Mar", 0.72)])
    assert single.points[0].x == 336 and single.points[0].label == "72%"
    many = line_chart([(f"{d} Mar", 0.5) for d in range(1, 21)])
    assert [p.caption for p in many.x_labels] == [
        "2 Mar",
        "5 Mar",
        "8 Mar",
        "11 Mar",
        "14 Mar",
        "17 Mar",
        "20 Mar",
    ]


def test_a_narrow_chart_keeps_its_points_inside_and_fewer_captions():
    narrow = line_chart([(f"{d} Mar", d / 10) for d in range(1, 9)], 360, max_captions=4)
    assert narrow.width == 360 and narrow.right == 336
    assert narrow.points[0].x == 56 and narrow.points[-1].x == 336
    assert [p.caption for p in narrow.x_labels] == ["2 Mar", "4 Mar", "6 Mar", "8 Mar"]


def test_the_trend_chart_is_drawn_as_svg_with_every_value_written_and_text_escaped():
    svg = line_chart([("1 <Mar>", 0.25), ("2 Mar", 1.0)]).svg("trend")
    assert svg.startswith('<svg class="line-chart" viewBox="0 0 640 260" role="img" ')
    assert 'aria-labelledby="trend-title" aria-describedby="trend-desc"' in svg
    assert '<title id="trend-title">Score per quiz: 1 &lt;Mar&gt; 25%, 2 Mar 100%</title>' in svg
    assert "<Mar>" not in svg
    assert '<path class="trend-line" d="M56.0,168.0 L616.0,24.0"></path>' in svg
    # Each value is written beside its point (below it at the very top), not only drawn.
    assert '<text class="point-label" x="56.0" y="158.0" text-anchor="middle">25%</text>' in svg
    assert '<text class="point-label" x="616.0" y="44.0" text-anchor="middle">100%</text>' in svg
    assert "trend-line" not in line_chart([("1 Mar", 0.5)]).svg("one")  # one point, no line
