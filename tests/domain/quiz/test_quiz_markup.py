import pytest

from quizzes.quiz.markup import citation, render_markdown


def test_markdown_renders_emphasis_and_drops_scripts():
    html = str(
        render_markdown(
            "Which **post**? <script>alert(1)</script> <img src=x onerror=alert(1)> "
            "[x](javascript:y)"
        )
    )
    assert "<strong>post</strong>" in html
    assert "<script" not in html and "onerror" not in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            {
                "key": "KT",
                "publisher": "The Korea Times",
                "title": "Cables",
                "date": "2024-11",
                "ref": "https://example.org/a",
            },
            ("The Korea Times, “Cables”, 2024-11", "https://example.org/a"),
        ),
        (
            {
                "key": "MOU",
                "publisher": "Ministry of Unification",
                "title": "",
                "date": "2024",
                "ref": "cable 17",
            },
            ("Ministry of Unification, 2024, cable 17", None),
        ),
        ({"text": "Interview, Seoul, 2019"}, ("Interview, Seoul, 2019", None)),
        ({"key": "EN"}, ("EN", None)),
        ("A free citation", ("A free citation", None)),
        (42, ("", None)),
    ],
)
def test_citation(source, expected):
    assert citation(source) == expected
