"""Time the SQL of filtered search pages against an existing corpus (read only).

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/fts/x.sqlite3 \\
        python -m bench.search_filters [--runs 30]

For each case: the page's top 20 rows (with what a card shows) plus its capped count, as
``StatementFilter`` builds them, timed with ``time.perf_counter``; p50 / p95 in ms over the
runs, after two warm-up runs. Each run times the page twice, alternately: with the filter
terms in the SQLite index's MATCH (``StatementFilter.search_scope``) and without them (an
empty ``Scope``), so both arms see the same machine load. The speakers are picked by their
number of statements: the busiest, and one near the median of those with at least 100.
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
django.setup()

from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402

from statements import search  # noqa: E402
from statements.filters import StatementFilter  # noqa: E402
from statements.models import Official, Statement  # noqa: E402
from statements.views import COUNT_CAP, CappedPaginator  # noqa: E402


def speakers():
    counted = Official.objects.annotate(n=Count("statements")).filter(n__gte=100).order_by("-n")
    busiest = counted.values_list("slug", "n").first()
    rest = list(counted.values_list("slug", "n"))
    return busiest, rest[len(rest) // 2]


def cases():
    (busy, busy_n), (mid, mid_n) = speakers()
    yield f"security + official ({busy_n:,} statements)", {"q": "security", "official": busy}
    yield f"security + official ({mid_n:,} statements)", {"q": "security", "official": mid}
    yield (
        "agreement + 2015-01-01..2015-12-31",
        {
            "q": "agreement",
            "date_from": "2015-01-01",
            "date_to": "2015-12-31",
        },
    )
    yield "agreement + year=2015", {"q": "agreement", "year": "2015"}
    yield (
        f"security + official ({mid_n:,}) + year=2015",
        {
            "q": "security",
            "official": mid,
            "year": "2015",
        },
    )
    yield "security, no filter", {"q": "security"}


class WithoutTerms(StatementFilter):
    def search_scope(self):
        return search.Scope()


def page_once(params, filterset_class=StatementFilter):
    data = QueryDict(mutable=True)
    data.update(params)
    queryset = filterset_class(data, queryset=Statement.objects.published()).qs
    start = time.perf_counter()
    rows = list(queryset.with_related()[:20])
    count = CappedPaginator(queryset, 20).count
    return (time.perf_counter() - start) * 1000, len(rows), count


def p50(timings):
    return statistics.median(timings)


def p95(timings):
    return sorted(timings)[min(len(timings) - 1, round(0.95 * len(timings)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    print("| case | sort | without terms p50 / p95 ms | with terms p50 / p95 ms | count |")
    print("|---|---|---|---|---|")
    for name, params in cases():
        for sort in ("relevance", "newest"):
            timings = {WithoutTerms: [], StatementFilter: []}
            for run in range(runs + 2):
                for filterset_class, measured in timings.items():
                    ms, _, count = page_once({**params, "sort": sort}, filterset_class)
                    if run >= 2:
                        measured.append(ms)
            shown = f"{count:,}" + ("+" if count >= COUNT_CAP else "")
            arms = " | ".join(f"{p50(t):.1f} / {p95(t):.1f}" for t in timings.values())
            print(f"| {name} | {sort} | {arms} | {shown} |")


if __name__ == "__main__":
    main()
