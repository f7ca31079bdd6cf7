"""Autocomplete: listed numbers by their first digits (from 4, however typed: +86 9538);
lenders by the start of a name, alias, pinyin or initials; article titles.

Lenders come from the lexicon (lexicon.py); titles are kept per process, folded and sorted,
and reloaded when the titles stamp changes (after any article is reindexed).
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from articles.display import convert
from kb import phones
from kb.text import fold

from . import lexicon, state
from .query import clean

MAX_SUGGESTIONS = 8
MIN_NUMBER_DIGITS = 4


@dataclass(frozen=True, order=True)
class Title:
    folded: str
    title: str
    slug: str
    script: str


_lock = threading.Lock()
_cache: dict = {"key": None, "titles": None}


def titles() -> list[Title]:
    key = (str(state.index_path()), state.version(state.TITLES))
    if _cache["titles"] is not None and _cache["key"] == key:
        return _cache["titles"]
    with _lock:
        if _cache["titles"] is None or _cache["key"] != key:
            from articles.models import Article

            rows = Article.objects.published().values_list("title", "slug", "script")
            _cache["titles"] = sorted(
                Title(_compact(fold(title)), title, slug, script) for title, slug, script in rows
            )
            _cache["key"] = key
        return _cache["titles"]


def reset() -> None:
    with _lock:
        _cache["titles"] = None
        _cache["key"] = None


def _compact(text: str) -> str:
    return "".join(text.split())


def suggest(raw, variant: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
    text = clean(raw)
    prefix = _compact(fold(text))
    if not prefix:
        return []
    digits = phones.typed_digits(text)
    found = _numbers(digits, variant, limit) if len(digits) >= MIN_NUMBER_DIGITS else []
    found += _lenders(prefix, variant, limit)
    seen = {item["text"] for item in found}
    for item in _titles(prefix, variant, limit):
        if len(found) >= limit:
            break
        if item["text"] not in seen:
            seen.add(item["text"])
            found.append(item)
    return found[:limit]


def _numbers(digits: str, variant: str, limit: int) -> list[dict]:
    """Listed numbers starting with `digits` (a landline's local number too), one suggestion
    per number naming every lender that publishes it; the link is the search's answer."""
    from articles.models import OfficialNumber

    rows = (
        OfficialNumber.objects.filter(digits__contains=digits)
        .select_related("lender")
        .order_by("digits", "lender__name", "pk")
    )
    by_digits: dict[str, list] = {}
    for row in rows:
        phone = phones.parse(row.digits)
        local = phone.local if phone is not None else row.digits
        if row.digits.startswith(digits) or local.startswith(digits):
            by_digits.setdefault(row.digits, []).append(row)
    out = []
    for number, listed in list(by_digits.items())[:limit]:
        phone = phones.parse(number)
        shown = phone.display if phone is not None else number
        lenders = "、".join(dict.fromkeys(convert(row.lender.name, variant) for row in listed))
        out.append(
            {
                "text": number,
                "label": f"{shown} {lenders} · {convert(listed[0].purpose, variant)}",
                "kind": "number",
                "url": reverse("articles:search") + "?" + urlencode({"q": number}),
            }
        )
    return out


def _lenders(prefix: str, variant: str, limit: int) -> list[dict]:
    """Lenders whose name (0), name's pinyin (1), alias (2) or alias's pinyin (3) starts so."""
    ranked = []
    for entry in lexicon.current().lenders:
        written = {fold(name): name for name in entry.names}
        best = None
        for key in (*entry.own_keys, *written, *entry.pinyin, *entry.initials):
            if not _compact(key).startswith(prefix):
                continue
            if key in entry.own_keys:
                rank = 0 if key == fold(entry.name) else 1
            else:
                rank = 2 if key in written else 3
            if best is None or rank < best[0]:
                best = (rank, written.get(key))
        if best is not None:
            ranked.append((best[0], len(entry.name), entry.name, entry, best[1]))
    ranked.sort(key=lambda item: item[:3])
    out = []
    for rank, _, _, entry, matched in ranked[:limit]:
        name = convert(entry.name, variant)
        item = {
            "text": name,
            "label": name,
            "kind": "lender",
            "url": reverse("articles:lender", kwargs={"slug": entry.slug}),
        }
        if rank >= 2 and matched and fold(matched) != fold(entry.name):
            item["label"] = f"{name}（{convert(matched, variant)}）"
        out.append(item)
    return out


def _titles(prefix: str, variant: str, limit: int) -> list[dict]:
    entries = titles()
    chosen = []
    i = bisect.bisect_left(entries, Title(prefix, "", "", ""))
    while i < len(entries) and entries[i].folded.startswith(prefix) and len(chosen) < limit:
        chosen.append(entries[i])
        i += 1
    if len(chosen) < limit:
        for entry in entries:
            if prefix in entry.folded and entry not in chosen:
                chosen.append(entry)
                if len(chosen) >= limit:
                    break
    return [
        {
            "text": convert(entry.title, variant, entry.script),
            "label": convert(entry.title, variant, entry.script),
            "kind": "article",
            "url": reverse("articles:article", kwargs={"slug": entry.slug}),
        }
        for entry in chosen
    ]
