"""Measure search against the log of real borrowers' queries (tests/real_queries.py).

Loads the demo articles into a throw-away data dir, builds the index and runs every query of
the log through the search the JSON API uses; prints per group: queries, expected article in
the top 3 / first, no result at all, relaxed (partial) matches, and for "nothing" queries the
share that found nothing.

    .venv/bin/python scripts/real_queries.py            # the table
    .venv/bin/python scripts/real_queries.py --misses   # and every query that missed
    .venv/bin/python scripts/real_queries.py --held-out # the queries kept out of tuning
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    data_dir = tempfile.mkdtemp(prefix="kb-real-queries-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ["KB_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles.demo_content import load_demo
    from articles.search.indexing import build

    call_command("migrate", verbosity=0)
    load_demo()
    build(procs=1)


def measure(show_misses: bool = False, held_out: bool = False) -> dict:
    from articles.search.searching import search
    from tests import real_queries

    log = real_queries.HELD_OUT if held_out else real_queries.REAL_QUERIES

    code = {
        value: name
        for name, value in vars(real_queries).items()
        if name.isupper() and isinstance(value, str)
    }

    rows: dict = defaultdict(lambda: defaultdict(int))
    misses = []
    for group, query, expected in log:
        page = search(query, per_page=10)
        slugs = [result.article.slug for result in page.results]
        row = rows[group]
        row["n"] += 1
        row["zero"] += page.total == 0
        row["relaxed"] += bool(getattr(page, "relaxed", False))
        if expected:
            row["scored"] += 1
            row["top1"] += bool(slugs) and slugs[0] in expected
            hit = bool(set(slugs[:3]) & set(expected))
            row["top3"] += hit
            if not hit or slugs[0] not in expected:
                misses.append((query, expected, slugs[:3], page.total, hit))
        else:
            row["nothing"] += 1
            row["nothing_ok"] += page.total == 0
            if page.total:
                misses.append((query, expected, slugs[:3], page.total, False))
    total: dict = defaultdict(int)
    for row in rows.values():
        for key, value in row.items():
            total[key] += value
    print("| group | queries | top 3 | top 1 | no result | relaxed |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in [*rows.items(), ("all", total)]:
        if row["scored"]:
            top3 = f"{row['top3']}/{row['scored']} ({row['top3'] / row['scored']:.0%})"
            top1 = f"{row['top1']}/{row['scored']} ({row['top1'] / row['scored']:.0%})"
        else:
            top3 = top1 = "—"
        zero = f"{row['zero']}/{row['n']}"
        if name == "nothing" or (name == "all" and row["nothing"]):
            zero += f" (nothing: {row['nothing_ok']}/{row['nothing']} right)"
        print(f"| {name} | {row['n']} | {top3} | {top1} | {zero} | {row['relaxed']} |")
    scored = total["scored"]
    answerable_zero = total["zero"] - total["nothing_ok"]
    print(
        f"\ntop-3 {total['top3'] / scored:.3f}  top-1 {total['top1'] / scored:.3f}  "
        f"zero-result rate (answerable queries) {answerable_zero / scored:.3f}  "
        f"nothing-queries right {total['nothing_ok']}/{total['nothing']}"
    )
    if show_misses:
        print("\nmisses (top 3), and queries whose first result is not expected (top 1):")
        for query, expected, got, found, in_top3 in misses:
            want = " ".join(code[slug] for slug in expected) or "nothing"
            print(
                f"  {'top 1' if in_top3 else 'top 3'}  {query}: want {want}; "
                f"got {' '.join(code.get(slug, slug) for slug in got) or '-'} ({found} found)"
            )
    return total


if __name__ == "__main__":
    _setup()
    measure(show_misses="--misses" in sys.argv, held_out="--held-out" in sys.argv)
