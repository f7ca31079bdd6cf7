"""Editors' Markdown to safe HTML: render with python-markdown, then keep only an allow-list.

Raw HTML in the source is escaped before rendering, and the rendered HTML goes through nh3
(ammonia) with a short list of tags, attributes and URL schemes, so no editor input can run
script in a reader's browser.
"""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
MAX_SOURCE_CHARS = 100_000


def _renderer() -> md.Markdown:
    renderer = md.Markdown(
        extensions=["sane_lists", "tables", "nl2br"],
        output_format="html",
    )
    # Raw HTML blocks and inline HTML are treated as text, never passed through.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    return renderer


def render_markdown(source: str) -> SafeString:
    """Render editor Markdown to HTML that is safe to show to readers."""
    source = (source or "")[:MAX_SOURCE_CHARS]
    html = _renderer().convert(source)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
