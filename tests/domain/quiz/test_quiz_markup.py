import pytest
from markupsafe import escape

from quizzes import rendering
from quizzes.quiz.markup import citation, render_markdown
from quizzes.rendering import render_markdown_inline


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


@pytest.mark.parametrize(
    "text, alt",
    [
        ("A flag: ![The flag of the UN](/static/favicon.svg)", "The flag of the UN"),
        ('<img src="/account/export.json" alt="Export">', "Export"),
        ('<img src="/auth/logout">', ""),
        ('<img src="https://tracker.example/p.gif" alt="a &lt;b&gt; c">', "a <b> c"),
        ("![Map](//tracker.example/map.png)", "Map"),
        ("![Up](/media/../account/export.json)", "Up"),
    ],
)
def test_images_from_anywhere_but_the_media_path_are_dropped_keeping_their_alt(text, alt):
    for render in (render_markdown, render_markdown_inline):
        html = str(render(text))
        assert "<img" not in html and "src=" not in html
        if alt:
            assert f'<span class="image-alt">{escape(alt)}</span>' in html
        else:
            assert "image-alt" not in html


def test_the_media_path_setting_lets_uploaded_images_through(monkeypatch):
    monkeypatch.setattr(rendering, "MEDIA_IMAGE_PATHS", ("/media/",))
    for text in ("![Flag](/media/flags/un.png)", "![Up](/media/../x.png)", "![Q](/media/a.png?x)"):
        render_markdown.cache_clear()
        render_markdown_inline.cache_clear()
        html = str(render_markdown(text))
        kept = text == "![Flag](/media/flags/un.png)"
        assert ('<img src="/media/flags/un.png" alt="Flag">' in html) is kept, html
    render_markdown.cache_clear()
    render_markdown_inline.cache_clear()
