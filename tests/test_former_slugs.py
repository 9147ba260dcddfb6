import pytest

from statements.models import FormerSlug, Official

from .factories import make_official

pytestmark = pytest.mark.django_db


def test_renaming_a_slug_remembers_the_old_one():
    official = make_official(slug="ana-kesel")
    official.slug = "ana-kessel"
    official.save()
    assert FormerSlug.find_current(Official, "ana-kesel") == official


def test_a_slug_taken_back_is_no_longer_former():
    official = make_official(slug="first")
    official.slug = "second"
    official.save()
    official.slug = "first"
    official.save()
    assert FormerSlug.find_current(Official, "first") is None
    assert FormerSlug.find_current(Official, "second") == official


def test_an_unknown_slug_finds_nothing():
    assert FormerSlug.find_current(Official, "nobody") is None
