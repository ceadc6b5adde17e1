"""Markdown for prompts and explanations, sanitised so that no script survives.

markdown-it-py turns Markdown (and the HTML that imported GIFT or Moodle text carries)
into HTML; nh3 then keeps only formatting tags and safe attributes, and drops <script>
and <style> together with their content. An image stays only when its source is a path the
app serves for uploaded images (MEDIA_IMAGE_PATHS); any other is dropped and its alt text
shown, so that a teacher's prompt cannot make students' browsers request other URLs.
"""

from __future__ import annotations

import functools
import html
import re

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

from quizzes.domain.citations import cite
from quizzes.domain.safe_html import ATTRIBUTES, BLOCK_TAGS, INLINE_TAGS, URL_SCHEMES
from quizzes.domain.text import counted

# The allow-list is the domain's (quizzes/domain/safe_html.py): imported Anki fields keep
# the same formatting that pages show.
_BLOCK_TAGS, _INLINE_TAGS, _ATTRIBUTES, _URL_SCHEMES = (
    BLOCK_TAGS,
    INLINE_TAGS,
    ATTRIBUTES,
    URL_SCHEMES,
)

# Path prefixes of the app's own uploaded images, the only sources an <img> may keep: the
# media store's route (quizzes/media/routes.py), which serves a file only to who may see it.
MEDIA_IMAGE_PATHS: tuple[str, ...] = ("/media/",)

# After nh3 every attribute is double-quoted with `"`, `<` and `>` escaped, so a tag ends
# at the first `>`.
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
# A media file name: no dot segments, backslashes, escapes or queries that could leave it.
_MEDIA_PATH = re.compile(
    r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*(?:/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)*"
)

_markdown = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes={tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags},
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def is_media_image(src: str) -> bool:
    """True for a source inside one of MEDIA_IMAGE_PATHS, naming a file and nothing more."""
    return any(
        src.startswith(prefix) and _MEDIA_PATH.fullmatch(src[len(prefix) :]) is not None
        for prefix in MEDIA_IMAGE_PATHS
    )


def _image_or_alt(match: re.Match[str]) -> str:
    attributes = {name: html.unescape(value) for name, value in _ATTR.findall(match.group(0))}
    if is_media_image(attributes.get("src", "")):
        return match.group(0)
    alt = attributes.get("alt", "").strip()
    return f'<span class="image-alt">{html.escape(alt, quote=False)}</span>' if alt else ""


def _clean_images(cleaned: str) -> str:
    return _IMG_TAG.sub(_image_or_alt, cleaned)


# Every item page renders its prompt, and a class sees the same few prompts many times:
# the result depends on the text alone.
@functools.lru_cache(maxsize=2048)
def render_markdown(text: str | None) -> Markup:
    """Block Markdown (paragraphs, lists, tables) as safe HTML."""
    if not text:
        return Markup("")
    return Markup(_clean_images(_clean(_markdown.render(text), _BLOCK_TAGS | _INLINE_TAGS)).strip())


@functools.lru_cache(maxsize=2048)
def render_markdown_inline(text: str | None) -> Markup:
    """One line of Markdown (an option, a matching side) without a wrapping paragraph."""
    if not text:
        return Markup("")
    return Markup(_clean_images(_clean(_markdown.renderInline(text), _INLINE_TAGS)).strip())


# A card side is Markdown written in a text box: a new line there is a line break.
_card_markdown = MarkdownIt("commonmark", {"html": True, "breaks": True}).enable(
    ["table", "strikethrough"]
)
_NEWLINE_BY_TAG = re.compile(r">\n+|\n+<")
_ONE_PARAGRAPH = re.compile(r"<p>((?:(?!</?p>).)*)</p>", re.DOTALL)


@functools.lru_cache(maxsize=4096)
def render_card_text(text: str | None) -> Markup:
    """A flashcard side (a learner's Markdown, or the formatting an Anki field brought) as
    safe HTML; a side of one paragraph is not wrapped in <p>, as Anki's fields are not."""
    if not text:
        return Markup("")
    cleaned = _clean_images(_clean(_card_markdown.render(text), _BLOCK_TAGS | _INLINE_TAGS))
    # Newlines beside tags are markdown-it's layout, not text: Anki fields have none.
    cleaned = _NEWLINE_BY_TAG.sub(lambda m: m.group(0).replace("\n", ""), cleaned)
    cleaned = cleaned.replace("<p></p>", "").strip()
    if (single := _ONE_PARAGRAPH.fullmatch(cleaned)) is not None:
        cleaned = single.group(1).strip()
    return Markup(cleaned)


def markdown_as_plain_text(text: str | None) -> str:
    """A prompt in a one-line list (reviews, item lists, reports): its words without the
    Markdown marks ("**border**" reads "border"); the template escapes it again."""
    return render_markdown_inline(" ".join((text or "").split())).striptags()


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["quiz_markdown"] = render_markdown  # the same, by its older name
    app.jinja_env.filters["markdown_inline"] = render_markdown_inline
    app.jinja_env.filters["card_markdown"] = render_card_text
    app.jinja_env.filters["markdown_plain"] = markdown_as_plain_text
    app.jinja_env.filters["counted"] = counted  # {{ n|counted('item') }}: "1 item", "2 items"
    app.jinja_env.globals["cite"] = cite  # templates/_sources.html: publisher, “title”, date, link
