"""An asyncio HTTP/1.1 client: `users` virtual readers, each sending one request after another.

gunicorn's sync workers close the connection after every response, so each request opens
its own connection (as a browser's first visit would). Latency is measured from connect to
the last byte. A non-200 answer, a timeout or a refused connection is an error.

In a revalidating scenario the readers stand for a CDN or nginx in front of the site: they
share one store of the ETags they were given and send each back (If-None-Match); the answer
must be 304, or 200 for a URL not seen before — a 200 for a URL whose ETag was sent means
revalidation failed, and is an error.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from .mix import SCENARIOS, Request, Scenario, Site, next_request

TIMEOUT = 30.0


@dataclass
class Endpoint:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def record(self, seconds: float, error: str | None) -> None:
        self.latencies.append(seconds)
        if error is not None:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(error)


@dataclass
class Results:
    seconds: float = 0.0
    endpoints: dict[str, Endpoint] = field(default_factory=lambda: defaultdict(Endpoint))

    @property
    def requests(self) -> int:
        return sum(len(e.latencies) for e in self.endpoints.values())

    @property
    def errors(self) -> int:
        return sum(e.errors for e in self.endpoints.values())


async def fetch(host: str, port: int, path: str, etag: str | None = None) -> tuple[int, str | None]:
    """The answer's status and ETag."""
    reader, writer = await asyncio.open_connection(host, port)
    condition = f"If-None-Match: {etag}\r\n" if etag else ""
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n{condition}"
            "User-Agent: kb-loadtest\r\nConnection: close\r\n\r\n".encode("ascii")
        )
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head = data.partition(b"\r\n\r\n")[0].split(b"\r\n")
    status_line = head[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ConnectionError(f"no HTTP response ({len(data)} bytes)")
    tags = [
        line.split(b":", 1)[1].strip() for line in head[1:] if line.lower().startswith(b"etag:")
    ]
    return int(status_line[1]), tags[0].decode("latin-1") if tags else None


async def _user(host, port, site, scenario: Scenario, etags: dict, rng, until, results,
                record: bool):  # fmt: skip
    while time.monotonic() < until:
        request: Request = next_request(rng, site, scenario.mix)
        known = etags.get(request.path) if scenario.revalidate else None
        started = time.perf_counter()
        error = None
        try:
            status, etag = await asyncio.wait_for(fetch(host, port, request.path, known), TIMEOUT)
            error = _check(scenario, status, known, request.path)
            if scenario.revalidate and etag:
                etags[request.path] = etag
        except (TimeoutError, OSError, ConnectionError) as exc:
            error = f"{type(exc).__name__} {request.path}"
        if record:
            name = f"{request.endpoint} 304" if scenario.revalidate else request.endpoint
            results.endpoints[name].record(time.perf_counter() - started, error)


def _check(scenario: Scenario, status: int, known: str | None, path: str) -> str | None:
    if status == 200 and known is None:
        return None
    if status == 304 and scenario.revalidate:
        return None
    expected = " (If-None-Match sent, 304 expected)" if known else ""
    return f"HTTP {status} {path}{expected}"


async def drive(host: str, port: int, site: Site, *, users: int, seconds: float, warmup: float,
                seed: int = 2026, scenario: str = "mix", on_measure=None) -> Results:  # fmt: skip
    """Warm up (not recorded: every worker loads its dictionaries once, and in a revalidating
    scenario the shared store learns the ETags), then measure."""
    plan = SCENARIOS[scenario]
    etags: dict[str, str] = {}  # one store for all readers, as a CDN has
    results = Results()
    if warmup > 0:
        until = time.monotonic() + warmup
        await asyncio.gather(
            *(_user(host, port, site, plan, etags, random.Random(-i), until, results, False)
              for i in range(users))
        )  # fmt: skip
    if on_measure is not None:
        on_measure()
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(_user(host, port, site, plan, etags, random.Random(seed + i), until, results, True)
          for i in range(users))
    )  # fmt: skip
    results.seconds = time.monotonic() - started
    return results


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def report(results: Results) -> str:
    header = (
        f"{'endpoint':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
    )
    lines = [header, "-" * len(header)]
    rows = sorted(results.endpoints.items(), key=lambda item: -len(item[1].latencies))
    everything = Endpoint()
    for name, endpoint in rows:
        everything.latencies += endpoint.latencies
        everything.errors += endpoint.errors
        lines.append(_row(name, endpoint, results.seconds))
    lines.append("-" * len(header))
    lines.append(_row("all", everything, results.seconds))
    for name, endpoint in rows:
        for sample in endpoint.error_samples:
            lines.append(f"  error ({name}): {sample}")
    return "\n".join(lines)


def _row(name: str, endpoint: Endpoint, seconds: float) -> str:
    values = endpoint.latencies
    if not values:
        return f"{name:<14}{0:>9}"
    ms = [v * 1000 for v in values]
    return (
        f"{name:<14}{len(values):>9}{len(values) / seconds:>8.1f}{percentile(ms, 50):>9.1f}"
        f"{percentile(ms, 95):>9.1f}{percentile(ms, 99):>9.1f}{max(ms):>9.1f}{endpoint.errors:>8}"
    )
