"""A bounded HTTP load client for loopback benchmarks (standard library only).

``measure(base_url, paths, connections=4, requests=2000, duration=20)`` keeps ``connections``
requests in flight, cycling through ``paths``, and stops after ``requests`` responses or
``duration`` seconds, whichever comes first (requests in flight then may take up to
REQUEST_TIMEOUT more): it can never run away. Each request opens its own
connection and asks the server to close it (gunicorn's sync workers close anyway), so every
server is measured alike. Only loopback addresses are accepted.
"""

import asyncio
import ipaddress
import socket
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

REQUEST_TIMEOUT = 60.0  # seconds; a slower response counts as an error (TimeoutError)


class NotLoopback(ValueError):
    """The load client only sends traffic to this machine."""


@dataclass
class LoadResult:
    latencies: list = field(default_factory=list)  # seconds, successful responses only
    statuses: dict = field(default_factory=dict)  # status code (or error name) -> count
    seconds: float = 0.0

    @property
    def ok(self):
        return len(self.latencies)

    @property
    def errors(self):
        return sum(n for status, n in self.statuses.items() if not _is_success(status))

    @property
    def requests_per_second(self):
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p):
        """The p-th percentile latency in milliseconds (nearest rank), or None."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000

    def summary(self):
        return {
            "requests": self.ok + self.errors,
            "errors": self.errors,
            "rps": self.requests_per_second,
            "p50": self.percentile(50),
            "p95": self.percentile(95),
            "p99": self.percentile(99),
            "mean": statistics.fmean(self.latencies) * 1000 if self.latencies else None,
        }


def _is_success(status):
    return isinstance(status, int) and 200 <= status < 400


def check_loopback(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise NotLoopback(f"cannot resolve {host}: {error}") from error
    if not all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses):
        raise NotLoopback(
            f"{host} is not a loopback address; the load client only targets 127.0.0.1"
        )


def measure(base_url, paths, *, connections=4, requests=2000, duration=20.0, warmup=0):
    """Run the bounded load and return a LoadResult (warm-up responses are not counted)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    check_loopback(host)
    paths = list(paths)
    if not paths:
        raise ValueError("give at least one path to request")
    if warmup:
        asyncio.run(_run(host, port, paths, 1, warmup, min(duration, 10.0)))
    return asyncio.run(_run(host, port, paths, connections, requests, duration))


async def _run(host, port, paths, connections, requests, duration):
    result = LoadResult()
    counter = iter(range(requests))
    started = time.perf_counter()
    deadline = started + duration

    async def client():
        for number in counter:
            if time.perf_counter() >= deadline:
                return
            path = paths[number % len(paths)]
            begun = time.perf_counter()
            try:
                status = await asyncio.wait_for(_get(host, port, path), timeout=REQUEST_TIMEOUT)
            except (TimeoutError, OSError, ValueError) as error:
                status = type(error).__name__
            elapsed = time.perf_counter() - begun
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if _is_success(status):
                result.latencies.append(elapsed)

    await asyncio.gather(*(client() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


async def _get(host, port, path):
    """One GET; the status code once the whole response has been read."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
            "Accept: text/html\r\nUser-Agent: verbatim-bench\r\n\r\n".encode("latin-1")
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        while await reader.read(65536):
            pass
        return status
    except asyncio.IncompleteReadError as error:
        raise ValueError("the server closed the connection before answering") from error
    finally:
        writer.close()
