"""`make loadtest`: start the production server on 127.0.0.1, drive it, print the figures.

    python -m loadtest [--seconds 60] [--users 12] [--workers 3] [--warmup 5]
                       [--scenario mix,article-304,search,search-304]

Each scenario (loadtest/mix.py) runs for `--seconds` after its own warm-up, one after
another against the same server, and prints its own table. Exits 1 if any request failed or
the server logged a traceback. Everything it starts (gunicorn and its workers, the temporary
data dir) is stopped and removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from datetime import datetime

from .client import drive, report
from .mix import SCENARIOS, SEARCHES, Site
from .server import HOST, production_server

SITE = (
    "import json\n"
    "from articles.models import Article, Lender\n"
    "from articles.search.searching import search\n"
    f"searches = {SEARCHES!r}\n"
    "print(json.dumps({\n"
    "    'articles': list(Article.objects.published().values_list('slug', flat=True)),\n"
    "    'lenders': list(Lender.objects.with_published_articles().values_list('slug', flat=True)),\n"
    "    'paged': [q for q in searches if search(q).pages >= 2],\n"
    "}))\n"
)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


class Cpu:
    """CPU time the server and this client spent while a scenario was measured: on a shared
    machine req/s depends on what else runs, CPU milliseconds a request do not."""

    def __init__(self, server):
        self.server = server
        self.begin = self.end = (0.0, 0.0)

    def _now(self) -> tuple[float, float]:
        return self.server.cpu_seconds(), time.process_time()

    def start(self) -> None:
        self.begin = self._now()

    def stop(self) -> None:
        self.end = self._now()

    def describe(self, requests: int, seconds: float) -> str:
        server = self.end[0] - self.begin[0]
        client = self.end[1] - self.begin[1]
        if not requests or not seconds:
            return "cpu: no requests"
        each = server / requests * 1000
        return (
            f"cpu: server {server:.1f} s ({each:.2f} ms a request, {server / seconds:.2f} cores "
            f"busy; {1000 / each if each else 0:.0f} req/s per core), client {client:.1f} s "
            f"({client / requests * 1000:.2f} ms a request)"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.split("\n")[0])
    default_seconds = float(os.environ.get("LOADTEST_SECONDS", 60))
    parser.add_argument("--seconds", type=float, default=default_seconds, help="measured time")
    parser.add_argument("--users", type=int, default=12, help="concurrent virtual readers")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before measuring")
    parser.add_argument(
        "--scenario",
        default=",".join(SCENARIOS),
        help=f"comma-separated, in order (default: all of {', '.join(SCENARIOS)})",
    )
    args = parser.parse_args(argv)
    scenarios = [name.strip() for name in args.scenario.split(",") if name.strip()]
    unknown = [name for name in scenarios if name not in SCENARIOS]
    if unknown or not scenarios:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")

    print(f"load test {datetime.now().astimezone():%Y-%m-%d %H:%M %z}, {platform.node()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    print(f"before: {_load()}")
    print("preparing: collectstatic, migrate, demo articles, a 100,000-character article, "
          "search index …", flush=True)  # fmt: skip
    errors = 0
    with production_server(workers=args.workers, long_article=True) as server:
        result = server.manage("shell", "-c", SITE)
        site = Site(**json.loads(result.stdout.strip().splitlines()[-1]))
        print(
            f"gunicorn: {args.workers} workers on http://{HOST}:{server.port}/ (DEBUG off), "
            f"{len(site.articles)} articles, {len(site.lenders)} lenders; "
            f"{args.users} users for {args.seconds:g} s after {args.warmup:g} s warm-up "
            "per scenario",
            flush=True,
        )
        for name in scenarios:
            started = time.monotonic()
            cpu = Cpu(server)
            results = asyncio.run(
                drive(HOST, server.port, site, users=args.users, seconds=args.seconds,
                      warmup=args.warmup, scenario=name, on_measure=cpu.start)
            )  # fmt: skip
            cpu.stop()
            print(f"\nscenario {name}")
            print(report(results))
            print(f"{results.requests} requests in {results.seconds:.1f} s "
                  f"({results.requests / results.seconds:.1f} req/s), {results.errors} errors; "
                  f"wall {time.monotonic() - started:.0f} s; {_load()}")  # fmt: skip
            print(cpu.describe(results.requests, results.seconds), flush=True)
            errors += results.errors
        log = server.log()
    tracebacks = log.count("Traceback")
    if tracebacks:
        print(f"the server logged {tracebacks} traceback(s):\n{log[-4000:]}", file=sys.stderr)
    return 1 if errors or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
