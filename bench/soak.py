"""Soak: many concurrent readers against gunicorn and PostgreSQL; any error is a failure.

``make soak`` (``N`` statements, default 20,000; ``CONNECTIONS`` default 32; ``SECONDS``
default 60): builds the synthetic corpus in a fresh PostgreSQL database, serves the site with
gunicorn and production settings on loopback, and keeps CONNECTIONS readers busy on a mix of
search, official and permalink pages for SECONDS. The figures replace the "soak" section of
docs/benchmarks.md. Exits 1 if any request failed.
"""

import argparse
import datetime
import os
import secrets
import sys
import time
from pathlib import Path

from bench.load import measure
from bench.report import replace_section
from bench.run import (
    DEFAULT_PG_URL,
    BenchError,
    generate_corpus,
    gunicorn_command,
    log,
    manage,
    pick_targets,
    production_env,
    recreate_database,
    redact,
    search_mix,
    serving,
    with_query,
)

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=int(os.environ.get("N", 20_000)))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", 32)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SECONDS", 60)))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    return parser.parse_args(argv)


def reader_paths(targets, mix):
    paths = [with_query("/statements/", params) for _, params in mix]
    paths += [f"/officials/{slug}/" for slug in targets["officials"]]
    paths += [f"/statements/{pk}/" for pk in targets["statements"]]
    return paths


def main(argv=None):
    args = parse_args(argv)
    url = args.pg_url.rsplit("/", 1)[0] + "/verbatim_soak"
    env = production_env(url, secrets.token_urlsafe(50))
    started_at = datetime.datetime.now(datetime.UTC)
    try:
        log(f"soak: fresh database {redact(url)}")
        recreate_database(url)
        manage(env, "migrate", "--noinput", "--skip-checks")
        manage(env, "collectstatic", "--noinput", "-v0", "--skip-checks")
        generate_corpus(env, args.statements, 1)
        targets = pick_targets(url)
        paths = reader_paths(targets, search_mix(targets["top_official"], 2015))
        with serving(gunicorn_command(args.workers), env, "/healthz", "gunicorn") as base:
            log(f"soak: {args.connections} readers for {args.seconds:g} s on {len(paths)} URLs")
            began = time.perf_counter()
            result = measure(
                base,
                paths,
                connections=args.connections,
                requests=10**7,
                duration=args.seconds,
            )
            elapsed = time.perf_counter() - began
    except BenchError as error:
        log(f"FAILED: {error}")
        return 1
    summary = result.summary()
    statuses = ", ".join(
        f"{status}: {n:,}" for status, n in sorted(result.statuses.items(), key=str)
    )
    verdict = "no errors" if result.errors == 0 else f"**{result.errors:,} errors**"
    command = (
        f"N={args.statements} CONNECTIONS={args.connections} SECONDS={args.seconds:g} make soak"
    )
    row = " | ".join(
        [f"{summary['requests']:,}", f"{result.errors:,}", f"{summary['rps']:.1f}"]
        + [f"{summary[p] or 0:.0f}" for p in ("p50", "p95", "p99")]
    )
    text = f"""## Soak: {args.connections} concurrent readers for {args.seconds:g} s (PostgreSQL)

Produced by `{command}`
on {started_at:%Y-%m-%d %H:%M} UTC: gunicorn with {args.workers} sync workers and production
settings (debug off, TLS redirect off for loopback) over a synthetic archive of
{args.statements:,} statements in PostgreSQL; the readers cycle through {len(paths)} URLs:
the search mix of the benchmark, five officials' pages and twenty permalinks. After its first
request each page comes from the cache (statements/caching.py), as it would for readers
between two curators' changes: this checks the server stays up, not cache-missed speed.

| requests | errors | requests/s | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|
| {row} |

Statuses: {statuses}. Measured over {elapsed:.0f} s; result: {verdict}.
"""
    replace_section(args.output, "soak", text)
    log(f"soak: {verdict}; wrote the soak section of {args.output}")
    print(text)
    return 0 if result.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
