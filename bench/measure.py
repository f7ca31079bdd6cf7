"""Measurements, the same for our engine and for the tutorial set-up.

Each takes the set-up's JSON view (a function of a request) and, for edits, a `save`
callable that performs an editor's save through that set-up's own path.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from django.db import transaction
from django.test import RequestFactory

from articles.models import Article, Section

from . import corpus

_factory = RequestFactory()


def load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentiles(samples: list[float]) -> dict:
    """p50/p95 (numpy's linear interpolation), mean and max of samples in seconds, as ms."""
    values = np.asarray(samples)
    return {
        "p50_ms": ms(float(np.percentile(values, 50))),
        "p95_ms": ms(float(np.percentile(values, 95))),
        "mean_ms": ms(float(values.mean())),
        "max_ms": ms(float(values.max())),
        "samples": len(samples),
    }


def directory_mb(path: Path) -> float:
    size = sum(entry.stat().st_size for entry in Path(path).rglob("*") if entry.is_file())
    return round(size / 2**20, 2)


def segments(path: Path) -> int:
    from whoosh.filedb.filestore import FileStorage

    from articles.search import whoosh_internals

    return len(whoosh_internals.segments(FileStorage(str(path)).open_index()))


def _rusage() -> tuple[float, float, float]:
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    return cpu, me.ru_maxrss / 1024, children.ru_maxrss / 1024


def timed_build(build, articles: int) -> dict:
    """Wall time of a full build; CPU time (this process and its writers) says what it costs
    whatever else the machine is doing; peak memory of this process and of any writer."""
    cpu_before, _, _ = _rusage()
    started = time.perf_counter()
    build()
    seconds = time.perf_counter() - started
    cpu_after, rss_main, rss_writer = _rusage()
    return {
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 1),
        "cpu_seconds": round(cpu_after - cpu_before, 1),
        "peak_rss_mb": {"main": round(rss_main), "writer_process": round(rss_writer)},
    }


def call(view, query: str) -> tuple[float, dict]:
    """One request through the view: seconds taken (rendering included) and the JSON body."""
    request = _factory.get("/api/search/", {"q": query})
    started = time.perf_counter()
    response = view(request)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{query!r}: HTTP {response.status_code}")
    return seconds, json.loads(response.content)


def latency(view, queries: list[tuple[str, str]], rounds: int, warmup: int = 1) -> dict:
    """Query latency over `rounds` passes of the list, after `warmup` passes."""
    for _ in range(warmup):
        for _, query in queries:
            call(view, query)
    samples, by_category, by_query, totals = [], defaultdict(list), defaultdict(list), {}
    for _ in range(rounds):
        for category, query in queries:
            seconds, body = call(view, query)
            samples.append(seconds)
            by_category[category].append(seconds)
            by_query[query].append(seconds)
            totals[query] = body["total"]
    return {
        **percentiles(samples),
        "rounds": rounds,
        "queries": len(queries),
        "by_category": {
            category: {k: v for k, v in percentiles(values).items() if k != "samples"}
            for category, values in by_category.items()
        },
        "per_query": {
            query: {"p50_ms": ms(float(np.median(values))), "total": totals[query]}
            for query, values in by_query.items()
        },
    }


def _slug_in(url: str, slug: str) -> bool:
    return slug in url.split("#")[0].strip("/").split("/")


def recall(view, needles: list[dict], k: int = 10) -> dict:
    """Recall@k of the needle articles, queried in their own script and in the other one."""
    found = defaultdict(int)
    missed = {"same": [], "cross": []}
    for needle in needles:
        for which, script in (("same", needle["script"]), ("cross", _other(needle["script"]))):
            query = needle["queries"][script]
            _, body = call(view, query)
            if any(_slug_in(result["url"], needle["slug"]) for result in body["results"][:k]):
                found[which] += 1
                found[which, needle["script"]] += 1
            else:
                missed[which].append(query)
    n = len(needles)
    per_script = {s: sum(needle["script"] == s for needle in needles) for s in ("hans", "hant")}
    return {
        "k": k,
        "needles": n,
        "same_script": round(found["same"] / n, 3),
        "cross_script": round(found["cross"] / n, 3),
        # by the script the needle article is written in
        "by_article_script": {
            s: {
                "needles": count,
                "same_script": round(found["same", s] / count, 3) if count else None,
                "cross_script": round(found["cross", s] / count, 3) if count else None,
            }
            for s, count in per_script.items()
        },
        "missed_same": missed["same"][:10],
        "missed_cross": missed["cross"][:10],
    }


def _other(script: str) -> str:
    return "hant" if script == "hans" else "hans"


def edit_targets(size: int, count: int) -> list[str]:
    """Slugs of the articles the reindex measurement edits, spread over the corpus."""
    step = max(size // count, 1)
    return [f"bench-{(i * step + step // 3) % size}" for i in range(count)]


def marker(i: int) -> str:
    """A phrase that occurs nowhere in the corpus (needle words no needle uses)."""
    words = corpus.needle_words()
    base = 2 * corpus.needle_count(10**9)
    return words[base + 2 * i] + words[base + 2 * i + 1]


def reindex(view, size: int, saves: int) -> dict:
    """An editor's save, `saves` times: change one section, save it and its article in one
    transaction (as the admin does), let the set-up's signal path update the index; then
    search for the new words once and check the article comes first.

    The set-up under test must be following edits (its signal processor connected). The
    original texts are put back afterwards with `update()`, which sends no signal.
    """
    durations, first_query, found = [], [], 0
    originals = {}
    for i, slug in enumerate(edit_targets(size, saves)):
        article = Article.objects.select_related("lender").get(slug=slug)
        section = article.sections.order_by("-order").first()
        originals[section.pk] = section.body
        phrase = marker(i)
        section.body = f"{section.body}\n\n编辑补充：关于{phrase}的情况，另行说明。"
        started = time.perf_counter()
        with transaction.atomic():
            section.save()
            article.save()
        durations.append(time.perf_counter() - started)
        seconds, body = call(view, phrase)
        first_query.append(seconds)
        results = body["results"]
        found += bool(results) and _slug_in(results[0]["url"], slug)
    for pk, text in originals.items():
        Section.objects.filter(pk=pk).update(body=text)
    slow = [d for d in durations if d > 1.0]
    return {
        **percentiles(durations),
        "saves_over_1s": len(slow),
        "first_query_after_save": percentiles(first_query),
        "found_first": f"{found}/{saves}",
    }
