"""No 500 on any input: every public URL and the API, crawled with hostile query strings."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements.filters import StatementFilter

pytestmark = pytest.mark.django_db

ALLOWED = {200, 301, 302, 400, 404}

PATHS = [
    "/",
    "/statements/",
    "/statements/{pk}/",
    "/officials/",
    "/officials/{slug}/",
    "/topics/",
    "/topics/{slug}/",
    "/meetings/",
    "/meetings/{slug}/",
    "/articles/",
    "/articles/{slug}/",
    "/statements/feed/",
    "/officials/{slug}/feed/",
    "/topics/{slug}/feed/",
    "/statements/export.csv",
    "/statements/export.json",
    "/api/v1/statements/",
    "/api/v1/statements/{pk}/",
    "/api/v1/officials/",
    "/api/v1/officials/{slug}/",
    "/api/v1/topics/",
    "/api/v1/meetings/",
    "/api/v1/articles/",
    "/api/v1/outlets/",
    "/api/v1/organizations/",
    "/api/v1/popolo.json",
    "/sitemap.xml",
    "/sitemap-statements.xml",
    "/healthz",
]

# Every filter the lists take (so a new filter is crawled too), plus paging and format.
PARAMS = [*StatementFilter.base_filters, "page", "page_size", "format", "p"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "yesterday",
            "2015-02-30",
            "9999-12-31",
            "0000-01-01",
            '"(*',
            "NEAR(",
            "AND OR",
            "'; DROP TABLE statements_statement; --",
            "\x00",
            "sergei-lavrov",
            "no-such-slug",
            "ru",
            "ZZ",
            "direct",
            "relevance",
            "<script>alert(1)</script>",
            "🕊️" * 50,
            "ٱلسلام عليكم",
            "x" * 8192,
        ]
    ),
)

slugs = st.one_of(
    st.sampled_from(["sergei-lavrov", "syria", "lavrov-kerry-talks-new-york", "unknown"]),
    st.text(min_size=1, max_size=30).map(lambda t: quote(t, safe="")),
)
pks = st.one_of(st.integers(min_value=0, max_value=10**20).map(str), st.just("1"))
params = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMS), st.text(max_size=10)), hostile_text),
    max_size=6,
)


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(PATHS), slug=slugs, pk=pks, query=params)
def test_no_public_url_answers_500_to_hostile_parameters(client, seeded, path, slug, pk, query):
    url = path.format(slug=slug, pk=pk)
    query_string = urlencode(query)
    response = client.get(f"{url}?{query_string}" if query_string else url)
    body_of(response)
    assert response.status_code in ALLOWED, (url, query, response.status_code)


@pytest.mark.parametrize("path", [p for p in PATHS if "{" not in p])
def test_repeated_and_oversized_parameters_are_answered_calmly(client, seeded, path):
    query = "&".join(
        [f"official={'a' * 8192}", "official=sergei-lavrov", "page=2", "page=-1", "q=%00"]
        + [f"topic={n}" for n in range(50)]
    )
    response = client.get(f"{path}?{query}")
    body_of(response)
    assert response.status_code in ALLOWED
