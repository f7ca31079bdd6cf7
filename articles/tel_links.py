"""Tap-to-call: public numbers in an article's text become tel: links (12378 → tel:12378).

A Markdown treeprocessor, run after Markdown's own: in the text of every element but links
and code, each number `kb.phones.find` sees of a public kind — companies' service numbers
(95384, 400-…), 12xxx hotlines, 110 — becomes `<a href="tel:…">` around the text as written.
Mobiles and landlines stay text: in an article they are examples of who may call, not numbers
to call. The link then goes through nh3 like everything else (the tel scheme is allowed).
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from kb import phones

_SKIP = frozenset({"a", "code", "pre"})


def _pieces(text: str) -> tuple[str, list[etree.Element]] | None:
    """`text` cut at public numbers: the text before the first, and one link per number
    (each with the text up to the next as its tail); None when it holds none."""
    found = [phone for phone in phones.find(text) if phone.kind in phones.PUBLIC_KINDS]
    if not found:
        return None
    links = []
    for phone, following in zip(found, [*found[1:], None], strict=True):
        link = etree.Element("a", {"href": f"tel:{phone.dial}"})
        link.text = text[phone.start : phone.end]
        link.tail = text[phone.end : following.start if following else len(text)]
        links.append(link)
    return text[: found[0].start], links


class TelLinks(Treeprocessor):
    def run(self, root):
        self._link(root)

    def _link(self, element) -> None:
        if element.tag in _SKIP:
            return
        children = list(element)
        if element.text and (pieces := _pieces(element.text)):
            element.text, links = pieces
            for index, link in enumerate(links):
                element.insert(index, link)
        for child in children:
            self._link(child)
            if child.tail and (pieces := _pieces(child.tail)):
                child.tail, links = pieces
                at = list(element).index(child) + 1
                for offset, link in enumerate(links):
                    element.insert(at + offset, link)
