import xml.etree.ElementTree as ET

import pytest

from quizzes.domain.charts import (
    Series,
    bar_chart,
    chart_id,
    horizontal_bar_chart,
    line_chart,
    nice_ticks,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(el.itertext()) for el in root.iter(f"{{{NS['s']}}}text")]


def test_nice_ticks():
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0.93) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(0) == [0, 1]


def test_bar_chart_has_title_desc_axis_titles_and_value_labels():
    svg = bar_chart(
        "Reviews per day",
        "3 days of reviews.",
        ["Mon", "Tue", "Wed"],
        [4, 0, 7],
        x_label="Day",
        y_label="Reviews",
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-reviews-per-day-title"
    assert root.find("s:title", NS).text == "Reviews per day"
    assert root.find("s:desc", NS).text == "3 days of reviews."
    labels = texts(svg)
    assert {"Day", "Reviews", "Mon", "Tue", "Wed"} <= set(labels)
    # values written on the bars; the zero bar gets no label
    values = [el.text for el in root.findall(".//s:text[@class='value']", NS)]
    assert values == ["4", "7"]
    bars = root.findall(".//s:rect[@class='chart-bar']", NS)
    assert [b.find("s:title", NS).text for b in bars] == ["Mon: 4", "Tue: 0", "Wed: 7"]
    # y axis 0..8: the 7 bar is 7/8 of the plot height (280 - 16 - 58 = 206)
    assert float(bars[2].get("height")) == pytest.approx(206 * 7 / 8, abs=0.01)


def test_all_text_is_escaped():
    svg = bar_chart(
        '<script>"x"</script>',
        "a & b",
        ["<i>"],
        [1],
        x_label="x<",
        y_label="y>",
        reference=(0.5, "<ref>"),
    )
    assert "<script>" not in svg and "<i>" not in svg and "<ref>" not in svg
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in svg and "a &amp; b" in svg
    ET.fromstring(svg)  # still well-formed XML


def test_reference_line_is_dashed_and_labelled():
    svg = bar_chart(
        "Retention",
        "d",
        ["Achieved"],
        [0.85],
        x_label="",
        y_label="Share",
        value_format=lambda v: f"{v:.0%}",
        y_max=1.0,
        reference=(0.9, "Desired 90%"),
    )
    root = ET.fromstring(svg)
    line = root.find(".//s:g[@class='reference']/s:line", NS)
    assert line.get("stroke-dasharray") == "6 4"
    assert "Desired 90%" in texts(svg) and "85%" in texts(svg) and "100%" in texts(svg)


def test_line_chart_tells_series_apart_without_colour():
    svg = line_chart(
        "Due",
        "forecast",
        ["1", "2", "3"],
        [Series("Reviews", [1, 2, 3]), Series("Learning", [0, None, 1])],
        x_label="Day",
        y_label="Cards",
    )
    root = ET.fromstring(svg)
    lines = root.findall(".//s:g[@class='series series-2']/s:polyline", NS)
    assert lines == []  # a break after one point leaves no two-point run
    first = root.find(".//s:g[@class='series series-1']/s:polyline", NS)
    assert first.get("stroke-dasharray") is None
    legend = root.findall(".//s:g[@class='legend']/s:line", NS)
    assert [le.get("stroke-dasharray") for le in legend] == [None, "8 4"]
    labels = texts(svg)
    assert "Reviews: 3" in labels and "Learning: 1" in labels
    assert "Reviews" in labels and "Learning" in labels


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        bar_chart("t", "d", ["a"], [1, 2], x_label="", y_label="")
    with pytest.raises(ValueError):
        bar_chart("t", "d", ["a"], [-1], x_label="", y_label="")
    with pytest.raises(ValueError):
        line_chart("t", "d", ["a"], [Series("s", [1, 2])], x_label="", y_label="")


def test_chart_id():
    assert chart_id("Predicted recall, per topic!") == "chart-predicted-recall-per-topic"


def test_value_labels_sit_inside_tall_bars_and_above_short_ones():
    svg = bar_chart("t", "d", ["a", "b"], [100, 2], x_label="x", y_label="y")
    root = ET.fromstring(svg)
    tall, short = root.findall(".//s:text[@class='value']", NS)
    bars = root.findall(".//s:rect[@class='chart-bar']", NS)
    assert tall.get("fill") == "#fff" and float(tall.get("y")) > float(bars[0].get("y"))
    assert short.get("fill") == "#1c1c1e" and float(short.get("y")) < float(bars[1].get("y"))


def test_end_labels_of_lines_ending_together_do_not_overlap():
    svg = line_chart(
        "t",
        "d",
        ["1", "2"],
        [Series("A", [0.9, 0.9]), Series("B", [0.5, 0.9])],
        x_label="x",
        y_label="y",
        y_max=1.0,
    )
    root = ET.fromstring(svg)
    first, second = root.findall(".//s:text[@class='end-label']", NS)
    assert float(second.get("y")) - float(first.get("y")) >= 14


def test_horizontal_bars_write_long_names_in_full_with_their_values():
    svg = horizontal_bar_chart(
        "Predicted recall per topic today",
        "Two topics.",
        ["Ministry of Unification report", "Universal Periodic Review"],
        [0.64, 0.91],
        x_label="Predicted recall",
        value_format=lambda v: f"{v:.0%}",
        x_max=1.0,
        reference=(0.9, "desired 90%"),
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find("s:desc", NS).text == "Two topics."
    labels = texts(svg)
    assert "Ministry of Unification report" in labels and "Universal Periodic Review" in labels
    assert [el.text for el in root.findall(".//s:text[@class='value']", NS)] == ["64%", "91%"]
    assert "desired 90%" in labels and "Predicted recall" in labels
    bars = root.findall(".//s:rect[@class='chart-bar']", NS)
    # Lengths in proportion to the values on the same scale (0 to 100%).
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] / widths[1] == pytest.approx(0.64 / 0.91)
    # The names fit left of the bars: every bar starts after the longest label's room.
    assert len({bar.get("x") for bar in bars}) == 1
    assert float(bars[0].get("x")) >= len("Ministry of Unification report") * 6


def test_horizontal_bars_refuse_bad_input():
    with pytest.raises(ValueError):
        horizontal_bar_chart("t", "d", ["a"], [1, 2], x_label="x")
    with pytest.raises(ValueError):
        horizontal_bar_chart("t", "d", ["a"], [-1], x_label="x")
