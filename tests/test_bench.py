"""The benchmark's instruments: the bounded load client, the trivial view and the report.

No test here asserts a speed: timings depend on the machine.
"""

import datetime

import pytest
from django.test import override_settings

from bench import load, run
from bench.load import NotLoopback, measure


@pytest.mark.django_db(transaction=True)
def test_the_load_client_counts_every_response_and_stops_at_its_request_bound(live_server):
    result = measure(
        live_server.url, ["/", "/no-such-page/"], connections=2, requests=8, duration=30
    )
    assert result.statuses == {200: 4, 404: 4}
    assert result.ok == 4 and result.errors == 4
    summary = result.summary()
    assert summary["requests"] == 8
    assert summary["p50"] <= summary["p95"] <= summary["p99"]
    assert summary["rps"] > 0


@pytest.mark.django_db(transaction=True)
def test_the_load_client_stops_at_its_time_bound(live_server):
    result = measure(live_server.url, ["/"], connections=1, requests=10_000, duration=0.5)
    assert 0 < result.ok < 10_000


def test_the_load_client_refuses_any_address_but_loopback():
    with pytest.raises(NotLoopback):
        measure("http://10.0.0.1:8000", ["/"], requests=1)
    with pytest.raises(NotLoopback):
        load.check_loopback("192.168.1.1")


def test_a_refused_connection_is_counted_as_an_error_not_raised():
    port = run.free_port()  # nothing listens there
    result = measure(f"http://127.0.0.1:{port}", ["/"], connections=1, requests=3, duration=5)
    assert result.ok == 0
    assert result.errors == 3
    assert result.summary()["p50"] is None


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bench_urls_add_a_trivial_view_to_the_site(client, db):
    response = client.get("/bench/trivial")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.get("/").status_code == 200


def test_the_site_itself_has_no_trivial_view(client, db):
    assert client.get("/bench/trivial").status_code == 404


def test_the_search_mix_covers_every_kind_of_query():
    labels = {label for label, _ in run.search_mix("mira-vondel-1", 2015)}
    assert labels == {
        "common word",
        "rare word",
        "two words",
        "phrase",
        "search + official",
        "search + dates",
    }


def test_a_phrase_is_one_substring_for_the_naive_search():
    assert run.search_words({"q": '"peace talks"'}) == ["peace talks"]
    assert run.search_words({"q": "nuclear sanctions"}) == ["nuclear", "sanctions"]


def test_the_report_has_the_figures_the_machine_and_the_command():
    args = run.parse_args(["--statements", "500", "--engines", "sqlite"])
    result = run.EngineResult("sqlite", load_seconds=2.0, load_summary="Generated 500")
    page = {"requests": 10, "errors": 0, "rps": 12.5, "p50": 5.0, "p95": 9.0, "p99": 9.5}
    result.pages = {"search page (mixed queries)": page, "home page": page}
    result.naive_ms = [3.0, 4.0, 9.0]
    result.interchange = {"note": "export_archive does not exist yet: not measured"}
    mix = run.search_mix("mira-vondel-1", 2015)
    datasette = {"Datasette, tuned (no facet suggestions, 20 rows)": dict(page, rps=2.0)}
    report = run.write_report(
        args, {"sqlite": result}, datasette, mix, datetime.datetime(2026, 1, 2), 60, "make bench"
    )
    assert "`make bench`" in report
    assert "| cores |" in report
    assert "| home page | SQLite | 12.5 |" in report
    assert "export_archive does not exist yet" in report
    assert "search ≥ 150 req/s" in report  # 5 × tuned Datasette is lower than 150 here


def test_the_bench_refuses_a_postgresql_server_elsewhere():
    with pytest.raises(SystemExit):
        run.parse_args(["--pg-url", "postgres://postgres@10.1.2.3:5432/verbatim_bench"])
