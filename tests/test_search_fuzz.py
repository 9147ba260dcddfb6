"""Any text a reader types is safe: random queries on both engines, through the API and a page."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements import search
from statements.models import Official, Statement

from .factories import make_statement

pytestmark = pytest.mark.django_db

# Random text, and random text built from the pieces of query and engine syntax most likely to
# upset an engine: quotes, operators, column filters, prefixes, NEAR groups, NUL bytes.
SYNTAX = [
    '"', "-", "*", ":", "^", "(", ")", "{", "}", "'", ";", "&", "|", "!", "<->", "\x00",
    " OR ", " AND ", " NOT ", "NEAR(", "text:", "--", "/*", " ", "fisheries", "talks",
    "vóndel", "الوزير", "🐟",
]  # fmt: skip
queries = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(SYNTAX), max_size=30).map("".join),
)
fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def statements(db):
    return [
        make_statement(text="Minister Vóndel said the fisheries talks were useful."),
        make_statement(text="<script>alert('x')</script> & the talks"),
        make_statement(text="قال الوزير إن المحادثات كانت مفيدة", language="ar"),
    ]


@fuzz
@given(text=queries)
def test_any_query_gives_results_or_none_and_safe_snippets(statements, text):
    results = list(Statement.objects.published().search(text).by_relevance())
    assert set(results) <= set(statements)
    snippets = search.highlight(statements, text)
    assert set(snippets) == {s.pk for s in statements}
    assert all("<script>" not in snippet for snippet in snippets.values())
    search.officials_named(text, Official.objects)


@fuzz
@given(text=st.one_of(st.text(st.characters(blacklist_categories=["Cs"])), queries))
def test_the_statement_list_never_fails_on_a_query(client, statements, text):
    response = client.get("/statements/", {"q": text})
    assert response.status_code < 500
