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
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

from .tel_links import TelLinks

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
# Part of the cached article's key (articles/display.py): bump it when rendering changes, so
# cached pages pick the change up without every article being edited.
RENDER_REVISION = 2  # 2: tel: links for hotlines
# A link target longer than this is not a link: it stays text.
MAX_LINK_CHARS = 2_000
# Characters one render may walk looking for link targets: every target of the longest
# body fits; a body built to make that walk long gets its later links as text.
LINK_SCAN_BUDGET = 2 * MAX_SOURCE_CHARS
# python-markdown's link and image processors, with the priorities it registers them at.
_LINK_PROCESSORS = {
    "reference": 170,
    "link": 160,
    "image_link": 150,
    "image_reference": 140,
    "short_reference": 130,
    "short_image_ref": 125,
}

_BRACKETS = re.compile(r"[\[\]]")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def without_comments(text: str) -> str:
    """`text` without its HTML comments: editors' notes (and the article format's section
    markers), not prose. Like re.sub(r"<!--.*?-->", "", text, flags=re.S), in one pass:
    that pattern rescans to the end of the text from each unclosed `<!--`."""
    pieces, kept_to = [], 0
    while (start := text.find("<!--", kept_to)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break  # no comment closes after this one, nor after any later one
        pieces.append(text[kept_to:start])
        kept_to = end + 3
    pieces.append(text[kept_to:])
    return "".join(pieces)


class _DemoteHeadings(Treeprocessor):
    def run(self, root):
        headings = [element for element in root.iter() if element.tag in _HEADINGS]
        if not headings:
            return
        levels = sorted({_HEADINGS[element.tag] for element in headings})
        rank = {level: min(3 + i, 6) for i, level in enumerate(levels)}
        for element in headings:
            element.tag = f"h{rank[_HEADINGS[element.tag]]}"


class _BoundedScan:
    """A link processor whose work is linear in the paragraph.

    python-markdown looks for the `]` closing each `[` by walking to the end of the paragraph
    when nothing closes it, once per link processor: 10,000 `[` took seconds to render,
    50,000 took minutes. Here the closing `]` of every `[` comes from one pass over the
    paragraph's brackets (the same pairs its walk finds), and a link target is looked for
    at most MAX_LINK_CHARS ahead, within LINK_SCAN_BUDGET for the whole render.
    """

    _pairs: tuple[str | None, dict[int, int]] = (None, {})
    _budget = LINK_SCAN_BUDGET

    def _closing_brackets(self, data: str) -> dict[int, int]:
        """Offset after each `[` in `data` → offset of the `]` that closes it."""
        if self._pairs[0] is not data:
            pairs, opened = {}, []
            for bracket in _BRACKETS.finditer(data):
                if bracket.group() == "[":
                    opened.append(bracket.end())
                elif opened:
                    pairs[opened.pop()] = bracket.start()
            self._pairs = (data, pairs)
        return self._pairs[1]

    def getText(self, data, index):  # noqa: N802 - python-markdown's name
        close = self._closing_brackets(data).get(index)
        if close is None:
            return "", index, False
        return data[index:close], close + 1, True

    def getLink(self, data, index):  # noqa: N802 - python-markdown's name
        window = data[index : index + min(MAX_LINK_CHARS, self._budget)]
        href, title, end, handled = super().getLink(window, 0)
        # An unclosed title can make python-markdown "close" the link before it began.
        handled = handled and end > 0
        self._budget -= end if handled else len(window)
        return href, title, index + end, handled


def _bounded(processor: LinkInlineProcessor) -> LinkInlineProcessor:
    cls = type(processor)
    bounded = type(f"Bounded{cls.__name__}", (_BoundedScan, cls), {})
    return bounded(processor.pattern, processor.md)


def _renderer() -> md.Markdown:
    renderer = md.Markdown(
        extensions=["sane_lists", "tables", "nl2br"],
        output_format="html",
    )
    # Raw HTML blocks and inline HTML are treated as text, never passed through.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    for name, priority in _LINK_PROCESSORS.items():
        renderer.inlinePatterns.register(_bounded(renderer.inlinePatterns[name]), name, priority)
    renderer.treeprocessors.register(_DemoteHeadings(renderer), "demote_headings", 5)
    renderer.treeprocessors.register(TelLinks(renderer), "tel_links", -10)  # after unescape
    return renderer


def render_markdown(source: str) -> SafeString:
    """Render editor Markdown to HTML that is safe to show to readers."""
    source = without_comments((source or "")[:MAX_SOURCE_CHARS])
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
