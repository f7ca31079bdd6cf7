"""Links in a scraped page: kept as text, never live, and flagged for an editor.

A scraped page is someone else's text, yet its section bodies are stored as Markdown, so
`[点此联系官方客服](https://evil.example/phish)` in it would become a link readers trust.
`as_text` escapes what Markdown (`articles.markdown`) would turn into a link: every `[`
(links, images, reference links and their definitions) and every `>` after a `<`
(`<https://…>` and `<name@host>` autolinks). Backslashes already in front of those are
doubled, so the page reads exactly as it was written. A bare URL is not a link in our
Markdown and stays as it is.

`find_links` returns one flag per web address (with a scheme, or starting `www.`) naming its
domain, so an article quoting one waits in 待审核 until an editor has looked at it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .damage import flag

LINK = "link"
MAX_FLAGS = 5

_LINK_OPENERS = re.compile(r"\\*(\[|>)")
# Chinese text runs straight into an address (请点击https://…查询), so no \b: the address
# starts after anything but a letter, digit or dot, and is made of URL characters only.
_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9.])(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+", re.IGNORECASE
)


def as_text(body: str) -> str:
    """`body` with every would-be link escaped, so it renders as the text it is."""
    if "[" not in body and not ("<" in body and ">" in body):
        return body
    first_angle = body.find("<")

    def escape(match: re.Match) -> str:
        backslashes = len(match.group()) - 1
        char = match.group(1)
        if char == ">" and (first_angle == -1 or match.start() < first_angle):
            return match.group()
        return "\\" * (2 * backslashes + 1) + char

    return _LINK_OPENERS.sub(escape, body)


def find_links(lines: list[str]) -> list[dict]:
    """One flag per domain a web address in `lines` points to, in reading order."""
    flags: dict[str, dict] = {}
    for line in lines:
        for match in _ADDRESS.finditer(line):
            address = match.group()
            domain = domain_of(address)
            if domain and domain not in flags and len(flags) < MAX_FLAGS:
                message = (
                    f"原文含网址（{domain}），已作为文字保存、读者不能点击；"
                    "请核实这个网址可信，不可信就删掉"
                )
                flags[domain] = flag(LINK, _excerpt(line, match), message)
    return list(flags.values())


def domain_of(address: str) -> str:
    """The host of a web address (a bare www. one too), lower case; '' when it has none."""
    if address.lower().startswith("www."):
        address = "http://" + address
    try:
        return (urlsplit(address).hostname or "").rstrip(".")
    except ValueError:  # a malformed [IPv6] part
        return ""


def _excerpt(line: str, match: re.Match, context: int = 10) -> str:
    return line[max(0, match.start() - context) : match.end() + context]
