"""An asyncio HTTP/1.1 client: `users` virtual readers, each sending one request after another.

gunicorn's sync workers close the connection after every response, so each request opens
its own connection (as a browser's first visit would). Latency is measured from connect to
the last byte. A non-200 answer, a timeout or a refused connection is an error.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from .mix import Request, Site, next_request

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


async def fetch(host: str, port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n"
            "User-Agent: kb-loadtest\r\nConnection: close\r\n\r\n".encode("ascii")
        )
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ConnectionError(f"no HTTP response ({len(data)} bytes)")
    return int(status_line[1]), body


async def _user(host, port, site, rng, until, results, record: bool):
    while time.monotonic() < until:
        request: Request = next_request(rng, site)
        started = time.perf_counter()
        error = None
        try:
            status, _ = await asyncio.wait_for(fetch(host, port, request.path), TIMEOUT)
            if status != 200:
                error = f"HTTP {status} {request.path}"
        except (TimeoutError, OSError, ConnectionError) as exc:
            error = f"{type(exc).__name__} {request.path}"
        if record:
            results.endpoints[request.endpoint].record(time.perf_counter() - started, error)


async def drive(host: str, port: int, site: Site, *, users: int, seconds: float, warmup: float,
                seed: int = 2026) -> Results:  # fmt: skip
    """Warm up (not recorded: every worker loads its dictionaries once), then measure."""
    results = Results()
    if warmup > 0:
        until = time.monotonic() + warmup
        await asyncio.gather(
            *(_user(host, port, site, random.Random(-i), until, results, False)
              for i in range(users))
        )  # fmt: skip
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(_user(host, port, site, random.Random(seed + i), until, results, True)
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
