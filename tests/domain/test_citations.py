"""How a stored source is shown: one module for pages, flashcards and editable lines."""

import pytest

from quizzes.domain.citations import Citation, citation_line, cite, editable_line, is_web_address

WEEK = {
    "key": "WEEK",
    "publisher": "The Week",
    "title": "North Korean ambassador to Italy 'disappears'",
    "date": "",
    "ref": "theweek.com 98736",
    "url": "https://theweek.com/98736/north-korean-ambassador-to-italy-disappears",
}


def test_a_bank_source_is_publisher_title_date_linked_never_its_key_or_ref():
    shown = cite({**WEEK, "date": "2018-11"})
    assert shown == Citation(
        "The Week, “North Korean ambassador to Italy 'disappears'”, 2018-11", WEEK["url"]
    )
    assert "WEEK" not in shown.text and "98736" not in shown.text


def test_without_a_url_the_short_reference_is_shown():
    lost = {
        "key": "NCO",
        "publisher": "newschainonline.com",
        "ref": "article 413698 (not found again)",
    }
    assert cite(lost) == Citation("newschainonline.com, article 413698 (not found again)")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "https://",
        "https://a b.org",
        "ftp://x.org/a",
    ],
)
def test_only_http_addresses_are_linked(url):
    assert not is_web_address(url)
    assert cite({**WEEK, "url": url, "ref": url}).url is None


def test_flashcard_lines_know_their_link_and_exports_write_it():
    line = citation_line(WEEK)
    assert line == "The Week, North Korean ambassador to Italy 'disappears'"
    assert line.url == WEEK["url"]
    assert line.with_url == f"{line}, {WEEK['url']}"
    assert cite(line) == Citation(str(line), WEEK["url"])
    assert citation_line("my notes").with_url == "my notes"


def test_the_editable_line_writes_the_url_instead_of_the_reference():
    assert (
        editable_line(WEEK)
        == f"The Week, North Korean ambassador to Italy 'disappears', {WEEK['url']}"
    )
    assert editable_line({"key": "A", "publisher": "P", "ref": "r"}) == "P, r"
    assert editable_line({"text": "Interview"}) == "Interview"


def test_a_fact_file_source_url_must_be_a_web_address():
    from quizzes.domain.facts import load_fact_texts

    good = '[sources.S]\nref = "r"\nurl = "https://example.org/a"\n'
    assert load_fact_texts({"s.toml": good}).base.sources["S"].citation()["url"] == (
        "https://example.org/a"
    )
    bad = load_fact_texts({"s.toml": '[sources.S]\nref = "r"\nurl = "javascript:alert(1)"\n'})
    assert [str(error) for error in bad.errors] == [
        "s.toml:1: source 'S': url must be an http(s) address"
    ]
