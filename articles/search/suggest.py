"""Autocomplete: lenders by the start of a name, alias, pinyin or initials; article titles.

Lenders come from the lexicon (lexicon.py); titles are kept per process, folded and sorted,
and reloaded when the titles stamp changes (after any article is reindexed).
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

from django.urls import reverse

from articles.display import convert
from kb.text import fold

from . import lexicon, state
from .query import clean

MAX_SUGGESTIONS = 8


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
    prefix = _compact(fold(clean(raw)))
    if not prefix:
        return []
    found = _lenders(prefix, variant, limit)
    seen = {item["text"] for item in found}
    for item in _titles(prefix, variant, limit):
        if len(found) >= limit:
            break
        if item["text"] not in seen:
            seen.add(item["text"])
            found.append(item)
    return found[:limit]


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
