"""Editors' Markdown to safe HTML: render with python-markdown, then keep only an allow-list.

Raw HTML in the source is escaped before rendering, and the rendered HTML goes through nh3
(ammonia) with a short list of tags, attributes and URL schemes, so no editor input can run
script in a reader's browser.

A section body sits under the section's own `<h2>`, so its heading levels are renumbered
from h3 in order (`#`/`##` → h3/h4; a body using `###`/`#####` gets h3/h4), and the page
outline never skips a level.
"""

import re

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.treeprocessors import Treeprocessor

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
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
MAX_SOURCE_CHARS = 100_000

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# HTML comments are editors' notes (and the article format's section markers), not prose.
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class _DemoteHeadings(Treeprocessor):
    def run(self, root):
        headings = [element for element in root.iter() if element.tag in _HEADINGS]
        if not headings:
            return
        levels = sorted({_HEADINGS[element.tag] for element in headings})
        rank = {level: min(3 + i, 6) for i, level in enumerate(levels)}
        for element in headings:
            element.tag = f"h{rank[_HEADINGS[element.tag]]}"


def _renderer() -> md.Markdown:
    renderer = md.Markdown(
        extensions=["sane_lists", "tables", "nl2br"],
        output_format="html",
    )
    # Raw HTML blocks and inline HTML are treated as text, never passed through.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    renderer.treeprocessors.register(_DemoteHeadings(renderer), "demote_headings", 5)
    return renderer


def render_markdown(source: str) -> SafeString:
    """Render editor Markdown to HTML that is safe to show to readers."""
    source = _HTML_COMMENT.sub("", (source or "")[:MAX_SOURCE_CHARS])
    html = _renderer().convert(source)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # sanitised by nh3 just above
